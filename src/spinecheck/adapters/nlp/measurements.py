"""Numbers with units: a stated measurement read against the cut-off in the finding's own definition.

"CRP 84", "heart rate of 124/min", "BP 82/50", "900 mL residual": the lexicon says how each
quantity is written (`measurements`), the knowledge base says where its cut-off lies (`cutoffs`
of the finding). A value past the cut-off makes the finding present; a value inside it is not
read as a finding, and the words are not read by meaning either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from spinecheck.adapters.nlp.lexicon import Lexicon, MeasurementWords
from spinecheck.core.kb.schema import CutOff, Finding

NUMBER = r"(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)"


@dataclass(frozen=True, slots=True)
class Measurement:
    """One stated value of a quantity, where it stands, and whether it passes the finding's cut-off."""

    quantity: str
    finding: str
    value: float
    start: int
    end: int
    passed: bool


def _alternatives(words: list[str], acronym_max_length: int) -> str:
    """A regex alternation; short names in capitals ("T", "HR") keep their case."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        is_acronym = word.isupper() and word.isalpha() and len(word) <= acronym_max_length
        parts.append(f"(?-i:{escaped})" if is_acronym else escaped)
    return "|".join(parts)


class MeasurementReader:
    """Compiled once per reader: one pattern per quantity that some finding gives a cut-off for."""

    def __init__(self, findings: Mapping[str, Finding], lexicon: Lexicon) -> None:
        self._rules: list[tuple[str, str, CutOff, MeasurementWords, list[re.Pattern[str]]]] = []
        approximately = _alternatives(lexicon.approximately, 0)
        for finding in findings.values():
            for cutoff in finding.cutoffs:
                words = lexicon.measurements.get(cutoff.quantity)
                if words is None:
                    continue
                names = _alternatives(words.names, lexicon.acronym_max_length)
                units = _alternatives(words.units, lexicon.acronym_max_length) if words.units else None
                if units and words.unit_required:
                    unit = rf"\s*(?:{units})(?![\w/])"
                else:
                    unit = rf"(?:\s*(?:{units}))?" if units else ""
                gap = rf"(?:\s+[a-z]+){{0,{words.max_gap}}}?"
                patterns = [
                    re.compile(rf"(?<![\w-])(?:{names})(?![\w]){gap}\s*[:=]?\s*(?:{approximately})?\s*{NUMBER}"
                               rf"(?:\s*/\s*\d+)?{unit}", re.IGNORECASE),
                ]
                if words.name_may_follow and units:
                    patterns.append(re.compile(
                        rf"(?<![\w.]){NUMBER}\s*(?:{units})(?:\s+[a-z]+){{0,{words.max_gap}}}?\s+(?:{names})\b",
                        re.IGNORECASE,
                    ))
                self._rules.append((cutoff.quantity, finding.id, cutoff, words, patterns))

    def read(self, text: str) -> list[Measurement]:
        """Every measurement stated in the text, in order."""
        found: list[Measurement] = []
        for quantity, finding, cutoff, words, patterns in self._rules:
            for pattern in patterns:
                for match in pattern.finditer(text):
                    value = float(match.group("value").replace(",", ""))
                    for conversion in words.convert:
                        if value > conversion.above:
                            value = (value + conversion.offset) * conversion.scale
                            break
                    found.append(Measurement(quantity, finding, value, match.start(), match.end(),
                                             cutoff.passed_by(value)))
        found.sort(key=lambda m: m.start)
        return found
