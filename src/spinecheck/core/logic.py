"""Three-valued (yes / no / unknown) rules, compiled once and evaluated for one case or millions.

Red flags must distinguish "ruled out" from "not asked yet": a rule that is unknown is one the
interview asks about first and the result names ("we could not rule out ..."). Kleene's logic
gives exactly that: `all` is false as soon as one part is false, `any` is true as soon as one
part is true, and otherwise unknown stays unknown. Values are encoded as 1 = true, 0 = unknown,
-1 = false, in (N, F) int8 matrices of finding states, with age in years (NaN when unknown) and
sex as 0 unknown, 1 female, 2 male.

`RuleSet` is the one evaluator of knowledge-base expressions (red flags, prior modifiers,
population notes, interview conditions). It compiles a list of expressions into one graph:

- Findings, "age at least N" and "female" are the leaves; `age_below: N` is "not age at least
  N", and `sex: male` is "not female".
- Every `all`, `any` and `at_least` is the same kind of node, "at least k of these parts are
  true": `all` of n parts needs n, `any` needs 1. In three-valued logic such a node is true once
  k parts are true, false once more than n - k parts are false, and unknown otherwise.
- `not` is not a node: it swaps "true" and "false" on the edge that reads its part.
- `presumed: [findings]` is "any of these findings is not answered no": each is a leaf read from
  the finding's state as true unless the state is "no".
- `unless: [findings]` is "none of these findings is answered yes": each is a leaf read from the
  finding's state as false when the state is "yes" and true otherwise, so it is never unknown.
- Identical parts of different expressions are built once.

Evaluation keeps two truth rows per node, "is true" and "is false" (a node is unknown when
neither holds), over all N cases. Nodes are grouped into layers (one more than their deepest
part), and a layer costs four array operations whatever its size: gather the parts' rows, count
them per node with `np.add.reduceat`, compare the counts with each node's thresholds, store. So a
whole rule set costs a few dozen array operations, for one case as for a chunk of a batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Not,
    Presumed,
    SexIs,
    Unless,
)

TRUE, UNKNOWN, FALSE = 1, 0, -1
SEX_CODES = {"female": 1, "male": 2}

Int8Array = npt.NDArray[np.int8]
IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_Made = TypeVar("_Made")

Edge = tuple[int, bool]
"""A reference to a node: its number, and whether it is read negated (through a `not`)."""

_CHUNK = 16_384
"""Cases evaluated together: the truth table of a chunk stays a few megabytes."""

MAX_AGE = 130
UNKNOWN_AGE_INDEX = MAX_AGE + 1
_OR_UNKNOWN_AGE = 1000
"""Added to an age leaf's threshold when an unknown age counts as reaching it (`AgeAtLeast.or_unknown`)."""

_FEW_CASES = 64
"""Up to this many cases a layer is counted with one `reduceat`; beyond, in groups of equal size."""


@dataclass(frozen=True)
class Cases:
    """N cases as arrays, the one form every engine path reads.

    `states` is (N, F) int8 with 1 present, 0 unknown, -1 absent per finding (model column
    order); `age` is (N,) in years with NaN for unknown; `sex` is (N,) int8 with 0 unknown,
    1 female, 2 male; `age_index` is `whole_years(age)`. A single case encoded from a person's
    evidence also keeps `one`: the same case as plain numbers (the columns of its "yes" answers,
    of its "no" answers, its age index and sex code), which spares one case array operations.
    Such a case also keeps in `memo` what several steps of one assessment read (`JointRules`).
    """

    states: Int8Array
    age: FloatArray
    sex: Int8Array
    age_index: IntArray
    one: tuple[list[int], list[int], int, int] | None = None
    memo: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, states: Int8Array, age: FloatArray | None = None, sex: Int8Array | None = None) -> Cases:
        """Cases from a state matrix; age and sex default to unknown."""
        count = states.shape[0]
        ages = np.full(count, np.nan) if age is None else np.asarray(age, dtype=np.float64)
        sexes = np.zeros(count, dtype=np.int8) if sex is None else np.asarray(sex, dtype=np.int8)
        return cls(states, ages, sexes, whole_years(ages))

    @classmethod
    def one_case(
        cls, states: Int8Array, age: FloatArray, sex: Int8Array, age_index: IntArray,
        one: tuple[list[int], list[int], int, int],
    ) -> Cases:
        """`Cases(states, age, sex, age_index, one)` of one person's case, with every field given (what the
        dataclass's `__init__` sets, without its calls)."""
        return made_from_fields(cls, {
            "states": states, "age": age, "sex": sex, "age_index": age_index, "one": one, "memo": {},
        })

    def __len__(self) -> int:
        return int(self.states.shape[0])

    def take(self, rows: IntArray | slice) -> Cases:
        """The cases at `rows` (an index array or a slice)."""
        return Cases(self.states[rows], self.age[rows], self.sex[rows], self.age_index[rows])

    def with_states(self, states: Int8Array, rows: IntArray) -> Cases:
        """New states, each row with the age and sex of case `rows[i]`."""
        return Cases(states, self.age[rows], self.sex[rows], self.age_index[rows])


