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
from itertools import compress
from operator import not_

import numpy as np
import numpy.typing as npt

from spinecheck.core.kb.loader import interview_policy
from spinecheck.core.logic import UNKNOWN, Cases, RuleSet, made_from_fields
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError
from spinecheck.core.triage import decide
from spinecheck.core.triage_levels import TriageLevel


@dataclass(frozen=True)
class ScreenQuestion:
    """One warning-sign checklist: its id and question, and its items as (finding, words) pairs."""

    id: str
    text: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Screen:
    """The screen checklists of one model, and their `ask_only_when` conditions compiled as one rule set
    (`conditional[i]` is the checklist that rule `i` is about)."""

    questions: tuple[ScreenQuestion, ...]
    conditions: RuleSet
    conditional: tuple[int, ...]
    unanswered: tuple[ScreenQuestion, ...]
    """Per checklist: the checklist with only its items whose finding the model knows (open, if none is answered)."""
    known_findings: tuple[frozenset[str], ...]
    """Per checklist: the findings of those items."""
    item_findings: tuple[tuple[str, ...], ...]
    """Per checklist: the finding of each of those items, in order."""


def _screen(model: CompiledModel) -> _Screen:
    """The screen of this model's knowledge base, built once per model."""
    built: _Screen | None = model.memo.get("completeness.screen")
    if built is None:
        policy = interview_policy(model.kb)
        checklists = [checklist for checklist in policy.checklists if checklist.screen]
        position = {checklist.id: number for number, checklist in enumerate(checklists)}
        rules = [rule for rule in policy.ask_only_when if rule.question in position]
        questions = tuple(
            ScreenQuestion(checklist.id, checklist.text, tuple((i.finding, i.text) for i in checklist.items))
            for checklist in checklists
        )
        unanswered = tuple(
            ScreenQuestion(
                question.id, question.text, tuple(item for item in question.items if item[0] in model.finding_index)
            )
            for question in questions
        )
        built = model.memo["completeness.screen"] = _Screen(
            questions=questions,
            conditions=RuleSet([rule.when for rule in rules], model.finding_index),
            conditional=tuple(position[rule.question] for rule in rules),
            unanswered=unanswered,
            known_findings=tuple(frozenset(finding for finding, _ in question.items) for question in unanswered),
            item_findings=tuple(tuple(finding for finding, _ in question.items) for question in unanswered),
        )
    return built


def screen_questions(model: CompiledModel) -> tuple[ScreenQuestion, ...]:
    """Every warning-sign checklist of this knowledge base, in the order the interview asks them."""
    return _screen(model).questions


def unanswered_checklists(model: CompiledModel) -> tuple[ScreenQuestion, ...]:
    """Every checklist as `open_screen` returns it when none of its warning signs is answered (these
    very objects: an interface can keep what it derives from them once per model)."""
    return _screen(model).unanswered


def _ruled_out(screen: _Screen, cases: Cases) -> npt.NDArray[np.bool_]:
    """(N, checklists): the checklists that do not apply to each case, because one of their
    `ask_only_when` conditions is false for it."""
    ruled_out = np.zeros((len(cases), len(screen.questions)), dtype=bool)
    if len(screen.conditions):
        is_false = screen.conditions.truth(cases)[1]
        for rule, checklist in enumerate(screen.conditional):
            ruled_out[:, checklist] |= is_false[:, rule]
    return ruled_out


def open_screen(model: CompiledModel, evidence: Evidence, cases: Cases | None = None) -> list[ScreenQuestion]:
    """The checklists that apply to this person, each cut down to the warning signs with no answer yet.

    `evidence` is checked evidence; `cases` is the same evidence encoded (`model.encode`), when the
    caller has it already. A checklist does not apply when one of its `ask_only_when` conditions is
    false for the person (read with the one rule evaluator)."""
    screen = _screen(model)
    present, absent = evidence.present, evidence.absent
    answered: frozenset[str] | None = None  # both, made when a checklist is answered in part
    ruled_out = [False] * len(screen.questions)  # as `_ruled_out` for one case, in plain numbers
    if len(screen.conditions):
        is_false = screen.conditions.truth_one(cases if cases is not None else model.encode(evidence))[1]
        for rule, checklist in enumerate(screen.conditional):
            if is_false[rule]:
                ruled_out[checklist] = True
    still_open: list[ScreenQuestion] = []
    findings_of = screen.item_findings
    for number, (whole, findings, out) in enumerate(zip(screen.unanswered, screen.known_findings, ruled_out,
                                                        strict=True)):
        if out:
            continue
        if present.isdisjoint(findings) and absent.isdisjoint(findings):
            if whole.items:
                still_open.append(whole)
            continue
        answered = present | absent if answered is None else answered
        items = tuple(compress(whole.items, map(not_, map(answered.__contains__, findings_of[number]))))
        if items:
            still_open.append(made_from_fields(ScreenQuestion, {"id": whole.id, "text": whole.text, "items": items}))
    return still_open


def screen_open_rows(model: CompiledModel, cases: Cases) -> npt.NDArray[np.bool_]:
    """For N encoded cases at once, whether a checklist that applies to the person still has a
    warning sign with no answer: `open_screen(...) != []` for every row, as the batch path needs it.

    `cases` must hold the states completed with what their answers imply, as `assess` encodes them."""
    screen = _screen(model)
    ruled_out = _ruled_out(screen, cases)
    still_open = np.zeros(len(cases), dtype=bool)
    for number, question in enumerate(screen.questions):
        columns = [model.finding_index[finding] for finding, _ in question.items if finding in model.finding_index]
        if columns:
            unanswered = (cases.states[:, columns] == UNKNOWN).any(axis=1)
            still_open |= unanswered & ~ruled_out[:, number]
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
    return decide(model, model.check_evidence(evidence)).level


def resolve_contradictions(
    model: CompiledModel, evidence: Evidence, contradicted: Iterable[str] = ()
) -> tuple[Evidence, list[Contradiction]]:
    """Evidence without contradictions, and what was resolved how.

    `contradicted` names findings the input gave both ways although `evidence` no longer holds
    both answers (a text reader leaves them unknown). Unknown finding ids are an error, as in
    `CompiledModel.check_evidence`.
    """
    known = model.finding_index  # (a set less a dict's keys would copy all the keys)
    group_of = model.group_of
    if (
        isinstance(contradicted, tuple | list) and not contradicted
        and known.keys() >= evidence.present and known.keys() >= evidence.absent
        and evidence.present.isdisjoint(evidence.absent)
    ):  # nothing given both ways: only two options of one choice can disagree
        groups = [group_of[finding] for finding in group_of.keys() & evidence.present]
        if len(groups) == len(set(groups)):
            return evidence, []
    unknown = {f for f in (*evidence.present, *evidence.absent, *contradicted) if f not in known}
    if unknown:
        model.check_evidence(Evidence(present=frozenset(unknown)))  # raises, naming the nearest ids
    singles = sorted((evidence.present & evidence.absent) | frozenset(contradicted))
    present = set(evidence.present) - set(singles)
    absent = set(evidence.absent) - set(singles)
    units: list[tuple[str, ...]] = [(finding,) for finding in singles]
    groups = [group for finding in present if (group := group_of.get(finding)) is not None]
    if len(groups) > len(set(groups)):  # some choice has more than one option present
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
    "screen_open_rows",
    "screen_questions",
    "triage_level",
]
