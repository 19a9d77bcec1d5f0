"""Use-case: assess a person from findings (and, with the NLP adapter, from their own words)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.kb.loader import KnowledgeBase, load_knowledge_base
from spinecheck.core.localisation import Side
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError, compile_model
from spinecheck.core.populations import load_populations


@lru_cache(maxsize=4)
def load_model(root: Path | None = None) -> CompiledModel:
    """Load, validate and compile the knowledge base once per process (population notes checked too)."""
    model = compile_model(load_knowledge_base(root))
    load_populations(model.kb)
    return model


def knowledge_base(root: Path | None = None) -> KnowledgeBase:
    return load_model(root).kb


def split_ids(values: Iterable[str] | None) -> frozenset[str]:
    """Accept repeated options and comma-separated lists alike: 'a,b' 'c' -> {a, b, c}."""
    ids: set[str] = set()
    for value in values or ():
        ids.update(part.strip() for part in value.split(",") if part.strip())
    return frozenset(ids)


def evidence_from_mapping(data: Mapping[str, Any]) -> Evidence:
    """Build evidence from a findings file: either {"present": [...], "absent": [...]} or the
    vignette form {"findings": {"id": true|false|null}}, with optional "age" and "sex"."""
    if not isinstance(data, Mapping):
        raise EvidenceError("a findings file must hold one JSON object")
    present = set(split_ids(data.get("present") or []))
    absent = set(split_ids(data.get("absent") or []))
    findings = data.get("findings") or {}
    if not isinstance(findings, Mapping):
        raise EvidenceError("'findings' must map finding ids to true or false")
    for finding, value in findings.items():
        if value is True:
            present.add(str(finding))
        elif value is False:
            absent.add(str(finding))
        elif value is not None:
            raise EvidenceError(f"finding '{finding}' must be true, false or null, not {value!r}")
    age = data.get("age")
    sex = data.get("sex")
    try:
        return Evidence(present=frozenset(present), absent=frozenset(absent), age=age, sex=sex)
    except ValueError as error:
        raise EvidenceError(_first_validation_message(error)) from None


def evidence_from_file(path: Path) -> Evidence:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvidenceError(f"no such file: {path}") from None
    except json.JSONDecodeError as error:
        raise EvidenceError(f"{path} is not valid JSON (line {error.lineno}: {error.msg})") from None
    return evidence_from_mapping(data)


def _first_validation_message(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ()))
        return f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
    return str(error)


def make_evidence(
    present: Iterable[str] | None = None,
    absent: Iterable[str] | None = None,
    age: int | None = None,
    sex: str | None = None,
) -> Evidence:
    try:
        return Evidence(present=split_ids(present), absent=split_ids(absent), age=age, sex=sex)
    except ValueError as error:
        raise EvidenceError(_first_validation_message(error)) from None


def assess_evidence(
    evidence: Evidence, model: CompiledModel | None = None, sides: Mapping[str, Side] | None = None
) -> Assessment:
    """Assess findings; `sides` optionally says which leg a finding was on (for the localisation)."""
    return assess(model or load_model(), evidence, sides=sides)