_new_object = object.__new__
_set_attribute = object.__setattr__


def made_from_fields(cls: type[_Made], fields: dict[str, Any]) -> _Made:
    """An instance of a frozen dataclass (with no `__post_init__`) holding `fields`, every field given in the
    order the class declares them: what its `__init__` would set, without the calls, for a hot path."""
    made = _new_object(cls)
    _set_attribute(made, "__dict__", fields)
    return made


@dataclass(frozen=True)
class _Counts:
    """Counts of one layer, or of one group of its counts with the same (padded) number of parts.

    Each count reads `read[starts[i]:starts[i + 1]]` (or, in a group of equal size, `size`
    consecutive reads) of the truth table, and writes `count >= need[i]` to row `write[i]`.
    """

    read: IntArray
    starts: IntArray
    size: int
    need: npt.NDArray[np.int16]
    write: IntArray
    dtype: type[np.integer]  # type: ignore[type-arg]
    """What the counts are added in: bytes, unless a count reads 256 parts or more."""


@dataclass(frozen=True)
class _Layer:
    """The nodes of one depth: "is true" and "is false" of each, as counts of their parts.

    Few cases: one `np.add.reduceat` over the whole layer. Many cases: reduceat walks the
    wrong axis slowly, so the counts are grouped by size (padded to a power of two with an
    always-false row) and each group is summed as one (nodes, size, cases) block.
    """

    whole: _Counts
    groups: tuple[_Counts, ...]


@dataclass(frozen=True)
class Gate:
    """'At least `need` of `parts` are true' (`all`, `any` and `at_least` alike)."""

    need: int
    parts: tuple[Edge, ...]


