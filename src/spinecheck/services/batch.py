"""Use-case: triage many intake records at once, a chunk of rows at a time.

`plan_columns` decides once per file what each input column means (a finding, age, sex, the
free-text narrative, the record id) and refuses a file whose columns it cannot account for: a
misspelt finding column silently ignored could hide a warning sign. `triage_rows` turns one
chunk of rows into result columns. It is the only place the batch path calls the engine's
batch functions, so a change to their signatures touches one function.

Values arrive coded, the way Arrow and Parquet keep them: per column, an index into a short
list of distinct values (-1 where the value is missing). Each distinct value is read once,
however many rows share it, so a million rows cost a few array look-ups per column.
Every row either gets a result or a reason why it got none; nothing is dropped.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from spinecheck.core.completeness import screen_open_rows
from spinecheck.core.inference import score_batch
from spinecheck.core.logic import MAX_AGE, SEX_CODES, TRUE, UNKNOWN, Cases
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage import triage_batch
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.narrative import evidence_from_parse, parse_text

IntArray = npt.NDArray[np.int32]
Coded = tuple[IntArray, Sequence[str]]
"""One column: per row an index into the list of distinct values, -1 where the value is missing."""

AGE, SEX, NARRATIVE = "age", "sex", "narrative"
TOP_CONDITIONS = 3

# The answers a finding column may hold (compared after trimming and lower-casing). This is the
# file format, not clinical knowledge: yes / no / unknown, as words, booleans or 1 / 0.
YES_VALUES = frozenset({"yes", "y", "true", "1"})
NO_VALUES = frozenset({"no", "n", "false", "0"})
UNKNOWN_VALUES = frozenset({"", "unknown"})
SEX_VALUES: Mapping[str, int] = {
    "": 0, "unknown": 0, "female": SEX_CODES["female"], "f": SEX_CODES["female"],
    "male": SEX_CODES["male"], "m": SEX_CODES["male"],
}
INVALID = 2
"""Marks a value that is not an answer, in the look-up tables below."""


class BatchInputError(ValueError):
    """The file as a whole cannot be triaged (its columns); the message says what to change."""


@dataclass(frozen=True)
class ColumnPlan:
    """What each input column is for; columns not named here are refused unless ignored."""

    findings: tuple[str, ...]
    id_column: str | None = None
    age: str | None = None
    sex: str | None = None
    narrative: str | None = None
    ignored: tuple[str, ...] = ()

    @property
    def used(self) -> tuple[str, ...]:
        """The columns a reader needs, in a fixed order."""
        named = (self.id_column, self.age, self.sex, self.narrative)
        return tuple(column for column in named if column is not None) + self.findings


def plan_columns(
    model: CompiledModel,
    columns: Sequence[str],
    id_column: str = "id",
    ignore: Sequence[str] = (),
    id_required: bool = False,
) -> ColumnPlan:
    """Match the file's columns to finding ids, age, sex, narrative and the id column.

    Raises BatchInputError for a repeated column, an unknown column (with the closest finding
    ids), a missing id column that was asked for, or a file with nothing to assess.
    """
    repeated = sorted(column for column, times in Counter(columns).items() if times > 1)
    if repeated:
        raise BatchInputError(f"column names appear more than once: {', '.join(repeated)}")
    ignored = tuple(column for column in columns if column in set(ignore))
    named = {id_column, AGE, SEX, NARRATIVE}
    findings = tuple(column for column in columns if column in model.finding_index and column not in ignored)
    known = named | set(model.finding_index) | set(ignored)
    unknown = [column for column in columns if column not in known]
    if unknown:
        hints = []
        for column in unknown[:5]:
            close = difflib.get_close_matches(column, model.finding_ids, n=2, cutoff=0.75)
            hints.append(f"'{column}'" + (f" (did you mean {' or '.join(close)}?)" if close else ""))
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise BatchInputError(
            f"columns that are not finding ids: {', '.join(hints)}{more}; "
            "rename them, or pass --ignore-column NAME to leave one out"
        )
    present = set(columns) - set(ignored)
    if id_required and id_column not in present:
        raise BatchInputError(f"there is no id column '{id_column}' (columns: {', '.join(list(columns)[:8])} ...)")
    narrative = NARRATIVE if NARRATIVE in present else None
    if not findings and narrative is None:
        raise BatchInputError(
            "no column names a finding and there is no 'narrative' column, so there is nothing to assess"
        )
    return ColumnPlan(
        findings=findings,
        id_column=id_column if id_column in present else None,
        age=AGE if AGE in present else None,
        sex=SEX if SEX in present else None,
        narrative=narrative,
        ignored=ignored,
    )


@dataclass(frozen=True)
class IntakeRows:
    """One chunk of rows as the reader found them; `problems` are rows the reader already refused."""

    count: int
    findings: Mapping[str, Coded]
    age: Coded | None = None
    sex: Coded | None = None
    narratives: Sequence[str | None] | None = None
    problems: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TriagedRows:
    """Result columns for the accepted rows, and a reason for each refused one.

    `accepted` has one entry per input row; the other arrays have one row per accepted row.
    `top_conditions` holds condition numbers (-1 where conditions are not ranked for the person).
    """

    accepted: npt.NDArray[np.bool_]
    reasons: tuple[str, ...]
    level: npt.NDArray[np.int8]
    incomplete: npt.NDArray[np.bool_]
    """Rows whose warning-sign screen is unanswered: never below the `incomplete` level."""
    call_ambulance: npt.NDArray[np.bool_]
    red_flags: npt.NDArray[np.bool_]
    top_conditions: npt.NDArray[np.intp]
    top_probabilities: npt.NDArray[np.float64]


def red_flag_order(model: CompiledModel) -> tuple[str, ...]:
    """Rule ids in the order the red-flag columns of `TriagedRows` use: most urgent first, then by id."""
    return tuple(model.kb.red_flags[position].id for position in model.red_flag_order)


LEVEL_NAMES: tuple[str, ...] = tuple(TriageLevel.from_rank(rank).value for rank in range(4))


def _answer_table(values: Sequence[str]) -> npt.NDArray[np.int8]:
    """State per distinct value (1 / -1 / 0, or INVALID), plus a last entry for a missing value."""
    table = np.zeros(len(values) + 1, dtype=np.int8)
    for position, value in enumerate(values):
        word = value.strip().lower()
        if word in YES_VALUES:
            table[position] = 1
        elif word in NO_VALUES:
            table[position] = -1
        elif word not in UNKNOWN_VALUES:
            table[position] = INVALID
    return table


def _age_table(values: Sequence[str]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Whole years per distinct value (NaN for unknown) and which values are not ages."""
    ages = np.full(len(values) + 1, np.nan)
    invalid = np.zeros(len(values) + 1, dtype=bool)
    for position, value in enumerate(values):
        word = value.strip().lower()
        if word in UNKNOWN_VALUES:
            continue
        try:
            number = float(word)
        except ValueError:
            invalid[position] = True
            continue
        if not 0 <= number <= MAX_AGE:  # also refuses NaN
            invalid[position] = True
        else:
            ages[position] = float(int(number))  # years completed, as an assessment takes them
    return ages, invalid


