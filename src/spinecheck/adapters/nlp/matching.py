"""spaCy's token-pattern Matcher, run on each description with only the patterns it can match.

spaCy's Matcher tries every pattern at every token: with some 700 patterns that was more than half
of the time spent reading a description, although a description of a few sentences holds the
words of about ten of them. Most patterns name words a match must contain ("numb" or "tingly",
then "groin" or "bottom"); a pattern whose required words are not all in the text cannot match,
so it is left out.

The result is exactly spaCy's, in spaCy's order. spaCy follows each pattern through the text on
its own, so the matches of a few patterns run together come out as they would among all of them
(in the same order, the others adding nothing). Each pattern that can match is first run alone;
when more than one finds something, those patterns are run again together, in the order they
were added, by a Matcher kept for that combination.

A matcher made with `open_repeats` runs a bounded repeat faster. spaCy spells "OP": "{0,14}" (a
gap of up to fourteen words) as fourteen optional tokens and follows every way of filling them:
after k words of a gap it holds up to C(14, k) states, thousands for each place a pattern may
start, which was most of the time spent reading a description. Such a matcher runs each repeat
unbounded ("{n,}": one state per gap), with the alignment of each match, and keeps a match when
its alignment puts no more words in the repeat than the bound allows; spaCy keeps one alignment of
each span, so a span whose kept alignment is too long is tried once more by the bounded pattern on
that span alone. The matches are exactly the bounded patterns' matches, but among matches that
end on the same token their order may differ from spaCy's, so a caller that needs an order sorts
them (the body-part pairs do).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

# Token attributes a pattern can require a word in, and the Token property that holds the word.
_WORD_ATTRS = {"NORM": "norm_", "LOWER": "lower_", "ORTH": "text", "TEXT": "text"}
_AT_LEAST = re.compile(r"\{(\d+)(?:,\d*)?\}")
_BOUNDED = re.compile(r"\{(\d*),(\d+)\}")
# a bounded repeat allowing this many optional tokens or more is run unbounded (below this, spaCy's
# own expansion holds few states)
UNBOUNDED_FROM = 3
_OWN_KEY = "\x00anchored pattern {}"  # the key a pattern run unbounded is matched under, to be told apart

Need = tuple[str, frozenset[str]]
Match = tuple[int, int, int]


def _required(spec: Mapping[str, Any]) -> bool:
    """Whether a token of a pattern must be there: no operator, '+', or '{n}' / '{n,m}' / '{n,}' with n >= 1."""
    op = spec.get("OP")
    if op is None or op == "+":
        return True
    found = _AT_LEAST.fullmatch(op) if isinstance(op, str) else None
    return found is not None and int(found.group(1)) >= 1


def required_words(pattern: Sequence[Mapping[str, Any]]) -> list[Need]:
    """(token property, words): for each, a token of the text must have one of the words for the pattern to match.

    Only what is certain is kept: a token that must be there and whose NORM, LOWER or TEXT must
    equal a word or be in a list. Anything else (optional tokens, NOT_IN, REGEX, other
    attributes) is simply not a requirement, so a pattern is never left out wrongly.
    """
    needs: list[Need] = []
    for spec in pattern:
        if not _required(spec):
            continue
        for attr, value in spec.items():
            prop = _WORD_ATTRS.get(attr.upper()) if isinstance(attr, str) else None
            if prop is None:
                continue
            if isinstance(value, str):
                needs.append((prop, frozenset([value])))
            elif isinstance(value, dict) and isinstance(value.get("IN"), list) and all(
                isinstance(word, str) for word in value["IN"]
            ):
                needs.append((prop, frozenset(value["IN"])))
    return needs


def bounded_repeats(pattern: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """(token index, most) of each repeat "{n,m}" allowing at least `UNBOUNDED_FROM` optional tokens."""
    repeats: list[tuple[int, int]] = []
    for index, spec in enumerate(pattern):
        op = spec.get("OP")
        found = _BOUNDED.fullmatch(op) if isinstance(op, str) else None
        if found is not None and int(found.group(2)) - int(found.group(1) or 0) >= UNBOUNDED_FROM:
            repeats.append((index, int(found.group(2))))
    return repeats


def unbounded(pattern: Sequence[Mapping[str, Any]], repeats: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    """The pattern with each of those repeats left open above: "{0,14}" as "*", "{2,8}" as "{2,}"."""
    opened = [dict(spec) for spec in pattern]
    for index, _ in repeats:
        found = _BOUNDED.fullmatch(opened[index]["OP"])
        assert found is not None
        least = int(found.group(1) or 0)
        opened[index]["OP"] = "*" if least == 0 else f"{{{least},}}"
    return opened


class AnchoredMatcher:
    """A drop-in for `spacy.matcher.Matcher(...)(doc)` over many patterns, one key per pattern."""

    def __init__(
        self, vocab: Any, *, validate: bool = True, combinations: int = 2048, open_repeats: bool = False,
    ) -> None:
        self._vocab = vocab
        self._open_repeats = open_repeats
        self._validate = validate
        self._patterns: list[tuple[str, list[dict[str, Any]]]] = []
        # Each pattern alone, made the first time a description holds its words: most patterns are
        # never needed in a process, and making all of them took a tenth of the reader's start-up.
        self._alone: list[Any] = []
        self._needs: list[list[Need]] = []
        # (token property, word) -> the patterns whose most selective requirement holds that word.
        self._index: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._props: set[str] = set()  # the properties any requirement reads
        self._indexed: set[str] = set()  # those the index is keyed by
        self._unanchored: list[int] = []
        self._together = lru_cache(maxsize=combinations)(self._matcher_for)
        # each pattern's repeats run open (none unless `open_repeats`), and for a pattern with some: the id of the
        # key it is run under -> (its number, the id of its own key)
        self._repeats: list[list[tuple[int, int]]] = []
        self._own_keys: dict[int, tuple[int, int]] = {}
        self._bounded: dict[int, Any] = {}  # the bounded pattern alone, made when a span must be tried again

    def __len__(self) -> int:
        return len(self._patterns)

    def add(self, key: str, patterns: list[list[dict[str, Any]]], on_match: Any = None) -> None:
        """Patterns under a key, as spaCy's `Matcher.add`; callbacks are not supported."""
        if on_match is not None:
            raise ValueError("AnchoredMatcher does not call on_match callbacks")
        for pattern in patterns:
            self._add_one(key, pattern)

    def _add_one(self, key: str, pattern: list[dict[str, Any]]) -> None:
        number = len(self._patterns)
        self._patterns.append((key, pattern))
        self._alone.append(None)
        self._repeats.append(bounded_repeats(pattern) if self._open_repeats else [])
        if self._repeats[number]:
            self._own_keys[self._vocab.strings.add(_OWN_KEY.format(number))] = (number, self._vocab.strings.add(key))
        needs = required_words(pattern)
        self._needs.append(needs)
        self._props.update(prop for prop, _ in needs)
        if not needs:
            self._unanchored.append(number)
            return
        prop, words = min(needs, key=lambda need: len(need[1]))
        self._indexed.add(prop)
        for word in words:
            self._index[(prop, word)].append(number)

    def _matcher_for(self, numbers: tuple[int, ...]) -> Any:
        return self._spacy_matcher(
            (_OWN_KEY.format(number), unbounded(self._patterns[number][1], self._repeats[number]))
            if self._repeats[number] else self._patterns[number]
            for number in numbers
        )

    def _spacy_matcher(self, rules: Iterable[tuple[str, list[dict[str, Any]]]]) -> Any:
        from spacy.matcher import Matcher

        matcher = Matcher(self._vocab, validate=self._validate)
        for key, pattern in rules:
            matcher.add(key, [pattern])
        return matcher

    def _run(self, matcher: Any, numbers: Sequence[int], doc: Any) -> list[Match]:
        """The matches of `numbers` in `doc`, those run unbounded kept only where their bounds hold."""
        if not any(self._repeats[number] for number in numbers):
            return list(matcher(doc))
        kept: list[Match] = []
        seen: set[Match] = set()
        for match_id, start, end, alignment in matcher(doc, with_alignments=True):
            run_open = self._own_keys.get(match_id)
            if run_open is not None:
                number, match_id = run_open
                if not self._within(number, alignment) and not self._bounded_matches(number, doc, start, end):
                    continue
            if (match_id, start, end) not in seen:  # as spaCy keeps one match of a key per span
                seen.add((match_id, start, end))
                kept.append((match_id, start, end))
        return kept

    def _within(self, number: int, alignment: Sequence[int]) -> bool:
        counts = Counter(alignment)
        return all(counts[index] <= most for index, most in self._repeats[number])

    def _bounded_matches(self, number: int, doc: Any, start: int, end: int) -> bool:
        """Whether the bounded pattern itself matches exactly doc[start:end] (another alignment may fit)."""
        matcher = self._bounded.get(number)
        if matcher is None:
            matcher = self._bounded[number] = self._spacy_matcher([self._patterns[number]])
        return any(found_start == 0 and found_end == end - start
                   for _, found_start, found_end in matcher(doc[start:end]))

    def candidates(self, doc: Any) -> list[int]:
        """The patterns whose required words are all in `doc`, in the order they were added."""
        values = {prop: {getattr(token, prop) for token in doc} for prop in self._props}
        found: set[int] = set(self._unanchored)
        for prop in self._indexed:
            for word in values[prop]:
                found.update(self._index.get((prop, word), ()))
        return sorted(
            number for number in found
            if all(not need.isdisjoint(values[prop]) for prop, need in self._needs[number])
        )

    def _alone_matcher(self, number: int) -> Any:
        matcher = self._alone[number]
        if matcher is None:
            matcher = self._alone[number] = self._matcher_for((number,))
        return matcher

    def __call__(self, doc: Any) -> list[Match]:
        matched = [
            (number, found) for number in self.candidates(doc)
            if (found := self._run(self._alone_matcher(number), (number,), doc))
        ]
        if not matched:
            return []
        if len(matched) == 1:
            return matched[0][1]
        numbers = tuple(number for number, _ in matched)
        return self._run(self._together(numbers), numbers, doc)