class RuleSet:
    """A list of expressions compiled into one graph; `evaluate` gives an (N, R) int8 matrix.

    Example:
        >>> from spinecheck.core.kb.schema import AnyOf
        >>> rules = RuleSet([AnyOf(any=["fever", "chills"])], {"fever": 0, "chills": 1})
        >>> states = np.array([[1, 0], [-1, 0], [-1, -1]], dtype=np.int8)
        >>> rules.evaluate(Cases.of(states)).ravel().tolist()
        [1, 0, -1]
    """

    def __init__(self, expressions: Sequence[Expression], finding_index: Mapping[str, int]) -> None:
        builder = _Builder(finding_index)
        roots = [builder.edge(expression) for expression in expressions]
        self.expressions: tuple[Expression, ...] = tuple(expressions)
        self.width, renumber, self._layers = builder.finish()
        self.roots: tuple[Edge, ...] = tuple((renumber[node], negated) for node, negated in roots)
        self.finding_columns: IntArray = builder.finding_columns
        self._presumed: IntArray = np.flatnonzero(builder.presumed_leaves)
        self._unless: IntArray = np.flatnonzero(builder.unless_leaves)
        self.age_thresholds: FloatArray = builder.age_thresholds
        self.age_or_unknown: BoolArray = builder.age_or_unknown
        self._female_row = len(builder.finding_columns) + len(builder.age_thresholds) if builder.reads_sex else -1
        self.gates: dict[int, Gate] = {
            renumber[node]: Gate(gate.need, tuple((renumber[part], negated) for part, negated in gate.parts))
            for node, gate in builder.gates.items()
        }
        width = self.width
        self._root_true = np.array([node + width * negated for node, negated in self.roots], dtype=np.intp)
        self._root_false = np.array([node + width * (not negated) for node, negated in self.roots], dtype=np.intp)
        self._roots = np.concatenate((self._root_true, self._root_false))

    def __len__(self) -> int:
        return len(self.roots)

    def table(self, cases: Cases) -> BoolArray:
        """The truth table of every node: rows 0..W-1 "is true", rows W..2W-1 "is false"; one column per case."""
        count = len(cases)
        width = self.width
        table = np.empty((2 * width + 1, count), dtype=bool)  # every row is written before it is read
        leaves = self.finding_columns.size + self.age_thresholds.size + (self._female_row >= 0)
        if leaves:
            # the leaves' values, one row per leaf as the table holds them
            values = np.empty((leaves, count), dtype=np.int8)
            findings = self.finding_columns.size
            values[:findings] = cases.states.T[self.finding_columns]
            if leaves > findings:
                # age and sex leaves are looked up by whole year of age and sex code
                person = (
                    self.person_leaves[cases.one[2], cases.one[3]][None, :] if cases.one is not None
                    else self.person_leaves[cases.age_index, cases.sex]
                )
                values[findings:] = person.T
            np.equal(values, TRUE, out=table[:leaves])
            np.equal(values, FALSE, out=table[width:width + leaves])
            if self._presumed.size:  # "not answered no": true unless the answer is no
                table[self._presumed] = ~table[width + self._presumed]
            if self._unless.size:  # "not answered yes": false on a yes, true otherwise
                answered_yes = table[self._unless]
                table[width + self._unless] = answered_yes
                table[self._unless] = ~answered_yes
        # Parts are counted as bytes (a gate reads fewer than 256 of them), which numpy adds without
        # converting them first.
        if count == 1:  # one case: the same counts along one column
            column = table[:, 0]
            for layer in self._layers:
                whole = layer.whole
                counts = np.add.reduceat(column[whole.read].view(np.uint8), whole.starts, dtype=whole.dtype)
                column[whole.write] = counts >= whole.need
        elif count <= _FEW_CASES:
            for layer in self._layers:
                whole = layer.whole
                counts = np.add.reduceat(table[whole.read].view(np.uint8), whole.starts, axis=0, dtype=whole.dtype)
                table[whole.write] = counts >= whole.need[:, None]
        else:
            table[2 * width] = False  # the padding of grouped counts
            for layer in self._layers:
                for group in layer.groups:
                    block = table[group.read].view(np.uint8).reshape(group.write.size, group.size, count)
                    table[group.write] = block.sum(axis=1, dtype=group.dtype) >= group.need[:, None]
        return table

    @cached_property
    def person_leaves(self) -> Int8Array:
        """(132, 3, A + S): the age and sex leaves as 1 / 0 / -1, per whole year of age (131:
        unknown) and sex code (0 unknown, 1 female, 2 male)."""
        ages = np.arange(UNKNOWN_AGE_INDEX + 1, dtype=np.float64)
        ages[UNKNOWN_AGE_INDEX] = np.nan
        unknown = np.where(self.age_or_unknown, TRUE, UNKNOWN)[None, :]
        by_age = np.where(
            np.isnan(ages)[:, None], unknown, np.where(ages[:, None] >= self.age_thresholds[None, :], TRUE, FALSE)
        )
        leaves = np.zeros((ages.size, 3, self.age_thresholds.size + (self._female_row >= 0)), dtype=np.int8)
        leaves[:, :, : self.age_thresholds.size] = by_age[:, None, :]
        if self._female_row >= 0:
            leaves[:, 1, -1] = TRUE
            leaves[:, 2, -1] = FALSE
        return leaves

    @cached_property
    def _person_truth(self) -> BoolArray:
        """(132, 3, 2R): "is true" then "is false" of every root, per whole year of age (131: unknown)
        and sex code, for a set that reads no finding (only age and sex)."""
        years = UNKNOWN_AGE_INDEX + 1
        ages = np.repeat(np.arange(years, dtype=np.float64), 3)
        ages[ages == UNKNOWN_AGE_INDEX] = np.nan
        sexes = np.tile(np.arange(3, dtype=np.int8), years)
        everyone = Cases.of(np.zeros((ages.size, 0), dtype=np.int8), ages, sexes)
        truth: BoolArray = self.table(everyone)[self._roots].T.reshape(years, 3, 2 * len(self.roots))
        return truth

    @cached_property
    def _person_truth_lists(self) -> list[list[list[bool]]]:
        """`_person_truth` as plain lists."""
        lists: list[list[list[bool]]] = self._person_truth.tolist()
        return lists

    def truth(self, cases: Cases) -> tuple[BoolArray, BoolArray]:
        """(is true, is false), each (N, R): an expression is unknown where neither holds."""
        if not self.finding_columns.size:  # it reads age and sex only: looked up
            person = self._person_truth[cases.age_index, cases.sex]
            return person[:, : len(self.roots)], person[:, len(self.roots):]
        if len(cases) == 1:
            return self._truth_one(cases)
        if len(cases) <= _CHUNK:
            both = self.table(cases)[self._roots].T
            return both[:, : len(self.roots)], both[:, len(self.roots):]
        is_true = np.empty((len(cases), len(self.roots)), dtype=bool)
        is_false = np.empty_like(is_true)
        for start in range(0, len(cases), _CHUNK):
            table = self.table(cases.take(slice(start, start + _CHUNK)))
            is_true[start:start + _CHUNK] = table[self._root_true].T
            is_false[start:start + _CHUNK] = table[self._root_false].T
        return is_true, is_false

    def truth_one(self, cases: Cases) -> tuple[list[bool], list[bool]]:
        """`truth` of a single case, as plain lists (is true, is false) of the R expressions."""
        if not self.finding_columns.size:  # it reads age and sex only: looked up
            year, sex = _year_and_sex(cases)
            both: list[bool] = self._person_truth_lists[year][sex]
        else:
            is_true, is_false = self.truth(cases)
            both = [*is_true[0].tolist(), *is_false[0].tolist()]
        return both[: len(self.roots)], both[len(self.roots):]

    @cached_property
    def _one_plan(self) -> _OnePlan:
        """`_truth_one`'s tables, built once per rule set."""
        return _OnePlan.of(self)

    def _truth_one(self, cases: Cases) -> tuple[BoolArray, BoolArray]:
        """`truth` of one case, as `table` counts it for one case, with every node's "is true" and "is
        false" side by side (2n and 2n + 1) so that each layer writes one slice, and the leaves read
        from tables made once."""
        plan = self._one_plan
        column = np.empty(plan.size, dtype=np.uint8)  # 1 true, 0 false: counted without a view as bytes
        leaves = plan.finding_leaves
        if leaves:
            plan.finding_values.take(plan.finding_base + cases.states[0].take(self.finding_columns), axis=0,
                                     out=column[: 2 * leaves].reshape(leaves, 2))
        if plan.person_values.shape[2]:
            column[2 * leaves: plan.leaves_end] = plan.person_values[_year_and_sex(cases)]
        for read, starts, need, dtype, start, stop in plan.layers:
            np.greater_equal(np.add.reduceat(column[read], starts, dtype=dtype), need, out=column[start:stop])
        both = column[plan.roots].view(bool)[None, :]
        return both[:, : len(self.roots)], both[:, len(self.roots):]

    def evaluate(self, cases: Cases) -> Int8Array:
        """Each expression for each case: (N, R) of 1 true, 0 unknown, -1 false."""
        is_true, is_false = self.truth(cases)
        values: Int8Array = is_true.view(np.int8) - is_false.view(np.int8)
        return values

    def yes_needed(self, table: BoolArray, root: int) -> float:
        """How many more "yes" answers would make expression `root` true at the least (inf: never).

        `table` is one case's truth table (`table(cases)[:, 0]`). An unanswered finding counts
        one; so does a part that needs a "no" or an unknown age or sex. A node of `at_least: k`
        needs the k cheapest of its parts.
        """
        memo: dict[int, float] = {}

        def by_value(node: int, negated: bool) -> float:
            true, false = table[node], table[self.width + node]
            if negated:
                true, false = false, true
            return 0.0 if true else math.inf if false else 1.0

        def needed(node: int) -> float:
            if node not in memo:
                gate = self.gates.get(node)
                if gate is None:
                    memo[node] = by_value(node, False)
                else:
                    costs = sorted(by_value(part, True) if negated else needed(part) for part, negated in gate.parts)
                    memo[node] = sum(costs[: gate.need]) if gate.need <= len(costs) else math.inf
            return memo[node]

        node, negated = self.roots[root]
        return by_value(node, True) if negated else needed(node)


