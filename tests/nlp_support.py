"""The free-text reader built once for the NLP tests, from the shipped findings and lexicon.

Only the findings files are read, so the reader can be tested while conditions change.
"""

from __future__ import annotations

from functools import lru_cache

from spinecheck.adapters.nlp import NarrativeParser, lexicon_path, load_lexicon
from spinecheck.core.kb.loader import DEFAULT_ROOT, parse_yaml
from spinecheck.core.kb.schema import Finding, FindingsFile
from spinecheck.core.text import ParseResult


@lru_cache(maxsize=1)
def shipped_findings() -> dict[str, Finding]:
    findings: dict[str, Finding] = {}
    for path in sorted((DEFAULT_ROOT / "findings").glob("*.yaml")):
        parsed = FindingsFile.model_validate(parse_yaml(path.read_text(encoding="utf-8")))
        findings.update({finding.id: finding for finding in parsed.findings})
    return findings


@lru_cache(maxsize=1)
def shipped_parser() -> NarrativeParser:
    return NarrativeParser(shipped_findings(), load_lexicon(lexicon_path()))


def present_counts(result: ParseResult, expected: set[str]) -> tuple[int, int, int]:
    """True positives, false positives and false negatives for the present findings of one sentence.

    A finding the reader only deduced from another ("implied") counts when expected and is not
    held against precision when it is not.
    """
    stated = {f.id for f in result.present if f.via != "implied"}
    found = set(result.present_ids)
    return len(found & expected), len(stated - expected), len(expected - found)
