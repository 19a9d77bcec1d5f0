"""What an assessment still lacks: warning signs nobody answered, and answers given both ways.

The warning-sign screen is data, not code: the `screen: true` checklists of
`knowledge/interview.yaml`, each for the people its `ask_only_when` condition is not false for
(the pregnancy screen is for women of child-bearing age, or anyone whose age or sex is not
known). The screen is answered when every warning sign on it that applies to the person has a
yes or a no. Until then a result is never an all-clear (`triage.yaml`, `incomplete`), and the
questions still open are returned so an interface can ask them.

A finding given both as present and as absent — two sentences that disagree, or a description
and a findings list that do — is a contradiction, and so are two options of one choice given as
present. The reading used is the one that leads to the higher, that is safer, triage level; when
the readings lead to the same level, the finding is left unknown rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spinecheck.core.inference import posterior
from spinecheck.core.interview import load_interview_policy
from spinecheck.core.kb.schema import Expression
from spinecheck.core.logic import FALSE, evaluate
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError
from spinecheck.core.triage import decide, review_red_flags
from spinecheck.core.triage_levels import TriageLevel


@dataclass(frozen=True)
class ScreenQuestion:
    """One warning-sign checklist: its id and question, and its items as (finding, words) pairs."""

    id: str
    text: str
    items: tuple[tuple[str, str], ...]
    applies_when: Expression | None = None


@lru_cache(maxsize=8)
def _screen(root: Path, content_hash: str) -> tuple[ScreenQuestion, ...]:
    """The screen checklists of the knowledge base at `root` (`content_hash` keeps a changed base apart)."""
    policy = load_interview_policy(root)
    conditions = {rule.question: rule.when for rule in policy.ask_only_when}
    return tuple(
        ScreenQuestion(
            id=checklist.id,
            text=checklist.text,
            items=tuple((item.finding, item.text) for item in checklist.items),
            applies_when=conditions.get(checklist.id),
        )
        for checklist in policy.checklists
        if checklist.screen
    )


def screen_questions(model: CompiledModel) -> tuple[ScreenQuestion, ...]:
    """Every warning-sign checklist of this knowledge base, in the order the interview asks them."""
    return _screen(model.kb.root, model.kb.content_hash)


def open_screen(model: CompiledModel, evidence: Evidence) -> list[ScreenQuestion]:
    """The checklists that apply to this person, each cut down to the warning signs with no answer yet."""
    answered = evidence.present | evidence.absent
    case = evidence.case()
    still_open: list[ScreenQuestion] = []
    for question in screen_questions(model):
        if question.applies_when is not None and evaluate(question.applies_when, case) == FALSE:
            continue
        items = tuple(
            (finding, words) for finding, words in question.items
            if finding in model.finding_index and finding not in answered
        )
        if items:
            still_open.append(ScreenQuestion(question.id, question.text, items, question.applies_when))
    return still_open


@dataclass(frozen=True)
class Contradiction:
    """Answers that disagree (`findings`: one finding said both ways, or the options of one choice),
    and the reading used: which of them are taken as present and which as absent (the rest: unknown)."""

    findings: tuple[str, ...]
    present: tuple[str, ...]
    absent: tuple[str, ...]


def triage_level(model: CompiledModel, evidence: Evidence) -> TriageLevel:
    """The level the safety rule gives this evidence (red flags, condition floors, set-aside check)."""
    evidence = model.check_evidence(evidence)
    return decide(model, evidence, review_red_flags(model, evidence), posterior(model, evidence)).level


def resolve_contradictions(
    model: CompiledModel, evidence: Evidence, contradicted: Iterable[str] = ()
) -> tuple[Evidence, list[Contradiction]]:
    """Evidence without contradictions, and what was resolved how.

    `contradicted` names findings the input gave both ways although `evidence` no longer holds
    both answers (a text reader leaves them unknown). Unknown finding ids are an error, as in
    `CompiledModel.check_evidence`.
    """
    unknown = (evidence.present | evidence.absent | frozenset(contradicted)) - model.finding_index.keys()
    if unknown:
        model.check_evidence(Evidence(present=frozenset(unknown)))  # raises, naming the nearest ids
    singles = sorted((evidence.present & evidence.absent) | frozenset(contradicted))
    present = set(evidence.present) - set(singles)
    absent = set(evidence.absent) - set(singles)
    units: list[tuple[str, ...]] = [(finding,) for finding in singles]
    for members in model.exclusive_groups.values():
        chosen = tuple(member for member in members if member in present)
        if len(chosen) > 1:
            units.append(chosen)
            present -= set(chosen)
    if not units:
        return evidence, []

    resolved: list[Contradiction] = []
    for unit in units:
        # Unknown first: on a tie nothing is assumed.
        readings: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((), ())]
        if len(unit) == 1:
            readings += [(unit, ()), ((), unit)]
        else:
            readings += [((chosen,), tuple(m for m in unit if m != chosen)) for chosen in unit]
        best = readings[0]
        best_rank = -1
        for reading in readings:
            candidate = Evidence(
                present=frozenset(present | set(reading[0])),
                absent=frozenset(absent | set(reading[1])),
                age=evidence.age,
                sex=evidence.sex,
            )
            try:
                rank = triage_level(model, candidate).rank
            except EvidenceError:
                continue  # this reading clashes with another answer of the same choice
            if rank > best_rank:
                best, best_rank = reading, rank
        present |= set(best[0])
        absent |= set(best[1])
        resolved.append(Contradiction(unit, best[0], best[1]))
    clean = Evidence(present=frozenset(present), absent=frozenset(absent), age=evidence.age, sex=evidence.sex)
    return clean, resolved


__all__ = [
    "Contradiction",
    "ScreenQuestion",
    "open_screen",
    "resolve_contradictions",
    "screen_questions",
    "triage_level",
]