def _year_and_sex(cases: Cases) -> tuple[int, int]:
    """The whole year of age (as an index) and the sex code of a single case."""
    if cases.one is not None:
        return cases.one[2], cases.one[3]
    return int(cases.age_index[0]), int(cases.sex[0])


@dataclass(frozen=True)
class _OnePlan:
    """What `RuleSet._truth_one` reads: one column with node n's "is true" at 2n and "is false" at 2n + 1.

    `finding_values` holds, per finding leaf and its finding's state (row 3 x leaf + state + 1), the
    leaf's two values; `person_values` the age and sex leaves' values per whole year of age and sex code.
    Each layer: the rows its counts read, where each count starts, the parts each needs, the type
    the parts are added in, and the slice it writes."""

    size: int
    finding_leaves: int
    finding_base: IntArray
    finding_values: npt.NDArray[np.uint8]
    person_values: npt.NDArray[np.uint8]
    leaves_end: int
    layers: tuple[tuple[IntArray, IntArray, npt.NDArray[np.int16], type[np.integer], int, int], ...]  # type: ignore[type-arg]
    roots: IntArray

    @classmethod
    def of(cls, rules: RuleSet) -> _OnePlan:
        width = rules.width
        findings = rules.finding_columns.size
        states = np.array([FALSE, UNKNOWN, TRUE], dtype=np.int8)
        values = np.zeros((findings, 3, 2), dtype=bool)
        values[:, :, 0] = states == TRUE
        values[:, :, 1] = states == FALSE
        presumed, unless = rules._presumed, rules._unless
        values[presumed, :, 0] = states != FALSE  # "not answered no"
        values[unless, :, 0] = states != TRUE  # "not answered yes": false on a yes, true otherwise
        values[unless, :, 1] = states == TRUE
        person = rules.person_leaves
        person_values = np.stack((person == TRUE, person == FALSE), axis=-1).reshape(*person.shape[:2], -1)
        leaves_end = 2 * (findings + person.shape[2])

        def moved(rows: IntArray) -> IntArray:
            placed: IntArray = np.where(rows < width, 2 * rows, 2 * (rows - width) + 1)
            return placed

        layers = []
        for layer in rules._layers:
            whole = layer.whole
            write = moved(whole.write)
            start, stop = int(write[0]), int(write[-1]) + 1
            if not np.array_equal(write, np.arange(start, stop)):
                raise AssertionError("a layer's nodes are not numbered one after another")
            layers.append((moved(whole.read), whole.starts, whole.need, whole.dtype, start, stop))
        return cls(
            size=2 * width,
            finding_leaves=findings,
            finding_base=3 * np.arange(findings, dtype=np.intp) + 1,
            finding_values=values.reshape(3 * findings, 2).view(np.uint8),
            person_values=person_values.view(np.uint8),
            leaves_end=leaves_end,
            layers=tuple(layers),
            roots=moved(rules._roots),
        )


