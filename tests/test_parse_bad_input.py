"""Bad input to the free-text reader gives a clear message or an empty result: never a crash or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nlp_support import shipped_parser
from spinecheck.core.text import TextTooLongError


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_empty_text_gives_an_empty_result(text: str) -> None:
    result = shipped_parser().parse(text)
    assert (result.present, result.absent, result.not_understood) == ([], [], [])


def test_a_hundred_thousand_characters_are_refused_with_the_limit() -> None:
    with pytest.raises(TextTooLongError, match="100,000 characters long; spinecheck reads at most 5,000"):
        shipped_parser().parse(("my back hurts " * 8000)[:100_000])


def test_only_emoji_gives_an_empty_result() -> None:
    result = shipped_parser().parse("😭😭🔥💀")
    assert (result.present, result.absent, result.not_understood) == ([], [], [])


def test_markup_is_ignored_and_the_words_inside_are_read() -> None:
    result = shipped_parser().parse("<p>no <b>fever</b></p><script>alert('x')</script>")
    assert result.absent_ids == ["fever"]
    assert result.present_ids == []


def test_another_language_is_reported_as_not_understood() -> None:
    result = shipped_parser().parse("Ich habe seit drei Wochen Rückenschmerzen")
    assert result.present_ids == []
    assert result.not_understood == ["Ich habe seit drei Wochen Rückenschmerzen"]


def test_the_longest_accepted_text_is_read() -> None:
    result = shipped_parser().parse(("no fever, my back hurts. " * 200)[:5000])
    assert result.present_ids == ["low_back_pain"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_result_whose_spans_point_into_it(text: str) -> None:
    result = shipped_parser().parse(text)
    for finding in [*result.present, *result.absent, *result.unknown]:
        assert text[finding.span.start:finding.span.end] == finding.span.text


def test_the_cli_refuses_an_over_long_description_in_one_line() -> None:
    from spinecheck.interfaces.cli.app import app

    mini_kb = Path(__file__).parent / "fixtures" / "mini_kb"
    outcome = CliRunner().invoke(app, ["parse", "x" * 100_000, "--json", "--kb", str(mini_kb)])
    assert outcome.exit_code == 2
    assert "please shorten it" in outcome.output
    assert "Traceback" not in outcome.output
