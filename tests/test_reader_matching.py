"""The anchored matcher finds exactly what spaCy's Matcher finds, in the same order, running fewer patterns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_support import shipped_parser
from spinecheck.adapters.nlp.matching import AnchoredMatcher, required_words

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    texts = [json.loads(line)["narrative"] for line in (ROOT / "data" / "vignettes" / "dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    texts += [json.loads(line)["text"] for line in (ROOT / "data" / "parse" / "annotated.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    return texts


def _rules(component: Any) -> list[Any]:
    """The rules with token patterns of a medspaCy component, in the order it took them."""
    matcher = next(value for value in vars(component).values() if hasattr(value, "rules"))
    return [rule for rule in matcher.rules if isinstance(rule.pattern, list)]


def test_a_pattern_requires_only_the_words_it_cannot_do_without() -> None:
    pattern = [
        {"NORM": {"IN": ["numb", "tingly"]}},
        {"IS_ALPHA": True, "NORM": {"NOT_IN": ["and"]}, "OP": "{0,3}"},
        {"LOWER": "groin", "OP": "?"},
        {"TEXT": "MS", "OP": "{1,2}"},
        {"NORM": {"REGEX": "^back"}},
        {"NORM": "pain", "OP": "!"},
        {"ORTH": "x", "OP": "+"},
    ]
    assert required_words(pattern) == [
        ("norm_", frozenset({"numb", "tingly"})), ("text", frozenset({"MS"})), ("text", frozenset({"x"})),
    ]


def test_callbacks_are_refused() -> None:
    matcher = AnchoredMatcher(shipped_parser().nlp.vocab)
    with pytest.raises(ValueError, match="on_match"):
        matcher.add("key", [[{"NORM": "pain"}]], on_match=print)


@pytest.mark.parametrize("component", ["medspacy_target_matcher", "medspacy_context"])
def test_the_anchored_matcher_finds_what_spacy_finds_in_the_same_order(component: str) -> None:
    from spacy.matcher import Matcher

    parser = shipped_parser()
    rules = _rules(parser.nlp.get_pipe(component))
    assert rules
    plain = Matcher(parser.nlp.vocab, validate=False)
    anchored = AnchoredMatcher(parser.nlp.vocab, validate=False)
    for rule in rules:
        plain.add(rule._rule_id, [rule.pattern])
        anchored.add(rule._rule_id, [rule.pattern])
    found = 0
    for text in _texts():
        doc = parser._read_doc(text)
        expected = plain(doc)
        assert anchored(doc) == expected, text
        assert len(anchored.candidates(doc)) < len(rules)
        found += len(expected)
    assert found > 100


def test_patterns_under_one_key_count_a_span_once() -> None:
    vocab = shipped_parser().nlp.vocab
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    patterns = [[{"LOWER": "back"}, {"LOWER": "pain", "OP": "?"}], [{"LOWER": "back"}, {"LOWER": "pain"}]]
    plain, anchored = Matcher(vocab), AnchoredMatcher(vocab)
    plain.add("both", patterns)
    anchored.add("both", patterns)
    plain.add("other", [[{"LOWER": "pain"}]])
    anchored.add("other", [[{"LOWER": "pain"}]])
    for words in (["back", "pain", "and", "back"], ["pain"], ["nothing"], ["back", "back", "pain", "pain"]):
        doc = Doc(vocab, words=words)
        assert anchored(doc) == plain(doc)


def test_the_body_part_pairs_are_found_as_spacy_finds_them() -> None:
    from spacy.matcher import Matcher

    parser = shipped_parser()
    plain = Matcher(parser.nlp.vocab, validate=False)
    rules = list(parser._body_part_rules())
    for label, pattern in rules:
        plain.add(label, [pattern])
    found = 0
    for text in _texts():
        doc = parser._read_doc(text)
        expected = plain(doc)
        assert sorted(parser._body_parts(doc)) == sorted(expected), text  # in an order of their own (open repeats)
        found += len(expected)
    assert found > 20


def test_a_hit_names_the_closest_name_that_scores_finds() -> None:
    semantic = shipped_parser().semantic
    pieces = [
        "the tissue feels numb when i wipe", "my right foot slaps when i walk", "can not pee at all",
        "hot and sweaty at night", "pain shoots down the back of my leg",
    ]
    best, which = semantic.scores(pieces)
    hits = semantic.match(pieces)
    assert any(hits)
    for row, found in enumerate(hits):
        for hit in found:
            key = semantic.keys.index(hit.key)
            assert hit.name == semantic.texts[int(which[row, key])]
            assert hit.score == float(best[row, key])


_OPS = [None, "?", "+", "*", "{0,3}", "{1,4}", "{0,5}", "{2,5}"]
_token_specs = st.fixed_dictionaries(
    {"LOWER": st.sampled_from(["a", "b", "x"]) | st.builds(lambda words: {"IN": sorted(words)},
                                                           st.sets(st.sampled_from(["a", "b", "x"]), min_size=1))},
    optional={"OP": st.sampled_from(_OPS[1:])},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    patterns=st.lists(st.lists(_token_specs, min_size=1, max_size=4), min_size=1, max_size=3),
    words=st.lists(st.sampled_from(["a", "b", "x"]), min_size=1, max_size=12),
)
def test_open_repeats_find_what_the_bounded_patterns_find(
    patterns: list[list[dict[str, Any]]], words: list[str],
) -> None:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    vocab = shipped_parser().nlp.vocab
    plain, anchored, opened = Matcher(vocab), AnchoredMatcher(vocab), AnchoredMatcher(vocab, open_repeats=True)
    for number, pattern in enumerate(patterns):
        key = f"key {number % 2}"  # two patterns may share a key, which counts a span once
        for matcher in (plain, anchored, opened):
            matcher.add(key, [pattern])
    doc = Doc(vocab, words=words)
    expected = plain(doc)
    assert anchored(doc) == expected
    assert sorted(opened(doc)) == sorted(expected)  # the same matches; among those ending together, any order


def test_a_span_whose_kept_alignment_overruns_a_bound_is_tried_again_with_the_bound() -> None:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    vocab = shipped_parser().nlp.vocab
    # Run open, the span "x x x b x" is kept with every word in the second repeat (five, one too many);
    # with the first three in the open repeat the second holds two, so the bounded pattern matches it.
    pattern = [{"LOWER": {"IN": ["a", "b", "x"]}, "OP": "*"}, {"LOWER": {"IN": ["b", "x"]}, "OP": "{1,4}"}]
    plain, opened = Matcher(vocab), AnchoredMatcher(vocab, open_repeats=True)
    plain.add("gap", [pattern])
    opened.add("gap", [pattern])
    doc = Doc(vocab, words=["x", "x", "x", "b", "x"])
    expected = plain(doc)
    assert (vocab.strings["gap"], 0, 5) in expected
    assert sorted(opened(doc)) == sorted(expected)