class JointRules:
    """Rule sets compiled once more as one set, so that one person's case is evaluated once for all of them.

    `truth(part, cases)` gives what `sets[part].truth(cases)` does. For a single case encoded from
    a person's evidence (`cases.one`), the joint set is evaluated on first use and kept with the
    case (`cases.memo`, read only), and each set reads its own columns: one evaluation instead of
    one per set, and a set's nodes are grouped into layers by depth, so the joint set costs about
    what its largest part does. Other cases are evaluated by the sets themselves.
    """

    def __init__(self, sets: Sequence[RuleSet], finding_index: Mapping[str, int]) -> None:
        self.sets = tuple(sets)
        self.joint = RuleSet([expression for rules in self.sets for expression in rules.expressions], finding_index)
        bounds = np.cumsum([0, *(len(rules) for rules in self.sets)]).tolist()
        self._columns = tuple(slice(start, stop) for start, stop in pairwise(bounds))
        self._keys = tuple((self, part) for part in range(len(self.sets)))  # each set's answer, kept with a case
        self._lists_key = (self, "lists")

    def lists(self, part: int, cases: Cases) -> tuple[list[bool], list[bool]]:
        """`truth(part, cases)` of one person's case as plain lists (is true, is false), made from the
        joint answer once and kept with the case."""
        joint: tuple[list[bool], list[bool]] | None = cases.memo.get(self._lists_key)
        if joint is None:
            self.truth(part, cases)
            both: tuple[BoolArray, BoolArray] = cases.memo[self]
            joint = cases.memo[self._lists_key] = (both[0][0].tolist(), both[1][0].tolist())
        columns = self._columns[part]
        return joint[0][columns], joint[1][columns]

    def truth(self, part: int, cases: Cases) -> tuple[BoolArray, BoolArray]:
        if cases.one is None:
            return self.sets[part].truth(cases)
        key = self._keys[part]
        kept: tuple[BoolArray, BoolArray] | None = cases.memo.get(key)
        if kept is None:
            both: tuple[BoolArray, BoolArray] | None = cases.memo.get(self)
            if both is None:
                is_true, is_false = self.joint.truth(cases)
                is_true.flags.writeable = is_false.flags.writeable = False
                both = cases.memo[self] = (is_true, is_false)
            columns = self._columns[part]
            kept = cases.memo[key] = (both[0][:, columns], both[1][:, columns])
        return kept


