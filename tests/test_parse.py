"""The free-text reader: one behaviour per test, each a sentence a person might write."""

from __future__ import annotations

import pytest

from nlp_support import shipped_findings, shipped_parser
from spinecheck.adapters.nlp import NarrativeParser, lexicon_path, load_lexicon
from spinecheck.core.text import ParseResult


@pytest.fixture(scope="module")
def reader() -> NarrativeParser:
    return shipped_parser()


def read(reader: NarrativeParser, text: str) -> ParseResult:
    return reader.parse(text)


def test_every_finding_the_lexicon_names_exists() -> None:
    lexicon = load_lexicon(lexicon_path())
    assert sorted(lexicon.finding_ids() - shipped_findings().keys()) == []


def test_a_plain_symptom_is_present(reader: NarrativeParser) -> None:
    assert "low_back_pain" in read(reader, "I have lower back pain").present_ids


def test_lay_words_map_to_findings(reader: NarrativeParser) -> None:
    result = read(reader, "pins and needles in my foot and I can't hold my pee")
    assert {"leg_numbness_tingling", "urinary_incontinence"} <= set(result.present_ids)


def test_each_finding_carries_the_words_that_produced_it(reader: NarrativeParser) -> None:
    result = read(reader, "I think I have sciatica")
    finding = next(f for f in result.present if f.id == "leg_pain_below_knee")
    assert result.text[finding.span.start:finding.span.end] == finding.span.text == "sciatica"


def test_no_negates_what_follows(reader: NarrativeParser) -> None:
    result = read(reader, "no fever")
    assert result.absent_ids == ["fever"]
    assert result.negated[0].cue == "no"


def test_no_loss_of_bladder_control_is_not_a_loss_of_bladder_control(reader: NarrativeParser) -> None:
    result = read(reader, "no loss of bladder control")
    assert "urinary_incontinence" in result.absent_ids
    assert "urinary_incontinence" not in result.present_ids


def test_only_ends_a_negation(reader: NarrativeParser) -> None:
    result = read(reader, "no back pain, only leg weakness")
    assert "low_back_pain" in result.absent_ids
    assert "leg_weakness" in result.present_ids


def test_and_ends_a_negation_before_a_new_symptom(reader: NarrativeParser) -> None:
    result = read(reader, "no fever and numbness in my groin")
    assert "fever" in result.absent_ids
    assert "saddle_numbness" in result.present_ids


def test_a_comma_list_stays_negated_to_its_end(reader: NarrativeParser) -> None:
    result = read(reader, "denies fever, rigors, and night sweats")
    assert {"fever", "rigors", "night_sweats"} <= set(result.absent_ids)


def test_question_and_answer_pairs_are_not_reversed(reader: NarrativeParser) -> None:
    result = read(reader, "Fever? no. Back pain? yes.")
    assert "fever" in result.absent_ids
    assert "low_back_pain" in result.present_ids


def test_not_sure_is_uncertain_not_negated(reader: NarrativeParser) -> None:
    result = read(reader, "not sure if I can empty my bladder")
    assert "bladder_retention" not in result.present_ids + result.absent_ids
    assert [f.id for f in result.uncertain] == ["bladder_retention"]


@pytest.mark.parametrize("text", [
    "I had numbness in my leg but it has gone",
    "the numbness in my leg has resolved",
    "I had numbness in my leg last week",
])
def test_a_symptom_in_the_past_is_not_present(reader: NarrativeParser, text: str) -> None:
    result = read(reader, text)
    assert "leg_numbness_tingling" not in result.present_ids
    assert "past" in next(f for f in result.unknown if f.id == "leg_numbness_tingling").context


def test_cant_control_my_bladder_is_a_red_flag_present(reader: NarrativeParser) -> None:
    result = read(reader, "I can't control my bladder")
    assert "urinary_incontinence" in result.present_ids
    assert result.absent_ids == []


def test_cant_describes_a_symptom_rather_than_denying_one(reader: NarrativeParser) -> None:
    assert "weakness_severe" in read(reader, "since this morning I cannot walk").present_ids


def test_another_persons_illness_is_not_the_patients(reader: NarrativeParser) -> None:
    result = read(reader, "my dad had cancer")
    assert "history_of_cancer" not in result.present_ids
    assert "other_person" in result.unknown[0].context


def test_a_relatives_aneurysm_is_family_history(reader: NarrativeParser) -> None:
    result = read(reader, "my father had an aortic aneurysm")
    assert "family_history_aaa" in result.present_ids
    assert "known_aaa" not in result.present_ids


def test_a_past_illness_of_ones_own_still_counts(reader: NarrativeParser) -> None:
    assert "history_of_cancer" in read(reader, "I had breast cancer years ago").present_ids


def test_a_hypothetical_is_not_present(reader: NarrativeParser) -> None:
    result = read(reader, "what should I do if I get numbness down there?")
    assert "saddle_numbness" not in result.present_ids + result.absent_ids


def test_not_only_but_also_keeps_both(reader: NarrativeParser) -> None:
    result = read(reader, "not only back pain but also pins and needles in my foot")
    assert {"low_back_pain", "leg_numbness_tingling"} <= set(result.present_ids)


