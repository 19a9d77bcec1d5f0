"""Numbers with units: a stated measurement read against the cut-off in the finding's own definition.

"CRP 84", "heart rate of 124/min", "BP 82/50", "900 mL residual": the lexicon says how each
quantity is written (`measurements`), the knowledge base says where its cut-off lies (`cutoffs`
of the finding). A value past the cut-off makes the finding present; values inside the cut-offs of
every quantity a finding is measured by make it absent (unless the lexicon says a quantity never rules
its finding out, or words name the finding as there), and the words are not read by meaning either. A
value in another unit is brought to the cut-off's (`convert` by size, `unit_scales` by the unit written).
Where the finding is a value outside the laboratory's normal range (`stated_range_decides`), a normal range
told in brackets right after the value ("CRP 11.5 (normal below 5)") decides in place of the usual limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from spinecheck.adapters.nlp.lexicon import Lexicon, MeasurementWords
from spinecheck.core.kb.schema import CutOff, Finding

NUMBER = r"(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)"
# The other end of a range: "6 or 7 out of 10", "4 to 9/10", "CRP 80-120".
UPPER = r"(?:\s*(?:-|\u2013|to|or)\s*(?P<upper>\d+(?:\.\d+)?))?"
# A minus sign before a value of a quantity that can be below zero: "-2.7", "\u22122.7" (the typographic minus).
SIGN = r"(?P<sign>[-\u2212\u2013]\s?)?"
# A second rating on the same scale going on from a stated one, told of another time or activity: "4/10 at rest and
# 9/10 on walking", "4/10 at rest, rising to 9/10" (a few words between them, then "and" or a comma, and at most two
# words before the second value).
NEXT_VALUE = (r"(?:\s+[a-z]+){0,4}?\s*(?:,\s*(?:and\s+|but\s+)?|\s+(?:and|but|whereas|while)\s+)(?:[a-z]+\s+){0,2}?"
              r"(?P<value>\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True, slots=True)
class Measurement:
    """One stated value of a quantity, where it stands, and whether it passes the finding's cut-off."""

    quantity: str
    finding: str
    value: float
    start: int
    end: int
    passed: bool
    from_age: int | None = None  # the cut-off's own: below it, or with no age told, the value says nothing


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
        self._next_value: dict[str, re.Pattern[str]] = {}  # per rating scale: a second rating going on from one
        self._stated_range = self._stated_range_pattern(lexicon)
        approximately = _alternatives(lexicon.approximately, 0)
        self._differences = frozenset(word.lower() for word in lexicon.differences)
        for finding in findings.values():
            for cutoff in finding.cutoffs:
                words = lexicon.measurements.get(cutoff.quantity)
                if words is None:
                    continue
                names = _alternatives(words.names, lexicon.acronym_max_length)
                units = _alternatives(words.units, lexicon.acronym_max_length) if words.units else None
                if units and words.unit_required:
                    unit = rf"\s*(?P<unit>{units})(?![\w/])"
                else:
                    unit = rf"(?:\s*(?P<unit>{units}))?" if units else ""
                gap = rf"(?:\s+\(?[a-z]+){{0,{words.max_gap}}}?"  # words, the first of an aside too: "(now 9/10)"
                number = rf"{SIGN}{NUMBER}(?P<upper>)" if words.signed else f"{NUMBER}{UPPER}"
                patterns = [
                    # the value may follow its name after a colon, a bracket or a comma: "pain, 9/10"
                    re.compile(rf"(?<![\w-])(?:{names})(?![\w]){gap}\s*[:=(,]?\s*(?:{approximately})?\s*{number}"
                               rf"(?:\s*/\s*\d+)?{unit}", re.IGNORECASE),
                ]
                if words.name_may_follow and units:
                    patterns.append(re.compile(
                        rf"(?<![\w.]){NUMBER}{UPPER}\s*(?:{units})(?:\s+[a-z]+){{0,{words.max_gap}}}?\s+(?:{names})\b",
                        re.IGNORECASE,
                    ))
                if words.own_units:
                    own = _alternatives(words.own_units, lexicon.acronym_max_length)
                    patterns.append(re.compile(rf"(?<![\w.]){NUMBER}{UPPER}\s*(?:{own})(?![\w/])", re.IGNORECASE))
                self._rules.append((cutoff.quantity, finding.id, cutoff, words, patterns))

    def read(self, text: str) -> list[Measurement]:
        """Every measurement stated in the text, in order."""
        found: list[Measurement] = []
        for quantity, finding, cutoff, words, patterns in self._rules:
            spans: list[tuple[int, int]] = []
            for pattern in patterns:
                for match in pattern.finditer(text):
                    if any(match.start() < end and start < match.end() for start, end in spans):
                        continue  # one value, found by its name and by its own unit
                    before_value = text[match.start():match.start("value")].lower().split()
                    if self._differences.intersection(before_value):
                        continue  # "differs by 30 mmHg": a difference, not the value
                    sign = -1.0 if match.groupdict().get("sign") else 1.0
                    scale = self._unit_scale(match.groupdict().get("unit"), words)
                    ends = [sign * scale * self._converted(match.group("value"), words)]
                    if not words.could_be(ends[0]):
                        continue  # no value a person can have: the number is something else ("type 2")
                    spans.append((match.start(), match.end()))
                    if match.group("upper"):
                        ends.append(scale * self._converted(match.group("upper"), words))
                    # A range passes when either end does: when unsure, the safer reading.
                    passing = [value for value in ends if cutoff.passed_by(value)]
                    value = passing[0] if passing else ends[-1]
                    passed = bool(passing)
                    end = match.end()
                    if cutoff.stated_range_decides and (stated := self._stated_limits(text, end)) is not None:
                        # the laboratory's own range, told beside the value, in the value's own unit
                        low, high, end = stated
                        raw = float(match.group("value").replace(",", ""))
                        limit = high if cutoff.is_upper else low
                        if limit is not None:
                            passed = raw > limit if cutoff.is_upper else raw < limit
                    found.append(Measurement(quantity, finding, value, match.start(), end, passed, cutoff.from_age))
                    found.extend(self._next_ratings(text, match, quantity, finding, cutoff, words, spans))
        found.sort(key=lambda m: m.start)
        return found

    def _next_ratings(
        self, text: str, match: re.Match[str], quantity: str, finding: str, cutoff: CutOff, words: MeasurementWords,
        spans: list[tuple[int, int]],
    ) -> list[Measurement]:
        """The ratings on the same scale that go on from a stated one ("4/10 at rest, rising to 9/10 on walking"): each
        is of the same quantity, though its name is not repeated before it. (Power grades are left to their own
        reading: a second grade read this way also reads grades held down by pain as a weak muscle;
        docs/vignettes.md, nineteenth round.)"""
        unit = match.groupdict().get("unit")
        if unit is None or not unit.startswith("/"):
            return []
        following_value = self._next_value.get(unit)
        if following_value is None:  # made once for each rating's own scale ("/10")
            following_value = self._next_value[unit] = re.compile(NEXT_VALUE + re.escape(unit) + r"(?![\w/])",
                                                                  re.IGNORECASE)
        ratings: list[Measurement] = []
        end = match.end()
        while (following := following_value.match(text, end)) is not None:
            value = self._converted(following.group("value"), words)
            if not words.could_be(value):
                break
            start = following.start("value")
            spans.append((start, following.end()))
            ratings.append(Measurement(quantity, finding, value, start, following.end(), cutoff.passed_by(value),
                                       cutoff.from_age))
            end = following.end()
        return ratings

    @staticmethod
    def _stated_range_pattern(lexicon: Lexicon) -> re.Pattern[str] | None:
        """A normal range in brackets right after a value: "(normal below 5)", "(ref 20-170)", "(normal 8.4-10.2)"."""
        spec = lexicon.stated_ranges
        if spec is None:
            return None
        openers, below, above = (_alternatives(words, 0) for words in (spec.openers, spec.below, spec.above))
        between = _alternatives(spec.between, 0)
        number = r"\d+(?:\.\d+)?"
        return re.compile(
            rf"\s*[(\[]\s*(?:{openers})\b[\s:,]*(?:(?:{below})\s*(?P<upper_limit>{number})"
            rf"|(?:{above})\s*(?P<lower_limit>{number})"
            rf"|(?P<low>{number})\s*(?:{between})\s*(?P<high>{number}))[^)\]]{{0,20}}[)\]]",
            re.IGNORECASE,
        )

    def _stated_limits(self, text: str, at: int) -> tuple[float | None, float | None, int] | None:
        """The lower and upper limits of a normal range told right after position `at`, and where it ends."""
        if self._stated_range is None:
            return None
        match = self._stated_range.match(text, at)
        if match is None:
            return None
        groups = match.groupdict()
        if groups["low"] is not None:
            return float(groups["low"]), float(groups["high"]), match.end()
        if groups["upper_limit"] is not None:
            return None, float(groups["upper_limit"]), match.end()
        return float(groups["lower_limit"]), None, match.end()

    @staticmethod
    def _unit_scale(unit: str | None, words: MeasurementWords) -> float:
        """What a value written in `unit` is multiplied by to be in the cut-off's unit (1 for the cut-off's own)."""
        if not unit or not words.unit_scales:
            return 1.0
        written = unit.strip().lower()
        return next((scale for name, scale in words.unit_scales.items() if name.lower() == written), 1.0)

    @staticmethod
    def _converted(raw: str, words: MeasurementWords) -> float:
        """The stated number in the finding's unit (the lexicon's `convert` steps, e.g. °F to °C)."""
        value = float(raw.replace(",", ""))
        for conversion in words.convert:
            if value > conversion.above:
                return (value + conversion.offset) * conversion.scale
        return value
