"""Read every file of the YAML knowledge base, validate every record, and check the cross-references.

One loader for every knowledge file: sources, findings, conditions, red flags, the triage
policy, the neuroanatomy, the population groups, the interview policy and the questionnaires
(the free-text lexicon belongs to the text reader). A broken file never produces a traceback
for the person running spinecheck: every problem is collected as a `KnowledgeBaseProblem` (file,
entry, what is wrong) and raised together in one `KnowledgeBaseError`, so an author can fix them
all in one pass, and `spinecheck kb validate` prints them one line each.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from spinecheck.core.kb.errors import KnowledgeBaseError, KnowledgeBaseProblem
from spinecheck.core.kb.instruments import INSTRUMENTS_FOLDER, Instrument
from spinecheck.core.kb.interview import POLICY_FILE, InterviewPolicy
from spinecheck.core.kb.neuroanatomy import NeuroanatomyFile, neuroanatomy_problems
from spinecheck.core.kb.populations import FILE_NAME as POPULATIONS_FILE
from spinecheck.core.kb.populations import PopulationsFile
from spinecheck.core.kb.schema import (
    Cluster,
    ClustersFile,
    Condition,
    Finding,
    FindingsFile,
    RedFlagRule,
    RedFlagsFile,
    Source,
    SourcesFile,
    TriagePolicy,
    expression_findings,
)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "knowledge"


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
    neuroanatomy: NeuroanatomyFile | None = None
    populations: PopulationsFile | None = None
    interview: InterviewPolicy | None = None
    instruments: dict[str, Instrument] = field(default_factory=dict)
    clusters: tuple[Cluster, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def condition_by_name(self, name: str) -> Condition | None:
        """Find a condition by id, name or alias, ignoring case, accents, punctuation and British or
        American spelling; "X (Y)" also finds the condition named X or Y. A shorter name inside the one
        given finds a condition only when no other condition has it too."""
        own_names, all_names = self._names_of_conditions
        for position, variant in enumerate(name_variants(name)):
            candidate = normalise_name(variant)
            own, found = own_names.get(candidate, []), all_names.get(candidate, [])
            if len(own) == 1:  # a condition's own name wins over another's alias
                return own[0]
            if len(found) == 1 or (found and position == 0):
                return found[0]
            # a shorter name that two conditions share as an alias ("spinal fracture") tells neither
        return None

    @cached_property
    def _names_of_conditions(self) -> tuple[dict[str, list[Condition]], dict[str, list[Condition]]]:
        """Normalised name -> the conditions whose id or name it is, and -> every condition that has it (alias
        included), each in knowledge-base order; made once."""
        own: dict[str, list[Condition]] = {}
        every: dict[str, list[Condition]] = {}
        for condition in self.conditions.values():
            for known in dict.fromkeys(normalise_name(n) for n in (condition.id, condition.name)):
                own.setdefault(known, []).append(condition)
            for known in dict.fromkeys(normalise_name(n) for n in (condition.id, condition.name, *condition.aliases)):
                every.setdefault(known, []).append(condition)
        return own, every


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


_QUALIFIER_CLAUSE = re.compile(
    r"\s+(?:with|from|due to|secondary to|presenting as|presenting with|causing|complicating|"
    r"in|after|following|of the)\s.*$",
    re.IGNORECASE,
)
"""Where a diagnosis written as a phrase goes on to its cause, setting, consequence or place: "aortic
dissection with spinal cord ischaemia", "vertebral metastases from prostate cancer", "pyelonephritis in
pregnancy", "chondrosarcoma of the pelvis"."""

_INNER_BRACKETS = re.compile(r"^(?P<before>.*?)(?P<word>[\w-]+)\s*\((?P<inside>[^()]+)\)(?P<after>\s+\S.*)$")
"""A word followed by another word for it in brackets, inside a name: "common fibular (peroneal) nerve
palsy" is "common fibular nerve palsy" and "common peroneal nerve palsy"."""