def test_a_side_is_attached_to_a_leg_finding(reader: NarrativeParser) -> None:
    result = read(reader, "pain shooting down my left leg")
    assert result.laterality["leg_pain"] == "left"
    assert "leg_pain_unilateral" in result.present_ids


def test_both_legs_make_the_finding_bilateral(reader: NarrativeParser) -> None:
    result = read(reader, "my legs are weak, both of them")
    assert "leg_weakness_bilateral" in result.present_ids


@pytest.mark.parametrize("text", ["my legs are weak", "my feet have gone weak"])
def test_a_plural_leg_word_means_both_sides(reader: NarrativeParser, text: str) -> None:
    result = read(reader, text)
    assert "leg_weakness_bilateral" in result.present_ids
    assert result.laterality["leg_weakness"] == "both"


@pytest.mark.parametrize("text", ["one of my legs is weak", "one of the two legs has gone weak"])
def test_one_of_two_legs_is_one_side_not_both(reader: NarrativeParser, text: str) -> None:
    result = read(reader, text)
    assert "leg_weakness_unilateral" in result.present_ids
    assert "leg_weakness_bilateral" not in result.present_ids
    assert "leg_weakness" not in result.laterality  # one side, but the text does not say which


@pytest.mark.parametrize(("text", "finding"), [
    ("back pain for 3 weeks", "duration_acute"),
    ("back pain since yesterday", "duration_acute"),
    ("back pain for two months", "duration_subacute"),
    ("my back has hurt for 5 years", "duration_chronic"),
    ("it started 4 months ago", "duration_chronic"),
])
def test_a_stated_duration_picks_its_band(reader: NarrativeParser, text: str, finding: str) -> None:
    durations = [f for f in read(reader, text).present_ids if f.startswith("duration_")]
    assert durations == [finding]


def test_suddenly_is_a_sudden_onset(reader: NarrativeParser) -> None:
    assert "onset_sudden" in read(reader, "the pain came on suddenly").present_ids


def test_after_lifting_is_a_lifting_trigger(reader: NarrativeParser) -> None:
    assert "trigger_lifting_twisting" in read(reader, "it started after lifting a heavy box").present_ids


@pytest.mark.parametrize(("text", "age", "sex"), [
    ("I'm a 67-year-old woman", 67, "female"),
    ("54M with back pain", 54, "male"),
    ("I am 38 and a man", 38, "male"),
    ("I'm 5 weeks pregnant", None, "female"),
])
def test_age_and_sex_when_stated(reader: NarrativeParser, text: str, age: int | None, sex: str | None) -> None:
    result = read(reader, text)
    assert (result.age, result.sex) == (age, sex)


def test_a_misspelt_word_is_still_read(reader: NarrativeParser) -> None:
    assert "leg_pain_below_knee" in read(reader, "i have sciatia").present_ids


def test_normal_function_makes_findings_absent(reader: NarrativeParser) -> None:
    assert "bladder_retention" in read(reader, "I can still pee fine").absent_ids


def test_text_it_cannot_map_is_reported(reader: NarrativeParser) -> None:
    result = read(reader, "my back hurts, my cat is purple")
    assert result.not_understood == ["my cat is purple"]
    assert result.notes()[0].startswith("I did not understand:")


def test_two_onsets_at_once_stay_unknown(reader: NarrativeParser) -> None:
    result = read(reader, "it came on suddenly, or maybe gradually, I forget")
    assert not {"onset_sudden", "onset_gradual"} & set(result.present_ids)


def test_a_word_the_context_rules_know_is_not_spell_corrected(reader: NarrativeParser) -> None:
    result = read(reader, "my mother has diabetes")
    assert "diabetes" not in result.present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("32 weeks pregnant and my bump is going hard every ten minutes", "contractions"),
        ("30 weeks pregnant with tummy pain and some bleeding", "vaginal_bleeding"),
    ],
)
def test_pregnancy_warning_signs_in_everyday_words_are_read(reader: NarrativeParser, text: str, finding: str) -> None:
    assert finding in read(reader, text).present_ids


def test_a_negation_reaching_a_warning_sign_only_across_a_comma_leaves_it_unknown(reader: NarrativeParser) -> None:
    result = read(reader, "no fever, numb down there")
    assert result.absent_ids == ["fever"]
    assert "saddle_numbness" not in result.absent_ids
    assert "saddle_numbness" in {finding.id for finding in result.unknown}


def test_a_warning_sign_negated_in_its_own_phrase_is_still_absent(reader: NarrativeParser) -> None:
    assert set(read(reader, "no numbness down below, no fever").absent_ids) == {"saddle_numbness", "fever"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("her back and thighs ache", "low_back_pain"),
        ("a stabbing pain low in my back on one side", "low_back_pain"),
        ("two months of a deep ache in the left buttock", "buttock_pain"),
        ("it shoots down the back of the leg when I sit for long", "worse_sitting"),
        ("it goes off when I sit on a bench", "eased_by_sitting"),
        ("leaning back makes my back worse", "pain_on_back_extension"),
        ("my legs ache when I walk to the shops and it goes off when I sit down", "neurogenic_claudication"),
        ("bending his neck gives an electric shock down his back", "lhermitte_sign"),
        ("my right eye is red and painful", "painful_red_eye"),
        ("a sore on my toe won't heal", "leg_ulcers"),
        ("Smoker, diabetic.", "smoking"),
    ],
)
def test_everyday_wording_of_common_findings_is_read(reader: NarrativeParser, text: str, finding: str) -> None:
    assert finding in read(reader, text).present_ids


