"""The knowledge base compiled once into arrays, and the evidence a case brings to it.

The probability model (docs/adr/0002-probability-model.md): one condition explains the
presentation (conditions are mutually exclusive and exhaustive within the knowledge base),
findings are conditionally independent given the condition, and a finding the knowledge base
gives no likelihood for behaves as it does in back-pain presenters in general (its
`background` rate). Likelihoods are kept inside [floor, 1 - floor] so that no single answer
can rule a condition in or out completely.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.kb.schema import Expression, FindingCategory, RedFlagRule, expression_findings
from spinecheck.core.logic import FALSE, TRUE, UNKNOWN, Case, Check, compile_expression

FloatArray = npt.NDArray[np.float64]


class EvidenceError(ValueError):
    """The findings given cannot be assessed as they stand (unknown id, contradiction)."""


Sex = Literal["female", "male"]


class Evidence(BaseModel):
    """What is known about one person: findings present, findings absent, age and sex."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    present: frozenset[str] = Field(default_factory=frozenset)
    absent: frozenset[str] = Field(default_factory=frozenset)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None

    def case(self) -> Case:
        """The evidence as three-valued states for rule evaluation.

        Built on each call rather than cached: `model_copy` would carry a cached value over to
        the changed copy.
        """
        states = {finding: TRUE for finding in self.present}
        states.update({finding: FALSE for finding in self.absent})
        return Case(states=states, age=self.age, sex=self.sex)


@dataclass(frozen=True)
class PriorModifierTerm:
    """One compiled prior modifier: when `when` is true, add `log_multiplier` to a condition."""

    condition: int
    when: Expression
    log_multiplier: float
    multiplier: float
    source: str
    note: str | None


MAX_AGE = 130
UNKNOWN_AGE_INDEX = MAX_AGE + 1


@dataclass(frozen=True)
class ModifierPlan:
    """Prior modifiers folded into look-up tables (see `CompiledModel.modifier_plan`)."""

    answer_table: FloatArray
    demographic_table: FloatArray
    general: tuple[tuple[PriorModifierTerm, Check], ...]


