"""Use-case: score a file of vignettes and report accuracy and triage safety (DESIGN.md `eval`).

The triage scored is the level the evidence supports: a vignette's findings list only what its
author chose to state, so the floor for an unanswered warning-sign screen (which every interface
applies) is left out of the score, and the share of cases it would apply to is reported as
`incomplete` instead.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.assessment import parse_json, read_text_file

Mode = Literal["findings", "narrative", "interview"]


class Vignette(BaseModel):
    """One case, one JSON object per line of a vignette file."""

    model_config = ConfigDict(extra="allow")

    id: str
    narrative: str = ""
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None
    findings: dict[str, bool | None] = Field(default_factory=dict)
    gold_condition: str
    acceptable: list[str] = Field(default_factory=list)
    gold_triage: TriageLevel
    source: str = ""


class VignetteError(ValueError):
    """A vignette file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class CaseOutcome:
    """What one mode produced for one vignette."""

    assessment: Assessment
    questions: int | None = None
    ignored_findings: tuple[str, ...] = ()


class VignetteResult(BaseModel):
    id: str
    gold_condition: str
    gold_in_kb: bool
    rank: int | None
    predicted: list[str]
    gold_triage: TriageLevel
    predicted_triage: TriageLevel
    questions: int | None = None
    ignored_findings: list[str] = Field(default_factory=list)
    incomplete: bool = False


class EvalReport(BaseModel):
    mode: Mode
    n: int
    top1: float
    top3: float
    top5: float
    triage_exact: float
    under_triage: float
    over_triage: float
    emergency_sensitivity: float | None
    out_of_scope: int
    incomplete: float = 0.0
    questions_median: float | None = None
    questions_p90: float | None = None
    kb_version: str
    kb_hash: str
    rows: list[VignetteResult]


def _first_problem(where: str, error: ValidationError) -> str:
    """The first thing pydantic found wrong, as "where: field: message"."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    return f"{where}: {field}: {first['msg']}"


def read_vignettes(path: Path) -> list[Vignette]:
    """Read a JSONL vignette file; a broken line, a repeated id or a file with no vignette is an
    error that names the file (and the line)."""
    try:
        text = read_text_file(path, "vignette file")
    except EvidenceError as error:
        raise VignetteError(str(error)) from None
    return parse_vignettes(text, str(path))


def parse_vignettes(text: str, where_from: str) -> list[Vignette]:
    """Vignettes from JSONL text (`where_from` names the file, or standard input, in errors)."""
    vignettes: list[Vignette] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{where_from}:{number}"
        try:
            data = parse_json(line, where)
        except EvidenceError as error:
            raise VignetteError(str(error)) from None
        if not isinstance(data, dict):
            raise VignetteError(f"{where}: a vignette must be one JSON object")
        try:
            vignette = Vignette.model_validate(data)
        except ValidationError as error:
            raise VignetteError(_first_problem(where, error)) from None
        if vignette.id in first_line:
            earlier = first_line[vignette.id]
            raise VignetteError(f"{where}: the id '{vignette.id}' is used twice (first on line {earlier})")
        first_line[vignette.id] = number
        vignettes.append(vignette)
    if not vignettes:
        raise VignetteError(f"{where_from} holds no vignettes (one JSON object per line is expected)")
    return vignettes


@dataclass(frozen=True)
class PublishedSets:
    """The published case sets of a folder, by name: those that count and those held out of the pooled figures."""

    development: tuple[str, ...]
    held_out: tuple[str, ...]

    @property
    def every(self) -> tuple[str, ...]:
        """Every set, the development sets first."""
        return self.development + self.held_out


class _SetsManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    development: list[str] = Field(min_length=1)
    held_out: list[str] = Field(default_factory=list)


def read_published_sets(folder: Path, manifest_name: str = "sets.yaml") -> PublishedSets:
    """The set names listed in `folder`'s manifest; a name listed twice, a listed set without its
    file, or a `.jsonl` file the manifest leaves out is an error, so that no draw is forgotten."""
    where = folder / manifest_name
    try:
        data = yaml.safe_load(read_text_file(where, "list of published sets"))
        manifest = _SetsManifest.model_validate(data)
    except (EvidenceError, yaml.YAMLError) as error:
        raise VignetteError(str(error)) from None
    except ValidationError as error:
        raise VignetteError(_first_problem(str(where), error)) from None
    names = manifest.development + manifest.held_out
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise VignetteError(f"{where}: listed more than once: {', '.join(repeated)}")
    missing = [name for name in names if not (folder / f"{name}.jsonl").is_file()]
    if missing:
        raise VignetteError(f"{where}: no file for {', '.join(missing)}")
    unlisted = sorted(path.stem for path in folder.glob("*.jsonl") if path.stem not in names)
    if unlisted:
        raise VignetteError(f"{where}: not listed: {', '.join(unlisted)}")
    return PublishedSets(tuple(manifest.development), tuple(manifest.held_out))


def check_finding_ids(model: CompiledModel, vignettes: list[Vignette]) -> None:
    """Every finding a vignette names must be known to the knowledge base (the error names the nearest)."""
    for vignette in vignettes:
        unknown = frozenset(vignette.findings) - model.finding_index.keys()
        if unknown:
            try:
                model.check_evidence(Evidence(present=unknown))
            except EvidenceError as error:
                raise VignetteError(f"vignette {vignette.id}: {error}") from None


def evidence_for(model: CompiledModel, vignette: Vignette) -> tuple[Evidence, tuple[str, ...]]:
    """The vignette's findings as evidence; ids the knowledge base does not know are set aside."""
    known = model.finding_index
    ignored = tuple(sorted(f for f in vignette.findings if f not in known))
    present = frozenset(f for f, v in vignette.findings.items() if v is True and f in known)
    absent = frozenset(f for f, v in vignette.findings.items() if v is False and f in known)
    return Evidence(present=present, absent=absent, age=vignette.age, sex=vignette.sex), ignored