_COURSE_WORDS = re.compile(r"^(?:acute|chronic|spontaneous|symptomatic|recurrent|bilateral)\s+", re.IGNORECASE)
"""Words of course or extent before a diagnosis that do not make it another one ("symptomatic abdominal
aortic aneurysm"); a name that holds them as written is matched first."""

_CAUSE_WORDS = re.compile(
    r"^(?:[\w]+-(?:induced|associated|related)|traumatic|post-?traumatic|infected|infective|iatrogenic)\s+",
    re.IGNORECASE,
)
"""A word before a diagnosis that gives its cause, not another disease: "isoniazid-induced peripheral
neuropathy", "cancer-associated deep vein thrombosis", "infected abdominal aortic aneurysm"."""

_SPINAL_LEVEL = re.compile(r"^[CTLS]\d{1,2}(?:\s*[-/]\s*[CTLS]?\d{1,2})?\s+")
"""The level of the spine a diagnosis is at, written before it: "L1 burst fracture"."""

_LEADING_WORD = re.compile(r"^(?P<word>[\w']+)(?:\s+(?:and|or))?\s+(?P<rest>\S+\s+\S.*)$", re.IGNORECASE)
"""A word that says which kind of a diagnosis it is ("cystine kidney stone", "pyogenic vertebral osteomyelitis"),
with any word joined to it by "and" ("ruptured and thrombosed abdominal aortic aneurysm"): the name also
without it, while at least two words are left."""

_KEPT_WORDS = frozenset({
    "cervical", "cervicothoracic", "thoracic", "thoracolumbar", "lumbar", "lumbosacral", "sacral", "upper", "arm",
    "brachial", "cranial", "cerebral", "intracranial", "pulmonary", "neck", "ascending", "descending",
    "secondary", "metastatic", "inflammatory", "exertional",
})
"""First words that make the rest another diagnosis, never left out: a place that a diagnosis of the same name
elsewhere does not share ("cervical spinal stenosis" is no lumbar spinal stenosis, an upper-limb clot no leg
clot), or a kind that is a disease of its own ("secondary bone cancer" is no bone sarcoma, "inflammatory back
pain" no mechanical back pain, "exertional compartment syndrome" no acute one)."""

_JOINED_NAMES = re.compile(r"^(?P<first>\S+(?:\s+\S+)+?)\s+and\s+(?P<second>\S.*)$", re.IGNORECASE)
"""Two diagnoses joined by "and", the first of at least two words so that two words for one diagnosis
("ruptured and thrombosed aneurysm") are not split: "vertebral osteomyelitis and discitis"."""


def name_variants(name: str) -> list[str]:
    """A name, then the shorter names it contains, the most specific first.

    For "X (Y)", the name outside the brackets and the one inside: diagnoses are often written with
    another name or the cause in brackets; for a bracket inside the name, the name without it and
    with it in place of the word before it. Each name also without a clause that gives the cause,
    setting, consequence or place ("X with Y", "X from Y", "X in pregnancy", "X of the pelvis"),
    without a leading word of course or extent ("acute X"), of cause ("drug-induced X") or a spinal
    level ("L1 X"); names joined by "and" one by one; and, while two words are left, without a first
    word that says which kind it is ("cystine kidney stone"), unless it makes it another one (`_KEPT_WORDS`).
    """
    variants = [name]
    for variant in variants:  # grows while it is read: each shorter name is taken apart in turn
        shorter: list[str] = []
        if "(" in variant and variant.rstrip().endswith(")"):
            outside, _, inside = variant.rstrip()[:-1].partition("(")
            shorter += [outside, inside]
        elif inner := _INNER_BRACKETS.match(variant):
            before, word, inside, after = inner.group("before", "word", "inside", "after")
            shorter += [f"{before}{word}{after}", f"{before}{inside.strip()}{after}"]
        shorter += [_QUALIFIER_CLAUSE.sub("", variant), _COURSE_WORDS.sub("", variant)]
        shorter += [_CAUSE_WORDS.sub("", variant), _SPINAL_LEVEL.sub("", variant)]
        if joined := _JOINED_NAMES.match(variant):
            shorter += [joined.group("first"), joined.group("second")]
        leading = _LEADING_WORD.match(variant)
        if leading and leading.group("word").lower() not in _KEPT_WORDS and not _QUALIFIER_CLAUSE.search(variant):
            shorter.append(leading.group("rest"))  # never walks on into a clause of cause or consequence
        for candidate in (part.strip() for part in shorter):
            if candidate and candidate not in variants:
                variants.append(candidate)
    return variants