@dataclass(frozen=True)
class CompiledModel:
    """Arrays for fast scoring; rows are conditions, columns are findings."""

    kb: KnowledgeBase
    condition_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    finding_index: dict[str, int]
    condition_index: dict[str, int]
    log_prior: FloatArray
    likelihood: FloatArray
    log_present: FloatArray
    log_absent: FloatArray
    background: FloatArray
    specified: npt.NDArray[np.bool_]
    modifiers: tuple[PriorModifierTerm, ...]
    exclusive_groups: dict[str, tuple[str, ...]]
    leak: float

    @cached_property
    def red_flag_columns(self) -> npt.NDArray[np.intp]:
        """Columns of findings in the red-flag category (answers that may never lower the level)."""
        return np.array(
            [i for i, f in enumerate(self.finding_ids) if self.kb.findings[f].category == FindingCategory.RED_FLAG],
            dtype=np.intp,
        )

    @cached_property
    def log_lr_present(self) -> FloatArray:
        """log P(present | condition) / P(present | back pain in general), per condition and finding."""
        ratio: FloatArray = self.log_present - np.log(self.background)[None, :]
        return ratio

    @cached_property
    def log_lr_absent(self) -> FloatArray:
        ratio: FloatArray = self.log_absent - np.log1p(-self.background)[None, :]
        return ratio

    @cached_property
    def likelihood_sources(self) -> tuple[dict[str, str], ...]:
        """Per condition row: finding id -> source of that condition's likelihood for it."""
        return tuple(
            {item.finding: item.source for item in self.kb.conditions[condition].likelihoods}
            for condition in self.condition_ids
        )

    @cached_property
    def modifiers_by_condition(self) -> tuple[tuple[PriorModifierTerm, ...], ...]:
        """Per condition row: the prior modifiers that act on it, in knowledge-base order."""
        return tuple(
            tuple(term for term in self.modifiers if term.condition == row) for row in range(len(self.condition_ids))
        )

    @cached_property
    def log_answer_table(self) -> FloatArray:
        """One row per possible answer: rows 0..F-1 are log P(present | condition) per finding,
        rows F..2F-1 log P(absent | condition); scoring a case sums the rows of its answers."""
        table: FloatArray = np.ascontiguousarray(np.vstack((self.log_present.T, self.log_absent.T)))
        return table

    def answer_rows(self, evidence: Evidence) -> npt.NDArray[np.intp]:
        """The rows of `log_answer_table` that the evidence selects, in ascending order."""
        count = len(self.finding_ids)
        rows = [self.finding_index[finding] for finding in evidence.present]
        rows += [count + self.finding_index[finding] for finding in evidence.absent]
        rows.sort()
        return np.array(rows, dtype=np.intp)

    @cached_property
    def modifier_plan(self) -> ModifierPlan:
        """Prior modifiers sorted by shape so one case applies them with table look-ups.

        A modifier on one finding adds to that finding's "present" row of the answer table; a
        modifier on age and sex alone is evaluated once for every age (and unknown age) and every
        sex (and unknown sex) into a demographic table; anything else is evaluated as usual.
        """
        answer_table = self.log_answer_table.copy()
        demographic_table = np.zeros((MAX_AGE + 2, 3, len(self.condition_ids)))
        sexes: tuple[str | None, ...] = (None, "female", "male")
        general: list[tuple[PriorModifierTerm, Check]] = []
        for term, check in zip(self.modifiers, self.modifier_checks, strict=True):
            when = term.when
            if isinstance(when, str):
                answer_table[self.finding_index[when], term.condition] += term.log_multiplier
            elif not expression_findings(when):
                for age_index in range(MAX_AGE + 2):
                    age = None if age_index == UNKNOWN_AGE_INDEX else age_index
                    for sex_index, sex in enumerate(sexes):
                        if check(Case(states={}, age=age, sex=sex)) == TRUE:
                            demographic_table[age_index, sex_index, term.condition] += term.log_multiplier
            else:
                general.append((term, check))
        return ModifierPlan(answer_table, demographic_table, tuple(general))

    @cached_property
    def red_flags_by_urgency(self) -> tuple[tuple[RedFlagRule, Check], ...]:
        """Red-flag rules with their compiled checks, most urgent first, then by id."""
        pairs = zip(self.kb.red_flags, self.red_flag_checks, strict=True)
        return tuple(sorted(pairs, key=lambda pair: (-pair[0].level.rank, pair[0].id)))

    @cached_property
    def red_flag_findings(self) -> dict[str, frozenset[str]]:
        """Per red-flag rule id: the findings its expression mentions."""
        return {rule.id: frozenset(expression_findings(rule.when)) for rule in self.kb.red_flags}

    @cached_property
    def modifier_checks(self) -> tuple[Check, ...]:
        """Each prior modifier's `when`, compiled once, in the order of `modifiers`."""
        return tuple(compile_expression(term.when) for term in self.modifiers)

    @cached_property
    def red_flag_checks(self) -> tuple[Check, ...]:
        """Each red-flag rule's `when`, compiled once, in knowledge-base order."""
        return tuple(compile_expression(rule.when) for rule in self.kb.red_flags)

    def columns(self, findings: Iterable[str]) -> npt.NDArray[np.intp]:
        """Column numbers of known finding ids, in the order given."""
        return np.array([self.finding_index[finding] for finding in findings], dtype=np.intp)

    def check_evidence(self, evidence: Evidence) -> Evidence:
        """Reject unknown ids and contradictions; complete exclusive groups.

        When one option of a choice is present the other options are absent, so the engine
        adds them; two present options of the same choice are a contradiction.
        """
        unknown = sorted((evidence.present | evidence.absent) - self.finding_index.keys())
        if unknown:
            raise EvidenceError("; ".join(self._unknown_message(finding) for finding in unknown))
        both = sorted(evidence.present & evidence.absent)
        if both:
            raise EvidenceError(
                "a finding cannot be both present and absent: " + ", ".join(both)
            )
        implied_absent: set[str] = set()
        for group, members in self.exclusive_groups.items():
            chosen = [member for member in members if member in evidence.present]
            if len(chosen) > 1:
                raise EvidenceError(
                    f"only one answer of '{group}' can be present, got: {', '.join(chosen)}"
                )
            if chosen:
                implied_absent.update(member for member in members if member != chosen[0])
        if implied_absent - evidence.absent:
            return evidence.model_copy(update={"absent": evidence.absent | implied_absent})
        return evidence

    def _unknown_message(self, finding: str) -> str:
        close = difflib.get_close_matches(finding, self.finding_ids, n=3, cutoff=0.6)
        if not close:
            close = [fid for fid in self.finding_ids if finding in fid or fid in finding][:3]
        hint = f" — did you mean: {', '.join(close)}?" if close else ""
        return f"unknown finding '{finding}'{hint}"

    def state_vector(self, evidence: Evidence) -> npt.NDArray[np.int8]:
        """The case as one row of 1 / 0 / -1 per finding."""
        row = np.zeros(len(self.finding_ids), dtype=np.int8)
        for finding in evidence.present:
            row[self.finding_index[finding]] = TRUE
        for finding in evidence.absent:
            row[self.finding_index[finding]] = FALSE
        return row


