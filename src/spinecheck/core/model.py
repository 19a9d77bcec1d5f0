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
import operator
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import filterfalse
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.kb.loader import KnowledgeBase, implied_by
from spinecheck.core.kb.schema import Condition, Expression, FindingCategory, expression_findings
from spinecheck.core.kb.schema import Sex as Sex  # re-exported for the evidence's users
from spinecheck.core.logic import (
    FALSE,
    SEX_CODES,
    TRUE,
    UNKNOWN,
    UNKNOWN_AGE_INDEX,
    Cases,
    JointRules,
    RuleSet,
    cells,
)
from spinecheck.core.populations import PopulationNote, load_populations
from spinecheck.core.triage_levels import TriageLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Int8Array = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]


class EvidenceError(ValueError):
    """The findings given cannot be assessed as they stand (unknown id, contradiction)."""




class Evidence(BaseModel):
    """What is known about one person: findings present, findings absent, age and sex."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    present: frozenset[str] = Field(default_factory=frozenset)
    absent: frozenset[str] = Field(default_factory=frozenset)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None


@dataclass(frozen=True)
class PriorModifierTerm:
    """One compiled prior modifier: when `when` is true, add `log_multiplier` to a condition."""

    condition: int
    when: Expression
    log_multiplier: float
    multiplier: float
    source: str
    note: str | None


@dataclass(frozen=True)
class FormsLayout:
    """The conditions that are mixtures of forms, scored exactly (docs/adr/0023-forms-of-a-condition.md).

    `companion` is a model of those conditions alone, compiled from the same findings: for each, one
    row as the main model has it (its forms' likelihoods mixed into one per finding) and one row per
    form. A condition's score is then the log of its forms' scores weighted by their shares, in place
    of its mixed row's: the rows share the prior, prior modifiers and every other likelihood, so only
    the findings the forms give differ, and they are counted together within each form.
    """

    companion: CompiledModel
    columns: IntArray
    """Per mixed condition: its column in the main model."""
    mixed: IntArray
    """Per mixed condition: its mixed row in `companion`."""
    form_rows: IntArray
    """Every form's row in `companion`, a condition's forms together, in the order of `columns`."""
    log_shares: FloatArray
    """Per entry of `form_rows`: the log of the form's share."""
    starts: IntArray
    """Per mixed condition: where its forms begin in `form_rows` (for `np.logaddexp.reduceat`)."""
    names: tuple[tuple[str, ...], ...]
    """Per mixed condition: the plain names of its forms, in the order of `form_rows`."""
    answer_columns: IntArray
    """The findings whose answers can tell the forms apart (where a form row's likelihoods differ from
    its condition's mixed row, and every finding of the same tree of findings): a case that answers none
    of them leaves every form at its share, and the companion need not score it."""

    urgent_forms: tuple[UrgentForm, ...] = ()
    """The forms more urgent than their condition, whose own probability sets a floor on the level."""

    @cached_property
    def answer_column_set(self) -> frozenset[int]:
        return frozenset(self.answer_columns.tolist())

    @cached_property
    def urgent_reach(self) -> tuple[tuple[int, float], ...]:
        """`urgent_forms` as (column, threshold) pairs: a form can reach its urgency only where its condition does."""
        return tuple((form.column, form.threshold) for form in self.urgent_forms)

    @cached_property
    def urgent_arrays(self) -> tuple[IntArray, IntArray, FloatArray, FloatArray, npt.NDArray[np.int8]]:
        """`urgent_forms` as arrays: columns, places in `form_rows`, thresholds, shares before any answer, ranks."""
        urgent = self.urgent_forms
        return (
            np.array([form.column for form in urgent], dtype=np.intp),
            np.array([form.position for form in urgent], dtype=np.intp),
            np.array([form.threshold for form in urgent], dtype=np.float64),
            np.array([form.share for form in urgent], dtype=np.float64),
            np.array([form.urgency.rank for form in urgent], dtype=np.int8),
        )

    @cached_property
    def form_counts(self) -> IntArray:
        """Per mixed condition: how many forms it has (its stretch of `form_rows`)."""
        counts: IntArray = np.diff([*self.starts.tolist(), len(self.form_rows)]).astype(np.intp)
        return counts

    def _weighted(self, companion_scores: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Each form's log score plus the log of its share (N, len(form_rows)), and their log sum per mixed
        condition (N, len(columns)): the condition's score as the mixture of its forms."""
        weighted = companion_scores[:, self.form_rows] + self.log_shares
        totals: FloatArray = np.logaddexp.reduceat(weighted, self.starts, axis=1)
        return weighted, totals

    def adjustment(self, companion_scores: FloatArray) -> FloatArray:
        """(N, len(columns)) from the companion's (N, rows) log scores: what to add to each mixed
        condition's score so the findings its forms give count together within each form."""
        _, totals = self._weighted(companion_scores)
        adjustment: FloatArray = totals - companion_scores[:, self.mixed]
        return adjustment

    def form_shares(self, companion_scores: FloatArray) -> FloatArray:
        """(N, len(form_rows)): each form's share of its condition's probability, given the evidence."""
        weighted, totals = self._weighted(companion_scores)
        shares: FloatArray = np.exp(weighted - np.repeat(totals, self.form_counts, axis=1))
        return shares


@dataclass(frozen=True)
class UrgentForm:
    """A form that needs care sooner than its condition: its column in the main model, its place in
    `FormsLayout.form_rows`, its name, its urgency, the probability from which that urgency applies, and
    its share before any answer."""

    column: int
    position: int
    name: str
    urgency: TriageLevel
    threshold: float
    share: float
    """The form's share before any answer: its urgency counts only where the answers raise that share."""


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
    prior_exponent: float = 1.0
    """The power the priors were raised to so the serious causes hold their share (`SeriousShare`)."""
    forms: FormsLayout | None = None
    """Where conditions are mixtures of forms: the model that scores each form (`FormsLayout`)."""

    # --- answers -----------------------------------------------------------------------------

    @cached_property
    def red_flag_columns(self) -> IntArray:
        """Columns of findings in the red-flag category (answers that may never lower the level)."""
        return np.array(
            [i for i, f in enumerate(self.finding_ids) if self.kb.findings[f].category == FindingCategory.RED_FLAG],
            dtype=np.intp,
        )

    @cached_property
    def is_red_flag_finding(self) -> BoolArray:
        flags = np.zeros(len(self.finding_ids), dtype=bool)
        flags[self.red_flag_columns] = True
        return flags

    @cached_property
    def red_flag_column_set(self) -> frozenset[int]:
        """`red_flag_columns` as a set (plain, for one case)."""
        return frozenset(self.red_flag_columns.tolist())

    @cached_property
    def is_red_flag_answer(self) -> list[bool]:
        """Per column: whether the finding is of the red-flag category (plain, for one case)."""
        flags: list[bool] = self.is_red_flag_finding.tolist()
        return flags

    @cached_property
    def group_of(self) -> dict[str, str]:
        """Finding id -> the exclusive group (choice question) it is an option of."""
        return {finding: group for group, members in self.exclusive_groups.items() for finding in members}

    @cached_property
    def group_order(self) -> dict[str, int]:
        return {group: position for position, group in enumerate(self.exclusive_groups)}

    @cached_property
    def finding_labels(self) -> dict[str, str]:
        return {finding: spec.label for finding, spec in self.kb.findings.items()}

    @cached_property
    def closed_lists(self) -> tuple[frozenset[str], ...]:
        """The findings answered as one list (every place where it hurts), each list as a set."""
        lists: dict[str, set[str]] = {}
        for finding in self.kb.findings.values():
            if finding.closed_list:
                lists.setdefault(finding.closed_list, set()).add(finding.id)
        return tuple(frozenset(members) for _, members in sorted(lists.items()))

    @cached_property
    def splits(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(finding, its parts) for every way a finding divides (`sides`, `splits`): whenever the finding is
        present exactly one part holds, so one part's "yes" is every other part's "no" (ADR 0022)."""
        return tuple(
            (finding.id, tuple(parts)) for finding in self.kb.findings.values() for parts in finding.divisions
        )

    @cached_property
    def _answered_together(self) -> tuple[frozenset[str], ...]:
        """The sets of findings one "yes" of which makes the others not given "no": closed lists and splits."""
        return (*self.closed_lists, *(frozenset(parts) for _, parts in self.splits))

    @cached_property
    def _answered_together_columns(self) -> tuple[IntArray, ...]:
        return tuple(np.array(sorted(self.finding_index[f] for f in members), dtype=np.intp)
                     for members in self._answered_together)

    # --- findings that imply others (docs/adr/0009-correlated-findings.md) ---------------------------

    @cached_property
    def implied_by(self) -> dict[str, frozenset[str]]:
        """Finding id -> the more general findings it implies, directly or through others."""
        return implied_by(self.kb.findings)

    @cached_property
    def red_flag_implied_columns(self) -> dict[int, tuple[int, ...]]:
        """Red-flag column -> the columns of the general findings its "yes" implies ("a hot swollen joint" is
        arthritis), for those red flags that imply any: setting the answer aside sets these aside with it."""
        index = self.finding_index
        return {
            column: tuple(sorted(index[parent] for parent in self.implied_by[self.finding_ids[column]]))
            for column in self.red_flag_columns.tolist() if self.implied_by.get(self.finding_ids[column])
        }

    @cached_property
    def implying_columns(self) -> dict[int, tuple[int, ...]]:
        """Column -> the columns of the more specific findings that imply it (`implying`, by column)."""
        index = self.finding_index
        return {index[parent]: tuple(sorted(index[c] for c in children)) for parent, children in self.implying.items()}

    @cached_property
    def implying(self) -> dict[str, frozenset[str]]:
        """Finding id -> the more specific findings that imply it."""
        found: dict[str, set[str]] = {}
        for child, parents in self.implied_by.items():
            for parent in parents:
                found.setdefault(parent, set()).add(child)
        return {parent: frozenset(children) for parent, children in found.items()}

    @cached_property
    def implication_pairs(self) -> tuple[IntArray, IntArray]:
        """(specific, general) column pairs of every implication, closure included."""
        pairs = sorted(
            (self.finding_index[child], self.finding_index[parent])
            for child, parents in self.implied_by.items() for parent in parents
        )
        return (
            np.array([child for child, _ in pairs], dtype=np.intp),
            np.array([parent for _, parent in pairs], dtype=np.intp),
        )

    @cached_property
    def only_parent(self) -> dict[str, str]:
        """Finding id -> the one general finding it implies directly, for findings that imply exactly one.

        Such a finding is a share of its general one (foot drop of leg weakness): its "yes" counts as
        P(specific | general, condition), and the general "yes" it brings counts once beside it,
        however many of its specific findings are present (ADR 0014)."""
        return only_parents(self.kb)

    @cached_property
    def _only_parent_column(self) -> dict[int, int]:
        return {self.finding_index[c]: self.finding_index[g] for c, g in self.only_parent.items()}

    @cached_property
    def only_parent_pairs(self) -> tuple[IntArray, IntArray]:
        """(specific, its one general finding) column pairs of `only_parent`."""
        pairs = sorted(self._only_parent_column.items())
        return (np.array([c for c, _ in pairs], dtype=np.intp), np.array([g for _, g in pairs], dtype=np.intp))

    @cached_property
    def replaced_pairs(self) -> tuple[IntArray, IntArray]:
        """(specific, general) column pairs where the specific "yes" stands in for the general one:
        every implication except those along a chain of only parents (`only_parent`)."""
        chained = set()
        for child in self.only_parent:
            step = child
            while step in self.only_parent:
                step = self.only_parent[step]
                chained.add((self.finding_index[child], self.finding_index[step]))
        pairs = [pair for pair in zip(*(p.tolist() for p in self.implication_pairs), strict=True)
                 if pair not in chained]
        return (
            np.array([child for child, _ in pairs], dtype=np.intp),
            np.array([parent for _, parent in pairs], dtype=np.intp),
        )

    @cached_property
    def _implied_columns(self) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]]]:
        """Per column: the general columns its "yes" stands in for (`replaced_pairs`), and the
        specific columns that imply it."""
        up: dict[int, list[int]] = {}
        down: dict[int, list[int]] = {}
        for child, parent in zip(*(pairs.tolist() for pairs in self.replaced_pairs), strict=True):
            up.setdefault(child, []).append(parent)
        for child, parent in zip(*(pairs.tolist() for pairs in self.implication_pairs), strict=True):
            down.setdefault(parent, []).append(child)
        return ({k: tuple(v) for k, v in up.items()}, {k: tuple(v) for k, v in down.items()})

    def counted_answers(self, present: list[int], absent: list[int]) -> tuple[list[int], list[int]]:
        """The answers whose likelihoods count, for one case given as columns.

        A "yes" to a general finding adds nothing once a more specific finding that implies it is
        "yes" (P(leg weakness | foot drop) = 1), and a "no" to a specific finding adds nothing once
        the general one is "no"; counting both would count one fact twice.

        The other options of a choice with a present option are not counted either: the present
        option's likelihood is already the whole of what the choice says (`_share_choice_remainders`);
        nor are the other parts of a split with a present part (ADR 0022).
        """
        up, down = self._implied_columns
        group_of = self.column_group
        answered_no = absent  # a "no" set aside below still rules out what implies it
        chosen = {group_of[column] for column in self._option_columns.intersection(present)}
        if chosen:
            absent = [column for column in absent if group_of.get(column) not in chosen]
        if not up:
            return present, absent
        ups, downs = self._implied_column_sets
        implied_yes = {parent for column in ups.intersection(present) for parent in up[column]}
        if implied_yes:  # a general finding one of whose shares is "yes" counts, as that share is of it
            general_of = self._only_parent_column
            implied_yes -= {general_of[column] for column in present if column in general_of}
        implied_no = {child for column in downs.intersection(answered_no) for child in down[column]}
        return (
            list(filterfalse(implied_yes.__contains__, present)) if implied_yes else present,
            list(filterfalse(implied_no.__contains__, absent)) if implied_no else absent,
        )

    @cached_property
    def _implied_column_sets(self) -> tuple[frozenset[int], frozenset[int]]:
        """The keys of `_implied_columns`: the columns whose "yes" stands in for another's, and those implied."""
        up, down = self._implied_columns
        return frozenset(up), frozenset(down)

    @cached_property
    def _option_columns(self) -> frozenset[int]:
        """The columns of the options of every choice (`column_group`'s keys)."""
        return frozenset(self.column_group)

    @cached_property
    def choice_columns(self) -> tuple[IntArray, ...]:
        """The option columns of each choice (exclusive group, in the order of `exclusive_groups`), then the
        part columns of each split (`splits`): sets of findings of which at most one holds, whose present
        member says all that the set says."""
        return (
            *(np.array([self.finding_index[f] for f in members], dtype=np.intp)
              for members in self.exclusive_groups.values()),
            *(np.array([self.finding_index[f] for f in parts], dtype=np.intp) for _, parts in self.splits),
        )

    @cached_property
    def column_group(self) -> dict[int, int]:
        """Column -> the number of the set of `choice_columns` it belongs to."""
        return {int(column): number for number, columns in enumerate(self.choice_columns) for column in columns}

    def counted_answers_of(self, cases: Cases) -> tuple[list[int], list[int]]:
        """`counted_answers` of one person's case (`cases.one`): worked out once and kept with the case,
        as the posterior and the explanations both read it (not to be changed)."""
        assert cases.one is not None
        kept: tuple[list[int], list[int]] | None = cases.memo.get("counted_answers")
        if kept is None:
            kept = cases.memo["counted_answers"] = self.counted_answers(cases.one[0], cases.one[1])
        return kept

    def counted_states(self, states: Int8Array) -> Int8Array:
        """`counted_answers` for a state matrix: the implied answers set back to unknown."""
        answered = states  # a "no" set aside as another option's or part's still rules out what implies it
        states = self._uncount_other_options(states)
        children, parents = self.implication_pairs
        if children.size == 0:
            return states
        replacing, replaced = self.replaced_pairs
        drop_parent = (states[:, replacing] == TRUE) & (states[:, replaced] == TRUE)
        shares, generals = self.only_parent_pairs
        if drop_parent.any() and shares.size:
            # a general finding one of whose shares is "yes" counts, as that share is of it
            share_yes = np.zeros(states.shape, dtype=bool)
            for share, general in zip(shares.tolist(), generals.tolist(), strict=True):
                share_yes[:, general] |= states[:, share] == TRUE
            drop_parent &= ~share_yes[:, replaced]
        drop_child = (states[:, children] == FALSE) & (answered[:, parents] == FALSE)
        if not (drop_parent.any() or drop_child.any()):
            return states
        counted = states.copy()
        rows, pairs = cells(drop_parent)
        counted[rows, replaced[pairs]] = UNKNOWN
        rows, pairs = cells(drop_child)
        counted[rows, children[pairs]] = UNKNOWN
        return counted

    def _uncount_other_options(self, states: Int8Array) -> Int8Array:
        """The "no" to the other options of a choice, or the other parts of a split, with a present one set
        back to unknown."""
        counted = states
        for columns in self.choice_columns:
            block = counted[:, columns]
            chosen = (block == TRUE).any(axis=1)
            if not chosen.any():
                continue
            others = chosen[:, None] & (block == FALSE)
            if others.any():
                if counted is states:
                    counted = states.copy()
                rows, options = cells(others)
                counted[rows, columns[options]] = UNKNOWN
        return counted

    def complete_states(self, states: Int8Array, age: FloatArray | None = None) -> Int8Array:
        """A state matrix with what its answers imply filled in: the general finding of a "yes" is
        "yes" (even if answered "no": the specific, present reading is the safer one), and the
        specific findings of a "no" are "no" unless answered "yes"; a list answered in part
        (`closed_list`) has its unanswered members "no"; a finding the age answers (`settled_by_age`)
        is "yes" where it is unanswered (`age` NaN where unknown)."""
        implied = self._complete_implication_states(states)
        completed = self._close_list_states(implied)
        if completed is not implied:  # what the closed members imply is closed with them, as `check_evidence` does
            completed = self._lower_children(completed, implied, *self._closed_member_pairs)
        completed = completed if age is None else self._settle_by_age_states(completed, age)
        return self._drop_spoken_silences(completed, states)

    def _drop_spoken_silences(self, completed: Int8Array, states: Int8Array) -> Int8Array:
        """`check_evidence`'s rule for a state matrix: a silence, given either way, is unknown where its finding
        is answered."""
        index = self.finding_index
        for silence, about in self.silences:
            spoken = (completed[:, index[silence]] != UNKNOWN) & (completed[:, index[about]] != UNKNOWN)
            if spoken.any():
                completed = completed.copy() if completed is states else completed
                completed[spoken, index[silence]] = UNKNOWN
        return completed

    @cached_property
    def silences(self) -> tuple[tuple[str, str], ...]:
        """(silence finding, the finding it is silent about): a text reader sets the first when the text
        never mentions the second, and an answer about the second makes the silence moot."""
        return tuple(
            (finding.id, finding.silence_about.finding)
            for finding in self.kb.findings.values() if finding.silence_about is not None
        )

    @cached_property
    def _silent_about(self) -> dict[str, str]:
        """`silences` as a mapping: silence finding -> the finding it is silent about."""
        return dict(self.silences)

    def silent_about(self, mentioned: Iterable[str]) -> frozenset[str]:
        """The silence findings of a description that mentions (present, absent or uncertain) `mentioned`."""
        said = set(mentioned)
        return frozenset(silence for silence, about in self.silences if about not in said)

    @cached_property
    def settled_by_age(self) -> tuple[tuple[str, int, frozenset[str]], ...]:
        """(finding, age it is answered below, the findings any one of which must be present)."""
        return tuple(
            (finding.id, finding.settled_by_age.below, frozenset(finding.settled_by_age.given_any))
            for finding in self.kb.findings.values() if finding.settled_by_age is not None
        )

    def settled_by(self, age: int | None, present: frozenset[str], absent: frozenset[str]) -> set[str]:
        """The findings one person's age answers "yes", of those not answered either way."""
        if age is None:
            return set()
        return {
            finding for finding, below, given in self.settled_by_age
            if age < below and present & given and finding not in present and finding not in absent
        }

    @cached_property
    def _settled_by_age_columns(self) -> tuple[tuple[int, int, IntArray], ...]:
        """`settled_by_age` as columns: (finding's column, age, the columns any one of which must be "yes")."""
        index = self.finding_index
        return tuple(
            (index[finding], below, np.array(sorted(index[g] for g in given), dtype=np.intp))
            for finding, below, given in self.settled_by_age
        )

    def _settle_by_age_states(self, states: Int8Array, age: FloatArray) -> Int8Array:
        """`settled_by` for a state matrix, read on the states already completed (as `check_evidence`
        reads the answers after their implications)."""
        completed = states
        for column, below, given_columns in self._settled_by_age_columns:
            with np.errstate(invalid="ignore"):
                young = age < below  # NaN (unknown age) compares False
            fill = young & (completed[:, given_columns] == TRUE).any(axis=1) & (completed[:, column] == UNKNOWN)
            if fill.any():
                completed = completed.copy() if completed is states else completed
                completed[fill, column] = TRUE
        return completed

    def _close_list_states(self, states: Int8Array) -> Int8Array:
        completed = states
        for columns in self._answered_together_columns:
            block = completed[:, columns]
            fill = (block == UNKNOWN) & (block == TRUE).any(axis=1, keepdims=True)
            if fill.any():
                completed = completed.copy() if completed is states else completed
                rows, members = cells(fill)
                completed[rows, columns[members]] = FALSE
        return completed

    def _complete_implication_states(self, states: Int8Array) -> Int8Array:
        children, parents = self.implication_pairs
        if children.size == 0:
            return states
        raise_parent = (states[:, children] == TRUE) & (states[:, parents] != TRUE)
        completed = states
        if raise_parent.any():
            completed = states.copy()
            rows, pairs = cells(raise_parent)
            completed[rows, parents[pairs]] = TRUE
        return self._lower_children(completed, states, children, parents)

    @staticmethod
    def _lower_children(completed: Int8Array, states: Int8Array, children: IntArray, parents: IntArray) -> Int8Array:
        """The unanswered specific findings of a general "no" set to "no", for the (child, parent) pairs given
        (`completed` is copied first if it is still `states`)."""
        lower_child = (completed[:, parents] == FALSE) & (completed[:, children] == UNKNOWN)
        if lower_child.any():
            completed = completed.copy() if completed is states else completed
            rows, pairs = cells(lower_child)
            completed[rows, children[pairs]] = FALSE
        return completed

    @cached_property
    def _closed_member_pairs(self) -> tuple[IntArray, IntArray]:
        """The (specific, general) pairs of `implication_pairs` whose general finding is a member of a closed list or
        a split: the only "no"s closing adds whose specific findings may still need lowering."""
        members = {self.finding_index[f] for group in self._answered_together for f in group}
        children, parents = self.implication_pairs
        keep = np.isin(parents, sorted(members))
        return children[keep], parents[keep]

    # --- prior modifiers -----------------------------------------------------------------------

    @cached_property
    def modifier_kinds(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Modifier terms sorted by what they read: (terms on one finding, that finding's column,
        terms on age and sex only, every other term)."""
        on_finding = [i for i, term in enumerate(self.modifiers) if isinstance(term.when, str)]
        on_person = [
            i for i, term in enumerate(self.modifiers)
            if not isinstance(term.when, str) and not expression_findings(term.when)
        ]
        general = sorted(set(range(len(self.modifiers))) - set(on_finding) - set(on_person))
        columns = [self.finding_index[str(self.modifiers[i].when)] for i in on_finding]
        return (
            np.array(on_finding, dtype=np.intp),
            np.array(columns, dtype=np.intp),
            np.array(on_person, dtype=np.intp),
            np.array(general, dtype=np.intp),
        )

    @cached_property
    def general_modifier_rules(self) -> RuleSet:
        """The prior modifiers that read findings in more than one way, compiled."""
        return RuleSet([self.modifiers[i].when for i in self.modifier_kinds[3]], self.finding_index)

    @cached_property
    def modifier_log_multipliers(self) -> FloatArray:
        """(T, C): the log multiplier each modifier term adds to its condition."""
        table = np.zeros((len(self.modifiers), len(self.condition_ids)))
        for i, term in enumerate(self.modifiers):
            table[i, term.condition] = term.log_multiplier
        return table

    @cached_property
    def general_modifier_log_multipliers(self) -> FloatArray:
        """`modifier_log_multipliers` of the general terms (`modifier_kinds[3]`), in their order."""
        table: FloatArray = np.ascontiguousarray(self.modifier_log_multipliers[self.modifier_kinds[3]])
        return table

    @cached_property
    def person_modifier_truth(self) -> BoolArray:
        """(ages + 1, 3, T): which modifiers on age and sex alone hold, per whole year of age (and
        unknown age) and per sex code; False for every other term."""
        ages = np.arange(UNKNOWN_AGE_INDEX + 1, dtype=np.float64)
        ages[UNKNOWN_AGE_INDEX] = np.nan
        truth = np.zeros((UNKNOWN_AGE_INDEX + 1, 3, len(self.modifiers)), dtype=bool)
        on_person = self.modifier_kinds[2]
        if on_person.size:
            rules = RuleSet([self.modifiers[i].when for i in on_person], self.finding_index)
            nobody = np.zeros((ages.size, len(self.finding_ids)), dtype=np.int8)
            for code in range(3):
                holds = rules.truth(Cases.of(nobody, ages, np.full(ages.size, code, dtype=np.int8)))[0]
                truth[:, code, on_person] = holds
        return truth

    @cached_property
    def prior_table(self) -> FloatArray:
        """(ages + 1, 3, C): log prior plus the modifiers on age and sex alone, looked up per case."""
        holds = self.person_modifier_truth.astype(np.float64)
        table: FloatArray = self.log_prior + holds @ self.modifier_log_multipliers
        return table

    @cached_property
    def answer_table(self) -> FloatArray:
        """(2F, C): row j is log P(finding j present | condition), row F + j log P(j absent | condition).

        A prior modifier on one finding is folded into that finding's "present" row: it applies
        exactly when the finding is present.
        """
        table = np.vstack((self.log_present_counted.T, self.log_absent.T))
        on_finding, columns, _, _ = self.modifier_kinds
        for term, column in zip(on_finding.tolist(), columns.tolist(), strict=True):
            table[column, self.modifiers[term].condition] += self.modifiers[term].log_multiplier
        return np.ascontiguousarray(table)

    @cached_property
    def answer_and_prior_table(self) -> FloatArray:
        """`answer_table` with the rows of `prior_table` after it (row 2F + `prior_rows[year][sex]`)."""
        prior = self.prior_table
        return np.ascontiguousarray(np.vstack((self.answer_table, prior.reshape(-1, prior.shape[-1]))))

    @cached_property
    def prior_rows(self) -> list[list[int]]:
        """Per whole year of age (and unknown) and sex code: the row of `answer_and_prior_table` with its prior."""
        first = 2 * len(self.finding_ids)
        years, sexes = self.prior_table.shape[:2]
        return [[first + year * sexes + sex for sex in range(sexes)] for year in range(years)]

    @cached_property
    def answer_table_padded(self) -> FloatArray:
        """`answer_table` with a row of zeros after it (row 2F): what an unknown answer adds."""
        return np.vstack((self.answer_table, np.zeros((1, len(self.condition_ids)))))

    @cached_property
    def answer_table_float32(self) -> npt.NDArray[np.float32]:
        return self.answer_table.astype(np.float32)

    def modifier_truth(self, cases: Cases) -> BoolArray:
        """(N, T): which prior modifier terms hold for each case."""
        truth: BoolArray = self.person_modifier_truth[cases.age_index, cases.sex]
        on_finding, columns, _, general = self.modifier_kinds
        if on_finding.size:
            truth[:, on_finding] = cases.states[:, columns] == TRUE
        if general.size:
            truth[:, general] = self.general_modifier_truth(cases)[0]
        return truth

    def modifiers_holding(self, evidence: Evidence, cases: Cases) -> list[int]:
        """The prior modifier terms that hold for one person, in knowledge-base order (`cases` is their
        evidence encoded): `modifier_truth` for one case, read from tables made once."""
        return sorted(self.modifier_terms_holding(evidence, cases))

    def modifier_terms_holding(self, evidence: Evidence, cases: Cases) -> list[int]:
        """`modifiers_holding` in no particular order."""
        year, sex = (cases.one[2], cases.one[3]) if cases.one is not None else (
            int(cases.age_index[0]), int(cases.sex[0]))
        terms = list(self._person_terms[year][sex])
        on_finding = self._finding_terms
        terms += [term for finding in on_finding.keys() & evidence.present for term in on_finding[finding]]
        general = self.modifier_kinds[3]
        if general.size:
            terms += general[self.general_modifier_truth(cases)[0][0]].tolist()
        return terms

    @cached_property
    def _person_terms(self) -> list[list[tuple[int, ...]]]:
        """Per whole year of age (and unknown) and sex code: the modifier terms on age and sex that hold."""
        return [[tuple(np.flatnonzero(by_sex).tolist()) for by_sex in by_age] for by_age in self.person_modifier_truth]

    @cached_property
    def _finding_terms(self) -> dict[str, tuple[int, ...]]:
        """Finding id -> the modifier terms on that one finding."""
        terms: dict[str, list[int]] = {}
        for term, column in zip(*(kind.tolist() for kind in self.modifier_kinds[:2]), strict=True):
            terms.setdefault(self.finding_ids[column], []).append(term)
        return {finding: tuple(found) for finding, found in terms.items()}

    # --- clusters of signs counted as one (docs/adr/0009-correlated-findings.md) ---------------------

    @cached_property
    def cluster_rules(self) -> RuleSet:
        """Every member of every cluster, in knowledge-base order, compiled as one set."""
        return RuleSet([member for cluster in self.kb.clusters for member in cluster.members], self.finding_index)

    @cached_property
    def cluster_layout(self) -> tuple[tuple[slice, int, IntArray, tuple[tuple[str, int, float], ...]], ...]:
        """Per cluster: its members' slice of `cluster_rules`, its condition's row, the columns of the
        findings its members read, and its ratios as (bound kind, bound, log ratio) in order."""
        layout = []
        start = 0
        for cluster in self.kb.clusters:
            stop = start + len(cluster.members)
            columns = sorted({self.finding_index[f] for member in cluster.members for f in expression_findings(member)})
            ratios = tuple(
                ("at_least", ratio.positive_at_least, float(np.log(ratio.ratio)))
                if ratio.positive_at_least is not None
                else ("at_most", int(ratio.positive_at_most or 0), float(np.log(ratio.ratio)))
                for ratio in cluster.ratios
            )
            layout.append((slice(start, stop), self.condition_index[cluster.condition],
                           np.array(columns, dtype=np.intp), ratios))
            start = stop
        return tuple(layout)

    def cluster_outcomes(self, cases: Cases) -> IntArray:
        """(N, K): for each case and cluster, the position of the ratio that applies (the first that
        does, in knowledge-base order), or -1 where none does. For one person's case (`cases.one`)
        the posterior and the explanations ask for the same answer: it is worked out once and kept
        with the case, read only."""
        if not self.kb.clusters:
            return np.full((len(cases), 0), -1, dtype=np.intp)
        if cases.one is not None:
            kept: IntArray | None = cases.memo.get("cluster_outcomes")
            if kept is None:
                kept = cases.memo["cluster_outcomes"] = np.array([self._cluster_found(cases)], dtype=np.intp)
                kept.flags.writeable = False
            return kept
        is_true, is_false = self.cluster_truth(cases)
        applied = np.full((len(cases), len(self.kb.clusters)), -1, dtype=np.intp)
        for k, (members, _, _, ratios) in enumerate(self.cluster_layout):
            positive = is_true[:, members].sum(axis=1)
            answered = (is_true[:, members] | is_false[:, members]).all(axis=1)
            for position, (kind, bound, _) in enumerate(ratios):
                applies = positive >= bound if kind == "at_least" else answered & (positive <= bound)
                applied[:, k] = np.where((applied[:, k] < 0) & applies, position, applied[:, k])
        return applied

    def _cluster_found(self, cases: Cases) -> list[int]:
        """`cluster_outcomes` of one person's case in plain numbers, worked out once and kept with the case
        (with whether any cluster applies)."""
        kept: list[int] | None = cases.memo.get("cluster_found")
        if kept is None:
            true_row, false_row = self._joint_rules.lists(1, cases)
            kept = [-1] * len(self.kb.clusters)
            for k, (members, _, _, ratios) in enumerate(self.cluster_layout):
                member_true = true_row[members]
                positive = sum(member_true)
                for position, (kind, bound, _) in enumerate(ratios):
                    if positive >= bound if kind == "at_least" else positive <= bound and all(
                        map(operator.or_, member_true, false_row[members])  # every member answered
                    ):
                        kept[k] = position
                        break
            cases.memo["cluster_found"] = kept
            cases.memo["clusters_apply"] = max(kept) >= 0
        return kept

    def clusters_apply(self, cases: Cases, applied: IntArray | None = None) -> bool:
        """Whether a cluster's ratio applies to any of the cases (`applied` is `cluster_outcomes(cases)`,
        when the caller has it); kept with one person's case."""
        if not self.kb.clusters:
            return False
        if cases.one is not None:
            kept: bool | None = cases.memo.get("clusters_apply")
            if kept is None:
                self._cluster_found(cases)
                kept = cases.memo["clusters_apply"]
            return kept
        applied = self.cluster_outcomes(cases) if applied is None else applied
        return bool((applied >= 0).any())

    @cached_property
    def cluster_keys(self) -> tuple[tuple[int, int], ...]:
        """Every (cluster, ratio) pair, in order: explanations number them after the answers and the
        prior modifiers (`explanation_table`'s columns), so a cluster that applies is one entry."""
        return tuple(
            (k, position) for k, cluster in enumerate(self.kb.clusters) for position in range(len(cluster.ratios))
        )

    @cached_property
    def cluster_key_base(self) -> dict[int, int]:
        """Cluster -> the explanation key of its first ratio."""
        base: dict[int, int] = {}
        for offset, (k, _) in enumerate(self.cluster_keys):
            base.setdefault(k, 2 * len(self.finding_ids) + len(self.modifiers) + offset)
        return base

    def cluster_adjustment(
        self, cases: Cases, counted: Int8Array | None = None, applied: IntArray | None = None
    ) -> FloatArray:
        """(N, C): what the clusters change. Where a cluster's ratio applies, its members' own answers
        stop counting for its condition (they count as in back-pain presenters in general) and the
        ratio counts once. `counted` is the cases' states after `counted_states` (worked out here when
        not given and a cluster applies); `applied` is `cluster_outcomes(cases)`, when the caller has it."""
        adjustment = np.zeros((len(cases), len(self.condition_ids)))
        if not self.kb.clusters:
            return adjustment
        applied = self.cluster_outcomes(cases) if applied is None else applied
        hit = applied >= 0
        for k in np.flatnonzero(hit.any(axis=0)).tolist():
            _, row, columns, ratios = self.cluster_layout[k]
            hits = np.flatnonzero(hit[:, k])
            if counted is None:
                counted = self.counted_states(cases.states)
            log_ratio = np.array([value for _, _, value in ratios])[applied[hits, k]]
            states = counted[hits][:, columns]
            own = np.where(states == TRUE, self.log_lr_present[row, columns], 0.0)
            own += np.where(states == FALSE, self.log_lr_absent[row, columns], 0.0)
            adjustment[hits, row] = log_ratio - own.sum(axis=1)
        return adjustment

    # --- explanations ----------------------------------------------------------------------------

    @cached_property
    def log_lr_present(self) -> FloatArray:
        """log P(present | condition) / P(present | back pain in general), per condition and finding."""
        ratio: FloatArray = self.log_present_counted - self.log_background_counted[None, :]
        return ratio

    @cached_property
    def log_present_counted(self) -> FloatArray:
        """What a "yes" adds per condition and finding: log P(present | condition), or for a finding
        with only one parent (`only_parent`) log P(present | its parent present, condition)."""
        shares, generals = self.only_parent_pairs
        table = self.log_present.copy()
        table[:, shares] -= self.log_present[:, generals]
        return table

    @cached_property
    def log_background_counted(self) -> FloatArray:
        """`log_present_counted` for back pain in general."""
        shares, generals = self.only_parent_pairs
        log_background = np.log(self.background)
        counted: FloatArray = log_background.copy()
        counted[shares] -= log_background[generals]
        return counted

    @cached_property
    def share_families(self) -> tuple[tuple[IntArray, IntArray], ...]:
        """The trees that findings with one general finding make (`only_parent`, ADR 0014), one per
        general finding at the top: (columns, each column's parent as a position in the columns, -1
        for the top), parents before their shares."""
        children: dict[str, list[str]] = {}
        for child, parent in sorted(self.only_parent.items()):
            children.setdefault(parent, []).append(child)
        families = []
        for top in sorted(set(children) - set(self.only_parent)):
            order, parents = [top], [-1]
            for position, finding in enumerate(order):  # grows as it goes: breadth first
                for child in children.get(finding, []):
                    order.append(child)
                    parents.append(position)
            families.append((np.array([self.finding_index[f] for f in order], dtype=np.intp),
                             np.array(parents, dtype=np.intp)))
        return tuple(families)

    @cached_property
    def _share_tables(self) -> _ShareTables:
        """What `share_adjustment` reads, worked out once (ADR 0014)."""
        shares, generals = self.only_parent_pairs
        log_no_given = np.log1p(-np.exp(self.log_present_counted[:, shares].T))
        counted_no = self.log_absent[:, shares].T
        family_of = {int(column): k for k, (columns, _) in enumerate(self.share_families) for column in columns}
        deep = np.array([g in self._only_parent_column for g in generals.tolist()], dtype=bool)
        tops: list[tuple[int, IntArray]] = []
        for columns, parents in self.share_families:
            direct = set(columns[parents == 0].tolist())
            positions = np.array([i for i, c in enumerate(shares.tolist()) if c in direct], dtype=np.intp)
            tops.append((int(columns[0]), positions))
        return _ShareTables(
            shares=shares, generals=generals, log_no_given=log_no_given, counted_no=counted_no,
            deep=np.flatnonzero(deep), deep_family=np.array([family_of[int(c)] for c in shares[deep]], dtype=np.intp),
            share_family=np.array([family_of[int(c)] for c in shares], dtype=np.intp),
            no_under_yes=log_no_given - counted_no,
            top_columns=np.array([top for top, _ in tops], dtype=np.intp),
            top_shares=tuple(positions for _, positions in tops),
            top_present=tuple(np.exp(self.log_present[:, top]) for top, _ in tops),
            position_of={int(column): position for position, column in enumerate(shares.tolist())},
            direct_family={int(p): family for family, (_, positions) in enumerate(tops) for p in positions.tolist()},
        )

    def share_adjustment(self, counted: Int8Array) -> list[tuple[IntArray, FloatArray]]:
        """The exact likelihood of each family of shares (`share_families`) less what its answers' rows
        of `answer_table` add up to, for the rows of `counted` it changes: parts of (rows, (R, C)
        values) to add, a row possibly in several parts.

        The rows are exact for a "yes" (a share's "yes" brings its general one) and for a lone "no"
        under an unanswered general finding. They are not for a "no" to a share whose general finding
        is "yes" (1 - P(share | general) is right, not 1 - P(share)) or for several "no"s under one
        unanswered general finding (which are not independent: the general finding may be absent for
        all of them). Both are worked out with matrix products; a case with an answered share two
        levels down under an unanswered one is worked out as the small tree its family is."""
        tables = self._share_tables
        parts: list[tuple[IntArray, FloatArray]] = []
        if not tables.shares.size:
            return parts
        nos = counted[:, tables.shares] == FALSE
        rows = np.flatnonzero(nos.any(axis=1))
        if not rows.size:
            return parts  # "yes" answers alone are exact
        nos = nos[rows]
        generals = counted[np.ix_(rows, tables.generals)]
        # a share answered below an unanswered share: its family is worked out whole, from its leaves up
        tangled = np.zeros((rows.size, len(self.share_families)), dtype=bool)
        if tables.deep.size:
            deep = counted[np.ix_(rows, tables.shares[tables.deep])] != UNKNOWN
            deep &= generals[:, tables.deep] == UNKNOWN
            if deep.any():
                for position, family in enumerate(tables.deep_family.tolist()):
                    tangled[:, family] |= deep[:, position]
        any_tangled = bool(tangled.any())
        # a "no" to a share whose general finding is "yes": 1 - P(share | general), not 1 - P(share)
        no_under_yes = nos & (generals == TRUE)
        if any_tangled:
            no_under_yes &= ~tangled[:, tables.share_family]
        hit = np.flatnonzero(no_under_yes.any(axis=1))
        if hit.size:
            parts.append((rows[hit], _sum_rows(no_under_yes[hit], tables.no_under_yes)))
        # several "no"s under an unanswered top: (1 - P(top)) + P(top) x the product of 1 - P(share | top)
        tops = counted[np.ix_(rows, tables.top_columns)] == UNKNOWN
        for family, positions in enumerate(tables.top_shares):
            under = nos[:, positions] & tops[:, [family]]
            if any_tangled:
                under &= ~tangled[:, [family]]
            several = np.flatnonzero(under.sum(axis=1) >= 2)
            if several.size:
                chosen = under[several]
                present = tables.top_present[family]
                product = np.exp(_sum_rows(chosen, tables.log_no_given[positions]))
                together = np.log((1.0 - present) + present * product)
                parts.append((rows[several], together - _sum_rows(chosen, tables.counted_no[positions])))
        if any_tangled:
            which = np.flatnonzero(tangled.any(axis=1))
            parts.append((rows[which], self._share_trees(counted[rows[which]], tangled[which])))
        return parts

    def share_adjustment_one(self, present: list[int], absent: list[int]) -> FloatArray | None:
        """`share_adjustment` for one person's counted answers given as columns (None: nothing to add),
        with sets instead of matrices: most people answer few shares."""
        tables = self._share_tables
        position_of = tables.position_of
        nos = list(map(position_of.__getitem__, filter(position_of.__contains__, absent)))
        if not nos:
            return None
        yes, no = set(present), set(absent)
        deep, generals, share_family, top_columns = self._share_lists
        tangled = {
            family for family, share, general in deep
            if (share in yes or share in no) and general not in yes and general not in no
        }
        total: FloatArray | None = None  # the parts added up (None: none to add)
        under_yes = [p for p in nos if generals[p] in yes and share_family[p] not in tangled]
        if under_yes:
            total = tables.no_under_yes[under_yes].sum(axis=0)
        by_top: dict[int, list[int]] = {}
        for position in nos:
            family = tables.direct_family.get(position)
            if family is not None and family not in tangled:
                top = top_columns[family]
                if top not in yes and top not in no:
                    by_top.setdefault(family, []).append(position)
        for family, positions in by_top.items():
            if len(positions) >= 2:
                present_top = tables.top_present[family]
                product = np.exp(tables.log_no_given[positions].sum(axis=0))
                together = np.log((1.0 - present_top) + present_top * product)
                part = together - tables.counted_no[positions].sum(axis=0)
                if total is None:
                    total = part
                else:
                    total += part
        if tangled:
            states = np.zeros((1, len(self.finding_ids)), dtype=np.int8)
            states[0, present] = TRUE
            states[0, absent] = FALSE
            marks = np.zeros((1, len(self.share_families)), dtype=bool)
            marks[0, sorted(tangled)] = True
            trees = self._share_trees(states, marks)[0]
            if total is None:
                total = trees
            else:
                total += trees
        return total

    @cached_property
    def _share_lists(self) -> tuple[tuple[tuple[int, int, int], ...], list[int], list[int], list[int]]:
        """`_share_tables` as plain numbers for `share_adjustment_one`: (family, share's column, its general
        finding's column) of each share two levels down or more, and per share its general finding's
        column and its family, and each family's top column."""
        tables = self._share_tables
        deep = tuple(
            (family, int(tables.shares[position]), int(tables.generals[position]))
            for family, position in zip(tables.deep_family.tolist(), tables.deep.tolist(), strict=True)
        )
        return deep, tables.generals.tolist(), tables.share_family.tolist(), tables.top_columns.tolist()

    def _share_trees(self, counted: Int8Array, tangled: npt.NDArray[np.bool_]) -> FloatArray:
        """`share_adjustment` for the families marked in `tangled` (rows, families), each worked out as a tree."""
        adjustment = np.zeros((counted.shape[0], len(self.condition_ids)))
        for family in np.flatnonzero(tangled.any(axis=0)).tolist():  # only the families marked: most are not
            columns, parents = self.share_families[family]
            rows = np.flatnonzero(tangled[:, family])
            states = counted[rows][:, columns]
            share = np.exp(self.log_present_counted[:, columns])  # P(node | parent) or, for the top, P(top)
            below = np.ones((rows.size, columns.size, len(self.condition_ids)))  # P(answers below | node present)
            added = np.zeros((rows.size, len(self.condition_ids)))
            # a node with no answer at or below it weighs P(yes) + P(no) = 1 and adds nothing: skipped
            active = (states != UNKNOWN).any(axis=0).tolist()
            up = parents.tolist()
            for node in range(columns.size - 1, 0, -1):
                if active[node] and up[node] >= 0:
                    active[up[node]] = True
            for node in range(columns.size - 1, -1, -1):
                if not active[node]:
                    continue
                state = states[:, node][:, None]
                yes = share[:, node] * below[:, node]
                no = 1.0 - share[:, node]
                weight = np.where(state == TRUE, yes, np.where(state == FALSE, no, yes + no))
                added += np.where(state == TRUE, self.log_present_counted[:, columns[node]],
                                  np.where(state == FALSE, self.log_absent[:, columns[node]], 0.0))
                if parents[node] >= 0:
                    below[:, parents[node]] *= weight
                else:
                    adjustment[rows] += np.log(weight) - added
        return adjustment

    @cached_property
    def log_lr_absent(self) -> FloatArray:
        ratio: FloatArray = self.log_absent - np.log1p(-self.background)[None, :]
        return ratio

    @cached_property
    def likelihood_sources(self) -> tuple[dict[str, str], ...]:
        """Per condition row: finding id -> source of that condition's likelihood for it."""
        return tuple(
            {item.finding: item.source for item in self.kb.conditions[condition].all_likelihoods}
            for condition in self.condition_ids
        )

    @cached_property
    def modifier_names(self) -> tuple[str, ...]:
        """How explanations name each prior modifier term: "prior:" and its note."""
        return tuple(f"prior:{term.note or 'risk factor'}" for term in self.modifiers)

    @cached_property
    def explanation_order(self) -> list[int]:
        """Per column of `explanation_table`: its place when contributions are ordered by name
        (then by column), so that equal contributions rank alike wherever they are listed."""
        count = len(self.finding_ids)
        names = [*self.finding_ids, *self.finding_ids, *self.modifier_names]
        places = [0] * (2 * count + len(self.modifiers))
        for place, column in enumerate(sorted(range(len(names)), key=lambda column: (names[column], column))):
            places[column] = place
        return places

    @cached_property
    def explanation_table(self) -> FloatArray:
        """(C, 2F + T): what each possible contribution moves each condition by, in log: an answer
        "yes" to finding j (column j) or "no" (F + j) against back pain in general, and prior
        modifier term t when it holds (2F + t)."""
        table: FloatArray = np.hstack((self.log_lr_present, self.log_lr_absent, self.modifier_log_multipliers.T))
        return table

    @cached_property
    def modifiers_by_condition(self) -> tuple[tuple[int, ...], ...]:
        """Per condition row: the numbers of the modifier terms that act on it, in knowledge-base order."""
        return tuple(
            tuple(i for i, term in enumerate(self.modifiers) if term.condition == row)
            for row in range(len(self.condition_ids))
        )

    @cached_property
    def memo(self) -> dict[str, Any]:
        """Per-model store for views derived lazily from the model (for example the result texts
        of `assess()`), so that they are built once per model, not once per case."""
        return {}

    # --- rules and triage --------------------------------------------------------------------------

    @cached_property
    def rules(self) -> RuleSet:
        """Every red-flag rule (knowledge-base order), then every population group, compiled as one set."""
        whens = [rule.when for rule in self.kb.red_flags] + [note.when for note in self.population_notes]
        return RuleSet(whens, self.finding_index)

    @cached_property
    def _joint_rules(self) -> JointRules:
        """`rules`, `cluster_rules` and `general_modifier_rules`, evaluated once for one person's case."""
        return JointRules((self.rules, self.cluster_rules, self.general_modifier_rules), self.finding_index)

    def rules_truth(self, cases: Cases) -> tuple[BoolArray, BoolArray]:
        """`rules.truth(cases)`; for one person's case, evaluated once with the clusters and the modifiers."""
        return self._joint_rules.truth(0, cases)

    def rules_lists(self, cases: Cases) -> tuple[list[bool], list[bool]]:
        """`rules_truth` of one person's case (from `encode`) as plain lists, kept with the case."""
        return self._joint_rules.lists(0, cases)

    def cluster_truth(self, cases: Cases) -> tuple[BoolArray, BoolArray]:
        """`cluster_rules.truth(cases)`; for one person's case, evaluated once with the other rules."""
        return self._joint_rules.truth(1, cases)

    def general_modifier_truth(self, cases: Cases) -> tuple[BoolArray, BoolArray]:
        """`general_modifier_rules.truth(cases)`; for one person's case, evaluated once with the other rules."""
        return self._joint_rules.truth(2, cases)

    @cached_property
    def red_flag_rank(self) -> npt.NDArray[np.int8]:
        """(R,): the level each red-flag rule demands, as a rank."""
        return np.array([rule.level.rank for rule in self.kb.red_flags], dtype=np.int8)

    @cached_property
    def red_flag_order(self) -> tuple[int, ...]:
        """Red-flag rules most urgent first, then by id."""
        rules = self.kb.red_flags
        return tuple(sorted(range(len(rules)), key=lambda i: (-rules[i].level.rank, rules[i].id)))

    @cached_property
    def red_flag_order_array(self) -> IntArray:
        return np.array(self.red_flag_order, dtype=np.intp)

    @cached_property
    def red_flag_position(self) -> dict[str, int]:
        """Red-flag rule id -> its position in the knowledge base (and in `rules`)."""
        return {rule.id: position for position, rule in enumerate(self.kb.red_flags)}

    @cached_property
    def population_notes(self) -> tuple[PopulationNote, ...]:
        """The population groups, in the order of their rules in `rules` (after the red flags)."""
        return load_populations(self.kb).notes

    @cached_property
    def red_flag_findings(self) -> dict[str, frozenset[str]]:
        """Per red-flag rule id: the findings its expression mentions."""
        return {rule.id: frozenset(expression_findings(rule.when)) for rule in self.kb.red_flags}

    @cached_property
    def rules_reading(self) -> dict[str, tuple[int, ...]]:
        """Finding id -> the positions of the red-flag rules that mention it."""
        reading: dict[str, list[int]] = {}
        for position, rule in enumerate(self.kb.red_flags):
            for finding in sorted(self.red_flag_findings[rule.id]):
                reading.setdefault(finding, []).append(position)
        return {finding: tuple(positions) for finding, positions in reading.items()}

    @cached_property
    def condition_floor(self) -> tuple[FloatArray, npt.NDArray[np.int8]]:
        """Per condition: the probability from which its urgency sets a floor (inf: never), and that urgency's rank."""
        thresholds = self.kb.policy.thresholds
        urgencies = [self.kb.conditions[c].urgency for c in self.condition_ids]
        return (
            np.array([thresholds.get(u, np.inf) for u in urgencies], dtype=np.float64),
            np.array([u.rank for u in urgencies], dtype=np.int8),
        )

    @cached_property
    def condition_urgency(self) -> tuple[TriageLevel, ...]:
        """Per condition row: its urgency."""
        return tuple(self.kb.conditions[c].urgency for c in self.condition_ids)

    @cached_property
    def pooled_floor(self) -> tuple[tuple[int, BoolArray, float], ...]:
        """Per level with a pooled threshold: its rank, the conditions at least that urgent, the threshold."""
        ranks = np.array([self.kb.conditions[c].urgency.rank for c in self.condition_ids])
        return tuple(
            (level.rank, ranks >= level.rank, float(threshold))
            for level, threshold in sorted(self.kb.policy.pooled_thresholds.items(), key=lambda item: -item[0].rank)
        )

    # --- evidence ----------------------------------------------------------------------------------

    def columns(self, findings: Iterable[str]) -> IntArray:
        """Column numbers of known finding ids, in the order given."""
        return np.array([self.finding_index[finding] for finding in findings], dtype=np.intp)

    def check_evidence(self, evidence: Evidence) -> Evidence:
        """Reject unknown ids and contradictions; complete exclusive groups.

        When one option of a choice is present the other options are absent, so the engine
        adds them; two present options of the same choice are a contradiction.
        """
        known = self.finding_index.keys()
        if not (known >= evidence.present and known >= evidence.absent):
            unknown = sorted({f for f in (*evidence.present, *evidence.absent) if f not in known})
            raise EvidenceError("; ".join(self._unknown_message(finding) for finding in unknown))
        if not evidence.present.isdisjoint(evidence.absent):
            both = sorted(evidence.present & evidence.absent)
            raise EvidenceError(
                "a finding cannot be both present and absent: " + ", ".join(both)
            )
        # implications, closed lists and choices complete the answers; the evidence is copied once at the end
        update: dict[str, frozenset[str]] = {}
        present, absent = self.implications(evidence.present, evidence.absent)
        if present != evidence.present or absent != evidence.absent:
            update.update(present=present, absent=absent)
        closed = self._closed(present, absent)
        if closed:  # what the closed members imply is closed with them (weakness of one leg: none climbing in both)
            present, absent = self.implications(present, absent | closed)
            update.update(present=present, absent=absent)
        settled = self.settled_by(evidence.age, present, absent)
        if settled:
            present = update["present"] = present | settled
        silent_about = self._silent_about
        # a silence says nothing once its finding is answered, whichever way the silence was given: "back pain
        # not left out" beside "back pain: yes" is the same answer twice
        spoken = {
            silence for silence in silent_about.keys() & (present | absent)
            if silent_about[silence] in present or silent_about[silence] in absent
        }
        if spoken:
            present = update["present"] = present - spoken
            absent = update["absent"] = absent - spoken
        group_of = self.group_of
        chosen: dict[str, list[str]] = {}
        for finding in group_of.keys() & present:
            chosen.setdefault(group_of[finding], []).append(finding)
        implied_absent: set[str] = set()
        for group, picked in (
            sorted(chosen.items(), key=lambda item: self.group_order[item[0]]) if len(chosen) > 1 else chosen.items()
        ):
            if len(picked) > 1:
                options = [member for member in self.exclusive_groups[group] if member in present]
                raise EvidenceError(f"only one answer of '{group}' can be present, got: {', '.join(options)}")
            implied_absent.update(member for member in self.exclusive_groups[group] if member != picked[0])
        if implied_absent - absent:
            update["absent"] = absent | implied_absent
        return evidence.model_copy(update=update) if update else evidence

    def implications(self, present: frozenset[str], absent: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """`complete_states` for one person's answers: the general finding of a "yes" is "yes", the
        specific findings of a "no" are "no" unless answered "yes"."""
        implied_by, implying = self.implied_by, self.implying
        raised = {parent for finding in self._implying_findings.intersection(present) for parent in implied_by[finding]}
        completed = present | raised
        lowered = {
            child for finding in self._implied_findings.intersection(absent) if finding not in completed
            for child in implying[finding]
        }
        return completed, (absent | lowered) - completed

    @cached_property
    def _implying_findings(self) -> frozenset[str]:
        """The findings that imply others (`implied_by`'s keys)."""
        return frozenset(self.implied_by)

    @cached_property
    def _implied_findings(self) -> frozenset[str]:
        """The findings that others imply (`implying`'s keys)."""
        return frozenset(self.implying)

    def _closed(self, present: frozenset[str], absent: frozenset[str]) -> set[str]:
        """A list answered in part is answered in full, and one part of a split rules out the others: the
        members not given are absent."""
        closed: set[str] = set()
        for members in self._answered_together:
            if members & present:
                closed |= members - present - absent
        return closed

    def _unknown_message(self, finding: str) -> str:
        close = difflib.get_close_matches(finding, self.finding_ids, n=3, cutoff=0.6)
        if not close:
            close = [fid for fid in self.finding_ids if finding in fid or fid in finding][:3]
        hint = f" — did you mean: {', '.join(close)}?" if close else ""
        return f"unknown finding '{finding}'{hint}"

    def state_vector(self, evidence: Evidence) -> Int8Array:
        """The case as one row of 1 / 0 / -1 per finding."""
        index = self.finding_index
        return self._state_row([index[f] for f in evidence.present], [index[f] for f in evidence.absent])

    def _state_row(self, present: list[int], absent: list[int]) -> Int8Array:
        row = np.zeros(len(self.finding_ids), dtype=np.int8)
        row[present] = TRUE
        row[absent] = FALSE
        return row

    def encode(self, evidence: Evidence) -> Cases:
        """One person's evidence as a single case (checked evidence: every id known)."""
        column = self.finding_index.__getitem__
        present = list(map(column, evidence.present))
        absent = list(map(column, evidence.absent))
        year = UNKNOWN_AGE_INDEX if evidence.age is None else evidence.age
        age, whole_year = self._age_arrays[year]
        sex = self._sex_arrays[evidence.sex]
        row = np.zeros(len(self.finding_ids), dtype=np.int8)
        row.put(present, TRUE)
        row.put(absent, FALSE)
        return Cases.one_case(row.reshape(1, -1), age, sex, whole_year,
                              (present, absent, year, SEX_CODES.get(evidence.sex or "", 0)))

    @cached_property
    def _age_arrays(self) -> list[tuple[FloatArray, IntArray]]:
        """Per whole year of age (and unknown), the one-case age arrays (read only, shared)."""
        arrays = []
        for year in range(UNKNOWN_AGE_INDEX + 1):
            age = np.array([np.nan if year == UNKNOWN_AGE_INDEX else float(year)])
            index = np.array([year], dtype=np.intp)
            age.flags.writeable = index.flags.writeable = False
            arrays.append((age, index))
        return arrays

    @cached_property
    def _sex_arrays(self) -> dict[str | None, Int8Array]:
        arrays = {}
        for sex in (None, *SEX_CODES):
            code = np.array([SEX_CODES.get(sex or "", 0)], dtype=np.int8)
            code.flags.writeable = False
            arrays[sex] = code
        return arrays


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
        for item in kb.conditions[condition_id].all_likelihoods:
            column = finding_index[item.finding]
            likelihood[row, column] = item.p
            specified[row, column] = True
    likelihood = np.clip(likelihood, floor, 1.0 - floor)
    _fill_through_implications(kb, finding_index, likelihood, specified, background)
    _split_findings(kb, finding_index, likelihood, specified, background, floor)

    groups: dict[str, list[str]] = {}
    for finding in kb.findings.values():
        if finding.exclusive_group:
            groups.setdefault(finding.exclusive_group, []).append(finding.id)
    for members in groups.values():
        _share_choice_remainders([finding_index[f] for f in members], likelihood, specified, background, floor)
    _cap_shares_of_only_parents(kb, finding_index, likelihood, background, floor)
    _derive_silences(kb, finding_index, likelihood, specified, background)

    priors = np.array([kb.conditions[c].prior.value for c in condition_ids], dtype=np.float64)
    priors = np.clip(priors, 1e-9, None)
    log_prior = np.log(priors / priors.sum())
    prior_exponent = 1.0
    if kb.policy.serious_share is not None:
        serious = np.array([condition_index[c] for c in kb.policy.serious_share.conditions], dtype=np.intp)
        prior_exponent = exponent_for_share(log_prior, serious, kb.policy.serious_share.value)
        log_prior = _scaled_log_prior(log_prior, prior_exponent)

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

    return CompiledModel(
        forms=_forms_layout(kb, condition_index),
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
        prior_exponent=prior_exponent,
    )


FORM_ROW_SEPARATOR = "__"
"""Joins a condition's id and a form's id into the id of the form's row in the companion model."""


def _forms_layout(kb: KnowledgeBase, condition_index: dict[str, int]) -> FormsLayout | None:
    """The companion model of the conditions that are mixtures of forms (None: there are none).

    The companion keeps the findings and the likelihood floor; its priors are not scaled (every row of
    one condition has the same prior, which the adjustment takes away) and it has no clusters (a
    cluster's ratio is added once, to the mixed score, by the main model)."""
    mixed = [condition for condition in kb.conditions.values() if condition.forms]
    if not mixed:
        return None
    rows: dict[str, Condition] = {}
    for condition in mixed:
        rows[condition.id] = condition.model_copy(update={"likelihoods": condition.all_likelihoods, "forms": []})
        for form in condition.forms:
            row_id = f"{condition.id}{FORM_ROW_SEPARATOR}{form.id}"
            rows[row_id] = condition.as_form(form, row_id)
    policy = kb.policy.model_copy(update={"serious_share": None})
    companion = compile_model(replace(kb, conditions=rows, clusters=(), policy=policy))
    index = companion.condition_index
    form_rows: list[int] = []
    log_shares: list[float] = []
    starts: list[int] = []
    for condition in mixed:
        starts.append(len(form_rows))
        for form in condition.forms:
            form_rows.append(index[f"{condition.id}{FORM_ROW_SEPARATOR}{form.id}"])
            log_shares.append(float(np.log(form.share.value)))
    differ = np.zeros(len(companion.finding_ids), dtype=bool)
    for position, condition in enumerate(mixed):
        own = slice(starts[position], starts[position] + len(condition.forms))
        rows_of_forms, row = np.array(form_rows[own], dtype=np.intp), index[condition.id]
        for table in (companion.likelihood, companion.log_present_counted):
            differ |= (np.abs(table[rows_of_forms] - table[row]) > 1e-12).any(axis=0)
    for columns, _ in companion.share_families:
        if differ[columns].any():
            differ[columns] = True
    urgent_forms = tuple(
        UrgentForm(condition_index[condition.id], position, form.name, form.urgency,
                   kb.policy.thresholds.get(form.urgency, float("inf")), form.share.value)
        for condition, start in zip(mixed, starts, strict=True)
        for position, form in enumerate(condition.forms, start=start)
        if form.urgency is not None
    )
    return FormsLayout(
        answer_columns=np.flatnonzero(differ),
        urgent_forms=urgent_forms,
        companion=companion,
        columns=np.array([condition_index[c.id] for c in mixed], dtype=np.intp),
        mixed=np.array([index[c.id] for c in mixed], dtype=np.intp),
        form_rows=np.array(form_rows, dtype=np.intp),
        log_shares=np.array(log_shares, dtype=np.float64),
        starts=np.array(starts, dtype=np.intp),
        names=tuple(tuple(form.name for form in c.forms) for c in mixed),
    )


def _derive_silences(
    kb: KnowledgeBase, finding_index: dict[str, int], likelihood: FloatArray, specified: BoolArray,
    background: FloatArray,
) -> None:
    """Each silence finding's column from the finding it is silent about: a person with that finding
    names it with the mention rate, so P(silent | condition) = 1 - rate x P(finding | condition)."""
    for finding in kb.findings.values():
        if finding.silence_about is None:
            continue
        column, about = finding_index[finding.id], finding_index[finding.silence_about.finding]
        rate = finding.silence_about.mention_rate.value
        likelihood[:, column] = 1.0 - rate * likelihood[:, about]
        background[column] = 1.0 - rate * background[about]
        specified[:, column] = True


def _scaled_log_prior(log_prior: FloatArray, exponent: float) -> FloatArray:
    """The prior raised to `exponent` and normalised again, as logs."""
    scaled: FloatArray = exponent * log_prior
    scaled -= np.logaddexp.reduce(scaled)
    return scaled


def exponent_for_share(log_prior: FloatArray, serious: IntArray, share: float) -> float:
    """The exponent in (0, 1] at which the conditions `serious` hold `share` of the prior.

    Raising every prior to a power below one narrows the gap between common and rare causes and
    keeps their order, so the rare serious causes gain a share steadily as the exponent falls: a
    bisection finds it. Where they already hold `share` or more, the priors stay as they are.
    """

    def held(exponent: float) -> float:
        return float(np.exp(_scaled_log_prior(log_prior, exponent)[serious]).sum())

    if held(1.0) >= share:
        return 1.0
    low, high = 1e-3, 1.0  # held(low) is close to the serious causes' count over all causes
    if held(low) < share:
        return low
    for _ in range(60):
        middle = (low + high) / 2
        if held(middle) < share:
            high = middle
        else:
            low = middle
    return round((low + high) / 2, 6)


def _share_choice_remainders(
    columns: list[int],
    likelihood: FloatArray,
    specified: npt.NDArray[np.bool_],
    background: FloatArray,
    floor: float,
) -> None:
    """Make each condition's options of one choice (exclusive group) a distribution that sums to one.

    Exactly one option of a choice holds for a person, so a condition's likelihoods of the options
    are shares of one whole. Options a condition does not give share what its given options leave,
    in proportion to their background rates (a condition that gives "acute" as 0.9 leaves 0.1 for
    "subacute" and "chronic" together, not the background 0.13 and 0.64); given options that add up
    to more than one are scaled down to one. Changes `likelihood` in place.
    """
    cols = np.array(columns, dtype=np.intp)
    shared = _parts_of_one(likelihood[:, cols], specified[:, cols], background[cols], floor)
    likelihood[:, cols] = np.clip(shared, floor, 1.0 - floor)


def _parts_of_one(
    parts: FloatArray, given: npt.NDArray[np.bool_], background: FloatArray, floor: float
) -> FloatArray:
    """Each row's parts of one whole (R, P), made to add up to one: parts not given share what the given
    ones leave (at least a floor's worth each) in proportion to `background` (P,); given parts that
    add up to more than one are scaled down."""
    given_sum = np.where(given, parts, 0.0).sum(axis=1, keepdims=True)
    weights = np.where(given, 0.0, background[None, :])
    weight_sum = weights.sum(axis=1, keepdims=True)
    spare = np.clip(1.0 - given_sum, floor * (weights > 0).sum(axis=1, keepdims=True), None)
    shared = np.where(given, parts, spare * weights / np.where(weight_sum > 0, weight_sum, 1.0))
    return np.asarray(shared / shared.sum(axis=1, keepdims=True))


def _fill_through_implications(
    kb: KnowledgeBase,
    finding_index: dict[str, int],
    likelihood: FloatArray,
    specified: npt.NDArray[np.bool_],
    background: FloatArray,
) -> None:
    """Likelihoods a condition does not give, read through the findings that imply one another.

    A specific finding (foot drop) is a share of its general one (leg weakness). Where a condition
    gives the general finding but not the specific one, the specific one takes the general one's
    likelihood times its usual share among people with the general finding (the two backgrounds'
    ratio): a condition that rarely weakens a leg rarely drops a foot. Where a condition gives the
    specific finding but not the general one, the general one is at least as likely. Changes
    `likelihood` in place; `specified` is left as the knowledge base gave it.
    """
    closure = implied_by(kb.findings)
    depth: dict[str, int] = {}

    def generality(finding: str) -> int:  # how many steps of 'implies' sit above a finding
        if finding not in depth:
            depth[finding] = 1 + max((generality(parent) for parent in kb.findings[finding].implies), default=-1)
        return depth[finding]

    for child in sorted(closure, key=lambda finding: (generality(finding), finding)):
        c = finding_index[child]
        for parent in sorted(closure[child], key=lambda finding: (generality(finding), finding)):
            g = finding_index[parent]
            share = min(1.0, background[c] / background[g])
            from_parent = ~specified[:, c] & specified[:, g]
            likelihood[from_parent, c] = likelihood[from_parent, g] * share
            to_parent = specified[:, c] & ~specified[:, g]
            likelihood[to_parent, g] = np.maximum(likelihood[to_parent, g], likelihood[to_parent, c])


def _split_findings(
    kb: KnowledgeBase,
    finding_index: dict[str, int],
    likelihood: FloatArray,
    specified: npt.NDArray[np.bool_],
    background: FloatArray,
    floor: float,
) -> None:
    """Make the parts of a finding (`sides`: leg pain in one leg or in both; `splits`: leg pain above the
    knee only or below it) split it, for each condition that gives the finding itself.

    Whenever the finding is present exactly one part of each split holds, so a condition's P(part | finding)
    over the parts sums to one. Parts it does not give share what its given parts leave, in proportion to
    their background rates (shingles, with leg pain in 0.2 and pain in both legs in 0.05, leaves 0.15 for
    pain in one leg, not the usual share of 0.47 x 0.2); parts given beyond the whole are scaled down. A
    condition that gives parts but not the finding keeps what `_fill_through_implications` made of them.
    Changes `likelihood` in place.
    """
    for whole_id, parts in ((finding.id, parts) for finding in kb.findings.values() for parts in finding.divisions):
        g = finding_index[whole_id]
        rows = np.flatnonzero(specified[:, g])
        cols = np.array([finding_index[part] for part in parts], dtype=np.intp)
        whole = likelihood[rows, g][:, None]
        split = _parts_of_one(
            likelihood[np.ix_(rows, cols)] / whole, specified[np.ix_(rows, cols)], background[cols], floor
        )
        likelihood[np.ix_(rows, cols)] = np.clip(split * whole, floor, 1.0 - floor)


def _sum_rows(mask: npt.NDArray[np.bool_], table: FloatArray) -> FloatArray:
    """(R, C): for each row of `mask` (R, P), the sum of the rows of `table` (P, C) it marks. Marks are
    few, so one broadcast add per column of `mask` beats a matrix product, which a BLAS library may hand
    to several threads that stall on a busy machine."""
    total = np.zeros((mask.shape[0], table.shape[1]))
    for column in np.flatnonzero(mask.any(axis=0)).tolist():
        total[mask[:, column]] += table[column]
    return total


@dataclass(frozen=True)
class _ShareTables:
    """`CompiledModel.share_adjustment`'s arrays: the shares' and their general findings' columns,
    log(1 - P(share | general)) and what a share's "no" row counts ((P, C) each), the shares two levels
    down or more and their families, each share's family, the difference a "no" under a "yes" makes,
    and each family's top: its column, the positions (among the shares) of the shares right under
    it, and P(top | condition)."""

    shares: IntArray
    generals: IntArray
    log_no_given: FloatArray
    counted_no: FloatArray
    deep: IntArray
    deep_family: IntArray
    share_family: IntArray
    no_under_yes: FloatArray
    top_columns: IntArray
    top_shares: tuple[IntArray, ...]
    top_present: tuple[FloatArray, ...]
    position_of: dict[int, int]
    direct_family: dict[int, int]


def only_parents(kb: KnowledgeBase) -> dict[str, str]:
    """Finding id -> the one general finding it implies directly, for findings that imply exactly one."""
    return {f.id: f.implies[0] for f in kb.findings.values() if len(f.implies) == 1}


def _cap_shares_of_only_parents(
    kb: KnowledgeBase, finding_index: dict[str, int], likelihood: FloatArray, background: FloatArray, floor: float
) -> None:
    """A finding with one general finding is a share of it below one (ADR 0014): P(specific | condition)
    is at most P(general | condition) x (1 - floor), general findings first, so that "no" to the
    specific finding beside "yes" to the general one is never impossible. Changes the arrays in place."""
    parents = only_parents(kb)

    def depth(finding: str) -> int:
        return 1 + depth(parents[finding]) if finding in parents else 0

    for child in sorted(parents, key=lambda finding: (depth(finding), finding)):
        c, g = finding_index[child], finding_index[parents[child]]
        likelihood[:, c] = np.minimum(likelihood[:, c], likelihood[:, g] * (1.0 - floor))
        background[c] = min(background[c], background[g] * (1.0 - floor))


__all__ = [
    "FALSE",
    "TRUE",
    "UNKNOWN",
    "Cases",
    "CompiledModel",
    "Evidence",
    "EvidenceError",
    "compile_model",
]