_UNREADABLE = object()
_LIBYAML_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, parsed by libyaml when PyYAML has it (about six times faster).

    Both loaders give the same data for every YAML file in the repository (checked when this
    was introduced). Text libyaml refuses is parsed again by the pure-Python loader, so a broken
    file is reported in the same words as before.
    """
    if _LIBYAML_LOADER is not None:
        try:
            return yaml.load(text, Loader=_LIBYAML_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def duplicate_keys(text: str) -> list[str]:
    """Keys given twice in one mapping of a YAML text, as "line N: 'key' is given twice in one mapping".

    YAML keeps the last of them without a word, so everything under the first is lost; the loaders
    above cannot see it, so `kb validate` looks for it in every file with this slower loader.
    """
    found: list[tuple[int, str]] = []

    class _Loader(_LIBYAML_LOADER or yaml.SafeLoader):  # type: ignore[misc]
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                line = key_node.start_mark.line + 1
                found.append((line, f"line {line}: '{key}' is given twice in one mapping"))
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        yaml.load(text, Loader=_Loader)  # a SafeLoader with one constructor changed
    except yaml.YAMLError:
        return []  # a file that cannot be parsed is reported by the loaders, in their words
    return [message for _, message in sorted(found)]


def _read_yaml(path: Path, root: Path, problems: list[KnowledgeBaseProblem]) -> Any:
    """The parsed file, or `_UNREADABLE` after recording why it could not be parsed."""
    relative = str(path.relative_to(root))
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
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
    by_id: bool = True,
) -> Any:
    """The validated file, or None after recording its problems (by record id, or by field path)."""
    if raw is _UNREADABLE:
        return None
    if raw is None:
        problems.append(KnowledgeBaseProblem(relative, "", "the file is empty"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for entry, message in _describe_validation_error(error, raw if by_id else None, list_key):
            problems.append(KnowledgeBaseProblem(relative, entry, message))
        return None


def _read(
    model: type[BaseModel], root: Path, relative: str, list_key: str | None, problems: list[KnowledgeBaseProblem]
) -> Any:
    """An optional file of the knowledge base, validated; None when it is missing or broken."""
    path = root / relative
    if not path.exists():
        return None
    return _validate(model, _read_yaml(path, root, problems), relative, list_key, problems, by_id=False)


Record = TypeVar("Record", bound=BaseModel)


def read_checked_file(path: Path, model: type[Record], file_name: str) -> Record:
    """One knowledge file read and validated as `model`; every problem raised as a `KnowledgeBaseError`."""
    try:
        return model.model_validate(parse_yaml(path.read_text(encoding="utf-8")))
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

    neuroanatomy = _validate(
        NeuroanatomyFile, _read_yaml(root / "neuroanatomy.yaml", root, problems), "neuroanatomy.yaml", "weights",
        problems,
    ) if (root / "neuroanatomy.yaml").exists() else None
    populations = _read(PopulationsFile, root, POPULATIONS_FILE, None, problems)
    interview = _read(InterviewPolicy, root, POLICY_FILE, None, problems)
    clusters_file = _read(ClustersFile, root, CLUSTERS_FILE, "clusters", problems)
    clusters: tuple[Cluster, ...] = tuple(clusters_file.clusters) if clusters_file is not None else ()
    instruments = {
        path.stem: instrument
        for path in sorted((root / INSTRUMENTS_FOLDER).glob("*.yaml"))
        if (instrument := _read(Instrument, root, str(path.relative_to(root)), None, problems)) is not None
    }

    if not problems:
        problems.extend(_cross_reference_problems(
            sources, findings, finding_files, conditions, condition_files, red_flags, policy
        ))
        if neuroanatomy is not None:
            problems.extend(
                KnowledgeBaseProblem("neuroanatomy.yaml", entry, message)
                for entry, message in neuroanatomy_problems(neuroanatomy, findings, sources)
            )
        if populations is not None:
            problems.extend(populations_problems(populations, findings, sources))
        if interview is not None:
            problems.extend(interview_policy_problems(interview, findings, sources))
        for instrument_id, instrument in instruments.items():
            problems.extend(instrument_problems(instrument, instrument_id, sources))
        problems.extend(_cluster_problems(clusters, findings, conditions, sources))
        problems.extend(_silence_problems(findings, finding_files, conditions, condition_files, red_flags, clusters,
                                          populations, interview))
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
        neuroanatomy=neuroanatomy,
        populations=populations,
        interview=interview,
        instruments=instruments,
        clusters=clusters,
        extra={} if neuroanatomy is None else {
            "neuroanatomy": neuroanatomy, "findings_used_elsewhere": neuroanatomy.finding_ids(),
        },
    )


CLUSTERS_FILE = "clusters.yaml"

# how closely a silence finding's written background must match the one its rate derives
SILENCE_BACKGROUND_TOLERANCE = 0.005


def _silence_problems(
    findings: Mapping[str, Finding],
    finding_files: Mapping[str, str],
    conditions: Mapping[str, Condition],
    condition_files: Mapping[str, str],
    red_flags: tuple[RedFlagRule, ...],
    clusters: tuple[Cluster, ...],
    populations: PopulationsFile | None,
    interview: InterviewPolicy | None,
) -> list[KnowledgeBaseProblem]:
    """A silence finding (`silence_about`) is weak evidence a text reader adds, so nothing else may
    read it: no condition, rule, cluster, population or interview question names it. It is silent
    about a finding that is no silence itself, and writes the background its rate derives (1 - rate x
    the finding's background), so the number shown is the number used. (Its source and finding exist:
    `_cross_reference_problems` checks them with every other id.)"""
    problems: list[KnowledgeBaseProblem] = []
    silent = {finding.id for finding in findings.values() if finding.silence_about is not None}
    for finding_id in sorted(silent):
        finding = findings[finding_id]
        about = finding.silence_about
        assert about is not None
        file = finding_files[finding_id]
        named = findings.get(about.finding)
        if named is None:
            continue  # reported as an unknown finding
        if named.silence_about is not None:
            problems.append(KnowledgeBaseProblem(
                file, finding_id, f"silence_about names '{about.finding}', which is no finding a person can mention"
            ))
            continue
        derived = 1.0 - about.mention_rate.value * named.background.value
        if abs(finding.background.value - derived) > SILENCE_BACKGROUND_TOLERANCE:
            problems.append(KnowledgeBaseProblem(
                file, finding_id,
                f"the background must be 1 - rate x the background of '{about.finding}' ({derived:.3f})",
            ))
    if not silent:
        return problems

    def named_by(ids: Iterable[str], file: str, entry: str, what: str) -> None:
        for finding_id in sorted(silent.intersection(ids)):
            problems.append(KnowledgeBaseProblem(
                file, entry, f"{what} names the silence finding '{finding_id}', which only a text reader sets"
            ))

    for finding in findings.values():
        named_by([*finding.implies, *(part for parts in finding.divisions for part in parts)],
                 finding_files[finding.id], finding.id, "implies, sides or splits")
        if finding.settled_by_age is not None:
            named_by(finding.settled_by_age.given_any, finding_files[finding.id], finding.id, "settled_by_age")
    for condition in conditions.values():
        file = condition_files[condition.id]
        named_by((item.finding for item in condition.likelihoods), file, condition.id, "a likelihood")
        named_by(condition.form_findings, file, condition.id, "a form")
        for modifier in condition.prior_modifiers:
            named_by(expression_findings(modifier.when), file, condition.id, "a prior modifier")
        named_by([*condition.top_symptoms, *condition.always, *condition.never], file, condition.id, "the card")
    for rule in red_flags:
        named_by(expression_findings(rule.when), "red_flags.yaml", rule.id, "the rule")
    for cluster in clusters:
        named_by((f for member in cluster.members for f in expression_findings(member)), CLUSTERS_FILE, cluster.id,
                 "the cluster")
    if populations is not None:
        for entry in populations.population_notes:
            named_by(expression_findings(entry.when), POPULATIONS_FILE, entry.id, "the group")
    if interview is not None:
        asked = [item.finding for checklist in interview.checklists for item in checklist.items]
        asked += [scale.finding for scale in interview.scales]
        named_by(asked, POLICY_FILE, "questions", "a checklist or scale")
    return problems


def _cluster_problems(
    clusters: tuple[Cluster, ...], findings: dict[str, Finding], conditions: dict[str, Condition],
    sources: dict[str, Source],
) -> list[KnowledgeBaseProblem]:
    """Each cluster names a known condition, findings and source, once per id."""
    problems: list[KnowledgeBaseProblem] = []
    seen: set[str] = set()
    for cluster in clusters:
        def problem(message: str, cluster_id: str = cluster.id) -> None:
            problems.append(KnowledgeBaseProblem(CLUSTERS_FILE, cluster_id, message))

        if cluster.id in seen:
            problem("duplicate cluster id")
        seen.add(cluster.id)
        if cluster.condition not in conditions:
            problem(f"names unknown condition '{cluster.condition}'")
        if cluster.source not in sources:
            problem(f"names unknown source '{cluster.source}'")
        for member in cluster.members:
            for finding in sorted(expression_findings(member) - findings.keys()):
                problem(f"a member names unknown finding '{finding}'")
        for ratio in cluster.ratios:
            bound = ratio.positive_at_least if ratio.positive_at_least is not None else ratio.positive_at_most
            if bound is not None and bound > len(cluster.members):
                problem(f"a ratio counts {bound} positive members of {len(cluster.members)}")
    return problems


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

    for finding in findings.values():
        need_source(finding.background.source, finding_files[finding.id], finding.id, "background")
        need_findings(finding.implies, finding_files[finding.id], finding.id, "implies")
        need_findings(finding.sides, finding_files[finding.id], finding.id, "sides")
        for parts in finding.splits:
            need_findings(parts, finding_files[finding.id], finding.id, "splits")
        for part in (part for parts in finding.divisions for part in parts):
            if part in findings and findings[part].implies != [finding.id]:
                problems.append(KnowledgeBaseProblem(
                    finding_files[finding.id], finding.id, f"part '{part}' must imply '{finding.id}' and nothing else"
                ))
        general = findings.get(finding.implies[0]) if len(finding.implies) == 1 else None
        if general is not None and finding.background.value > general.background.value:
            # a share is less than the whole (ADR 0014)
            problems.append(KnowledgeBaseProblem(
                finding_files[finding.id], finding.id,
                f"background {finding.background.value:g} is above the {general.background.value:g} of "
                f"'{general.id}', which it implies: a specific finding cannot be commoner than its general one",
            ))
        if finding.settled_by_age is not None:
            need_findings(finding.settled_by_age.given_any, finding_files[finding.id], finding.id, "settled_by_age")
        if finding.silence_about is not None:
            need_source(finding.silence_about.mention_rate.source, finding_files[finding.id], finding.id,
                        "the mention rate")
            need_findings([finding.silence_about.finding], finding_files[finding.id], finding.id, "silence_about")
    for finding_id in _implication_cycle(findings):
        problems.append(KnowledgeBaseProblem(
            finding_files[finding_id], finding_id, "its 'implies' lead back to itself"
        ))

    for condition in conditions.values():
        file = condition_files[condition.id]
        need_source(condition.prior.source, file, condition.id, "prior")
        need_source(condition.care.source, file, condition.id, "care")
        for item in condition.likelihoods:
            need_source(item.source, file, condition.id, f"likelihood of {item.finding}")
        need_findings((item.finding for item in condition.likelihoods), file, condition.id, "a likelihood")
        for form in condition.forms:
            need_source(form.share.source, file, condition.id, f"the share of form '{form.id}'")
            if form.urgency_source is not None:
                need_source(form.urgency_source, file, condition.id, f"the urgency of form '{form.id}'")
            for item in form.likelihoods:
                need_source(item.source, file, condition.id, f"likelihood of {item.finding} in form '{form.id}'")
        need_findings(condition.form_findings, file, condition.id, "a form")
        for modifier in condition.prior_modifiers:
            need_source(modifier.source, file, condition.id, "a prior modifier")
            need_findings(expression_findings(modifier.when), file, condition.id, "a prior modifier")
        for treatment in condition.care.treatments:
            need_source(treatment.source, file, condition.id, f"treatment '{treatment.name}'")
        need_findings(condition.top_symptoms, file, condition.id, "top_symptoms")
        need_findings(condition.always, file, condition.id, "always")
        need_findings(condition.never, file, condition.id, "never")

    for rule in red_flags:
        need_source(rule.source, "red_flags.yaml", rule.id, "the rule")
        need_findings(expression_findings(rule.when), "red_flags.yaml", rule.id, "the rule")
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
        need_source(policy.incomplete.source, "triage.yaml", "incomplete", "the level of an incomplete result")
        if policy.serious_share is not None:
            need_source(policy.serious_share.source, "triage.yaml", "serious_share", "the serious share")
            for condition_id in policy.serious_share.conditions:
                if condition_id not in conditions:
                    problems.append(KnowledgeBaseProblem(
                        "triage.yaml", "serious_share", f"counts unknown condition '{condition_id}'"
                    ))
    return problems


def populations_problems(
    populations: PopulationsFile, findings: Mapping[str, Finding], sources: Mapping[str, Source]
) -> list[KnowledgeBaseProblem]:
    """Every source and finding the population groups name must exist; ids are unique."""
    problems: list[KnowledgeBaseProblem] = []
    limit_source = populations.age_limit.source
    if limit_source not in sources:
        problems.append(KnowledgeBaseProblem(POPULATIONS_FILE, "age_limit", f"names unknown source '{limit_source}'"))
    seen: set[str] = set()
    for entry in populations.population_notes:
        if entry.id in seen:
            problems.append(KnowledgeBaseProblem(POPULATIONS_FILE, entry.id, "duplicate id"))
        seen.add(entry.id)
        if entry.source not in sources:
            problems.append(KnowledgeBaseProblem(POPULATIONS_FILE, entry.id, f"names unknown source '{entry.source}'"))
        for finding in sorted(expression_findings(entry.when) - findings.keys()):
            problems.append(KnowledgeBaseProblem(POPULATIONS_FILE, entry.id, f"names unknown finding '{finding}'"))
    return problems


def interview_policy_problems(
    policy: InterviewPolicy, findings: Mapping[str, Finding], sources: Mapping[str, Source]
) -> list[KnowledgeBaseProblem]:
    """What the interview policy names wrongly: an unknown source; unknown questions or findings in
    `ask_only_when`; checklist items that are unknown, clinician-only, grouped or repeated; checklist
    and scale ids that clash with other questions; a scale on a finding that cannot be asked alone;
    opening questions that do not exist."""
    problems: list[KnowledgeBaseProblem] = []
    if policy.source not in sources:
        problems.append(KnowledgeBaseProblem(POLICY_FILE, "source", f"unknown source '{policy.source}'"))
    taken: dict[str, str] = {}
    names = set(findings) | {f.exclusive_group for f in findings.values() if f.exclusive_group}
    asked_ids = names | {checklist.id for checklist in policy.checklists} | {scale.id for scale in policy.scales}
    for number, rule in enumerate(policy.ask_only_when):
        if rule.question not in asked_ids:
            problems.append(KnowledgeBaseProblem(
                POLICY_FILE, f"ask_only_when.{number}.question", f"unknown question '{rule.question}'"
            ))
        for finding in sorted(expression_findings(rule.when) - findings.keys()):
            problems.append(
                KnowledgeBaseProblem(POLICY_FILE, f"ask_only_when.{number}.when", f"unknown finding '{finding}'")
            )
    taken.update({scale.finding: scale.id for scale in policy.scales})
    for number, scale in enumerate(policy.scales):
        where = f"scales.{number}"
        if scale.id in names:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"{where}.id", f"'{scale.id}' is already a question id"))
        names.add(scale.id)
        known_finding = findings.get(scale.finding)
        if known_finding is None:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"{where}.finding", f"unknown finding '{scale.finding}'"))
        elif known_finding.clinician_only or known_finding.exclusive_group is not None:
            problems.append(KnowledgeBaseProblem(
                POLICY_FILE, f"{where}.finding", f"'{scale.finding}' cannot be asked on a scale"
            ))
    for number, checklist in enumerate(policy.checklists):
        where = f"checklists.{number}"
        if checklist.id in names:
            problems.append(
                KnowledgeBaseProblem(POLICY_FILE, f"{where}.id", f"'{checklist.id}' is already a question id")
            )
        names.add(checklist.id)
        for position, item in enumerate(checklist.items):
            place = f"{where}.items.{position}.finding"
            known = findings.get(item.finding)
            if known is None:
                problems.append(KnowledgeBaseProblem(POLICY_FILE, place, f"unknown finding '{item.finding}'"))
            elif known.clinician_only and not checklist.results:
                problems.append(KnowledgeBaseProblem(POLICY_FILE, place, f"'{item.finding}' is for clinicians only"))
            elif known.exclusive_group is not None:
                problems.append(KnowledgeBaseProblem(
                    POLICY_FILE, place, f"'{item.finding}' is asked as the choice '{known.exclusive_group}'"
                ))
            elif item.finding in taken:
                problems.append(KnowledgeBaseProblem(
                    POLICY_FILE, place, f"'{item.finding}' is already on the checklist '{taken[item.finding]}'"
                ))
            taken[item.finding] = checklist.id
    for number, question_id in enumerate(policy.opening):
        if question_id not in names:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"opening.{number}", f"unknown question '{question_id}'"))
    return problems


def interview_policy(kb: KnowledgeBase) -> InterviewPolicy:
    """The knowledge base's interview policy; a base without `interview.yaml` uses the packaged one,
    which must then fit its findings."""
    if kb.interview is not None:
        return kb.interview
    problems: list[KnowledgeBaseProblem] = []
    packaged = _read(InterviewPolicy, DEFAULT_ROOT, POLICY_FILE, None, problems)
    if packaged is not None:
        problems.extend(interview_policy_problems(packaged, kb.findings, kb.sources))
    if problems or packaged is None:
        raise KnowledgeBaseError(problems or [KnowledgeBaseProblem(POLICY_FILE, "", "the file is missing")])
    policy: InterviewPolicy = packaged
    return policy


def instrument_problems(
    instrument: Instrument, instrument_id: str, sources: Mapping[str, Source] | set[str]
) -> list[KnowledgeBaseProblem]:
    """A questionnaire file is named for its id and cites known sources."""
    relative = f"{INSTRUMENTS_FOLDER}/{instrument_id}.yaml"
    if instrument.id != instrument_id:
        return [KnowledgeBaseProblem(relative, instrument.id, f"the file must be named {instrument.id}.yaml")]
    missing = sorted(instrument.source_ids() - set(sources))
    if missing:
        return [KnowledgeBaseProblem(
            relative, instrument.id, f"names unknown source(s) {', '.join(missing)} (add them to sources.yaml)"
        )]
    return []


def available_instruments(root: Path | None = None) -> list[str]:
    """Ids of the questionnaire files in the knowledge folder."""
    folder = (root or DEFAULT_ROOT).resolve() / INSTRUMENTS_FOLDER
    return sorted(path.stem for path in folder.glob("*.yaml"))


def read_instrument(instrument_id: str, root: Path | None = None) -> Instrument:
    """One questionnaire file, validated as `load_knowledge_base` validates it, without the rest."""
    return _read_instrument_cached((root or DEFAULT_ROOT).resolve(), instrument_id)


@lru_cache(maxsize=32)
def _read_instrument_cached(root: Path, instrument_id: str) -> Instrument:
    relative = f"{INSTRUMENTS_FOLDER}/{instrument_id}.yaml"
    if not instrument_id.replace("_", "").isalnum() or not (root / relative).is_file():
        known = ", ".join(available_instruments(root)) or "none"
        raise KnowledgeBaseError([
            KnowledgeBaseProblem(relative, "", f"no such instrument file (instruments available: {known})")
        ])
    problems: list[KnowledgeBaseProblem] = []
    instrument: Instrument | None = _read(Instrument, root, relative, None, problems)
    if instrument is None:
        raise KnowledgeBaseError(problems)
    sources: SourcesFile | None = _read(SourcesFile, root, "sources.yaml", "sources", problems)
    if problems:
        unreadable = KnowledgeBaseProblem("sources.yaml", "", "cannot be read; run `spinecheck kb validate`")
        raise KnowledgeBaseError([unreadable])
    source_ids = {source.id for source in sources.sources} if sources is not None else set()
    problems = instrument_problems(instrument, instrument_id, source_ids)
    if problems:
        raise KnowledgeBaseError(problems)
    return instrument


__all__ = [
    "DEFAULT_ROOT",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBaseProblem",
    "available_instruments",
    "interview_policy",
    "load_knowledge_base",
    "read_instrument",
]


def implied_by(findings: Mapping[str, Finding]) -> dict[str, frozenset[str]]:
    """Finding id -> every finding it implies, directly or through others (known ids only)."""
    closure: dict[str, frozenset[str]] = {}

    def reach(finding_id: str, path: frozenset[str]) -> frozenset[str]:
        if finding_id in closure:
            return closure[finding_id]
        found: set[str] = set()
        for parent in findings[finding_id].implies:
            if parent in findings and parent not in path:
                found.add(parent)
                found |= reach(parent, path | {parent})
        closure[finding_id] = frozenset(found)
        return closure[finding_id]

    for finding_id in findings:
        reach(finding_id, frozenset({finding_id}))
    return closure


def _implication_cycle(findings: Mapping[str, Finding]) -> list[str]:
    """Findings that imply themselves through a chain of 'implies' (each such finding once)."""
    looping: list[str] = []
    for finding_id in sorted(findings):
        seen: set[str] = set()
        frontier = [parent for parent in findings[finding_id].implies if parent in findings]
        while frontier:
            current = frontier.pop()
            if current == finding_id:
                looping.append(finding_id)
                break
            if current not in seen:
                seen.add(current)
                frontier.extend(parent for parent in findings[current].implies if parent in findings)
    return looping