def compile_model(kb: KnowledgeBase) -> CompiledModel:
    """Turn the validated knowledge base into arrays once; scoring then never touches YAML."""
    condition_ids = tuple(kb.conditions)
    finding_ids = tuple(sorted(kb.findings))
    finding_index = {finding: i for i, finding in enumerate(finding_ids)}
    condition_index = {condition: i for i, condition in enumerate(condition_ids)}
    floor = kb.policy.likelihood_floor.value

    background = np.array([kb.findings[f].background.value for f in finding_ids], dtype=np.float64)
    background = np.clip(background, floor, 1.0 - floor)
    likelihood = np.tile(background, (len(condition_ids), 1))
    specified = np.zeros_like(likelihood, dtype=bool)
    for row, condition_id in enumerate(condition_ids):
        for item in kb.conditions[condition_id].likelihoods:
            column = finding_index[item.finding]
            likelihood[row, column] = item.p
            specified[row, column] = True
    likelihood = np.clip(likelihood, floor, 1.0 - floor)

    priors = np.array([kb.conditions[c].prior.value for c in condition_ids], dtype=np.float64)
    priors = np.clip(priors, 1e-9, None)
    log_prior = np.log(priors / priors.sum())

    modifiers = tuple(
        PriorModifierTerm(
            condition=row,
            when=modifier.when,
            log_multiplier=float(np.log(modifier.multiplier)),
            multiplier=modifier.multiplier,
            source=modifier.source,
            note=modifier.note,
        )
        for row, condition_id in enumerate(condition_ids)
        for modifier in kb.conditions[condition_id].prior_modifiers
    )

    groups: dict[str, list[str]] = {}
    for finding in kb.findings.values():
        if finding.exclusive_group:
            groups.setdefault(finding.exclusive_group, []).append(finding.id)

    return CompiledModel(
        kb=kb,
        condition_ids=condition_ids,
        finding_ids=finding_ids,
        finding_index=finding_index,
        condition_index=condition_index,
        log_prior=log_prior,
        likelihood=likelihood,
        log_present=np.log(likelihood),
        log_absent=np.log1p(-likelihood),
        background=background,
        specified=specified,
        modifiers=modifiers,
        # The options of a choice keep the order the findings files give them (shortest duration first).
        exclusive_groups={group: tuple(members) for group, members in groups.items()},
        leak=kb.policy.leak.value,
    )


__all__ = [
    "FALSE",
    "TRUE",
    "UNKNOWN",
    "CompiledModel",
    "Evidence",
    "EvidenceError",
    "compile_model",
]
