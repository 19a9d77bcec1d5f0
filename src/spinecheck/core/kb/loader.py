"""Read the YAML knowledge base, validate every record, and check the cross-references.

A broken file never produces a traceback for the person running spinecheck: every problem is
collected as a `KnowledgeBaseProblem` (file, entry, what is wrong) and raised together in one
`KnowledgeBaseError`, so an author can fix them all in one pass.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from spinecheck.core.kb.schema import (
    Condition,
    Expression,
    Finding,
    FindingsFile,
    RedFlagRule,
    RedFlagsFile,
    Source,
    SourcesFile,
    TriagePolicy,
    expression_findings,
)
from spinecheck.core.localisation import NeuroanatomyFile, neuroanatomy_problems

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "knowledge"


@dataclass(frozen=True)
class KnowledgeBaseProblem:
    """One thing wrong in one place, phrased for the person editing the YAML."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used; `problems` says everything that is wrong."""

    def __init__(self, problems: list[KnowledgeBaseProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class KnowledgeBase:
    """Every validated record of the knowledge base, indexed by id, plus version and hash."""

    version: str
    content_hash: str
    sources: dict[str, Source]
    findings: dict[str, Finding]
    conditions: dict[str, Condition]
    red_flags: tuple[RedFlagRule, ...]
    policy: TriagePolicy
    root: Path
    finding_files: dict[str, str] = field(default_factory=dict)
    condition_files: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def condition_by_name(self, name: str) -> Condition | None:
        """Find a condition by id, name or alias, ignoring case, accents, punctuation and British or
        American spelling; "X (Y)" also finds the condition named X or Y."""
        wanted = [normalise_name(variant) for variant in name_variants(name)]
        for candidate in wanted:
            for condition in self.conditions.values():
                names = [condition.id, condition.name, *condition.aliases]
                if any(normalise_name(known) == candidate for known in names):
                    return condition
        return None


_SPELLINGS = (("ae", "e"), ("oe", "e"))
"""British digraphs folded to the American spelling: haemorrhage, oedema, ischaemia, paraesthetica."""


def normalise_name(text: str) -> str:
    """Lower-case letters and digits only, accents and British digraphs folded, so 'Cauda-equina syndrome'
    matches 'cauda_equina_syndrome' and 'Guillain-Barré' matches 'guillain barre'."""
    folded = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))
    for british, american in _SPELLINGS:
        letters = letters.replace(british, american)
    return letters


def name_variants(name: str) -> list[str]:
    """A name, then for "X (Y)" the name outside the brackets and the one inside: diagnoses are often
    written with another name or the cause in brackets."""
    variants = [name]
    if "(" in name and name.rstrip().endswith(")"):
        outside, _, inside = name.rstrip()[:-1].partition("(")
        variants += [part.strip() for part in (outside, inside) if part.strip()]
    return variants


_UNREADABLE = object()


def _read_yaml(path: Path, root: Path, problems: list[KnowledgeBaseProblem]) -> Any:
    """The parsed file, or `_UNREADABLE` after recording why it could not be parsed."""
    relative = str(path.relative_to(root))
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(KnowledgeBaseProblem(relative, where, f"not valid YAML: {reason}"))
    except OSError as error:
        problems.append(KnowledgeBaseProblem(relative, "", f"cannot be read: {error.strerror}"))
    return _UNREADABLE


def _describe_validation_error(error: ValidationError, raw: Any, list_key: str | None) -> Iterator[
    tuple[str, str]
]:
    """Turn pydantic's errors into (entry, message) pairs that name the record by its id."""
    for detail in error.errors():
        location = list(detail["loc"])
        entry = ""
        if list_key and len(location) >= 2 and location[0] == list_key and isinstance(location[1], int):
            index = location[1]
            records = raw.get(list_key) if isinstance(raw, dict) else None
            record = records[index] if isinstance(records, list) and index < len(records) else None
            record_id = record.get("id") if isinstance(record, dict) else None
            entry = f"{list_key}[{index}]" + (f" ({record_id})" if record_id else "")
            location = location[2:]
        elif isinstance(raw, dict) and raw.get("id"):
            entry = str(raw["id"])
        field_path = ".".join(str(part) for part in location if not str(part).startswith("function-"))
        message = detail["msg"]
        yield entry, f"{field_path}: {message}" if field_path else message