class _Problems:
    """Reasons per refused row, several per row where a row has several faults."""

    def __init__(self, count: int, earlier: Mapping[int, str]) -> None:
        self.bad = np.zeros(count, dtype=bool)
        self.reasons: dict[int, list[str]] = {}
        for row, reason in earlier.items():
            self.add(np.array([row]), reason)

    def add(self, rows: npt.NDArray[np.intp], reason: str) -> None:
        self.bad[rows] = True
        for row in rows.tolist():
            self.reasons.setdefault(row, []).append(reason)


def _read_findings(model: CompiledModel, rows: IntakeRows, problems: _Problems) -> npt.NDArray[np.int8]:
    # filled one finding at a time, so one contiguous row per finding, then turned round once
    by_finding = np.zeros((len(model.finding_ids), rows.count), dtype=np.int8)
    for column, (codes, values) in rows.findings.items():
        table = _answer_table(values)
        read = table[codes]  # code -1 picks the last entry: missing, so unknown
        for position in np.flatnonzero(table[:-1] == INVALID).tolist():
            problems.add(
                np.flatnonzero(codes == position),
                f"{column}: '{values[position]}' is not yes, no or unknown",
            )
        read[read == INVALID] = 0
        by_finding[model.finding_index[column]] = read
    return np.ascontiguousarray(by_finding.T)


def _read_age(rows: IntakeRows, problems: _Problems) -> npt.NDArray[np.float64]:
    if rows.age is None:
        return np.full(rows.count, np.nan)
    codes, values = rows.age
    ages, invalid = _age_table(values)
    for position in np.flatnonzero(invalid).tolist():
        problems.add(np.flatnonzero(codes == position), f"age: '{values[position]}' is not an age in years (0 to 130)")
    result: npt.NDArray[np.float64] = ages[codes]
    return result


def _read_sex(rows: IntakeRows, problems: _Problems) -> npt.NDArray[np.int8]:
    if rows.sex is None:
        return np.zeros(rows.count, dtype=np.int8)
    codes, values = rows.sex
    table = np.zeros(len(values) + 1, dtype=np.int8)
    for position, value in enumerate(values):
        code = SEX_VALUES.get(value.strip().lower())
        if code is None:
            problems.add(np.flatnonzero(codes == position), f"sex: '{value}' is not female, male or unknown")
        else:
            table[position] = code
    result: npt.NDArray[np.int8] = table[codes]
    return result


