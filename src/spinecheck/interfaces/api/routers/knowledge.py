"""The knowledge base as resources: conditions and their cards, findings, the body map, version and sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from spinecheck.core.body_map import Mark
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.api.schemas import (
    BodyMapFindings,
    BodyMapInfo,
    BodyMapRequest,
    ModeInfo,
    SpotInfo,
)
from spinecheck.services import knowledge
from spinecheck.services.knowledge import (
    ConditionCard,
    ConditionSummary,
    FindingInfo,
    KnowledgeBaseInfo,
    UnknownIdError,
)

router = APIRouter(tags=["knowledge base"])


@router.get("/conditions", response_model=list[ConditionSummary])
def conditions(model: ModelDep) -> list[ConditionSummary]:
    """Every condition the knowledge base knows, by name."""
    return knowledge.condition_summaries(model)


@router.get("/conditions/{condition_id}", response_model=ConditionCard)
def condition(model: ModelDep, condition_id: Annotated[str, Path(max_length=200)]) -> ConditionCard:
    """One condition's card: rarity, urgency, top / always / never symptoms, care, and its sources.

    The id may also be the condition's name or an alias; an unknown one is answered with 404 and
    the nearest known ids.
    """
    return knowledge.condition_card(model, condition_id)


@router.get("/findings", response_model=list[FindingInfo])
def findings(model: ModelDep) -> list[FindingInfo]:
    """Every finding: its id, label, the question a person is asked, and its category."""
    return knowledge.findings_catalogue(model)


@router.get("/kb", response_model=KnowledgeBaseInfo)
def kb(model: ModelDep) -> KnowledgeBaseInfo:
    """The knowledge base's version, content hash, size and every source it cites."""
    return knowledge.knowledge_base_info(model)


@router.get("/body-map", response_model=BodyMapInfo)
def body_map(model: ModelDep) -> BodyMapInfo:
    """The places a person can mark, in each mode, and the findings each mark stands for."""
    loaded = knowledge.body_map(model)
    return BodyMapInfo(
        modes=[ModeInfo(id=m.id, label=m.label, prompt=m.prompt) for m in loaded.modes],
        spots=[
            SpotInfo(id=s.id, area=s.area.id, label=s.label, view=s.area.view, side=s.side,
                     findings={mode: list(ids) for mode, ids in s.area.findings.items()})
            for s in loaded.spots
        ],
    )


@router.post("/body-map", response_model=BodyMapFindings)
def read_body_map(body: BodyMapRequest, model: ModelDep) -> BodyMapFindings:
    """The findings that marks on the body map stand for, with the side of each one-sided finding."""
    loaded = knowledge.body_map(model)
    modes = [m.id for m in loaded.modes]
    for index, mark in enumerate(body.marks):
        if mark.mode not in modes:
            suggestions = knowledge.suggest(mark.mode, modes)
            raise UnknownIdError("body-map mode", mark.mode, suggestions, f"marks[{index}].mode")
        if loaded.spot(mark.spot) is None:
            spots = [s.id for s in loaded.spots]
            suggestions = knowledge.suggest(mark.spot, spots)
            raise UnknownIdError("body-map spot", mark.spot, suggestions, f"marks[{index}].spot")
    reading = knowledge.read_body_map(model, [Mark(m.mode, m.spot) for m in body.marks])
    return BodyMapFindings(present=sorted(reading.present), sides=dict(sorted(reading.sides.items())))