def test_an_ex_smoker_is_not_read_as_smoking(reader: NarrativeParser) -> None:
    assert "smoking" not in read(reader, "I'm an ex-smoker, non-smoker for years").present_ids


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("48F, 4 months right buttock pain", "duration_chronic"),
        ("Back pain. 2 weeks.", "duration_acute"),
        ("Pregnant, 20 weeks; my lower back twinged 4 days ago", "duration_acute"),
    ],
)
def test_a_duration_opening_a_clause_is_read_but_weeks_of_pregnancy_are_not(
    reader: NarrativeParser, text: str, duration: str
) -> None:
    durations = [f for f in read(reader, text).present_ids if f.startswith("duration_")]
    assert durations == [duration]


def test_a_relative_describing_the_person_checked_gives_that_persons_findings(reader: NarrativeParser) -> None:
    result = read(reader, "Dad is 74. He tripped yesterday and today he hasn't been able to pass urine.")
    assert "bladder_retention" in result.present_ids


def test_the_relatives_own_relatives_stay_family_history(reader: NarrativeParser) -> None:
    result = read(reader, "Mum has sudden back pain; her father had an aortic aneurysm.")
    assert "known_aaa" not in result.present_ids
    assert "family_history_aaa" in result.present_ids


def test_no_history_of_stroke_does_not_rule_out_one_sided_weakness_now(reader: NarrativeParser) -> None:
    assert "sudden_one_sided_weakness" not in read(reader, "no history of heart disease or stroke").absent_ids


def test_a_sign_listed_after_a_denied_normal_phrase_is_denied_too(reader: NarrativeParser) -> None:
    result = read(reader, "no bladder problems or saddle numbness")
    assert "saddle_numbness" in result.absent_ids
    assert "saddle_numbness" not in result.present_ids


def test_a_word_a_pattern_reads_is_not_spell_corrected_into_another(reader: NarrativeParser) -> None:
    assert "pain_on_back_extension" in read(reader, "extension-rotation to the right reproduced the pain").present_ids


def test_tenderness_of_the_muscles_beside_the_spine_is_not_bony_tenderness(reader: NarrativeParser) -> None:
    assert "spinal_percussion_tenderness" not in read(reader, "focal paraspinal tenderness at L5").present_ids


def test_weeks_into_a_pregnancy_are_the_pregnancy_not_the_pains_duration(reader: NarrativeParser) -> None:
    result = read(reader, "A 27-year-old woman, 24 weeks into her first pregnancy, has an aching lower back")
    assert "pregnancy" in result.present_ids
    assert not [f for f in result.present_ids if f.startswith("duration_")]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("heart rate 124/min and blood pressure 82/50 mmHg", "hypotension_tachycardia"),
        ("A bladder scan showed a residual volume of 900 mL.", "high_post_void_residual"),
        ("CRP was 210 mg/L", "elevated_esr_crp"),
        ("His left leg was cold, pale and pulseless.", "cold_pale_leg"),
        ("bilateral lower limb weakness that had progressed over 6 hours", "weakness_progressive"),
    ],
)
def test_observations_past_their_cut_off_are_read(reader: NarrativeParser, text: str, finding: str) -> None:
    assert finding in read(reader, text).present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("blood pressure 128/80, heart rate 76", "hypotension_tachycardia"),
        ("post-void residual 150 mL", "high_post_void_residual"),
        ("CRP 4, ESR 12", "elevated_esr_crp"),
    ],
)
def test_observations_within_normal_limits_are_not_read_as_findings(
    reader: NarrativeParser, text: str, finding: str
) -> None:
    assert finding not in read(reader, text).present_ids


@pytest.mark.parametrize(
    ("text", "not_read"),
    [
        ("AAA screening was clear", "known_aaa"),
        ("foot pulses weak bilaterally", "leg_weakness"),
        ("paraesthesia in both hands", "leg_numbness_bilateral"),
    ],
)
def test_words_that_belong_to_another_finding_do_not_raise_a_warning_sign(
    reader: NarrativeParser, text: str, not_read: str
) -> None:
    assert not_read not in read(reader, text).present_ids


def test_a_symptom_that_began_last_week_and_goes_on_is_present(reader: NarrativeParser) -> None:
    assert "low_back_pain" in read(reader, "Hurt my back lifting last week, still sore.").present_ids


def test_a_symptom_that_was_there_last_week_is_not_present_now(reader: NarrativeParser) -> None:
    assert "fever" not in read(reader, "I had a fever last week, now I'm fine.").present_ids