def _complete_choices(model: CompiledModel, states: npt.NDArray[np.int8], problems: _Problems) -> None:
    """One answer of a choice question rules out the others; two are a contradiction (as for one person)."""
    for group, members in model.exclusive_groups.items():
        columns = model.columns(members)
        block = states[:, columns]
        chosen = block == TRUE
        count = chosen.sum(axis=1)
        for row in np.flatnonzero(count > 1).tolist():
            names = ", ".join(member for member, yes in zip(members, chosen[row], strict=True) if yes)
            problems.add(np.array([row]), f"only one answer of '{group}' can be present, got: {names}")
        block[(count == 1)[:, None] & (block == 0)] = -1
        states[:, columns] = block


def _read_narratives(
    model: CompiledModel,
    rows: IntakeRows,
    states: npt.NDArray[np.int8],
    age: npt.NDArray[np.float64],
    sex: npt.NDArray[np.int8],
    problems: _Problems,
) -> None:
    """Add what each row's description says; a stated answer wins over one read from the text."""
    if rows.narratives is None:
        return
    sex_names = {code: name for name, code in SEX_CODES.items()}
    for row, text in enumerate(rows.narratives):
        if problems.bad[row] or text is None or not text.strip():
            continue
        stated = states[row]
        try:
            parsed = parse_text(text, model)
            evidence = model.check_evidence(evidence_from_parse(
                parsed,
                model,
                present=[model.finding_ids[i] for i in np.flatnonzero(stated == TRUE)],
                absent=[model.finding_ids[i] for i in np.flatnonzero(stated == -1)],
                age=None if np.isnan(age[row]) else int(age[row]),
                sex=sex_names.get(int(sex[row])),
            ))
        except ValueError as error:  # EvidenceError, or an impossible age read from the text
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            problems.add(np.array([row]), f"narrative: {message}")
            continue
        states[row] = model.state_vector(evidence)
        age[row] = np.nan if evidence.age is None else float(evidence.age)
        sex[row] = SEX_CODES.get(evidence.sex or "", 0)


def _top_conditions(
    model: CompiledModel, probabilities: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """The most probable conditions per row; ties go to the condition whose id sorts first, as in `assess`."""
    count = min(TOP_CONDITIONS, len(model.condition_ids))
    by_id = np.argsort(np.array(model.condition_ids), kind="stable")
    # rounded as `assess` ranks, so sums taken in another order cannot swap near-equal conditions
    order = by_id[np.argsort(-probabilities[:, by_id].round(12), axis=1, kind="stable")[:, :count]]
    return order, np.round(np.take_along_axis(probabilities, order, axis=1), 6)


def triage_rows(model: CompiledModel, rows: IntakeRows) -> TriagedRows:
    """Triage every acceptable row of the chunk; the others get the reasons they were refused."""
    problems = _Problems(rows.count, rows.problems)
    states = _read_findings(model, rows, problems)
    age = _read_age(rows, problems)
    sex = _read_sex(rows, problems)
    _complete_choices(model, states, problems)
    _read_narratives(model, rows, states, age, sex, problems)

    accepted = ~problems.bad
    states, age, sex = states[accepted], age[accepted], sex[accepted]
    probabilities = score_batch(model, states, age, sex, dtype=np.float64).astype(np.float64, copy=False)
    level = triage_batch(model, states, probabilities, age, sex)

    # the one rule evaluator, on the states completed as the triage completes them
    completed = Cases.of(model.complete_states(states, age), age, sex)
    holds = model.rules.truth(completed)[0]
    # no all-clear without information, as `assess` decides it (triage.yaml `incomplete`)
    incomplete = (level != TriageLevel.EMERGENCY.rank) & (
        (states == UNKNOWN).all(axis=1) | screen_open_rows(model, completed)
    )
    floor = model.kb.policy.incomplete.min_level.rank
    level = np.where(incomplete & (level < floor), floor, level)
    order = np.array(model.red_flag_order, dtype=np.intp)
    fired = holds[:, order]
    ambulance = np.array([model.kb.red_flags[position].call_ambulance for position in order], dtype=bool)

    top, top_p = _top_conditions(model, probabilities)
    groups = holds[:, len(model.kb.red_flags):]
    for column, note in enumerate(model.population_notes):
        if not note.rank_conditions:
            hidden = groups[:, column]
            top[hidden] = -1
            top_p[hidden] = np.nan

    refused = np.flatnonzero(problems.bad).tolist()
    return TriagedRows(
        accepted=accepted,
        reasons=tuple("; ".join(problems.reasons[row]) for row in refused),
        level=level.astype(np.int8, copy=False),
        incomplete=incomplete,
        call_ambulance=(fired & ambulance).any(axis=1),
        red_flags=fired,
        top_conditions=top,
        top_probabilities=top_p,
    )
