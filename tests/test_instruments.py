"""STarT Back and Oswestry: worked examples from the scoring instructions, and the rules around them."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinecheck.core.instruments import (
    Instrument,
    available_instruments,
    load_instrument,
    score_oswestry,
    score_start_back,
)
from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBaseError
from spinecheck.interfaces.cli.app import app

RISK_ORDER = ["low", "medium", "high"]
START_BACK_CODES = [[0, 1]] * 8 + [[0, 1, 2, 3, 4]]


@pytest.fixture(scope="module")
def start_back() -> Instrument:
    return load_instrument("start_back")


@pytest.fixture(scope="module")
def oswestry() -> Instrument:
    return load_instrument("oswestry")


# --- the shipped files ---------------------------------------------------------------------


def test_both_instruments_ship_with_the_knowledge_base() -> None:
    assert {"start_back", "oswestry"} <= set(available_instruments())


def test_shipped_instruments_carry_paraphrases_not_the_licensed_text(
    start_back: Instrument, oswestry: Instrument
) -> None:
    assert start_back.licence.text_shipped == "paraphrase"
    assert oswestry.licence.text_shipped == "paraphrase"


def test_start_back_has_nine_items_and_a_five_item_psychosocial_subscale(start_back: Instrument) -> None:
    assert len(start_back.items) == 9
    (subscale,) = start_back.scoring.subscales
    assert subscale.items == [item.id for item in start_back.items[4:9]]


def test_oswestry_has_ten_sections_scored_zero_to_five(oswestry: Instrument) -> None:
    assert len(oswestry.items) == 10
    assert all([option.score for option in item.options] == [0, 1, 2, 3, 4, 5] for item in oswestry.items)


# --- STarT Back ----------------------------------------------------------------------------


def test_start_back_all_disagree_is_low_risk() -> None:
    result = score_start_back([0] * 9)
    assert (result.total, result.psychosocial, result.risk_group) == (0, 0, "low")


def test_start_back_total_three_is_still_low_risk() -> None:
    assert score_start_back([1, 1, 1, 0, 0, 0, 0, 0, 0]).risk_group == "low"


def test_start_back_total_four_with_little_distress_is_medium_risk() -> None:
    assert score_start_back([1, 1, 1, 1, 0, 0, 0, 0, 0]).risk_group == "medium"


def test_start_back_total_five_with_psychosocial_three_is_medium_risk() -> None:
    result = score_start_back([1, 1, 0, 0, 1, 1, 1, 0, 0])
    assert (result.total, result.psychosocial, result.risk_group) == (5, 3, "medium")


def test_start_back_total_six_with_psychosocial_four_is_high_risk() -> None:
    result = score_start_back([1, 1, 0, 0, 1, 1, 1, 0, 3])
    assert (result.total, result.psychosocial, result.risk_group) == (6, 4, "high")


def test_start_back_only_very_much_or_extremely_bothersome_scores_a_point() -> None:
    scores = [score_start_back([0] * 8 + [code]).total for code in range(5)]
    assert scores == [0, 0, 0, 1, 1]


def test_start_back_explanation_names_both_scores_and_the_group() -> None:
    explanation = score_start_back([1, 1, 0, 0, 1, 1, 1, 0, 3]).explanation
    assert "6 of 9" in explanation and "4 of 5" in explanation and "high risk" in explanation


def test_start_back_answers_can_be_given_by_item_id(start_back: Instrument) -> None:
    answers = {item.id: 1 for item in start_back.items[:8]} | {"bothersomeness": 4}
    assert score_start_back(answers).total == 9


def test_start_back_refuses_a_skipped_item() -> None:
    with pytest.raises(ValueError, match="every item must be answered"):
        score_start_back([0] * 8 + [None])


def test_start_back_refuses_an_answer_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"item 3 \(short_walks\): 2 is not an allowed answer"):
        score_start_back([0, 0, 2, 0, 0, 0, 0, 0, 0])


def test_start_back_refuses_the_wrong_number_of_answers() -> None:
    with pytest.raises(ValueError, match="one answer per item"):
        score_start_back([0] * 8)


def test_start_back_refuses_an_unknown_item_id() -> None:
    with pytest.raises(ValueError, match="no item called 'mood'"):
        score_start_back({"mood": 1})


def test_every_start_back_answer_set_falls_in_exactly_one_group(start_back: Instrument) -> None:
    for answers in itertools.product(*START_BACK_CODES):
        result = score_start_back(list(answers), start_back)
        scores = {"total": result.total, "percent": 0.0, "psychosocial": result.psychosocial}
        assert sum(group.matches(scores) for group in start_back.scoring.groups) == 1


@given(
    answers=st.tuples(*(st.sampled_from(codes) for codes in START_BACK_CODES)),
    raised=st.integers(min_value=0, max_value=8),
)
def test_start_back_risk_never_falls_when_an_answer_rises(answers: tuple[int, ...], raised: int) -> None:
    higher = list(answers)
    higher[raised] = max(START_BACK_CODES[raised])
    before = RISK_ORDER.index(score_start_back(list(answers)).risk_group)
    after = RISK_ORDER.index(score_start_back(higher).risk_group)
    assert after >= before


# --- Oswestry ------------------------------------------------------------------------------


def test_oswestry_all_sections_answered_16_of_50_is_32_percent() -> None:
    result = score_oswestry([1, 2, 3, 1, 2, 1, 2, 0, 2, 2])
    assert (result.raw_total, result.max_total, result.percent) == (16, 50, 32.0)
    assert result.band == "moderate"


def test_oswestry_one_skipped_section_leaves_the_denominator_16_of_45() -> None:
    result = score_oswestry([1, 2, 3, 1, 2, 1, 2, None, 2, 2])
    assert (result.raw_total, result.max_total, result.percent) == (16, 45, 35.6)
    assert (result.answered_sections, result.skipped) == (9, ["sex_life"])


def test_oswestry_two_skipped_sections_are_still_scored() -> None:
    result = score_oswestry([1, 2, 3, 1, 2, 1, None, None, 2, 2])
    assert (result.raw_total, result.max_total, result.percent) == (14, 40, 35.0)
    assert result.answered_sections == 8


def test_oswestry_refuses_three_skipped_sections() -> None:
    with pytest.raises(ValueError, match=r"3 item\(s\) skipped .* at most 2 may be skipped"):
        score_oswestry([1, 2, 3, 1, 2, None, None, None, 2, 2])


def test_oswestry_refuses_a_section_score_above_five() -> None:
    with pytest.raises(ValueError, match=r"item 4 \(walking\): 6 is not an allowed answer"):
        score_oswestry([0, 0, 0, 6, 0, 0, 0, 0, 0, 0])


@pytest.mark.parametrize(
    ("total", "band"),
    [(10, "minimal"), (11, "moderate"), (20, "moderate"), (21, "severe"), (30, "severe"),
     (31, "very_severe"), (40, "very_severe"), (41, "extreme"), (50, "extreme")],
)
def test_oswestry_band_boundaries_follow_the_published_ranges(total: int, band: str) -> None:
    answers = [min(5, max(0, total - 5 * index)) for index in range(10)]
    assert score_oswestry(answers).band == band


@given(
    codes=st.lists(st.integers(0, 5), min_size=10, max_size=10),
    skipped=st.sets(st.integers(0, 9), max_size=2),
)
def test_oswestry_percent_is_always_between_0_and_100(codes: list[int], skipped: set[int]) -> None:
    answers = [None if index in skipped else code for index, code in enumerate(codes)]
    result = score_oswestry(answers)
    assert 0.0 <= result.percent <= 100.0
    assert result.answered_sections + len(result.skipped) == 10


# --- loading -------------------------------------------------------------------------------


def _copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    (root / "instruments").mkdir(parents=True)
    shutil.copy(DEFAULT_ROOT / "sources.yaml", root / "sources.yaml")
    return root


def test_an_unknown_field_in_an_instrument_file_is_a_clear_error(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    text = (DEFAULT_ROOT / "instruments" / "oswestry.yaml").read_text(encoding="utf-8")
    (root / "instruments" / "oswestry.yaml").write_text(text + "colour: blue\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"instruments/oswestry.yaml: colour: Extra inputs"):
        load_instrument("oswestry", root)


def test_an_instrument_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    text = (DEFAULT_ROOT / "instruments" / "start_back.yaml").read_text(encoding="utf-8")
    (root / "instruments" / "start_back.yaml").write_text(
        text.replace("source: hill2008\n", "source: nobody1999\n", 1), encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match=r"unknown source.*nobody1999"):
        load_instrument("start_back", root)


def test_a_missing_instrument_file_names_the_ones_available(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="instruments available: none"):
        load_instrument("roland_morris", _copy_kb(tmp_path))


# --- command line --------------------------------------------------------------------------

runner = CliRunner()


def test_cli_start_back_prints_the_risk_group_as_json() -> None:
    outcome = runner.invoke(app, ["instrument", "start-back", "--answers", "1,1,0,0,1,1,1,0,3", "--json"])
    assert outcome.exit_code == 0
    assert json.loads(outcome.stdout)["risk_group"] == "high"


def test_cli_start_back_layout_shows_the_group_and_the_emergency_notice() -> None:
    outcome = runner.invoke(app, ["instrument", "start-back", "--answers", "0,0,0,0,0,0,0,0,0"])
    assert outcome.exit_code == 0
    assert "Low risk" in outcome.stdout and "emergency number" in outcome.stdout


def test_cli_oswestry_accepts_dash_and_empty_for_skipped_sections() -> None:
    outcome = runner.invoke(app, ["instrument", "oswestry", "--answers", "1,2,3,1,2,1,-,,2,2", "--json"])
    assert outcome.exit_code == 0
    result = json.loads(outcome.stdout)
    assert (result["percent"], result["skipped"]) == (35.0, ["sleeping", "sex_life"])


def test_cli_oswestry_refusal_is_one_line_without_traceback() -> None:
    outcome = runner.invoke(app, ["instrument", "oswestry", "--answers", "1,2,3,-,-,-,1,1,1,1"])
    assert outcome.exit_code == 2
    assert "cannot be scored" in outcome.output and "Traceback" not in outcome.output


def test_cli_rejects_text_that_is_not_a_number() -> None:
    outcome = runner.invoke(app, ["instrument", "start-back", "--answers", "yes,0,0,0,0,0,0,0,0"])
    assert outcome.exit_code == 2
    assert "answer 1 is 'yes'" in outcome.output