def _validate(
    model: type[BaseModel],
    raw: Any,
    relative: str,
    list_key: str | None,
    problems: list[KnowledgeBaseProblem],
) -> Any:
    if raw is _UNREADABLE:
        return None
    if raw is None:
        problems.append(KnowledgeBaseProblem(relative, "", "the file is empty"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for entry, message in _describe_validation_error(error, raw, list_key):
            problems.append(KnowledgeBaseProblem(relative, entry, message))
        return None


Record = TypeVar("Record", bound=BaseModel)


def read_checked_file(path: Path, model: type[Record], file_name: str) -> Record:
    """One knowledge file read and validated as `model`; every problem raised as a `KnowledgeBaseError`."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeBaseError([KnowledgeBaseProblem(file_name, "", f"cannot be read: {error}")]) from None
    except ValidationError as error:
        raise KnowledgeBaseError([
            KnowledgeBaseProblem(file_name, ".".join(str(part) for part in detail["loc"]), detail["msg"])
            for detail in error.errors()
        ]) from None


def content_hash(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over every knowledge file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_knowledge_base(root: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base under `root` (the packaged one by default)."""
    root = (root or DEFAULT_ROOT).resolve()
    problems: list[KnowledgeBaseProblem] = []

    manifest = _read_yaml(root / "manifest.yaml", root, problems) if (root / "manifest.yaml").exists() else None
    version = str(manifest.get("version")) if isinstance(manifest, dict) else "unversioned"

    sources: dict[str, Source] = {}
    sources_file = _validate(
        SourcesFile, _read_yaml(root / "sources.yaml", root, problems), "sources.yaml", "sources", problems
    ) if (root / "sources.yaml").exists() else None
    if sources_file is None and not (root / "sources.yaml").exists():
        problems.append(KnowledgeBaseProblem("sources.yaml", "", "the file is missing"))
    for source in sources_file.sources if sources_file else []:
        if source.id in sources:
            problems.append(KnowledgeBaseProblem("sources.yaml", source.id, "duplicate source id"))
        sources[source.id] = source

    findings: dict[str, Finding] = {}
    finding_files: dict[str, str] = {}
    for path in sorted((root / "findings").glob("*.yaml")):
        relative = str(path.relative_to(root))
        parsed = _validate(FindingsFile, _read_yaml(path, root, problems), relative, "findings", problems)
        for finding in parsed.findings if parsed else []:
            if finding.id in findings:
                problems.append(KnowledgeBaseProblem(
                    relative, finding.id, f"duplicate finding id (also in {finding_files[finding.id]})"
                ))
            findings[finding.id] = finding
            finding_files[finding.id] = relative

    conditions: dict[str, Condition] = {}
    condition_files: dict[str, str] = {}
    for path in sorted((root / "conditions").glob("*.yaml")):
        relative = str(path.relative_to(root))
        parsed = _validate(Condition, _read_yaml(path, root, problems), relative, None, problems)
        if parsed is None:
            continue
        if parsed.id != path.stem:
            problems.append(KnowledgeBaseProblem(relative, parsed.id, f"the file must be named {parsed.id}.yaml"))
        if parsed.id in conditions:
            problems.append(KnowledgeBaseProblem(relative, parsed.id, "duplicate condition id"))
        conditions[parsed.id] = parsed
        condition_files[parsed.id] = relative

    red_flags_file = _validate(
        RedFlagsFile, _read_yaml(root / "red_flags.yaml", root, problems), "red_flags.yaml", "rules", problems
    ) if (root / "red_flags.yaml").exists() else None
    red_flags = tuple(red_flags_file.rules) if red_flags_file else ()

    policy = _validate(
        TriagePolicy, _read_yaml(root / "triage.yaml", root, problems), "triage.yaml", None, problems
    ) if (root / "triage.yaml").exists() else None
    if not (root / "triage.yaml").exists():
        problems.append(KnowledgeBaseProblem("triage.yaml", "", "the file is missing"))

    neuro_path = root / "neuroanatomy.yaml"
    neuroanatomy = _validate(
        NeuroanatomyFile, _read_yaml(neuro_path, root, problems), "neuroanatomy.yaml", "weights", problems
    ) if neuro_path.exists() else None

    if not problems:
        problems.extend(_cross_reference_problems(
            sources, findings, finding_files, conditions, condition_files, red_flags, policy
        ))
        if neuroanatomy is not None:
            problems.extend(
                KnowledgeBaseProblem("neuroanatomy.yaml", entry, message)
                for entry, message in neuroanatomy_problems(neuroanatomy, findings, sources)
            )
    if problems:
        raise KnowledgeBaseError(problems)
    assert policy is not None
    yaml_files = [path for path in root.rglob("*.yaml") if path.is_file()]
    return KnowledgeBase(
        version=version,
        content_hash=content_hash(yaml_files, root),
        sources=sources,
        findings=findings,
        conditions=dict(sorted(conditions.items())),
        red_flags=red_flags,
        policy=policy,
        root=root,
        finding_files=finding_files,
        condition_files=condition_files,
        extra={} if neuroanatomy is None else {
            "neuroanatomy": neuroanatomy, "findings_used_elsewhere": neuroanatomy.finding_ids(),
        },
    )


def _cross_reference_problems(
    sources: dict[str, Source],
    findings: dict[str, Finding],
    finding_files: dict[str, str],
    conditions: dict[str, Condition],
    condition_files: dict[str, str],
    red_flags: tuple[RedFlagRule, ...],
    policy: TriagePolicy | None,
) -> list[KnowledgeBaseProblem]:
    """Every id that one record uses must exist in the file that defines it."""
    problems: list[KnowledgeBaseProblem] = []

    def need_source(source_id: str, file: str, entry: str, what: str) -> None:
        if source_id not in sources:
            problems.append(KnowledgeBaseProblem(file, entry, f"{what} names unknown source '{source_id}'"))

    def need_findings(ids: Iterable[str], file: str, entry: str, what: str) -> None:
        for finding_id in ids:
            if finding_id not in findings:
                problems.append(KnowledgeBaseProblem(file, entry, f"{what} names unknown finding '{finding_id}'"))

    def expression_ids(expr: Expression) -> set[str]:
        return expression_findings(expr)

    for finding in findings.values():
        need_source(finding.background.source, finding_files[finding.id], finding.id, "background")

    for condition in conditions.values():
        file = condition_files[condition.id]
        need_source(condition.prior.source, file, condition.id, "prior")
        need_source(condition.care.source, file, condition.id, "care")
        for item in condition.likelihoods:
            need_source(item.source, file, condition.id, f"likelihood of {item.finding}")
        need_findings((item.finding for item in condition.likelihoods), file, condition.id, "a likelihood")
        for modifier in condition.prior_modifiers:
            need_source(modifier.source, file, condition.id, "a prior modifier")
            need_findings(expression_ids(modifier.when), file, condition.id, "a prior modifier")
        for treatment in condition.care.treatments:
            need_source(treatment.source, file, condition.id, f"treatment '{treatment.name}'")
        need_findings(condition.top_symptoms, file, condition.id, "top_symptoms")
        need_findings(condition.always, file, condition.id, "always")
        need_findings(condition.never, file, condition.id, "never")

    for rule in red_flags:
        need_source(rule.source, "red_flags.yaml", rule.id, "the rule")
        need_findings(expression_ids(rule.when), "red_flags.yaml", rule.id, "the rule")
        for suspect in rule.suspects:
            if suspect not in conditions:
                problems.append(KnowledgeBaseProblem(
                    "red_flags.yaml", rule.id, f"suspects unknown condition '{suspect}'"
                ))
    seen_rules: set[str] = set()
    for rule in red_flags:
        if rule.id in seen_rules:
            problems.append(KnowledgeBaseProblem("red_flags.yaml", rule.id, "duplicate rule id"))
        seen_rules.add(rule.id)

    if policy is not None:
        need_source(policy.thresholds_source, "triage.yaml", "thresholds", "the thresholds")
        need_source(policy.leak.source, "triage.yaml", "leak", "the leak")
        need_source(policy.likelihood_floor.source, "triage.yaml", "likelihood_floor", "the floor")
    return problems