def run_findings_mode(model: CompiledModel, vignette: Vignette) -> CaseOutcome:
    evidence, ignored = evidence_for(model, vignette)
    assessment = assess(model, evidence, max_conditions=len(model.condition_ids), screen_floor=False)
    return CaseOutcome(assessment, None, ignored)


CaseRunner = Callable[[CompiledModel, Vignette], CaseOutcome]
RUNNERS: dict[str, CaseRunner] = {"findings": run_findings_mode}


def register_mode(mode: str, runner: CaseRunner) -> None:
    """Adapters (free text, interview) add their own way of turning a vignette into an assessment."""
    RUNNERS[mode] = runner


def gold_rank(model: CompiledModel, vignette: Vignette, ranking: list[str]) -> tuple[bool, int | None]:
    """1-based rank of the gold condition (or an acceptable one), matched by id or alias."""
    kb = model.kb
    wanted = [vignette.gold_condition, *vignette.acceptable]
    targets = {c.id for name in wanted if (c := kb.condition_by_name(name)) is not None}
    gold_in_kb = kb.condition_by_name(vignette.gold_condition) is not None
    for position, condition_id in enumerate(ranking, start=1):
        if condition_id in targets:
            return gold_in_kb, position
    return gold_in_kb, None


def _percentile(values: list[int], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return float(ordered[index])


def with_text_from(vignettes: list[Vignette], field: str) -> list[Vignette]:
    """The vignettes with `narrative` taken from another text field, such as the person's own words.

    A vignette that says its history alone cannot support the gold triage (`history_sufficient:
    false`) is left out when a history-only field is scored; one without the field is an error.
    """
    if field == "narrative":
        return vignettes
    chosen: list[Vignette] = []
    for vignette in vignettes:
        extra = vignette.model_extra or {}
        text = extra.get(field)
        if not isinstance(text, str):
            raise VignetteError(f"vignette {vignette.id} has no text field '{field}'")
        if extra.get("history_sufficient") is False:
            continue
        chosen.append(vignette.model_copy(update={"narrative": text}))
    return chosen


def evaluate_vignettes(
    model: CompiledModel,
    vignettes: list[Vignette],
    mode: Mode = "findings",
    progress: Callable[[Iterator[Vignette]], Iterator[Vignette]] | None = None,
) -> EvalReport:
    if mode not in RUNNERS:
        raise VignetteError(f"the '{mode}' mode is not available in this installation")
    runner = RUNNERS[mode]
    check_finding_ids(model, vignettes)
    rows: list[VignetteResult] = []
    iterator: Iterator[Vignette] = iter(vignettes)
    if progress is not None:
        iterator = progress(iterator)
    for vignette in iterator:
        try:
            outcome = runner(model, vignette)
        except EvidenceError as error:
            raise VignetteError(f"vignette {vignette.id}: {error}") from None
        ranking = [condition.id for condition in outcome.assessment.conditions]
        gold_in_kb, rank = gold_rank(model, vignette, ranking)
        rows.append(VignetteResult(
            id=vignette.id,
            gold_condition=vignette.gold_condition,
            gold_in_kb=gold_in_kb,
            rank=rank,
            predicted=ranking[:5],
            gold_triage=vignette.gold_triage,
            predicted_triage=outcome.assessment.triage.level,
            questions=outcome.questions,
            ignored_findings=list(outcome.ignored_findings),
            incomplete=outcome.assessment.status == "incomplete",
        ))
    return summarise(model, mode, rows)


def summarise(model: CompiledModel, mode: Mode, rows: list[VignetteResult]) -> EvalReport:
    n = len(rows)

    def share(count: int, total: int) -> float:
        return round(count / total, 4) if total else 0.0

    def within(k: int) -> int:
        return sum(1 for row in rows if row.rank is not None and row.rank <= k)

    emergencies = [row for row in rows if row.gold_triage == TriageLevel.EMERGENCY]
    questions = [row.questions for row in rows if row.questions is not None]
    return EvalReport(
        mode=mode,
        n=n,
        top1=share(within(1), n),
        top3=share(within(3), n),
        top5=share(within(5), n),
        triage_exact=share(sum(1 for r in rows if r.predicted_triage == r.gold_triage), n),
        under_triage=share(sum(1 for r in rows if r.predicted_triage.rank < r.gold_triage.rank), n),
        over_triage=share(sum(1 for r in rows if r.predicted_triage.rank > r.gold_triage.rank), n),
        emergency_sensitivity=(
            share(sum(1 for r in emergencies if r.predicted_triage == TriageLevel.EMERGENCY), len(emergencies))
            if emergencies else None
        ),
        out_of_scope=sum(1 for row in rows if not row.gold_in_kb),
        incomplete=share(sum(1 for row in rows if row.incomplete), n),
        questions_median=statistics.median(questions) if questions else None,
        questions_p90=_percentile(questions, 0.9) if questions else None,
        kb_version=model.kb.version,
        kb_hash=model.kb.content_hash,
        rows=rows,
    )


def report_json(report: EvalReport) -> str:
    data: dict[str, Any] = report.model_dump(mode="json")
    return json.dumps(data, indent=2, sort_keys=False)