def cells(mask: BoolArray | Int8Array) -> tuple[IntArray, IntArray]:
    """`np.nonzero` of a 2-D array (the rows and columns of its non-zero cells, row by row), by way of
    the flat array, which numpy walks many times faster."""
    rows, columns = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return rows, columns


def whole_years(age: FloatArray) -> IntArray:
    """Whole years of age (0..130), or 131 where the age is unknown (NaN).

    Thresholds are whole years, so `age >= n` holds exactly when `floor(age) >= n`; ages above
    130 behave as 130.
    """
    index: IntArray = np.where(np.isnan(age), UNKNOWN_AGE_INDEX, np.clip(np.floor(age), 0, MAX_AGE)).astype(np.intp)
    return index


class _Builder:
    """Turns expressions into numbered nodes, sharing identical parts, then into layers."""

    def __init__(self, finding_index: Mapping[str, int]) -> None:
        self.finding_index = finding_index
        self.keys: dict[object, int] = {}
        self.depth: list[int] = []
        self.leaf_order: list[tuple[int, float]] = []  # (kind, value) per node; kind 0 finding, 1 age, 2 sex
        self.gates: dict[int, Gate] = {}
        self.finding_columns: IntArray = np.zeros(0, dtype=np.intp)
        self.presumed_leaves: BoolArray = np.zeros(0, dtype=bool)
        self.unless_leaves: BoolArray = np.zeros(0, dtype=bool)
        # an "unless" leaf is stored as the finding's column plus this offset (past every column)
        self._unless_offset = max(finding_index.values(), default=-1) + 1
        self.age_thresholds: FloatArray = np.zeros(0)
        self.age_or_unknown: BoolArray = np.zeros(0, dtype=bool)
        self.reads_sex = False

    def _node(self, key: object, depth: int, leaf: tuple[int, float]) -> int:
        node = self.keys.get(key)
        if node is None:
            node = self.keys[key] = len(self.depth)
            self.depth.append(depth)
            self.leaf_order.append(leaf)
        return node

    def edge(self, expr: Expression) -> Edge:
        if isinstance(expr, str):
            column = self.finding_index[expr]
            return self._node(("finding", column), 0, (0, column)), False
        if isinstance(expr, Not):
            node, negated = self.edge(expr.not_)
            return node, not negated
        if isinstance(expr, Presumed):
            # a "not answered no" leaf is stored as the finding's column, negated and less one
            leaves = sorted({
                (self._node(("presumed", column), 0, (0, -column - 1)), False)
                for column in (self.finding_index[finding] for finding in expr.presumed)
            })
            return self._gate(tuple(leaves), 1)
        if isinstance(expr, Unless):
            leaves = sorted({
                (self._node(("unless", column), 0, (0, column + self._unless_offset)), False)
                for column in (self.finding_index[finding] for finding in expr.unless)
            })
            return self._gate(tuple(leaves), len(leaves))
        if isinstance(expr, AgeAtLeast) and expr.or_unknown:
            # stored past every whole year, so that its unknown-age row can read true
            threshold = expr.age_at_least
            return self._node(("age or unknown", threshold), 0, (1, threshold + _OR_UNKNOWN_AGE)), False
        if isinstance(expr, AgeAtLeast | AgeBelow):
            threshold = expr.age_at_least if isinstance(expr, AgeAtLeast) else expr.age_below
            return self._node(("age", threshold), 0, (1, threshold)), isinstance(expr, AgeBelow)
        if isinstance(expr, SexIs):
            return self._node(("female",), 0, (2, 0)), expr.sex != "female"
        if isinstance(expr, AtLeast):
            # a part named twice counts twice
            edges = tuple(sorted(self.edge(part) for part in expr.of))
            need = expr.at_least
        elif isinstance(expr, AllOf | AnyOf):
            edges = tuple(sorted({self.edge(part) for part in (expr.all if isinstance(expr, AllOf) else expr.any)}))
            need = len(edges) if isinstance(expr, AllOf) else 1
        else:
            raise TypeError(f"not an expression: {expr!r}")
        return self._gate(edges, need)

    def _gate(self, edges: tuple[Edge, ...], need: int) -> Edge:
        """A node true once `need` of its parts are; a single part needed alone is the part itself."""
        if len(edges) == 1 and need == 1:
            return edges[0]
        depth = 1 + max(self.depth[node] for node, _ in edges)
        node = self._node(("gate", need, edges), depth, (3, 0))
        self.gates.setdefault(node, Gate(need, edges))
        return node, False

    def finish(self) -> tuple[int, dict[int, int], tuple[_Layer, ...]]:
        """Number the nodes leaves first (findings, ages, sex), then gates layer by layer."""
        order = sorted(range(len(self.depth)), key=lambda node: (self.depth[node], self.leaf_order[node], node))
        renumber = {node: position for position, node in enumerate(order)}
        leaves = [self.leaf_order[node] for node in order if self.depth[node] == 0]
        columns = np.array([value for kind, value in leaves if kind == 0], dtype=np.intp)
        self.presumed_leaves = columns < 0
        self.unless_leaves = columns >= self._unless_offset
        self.finding_columns = np.where(
            self.presumed_leaves, -columns - 1, np.where(self.unless_leaves, columns - self._unless_offset, columns)
        )
        ages = np.array([value for kind, value in leaves if kind == 1], dtype=np.float64)
        self.age_or_unknown = ages >= _OR_UNKNOWN_AGE
        self.age_thresholds = np.where(self.age_or_unknown, ages - _OR_UNKNOWN_AGE, ages)
        self.reads_sex = any(kind == 2 for kind, _ in leaves)
        width = len(order)
        padding = 2 * width
        layers: list[_Layer] = []
        for depth in range(1, max(self.depth, default=0) + 1):
            # one count per node for "is true" (its parts read as they are) and one for "is false"
            counts: list[tuple[list[int], int, int]] = []  # (rows read, need, row written)
            for node in (node for node in order if self.depth[node] == depth):
                gate, row = self.gates[node], renumber[node]
                true_reads = [renumber[part] + width * negated for part, negated in gate.parts]
                false_reads = [renumber[part] + width * (not negated) for part, negated in gate.parts]
                counts.append((true_reads, gate.need, row))
                counts.append((false_reads, len(gate.parts) - gate.need + 1, row + width))
            layers.append(_Layer(whole=_counts(counts, 0), groups=tuple(_grouped(counts, padding))))
        return width, renumber, tuple(layers)


def _counts(counts: list[tuple[list[int], int, int]], size: int) -> _Counts:
    reads = [row for rows, _, _ in counts for row in rows]
    starts = np.cumsum([0] + [len(rows) for rows, _, _ in counts[:-1]])
    widest = max(len(rows) for rows, _, _ in counts)
    return _Counts(
        read=np.array(reads, dtype=np.intp),
        starts=starts.astype(np.intp),
        size=size,
        need=np.array([need for _, need, _ in counts], dtype=np.int16),
        write=np.array([row for _, _, row in counts], dtype=np.intp),
        dtype=np.uint8 if widest < 256 else np.int16,
    )


def _grouped(counts: list[tuple[list[int], int, int]], padding: int) -> list[_Counts]:
    """The counts in groups whose parts, padded with the always-false row, number a power of two."""
    groups: dict[int, list[tuple[list[int], int, int]]] = {}
    for rows, need, write in counts:
        size = 1 << (len(rows) - 1).bit_length()
        groups.setdefault(size, []).append((rows + [padding] * (size - len(rows)), need, write))
    return [_counts(members, size) for size, members in sorted(groups.items())]
