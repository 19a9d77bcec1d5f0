"""Use-case: assess a person from findings (and, with the NLP adapter, from their own words)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


MAX_FILE_BYTES = 1_000_000
"""A findings file, vignette file or description longer than this is refused (it is not one case)."""


class FindingsInput(BaseModel):
    """A findings file: `{"present": [...], "absent": [...]}` or `{"findings": {"id": true|false|null}}`,
    with optional `age` and `sex`, and an optional `id` naming the case (as a vignette's does; it is
    not read). Any other key is an error, so a typo is never silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str | None = Field(default=None, max_length=200)

    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    findings: dict[str, bool | None] = Field(default_factory=dict)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None


def evidence_from_mapping(data: object) -> Evidence:
    """Evidence from a findings file's content (see `FindingsInput`); answers given both ways are
    kept both ways, for `assess` to report and read the safer way."""
    if not isinstance(data, Mapping):
        raise EvidenceError("a findings file must hold one JSON object, such as {\"present\": [\"low_back_pain\"]}")
    try:
        parsed = FindingsInput.model_validate(data)
    except ValidationError as error:
        raise EvidenceError(_first_validation_message(error)) from None
    present = set(split_ids(parsed.present))
    absent = set(split_ids(parsed.absent))
    present.update(finding for finding, value in parsed.findings.items() if value is True)
    absent.update(finding for finding, value in parsed.findings.items() if value is False)
    return Evidence(present=frozenset(present), absent=frozenset(absent), age=parsed.age, sex=parsed.sex)


def read_text_file(path: Path, what: str = "file") -> str:
    """A UTF-8 text file's content, or one clear error: missing, a folder, unreadable, too big, not text."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise EvidenceError(f"no such {what}: {path}") from None
    except IsADirectoryError:
        raise EvidenceError(f"{path} is a folder, not a {what}") from None
    except PermissionError:
        raise EvidenceError(f"{path} cannot be read (permission denied)") from None
    except OSError as error:
        raise EvidenceError(f"{path} cannot be read ({error.strerror or error})") from None
    except ValueError:  # a name holding a null character, which no file system allows
        raise EvidenceError(f"the {what} name {str(path)!r} holds a character no file name can have") from None
    if len(data) > MAX_FILE_BYTES:
        raise EvidenceError(f"{path} is larger than {MAX_FILE_BYTES:,} bytes; spinecheck reads one case at a time")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError(f"{path} is not a text file (it is not valid UTF-8)") from None


def parse_json(text: str, where: str) -> object:
    """JSON text as Python data, or one clear error naming `where` (a file, or a file and line)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise EvidenceError(f"{where} is not valid JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise EvidenceError(f"{where} is nested too deeply to be a findings file") from None
    except ValueError as error:  # for example an integer with thousands of digits
        raise EvidenceError(f"{where} holds a value that cannot be read: {error}") from None


def evidence_from_file(path: Path) -> Evidence:
    return evidence_from_mapping(parse_json(read_text_file(path, "findings file"), str(path)))


def _first_validation_message(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg"))
        if first.get("type") == "extra_forbidden":
            allowed = ", ".join(FindingsInput.model_fields)
            return f"unknown key '{field}' (the keys are: {allowed})"
        return f"{field}: {message}" if field else message
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
