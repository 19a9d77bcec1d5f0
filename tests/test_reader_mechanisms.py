"""How the reader finds meaning and scope: by rule and by similarity, never by a phrase for one sentence.

The sentences below illustrate mechanisms (a denial ends at its clause; a stated value is read
against the finding's own cut-off; a finding new to the knowledge base is read from its own
names), not wordings to be matched.
"""

from __future__ import annotations

import numpy as np
import pytest

from nlp_support import shipped_findings, shipped_parser
from spinecheck.adapters.nlp import NarrativeParser, check_lexicon, lexicon_path, load_lexicon
from spinecheck.adapters.nlp.lexicon import MeasurementWords, NeedsWords, NormalStatement, PhraseSet, Together
from spinecheck.adapters.nlp.semantic import SemanticMatcher, question_phrase
from spinecheck.core.kb.schema import CutOff, Finding, FindingCategory, Sourced
from spinecheck.core.model import CompiledModel


class WordCountEmbedder:
    """A transparent stand-in model: one dimension per known word, so similarities can be worked out by hand."""

    def __init__(self, vocabulary: list[str]) -> None:
        self.index = {word: i for i, word in enumerate(vocabulary)}

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), len(self.index)), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                if word in self.index:
                    vectors[row, self.index[word]] += 1
        return vectors


def test_the_semantic_matcher_reads_a_piece_as_the_finding_whose_name_is_close_enough() -> None:
    embedder = WordCountEmbedder(["numb", "wipe", "legs", "hot"])
    matcher = SemanticMatcher(
        embedder, {"present|saddle": ["numb wipe"], "present|legs": ["numb legs"], "present|fever": ["hot"]},
        thresholds={"present|saddle": 0.9}, default_threshold=0.95, margin=0.0,
    )
    hits = matcher.match(["numb wipe", "numb", "legs"])
    assert [[hit.key for hit in row] for row in hits] == [["present|saddle"], [], []]


def test_the_margin_keeps_only_findings_nearly_as_close_as_the_best() -> None:
    embedder = WordCountEmbedder(["a", "b", "c"])
    matcher = SemanticMatcher(
        embedder, {"present|x": ["a b"], "present|y": ["a c"]}, thresholds={}, default_threshold=0.1, margin=0.01,
    )
    assert [hit.key for hit in matcher.match(["a b b"])[0]] == ["present|x"]


def test_a_denying_name_of_a_finding_with_a_contrary_needs_a_denial_in_the_piece() -> None:
    embedder = WordCountEmbedder(["not", "relieved", "rest"])
    matcher = SemanticMatcher(
        embedder, {"present|unrelieved": ["not relieved rest"], "present|relieved": ["relieved rest"]},
        thresholds={}, default_threshold=0.5, margin=0.0, denials=["not"], polar=["present|unrelieved"],
    )
    hits = matcher.match(["relieved rest", "not relieved rest"])
    assert [[hit.key for hit in row] for row in hits] == [["present|relieved"], ["present|unrelieved"]]


def test_pain_relieved_by_rest_is_not_read_as_pain_that_rest_does_not_ease() -> None:
    result = shipped_parser().parse("Her calf pain comes on after two blocks and is relieved by rest.")
    assert "pain_at_rest_not_eased_by_lying" not in result.present_ids


def test_a_finding_is_not_read_where_its_opposite_is_as_close() -> None:
    embedder = WordCountEmbedder(["pee", "ok", "can", "not"])
    matcher = SemanticMatcher(
        embedder, {"present|retention": ["can not pee"], "normal|0": ["pee ok"]},
        thresholds={"present|retention": 0.5, "normal|0": 0.9}, default_threshold=0.9, margin=0.0,
        rivals={"present|retention": ["normal|0"]},
    )
    assert [[hit.key for hit in row] for row in matcher.match(["pee ok", "can not pee"])] == [
        ["normal|0"], ["present|retention"],
    ]


def test_a_question_becomes_a_phrase_to_compare_with() -> None:
    lead = load_lexicon(lexicon_path()).semantic.question_lead
    assert question_phrase("Have you had a fever (temperature of 38 °C or more)?", lead) == "fever"


def test_a_denial_ends_at_its_clause() -> None:
    result = shipped_parser().parse("A man with no heart problems has had a fortnight of high fevers and back pain")
    assert "fever" in result.present_ids
    assert "cardiovascular_disease" in result.absent_ids


@pytest.mark.parametrize("text", [
    "His examination found nothing to suggest a fever.",
    "There was nothing to indicate a fever.",
    "Nothing suggests a fever.",
])
def test_nothing_that_suggests_a_finding_denies_it(text: str) -> None:
    result = shipped_parser().parse(text)
    assert "fever" in result.absent_ids
    assert "fever" not in result.present_ids


def test_a_denial_by_nothing_inside_a_comma_list_keeps_its_own_cue() -> None:
    result = shipped_parser().parse("The pain stays in the back, nothing suggests fever, and he has no other illness.")
    assert "fever" in result.absent_ids


def test_a_test_named_by_its_action_is_among_the_things_listed_as_normal() -> None:
    result = shipped_parser().parse(
        "Straight leg raising and tendon reflexes are normal and there is no weakness."
    )
    assert "slr_positive" in result.absent_ids
    assert "knee_reflex_reduced" in result.absent_ids


@pytest.mark.parametrize("text", [
    "He has had increasing pain and weakness of the left leg for 3 weeks.",
    "She comes because of progressive loss of strength.",
    "While he is assessed the deficit progresses quickly.",
])
def test_a_word_of_growing_that_reaches_the_weakness_reads_weakness_getting_worse(text: str) -> None:
    assert "weakness_progressive" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Increasing back pain but no weakness.", "Increasing pain without weakness."])
def test_a_word_of_growing_does_not_reach_a_denied_weakness(text: str) -> None:
    assert "weakness_progressive" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["She is nauseated and confused.", "He is confused and somewhat agitated."])
def test_confusion_told_as_the_persons_state_is_new_confusion(text: str) -> None:
    assert "confusion_new" in shipped_parser().parse(text).present_ids


def test_being_confused_about_something_is_not_confusion() -> None:
    assert "confusion_new" not in shipped_parser().parse("I am confused about the results.").present_ids


@pytest.mark.parametrize("text", [
    "Light touch is reduced from the T4-T6 level downwards.",
    "Sensation is reduced below the C5 dermatome on both sides.",
    "Pinprick is reduced from the cervicothoracic level down.",
])
def test_sensation_lost_from_a_level_of_the_neck_or_chest_down_is_a_sensory_level(text: str) -> None:
    assert "sensory_level_trunk" in shipped_parser().parse(text).present_ids


def test_sensation_lost_below_a_lumbar_root_is_that_roots_not_a_level() -> None:
    result = shipped_parser().parse("Sensation is reduced below the L4 dermatome.")
    assert "sensory_level_trunk" not in result.present_ids


@pytest.mark.parametrize("text", [
    "A steel beam fell and crushed her left leg.",
    "He was trapped under a fallen wall for an hour.",
    "She had a crush injury of the pelvis at work.",
])
def test_a_crushing_or_an_entrapment_is_a_serious_injury(text: str) -> None:
    """Field triage counts a crushed limb and entrapment among the high-risk injuries (CDC 2021)."""
    assert "major_trauma" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Crushing pain in my chest.", "I feel crushed by the pain in my back."])
def test_a_crushing_pain_or_a_crushed_feeling_is_no_injury(text: str) -> None:
    assert "major_trauma" not in shipped_parser().parse(text).present_ids


def test_someone_told_as_not_awake_has_lost_consciousness() -> None:
    assert "collapse_fainting" in shipped_parser().parse("He fell from the ladder and he's not awake now.").present_ids


def test_sweating_profusely_is_the_sweating_of_shock_but_sweat_from_effort_is_not() -> None:
    assert "pale_sweaty" in shipped_parser().parse("He is sweating profusely.").present_ids
    assert "pale_sweaty" not in shipped_parser().parse("He arrives sweating from the effort.").present_ids


def test_a_flaccid_anal_tone_is_reduced_even_beside_a_preserved_voluntary_squeeze() -> None:
    result = shipped_parser().parse(
        "The anal wink is absent and anal tone flaccid, although voluntary contraction of the sphincter is preserved."
    )
    assert "reduced_anal_tone" in result.present_ids


@pytest.mark.parametrize("text", [
    "Numbness over the right calf, with normal sensation on the left.",
    "Sensation is reduced in the right calf; power and sensation are normal on the left.",
])
def test_a_normal_result_told_of_one_side_rules_nothing_out(text: str) -> None:
    result = shipped_parser().parse(text)
    assert not {"leg_numbness_tingling", "dermatomal_sensory_loss_exam"} & set(result.absent_ids)


def test_a_normal_result_told_of_both_legs_still_rules_out() -> None:
    assert "leg_numbness_tingling" in shipped_parser().parse("Normal sensation in both legs.").absent_ids


def test_a_habit_told_and_then_given_up_is_no_current_habit() -> None:
    result = shipped_parser().parse("He smoked for 35 years and stopped 5 months ago.")
    assert "smoking" in result.absent_ids


def test_a_habit_given_up_is_no_current_habit() -> None:
    assert "smoking" in shipped_parser().parse("I smoked for many years but gave up five years ago.").absent_ids


def test_stopping_something_else_leaves_a_current_habit() -> None:
    result = shipped_parser().parse("He smokes and has back pain and stopped working.")
    assert "smoking" in result.present_ids


def test_nothing_that_eases_a_pain_still_leaves_the_pain() -> None:
    assert "low_back_pain" in shipped_parser().parse("Nothing eases my back pain.").present_ids


def test_a_denial_ends_where_the_person_comes_or_presents() -> None:
    result = shipped_parser().parse("A woman with no known illness came to the clinic after three days of fever")
    assert "fever" in result.present_ids


def test_a_denial_does_not_reach_what_is_added_to_it() -> None:
    result = shipped_parser().parse("Back pain that did not follow an injury, together with a fever")
    assert "fever" in result.present_ids


def test_a_denial_inside_a_comma_list_keeps_its_own_cue() -> None:
    result = shipped_parser().parse("I am tired, no fever, and my back hurts")
    assert "fever" in result.absent_ids
    assert {"fatigue", "low_back_pain"} <= set(result.present_ids)


def test_a_finding_named_in_a_few_words_of_a_long_sentence_is_read() -> None:
    text = "Yesterday a 70-year-old retired teacher's right foot suddenly started to drop."
    assert "weakness_ankle_dorsiflexion" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("word", ["intolerable", "excruciating", "severe"])
def test_an_intensity_word_before_the_pain_makes_it_severe(word: str) -> None:
    assert "severe_pain" in shipped_parser().parse(f"He came in with {word} lower back pain.").present_ids


def test_a_word_joined_by_and_is_read_with_what_it_is_joined_to() -> None:
    assert "cold_pale_leg" in shipped_parser().parse("My foot has turned cold and pale.").present_ids


def test_each_word_of_a_list_is_read_with_the_subject_of_the_list() -> None:
    result = shipped_parser().parse("Both of her legs feel numb, weak and heavy.")
    assert {"leg_numbness_bilateral", "leg_weakness_bilateral"} <= set(result.present_ids)


def test_a_denial_still_reaches_across_its_own_verb() -> None:
    assert "fever" in shipped_parser().parse("She has not had any fever").absent_ids


def test_a_time_opening_a_sentence_about_a_past_illness_is_not_how_long_the_pain_has_lasted() -> None:
    result = shipped_parser().parse("My back has hurt for three weeks. Ten years ago I was treated for diabetes.")
    assert "duration_acute" in result.present_ids and "duration_chronic" not in result.present_ids


def test_a_limb_that_stopped_working_is_weak_not_better() -> None:
    result = shipped_parser().parse("All of a sudden both my legs stopped working.")
    assert {"leg_weakness_bilateral", "onset_sudden"} <= set(result.present_ids)


def test_not_walking_steadily_is_an_unsteady_gait_and_walking_steadily_is_not() -> None:
    assert "unsteady_gait" in shipped_parser().parse("This morning he couldn't walk steadily.").present_ids
    assert "unsteady_gait" not in shipped_parser().parse("I can walk steadily.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("After the long flight her right calf started to hurt", "leg_pain_below_knee"),
    ("his toes have gone numb", "leg_numbness_tingling"),
    ("all my muscles were weak, especially my legs", "leg_weakness_bilateral"),
    ("a painful foot", "leg_pain_below_knee"),
    ("my hands keep tingling", "hand_numbness_tingling"),
    ("Pinprick sensation is reduced in both legs.", "leg_numbness_bilateral"),
    ("Both legs are weak with reduced sensation.", "leg_numbness_tingling"),
], ids=["part-then-pain", "part-then-numb", "weak-then-part", "painful-part", "hands", "sensation-then-part",
        "part-then-sensation"])
def test_a_body_part_and_a_kind_of_symptom_near_each_other_are_one_finding(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "my feet are fine but my back hurts",
    "the foot pulses are weak",
    "my feet are numb and I have thoracic pain",
], ids=["but", "a-measure-of-the-part", "another-site"])
def test_a_body_part_is_not_paired_across_a_stop(text: str) -> None:
    result = shipped_parser().parse(text)
    assert not {"leg_pain_below_knee", "leg_weakness"} & set(result.present_ids)


@pytest.mark.parametrize(("text", "severe"), [
    ("My foot has become very painful.", True),
    ("My back has been really bad for ten days.", True),
    ("It hurts a lot to walk around.", True),
    ("I had a really bad cold.", False),
    ("My back is a bit sore.", False),
])
def test_a_strong_intensity_word_before_a_word_of_pain_is_severe_pain(text: str, severe: bool) -> None:
    assert ("severe_pain" in shipped_parser().parse(text).present_ids) is severe


@pytest.mark.parametrize("text", [
    "I had an operation on a slipped disc in my back.",
    "She had surgery on her spine.",
    "He was operated on for a disc prolapse.",
], ids=["operation-on-a-disc", "surgery-on-the-spine", "operated-on-for"])
def test_an_operation_told_with_what_it_was_on_is_previous_back_surgery(text: str) -> None:
    assert "previous_back_surgery" in shipped_parser().parse(text).present_ids


def test_an_operation_on_another_part_is_no_back_surgery() -> None:
    assert "previous_back_surgery" not in shipped_parser().parse("He had an operation on his knee.").present_ids


def test_a_bare_symptom_listed_before_the_hands_is_no_symptom_of_the_legs() -> None:
    parsed = shipped_parser().parse("I have numbness and tingling in both hands.")
    assert "hand_numbness_tingling" in parsed.present_ids
    assert not {"leg_numbness_tingling", "leg_numbness_bilateral"} & set(parsed.present_ids)


def test_a_symptom_that_names_its_place_keeps_it_before_another_place() -> None:
    parsed = shipped_parser().parse("back pain, leg pain, pins and needles in my foot")
    assert {"low_back_pain", "leg_pain", "leg_numbness_tingling"} <= set(parsed.present_ids)


def test_two_kinds_of_symptom_joined_before_a_part_are_both_read() -> None:
    result = shipped_parser().parse("She has had pain and weakness in her left leg for 2 days.")
    assert {"leg_pain_unilateral", "leg_weakness_unilateral"} <= set(result.present_ids)


def test_a_symptom_word_right_after_another_place_belongs_to_that_place() -> None:
    result = shipped_parser().parse("A week of low back pain and numbness of the whole left leg.")
    assert "leg_pain" not in result.present_ids
    assert {"low_back_pain", "leg_numbness_tingling"} <= set(result.present_ids)


@pytest.mark.parametrize("text", ["he now walks with a limp", "on examination he limps"])
def test_a_limp_is_read_as_a_noun_or_a_verb(text: str) -> None:
    assert "limp" in shipped_parser().parse(text).present_ids


def test_a_body_part_paired_with_a_symptom_never_rules_the_symptom_out() -> None:
    result = shipped_parser().parse("no pain in my feet at rest")
    assert "leg_pain_below_knee" not in result.absent_ids


def test_a_unit_of_length_is_not_a_body_part() -> None:
    result = shipped_parser().parse("She fell 15 feet and has thoracic pain.")
    assert "leg_pain_below_knee" not in result.present_ids
    assert "major_trauma" in result.present_ids


def test_a_symptom_denied_for_a_time_gone_by_leaves_the_present_one_standing() -> None:
    result = shipped_parser().parse("Low back pain after a fall this morning. She had no back pain before that day.")
    assert "low_back_pain" in result.present_ids


def test_a_history_denied_in_the_past_is_still_denied() -> None:
    assert "history_of_cancer" in shipped_parser().parse("No history of cancer.").absent_ids


def test_a_predicate_after_a_noun_cue_starts_a_new_clause() -> None:
    result = shipped_parser().parse("A man with no past medical history has sudden weakness in both legs.")
    assert "leg_weakness_bilateral" in result.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("He has had 2 months of worsening pain in his left buttock.", "duration_subacute"),
    ("Back pain that has been getting worse over twelve months.", "duration_chronic"),
    ("A 26-year-old man returns with back pain that has persisted for 3 months.", "duration_chronic"),
], ids=["next-to-the-course", "over-months", "not-by-meaning"])
def test_a_time_phrase_next_to_the_course_of_the_pain_is_how_long_it_has_lasted(text: str, finding: str) -> None:
    result = shipped_parser().parse(text)
    durations = {"duration_acute", "duration_subacute", "duration_chronic"}
    assert durations & set(result.present_ids) == {finding}


def test_a_time_phrase_next_to_a_past_illness_is_not_the_episode_s() -> None:
    assert "duration_chronic" not in shipped_parser().parse("Diabetes for ten years, back pain.").present_ids


@pytest.mark.parametrize(("text", "smokes"), [
    ("He has smoked a pack a day for 30 years", True),
    ("She has been smoking since she was 15", True),
    ("She quit smoking in 2010", False),
    ("He gave up smoking", False),
])
def test_smoking_is_read_in_its_verb_forms_but_not_after_giving_it_up(text: str, smokes: bool) -> None:
    assert ("smoking" in shipped_parser().parse(text).present_ids) is smokes


@pytest.mark.parametrize(("text", "sex"), [
    ("A man with no heart problems has had back pain", "male"),
    ("Over two days his legs got weaker", "male"),
    ("Mrs Jones has had back pain for a week", "female"),
    ("A mother of three with back pain", "female"),
    ("She cannot lift her right foot", "female"),
    ("The patient's mother had cancer. He has back pain", "male"),
    ("I hurt my back and my wife says I limp", None),
], ids=["man", "his", "mrs", "mother-of", "she", "relative-after-possessive", "first-person"])
def test_the_sex_of_the_person_described_is_read_from_the_words(text: str, sex: str | None) -> None:
    assert shipped_parser().parse(text).sex == sex


@pytest.mark.parametrize("text", [
    "I'm 26 and 27 weeks pregnant with my first baby, and my back aches",
    "I had a baby three weeks ago and my back hurts",
], ids=["pregnant", "after-birth"])
def test_a_finding_only_one_sex_can_have_tells_the_sex(text: str) -> None:
    assert shipped_parser().parse(text).sex == "female"


def test_a_pregnancy_that_is_denied_tells_no_sex() -> None:
    result = shipped_parser().parse("I'm 30, not pregnant, and my back hurts")
    assert "pregnancy" in result.absent_ids
    assert result.sex is None


@pytest.mark.parametrize(("text", "age"), [
    ("a 54-year-old with back pain", 54),
    ("aged 54, back pain", 54),
    ("54 yo back pain", 54),
    ("54M, back pain for a week", 54),
    ("a woman in her late sixties with back pain", 68),
    ("a man in his 50s with back pain", 55),
    ("in her early forties, sciatica", 42),
], ids=["year-old", "aged", "yo", "54M", "late-sixties", "50s", "early-forties"])
def test_the_age_is_read_in_every_usual_form(text: str, age: int) -> None:
    assert shipped_parser().parse(text).age == age


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("CRP 84", "elevated_esr_crp", True),
    ("CRP 4, ESR 12", "elevated_esr_crp", False),
    ("heart rate of 124/min", "hypotension_tachycardia", True),
    ("blood pressure 82/50", "hypotension_tachycardia", True),
    ("blood pressure 128/80, heart rate 76", "hypotension_tachycardia", False),
    ("900 mL residual on the bladder scan", "high_post_void_residual", True),
    ("temperature 38.6", "measured_temperature_38", True),
    ("temperature 101.8 F", "measured_temperature_38", True),
    ("WBC 18,000/mm3", "raised_white_cell_count", True),
    ("WCC 7.2", "raised_white_cell_count", False),
    ("right ankle dorsiflexion is 2/5", "weakness_severe", True),
    ("right ankle dorsiflexion is 4/5", "weakness_severe", False),
    ("grade 2 spondylolisthesis", "weakness_severe", False),
    ("Serum potassium is 1.9 mEq/L", "low_potassium", True),
    ("potassium 4.1 mmol/L", "low_potassium", False),
    ("Hb 8.0 g/dL", "anaemia", True),
    ("haemoglobin 136 g/L", "anaemia", False),
    ("serum calcium 12.3 mg/dL", "hypercalcaemia", True),
    ("calcium 2.35 mmol/L", "hypercalcaemia", False),
    ("he fell about 15 feet", "major_trauma", True),
    ("she fell 2 days ago", "major_trauma", False),
])
def test_a_stated_value_is_read_against_the_finding_s_cut_off(text: str, finding: str, read: bool) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


def _finding(**changes: object) -> Finding:
    base = Finding(
        id="persistent_hiccups", label="Persistent hiccups", question="Do you have hiccups that will not stop?",
        category=FindingCategory.SYMPTOM, synonyms=["hiccups that will not stop", "hiccups that keep going for days"],
        background=Sourced(value=0.01, source="spinecheck_model_assumption"),
    )
    return base.model_copy(update=changes)


@pytest.fixture(scope="module")
def extended_parser() -> NarrativeParser:
    """The shipped findings plus two changes a knowledge-base editor might make, and no lexicon work."""
    findings = dict(shipped_findings())
    findings["persistent_hiccups"] = _finding()
    crp = findings["elevated_esr_crp"]
    findings["elevated_esr_crp"] = crp.model_copy(update={"cutoffs": [
        CutOff(quantity="crp", at_least=100, unit="mg/L"), *[c for c in crp.cutoffs if c.quantity != "crp"],
    ]})
    return NarrativeParser(findings, load_lexicon(lexicon_path()))


def test_a_finding_new_to_the_knowledge_base_is_read_from_its_own_names(extended_parser: NarrativeParser) -> None:
    result = extended_parser.parse("my hiccups have kept going for days now")
    assert ("persistent_hiccups", "semantic") in [(f.id, f.via) for f in result.present]


def test_the_cut_off_comes_from_the_finding_s_definition(extended_parser: NarrativeParser) -> None:
    assert "elevated_esr_crp" not in extended_parser.parse("CRP 84").present_ids
    assert "elevated_esr_crp" in extended_parser.parse("CRP 140").present_ids


def test_the_shipped_lexicon_agrees_with_the_knowledge_base(model: CompiledModel) -> None:
    assert check_lexicon(load_lexicon(lexicon_path()), model.kb) == []


def test_a_phrase_listed_twice_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    doubled = lexicon.model_copy(update={"phrases": [
        *lexicon.phrases, PhraseSet(finding="fever", present=[lexicon.phrases[0].present[0]]),
    ]})
    problems = check_lexicon(doubled, model.kb)
    assert any("listed twice" in problem for problem in problems)
    assert any("has 2 phrase entries" in problem for problem in problems)


def test_an_opposite_that_names_no_finding_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    semantic = lexicon.semantic.model_copy(update={"opposites": [["eased_by_rest", "eased_by_wishing"]]})
    problems = check_lexicon(lexicon.model_copy(update={"semantic": semantic}), model.kb)
    assert any("'eased_by_wishing'" in problem for problem in problems)


def test_a_finding_a_normal_reflex_rules_out_is_checked_against_the_knowledge_base(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    assert lexicon.reflexes is not None
    reflexes = lexicon.reflexes.model_copy(update={"ruled_out": {"knee": ["knee_jerk_gone_missing"]}})
    problems = check_lexicon(lexicon.model_copy(update={"reflexes": reflexes}), model.kb)
    assert any("'knee_jerk_gone_missing'" in problem for problem in problems)


def test_a_cut_off_the_lexicon_cannot_read_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    fewer = lexicon.model_copy(update={"measurements": {k: v for k, v in lexicon.measurements.items() if k != "crp"}})
    assert any("'crp'" in problem for problem in check_lexicon(fewer, model.kb))


def test_a_malformed_token_pattern_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    broken = lexicon.model_copy(update={"phrases": [
        *lexicon.phrases[1:], lexicon.phrases[0].model_copy(update={"patterns": [[{"NORM": {"INN": ["back"]}}]]}),
    ]})
    assert any("pattern 0" in problem for problem in check_lexicon(broken, model.kb))


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("she fell out of a second-floor window", "major_trauma", True),
    ("he fell from the 3rd floor onto concrete", "major_trauma", True),
    ("I fell out of bed onto the floor", "major_trauma", False),
    ("I slipped and sat down hard on the ice", "minor_trauma", True),
    ("she tripped and landed on her hip", "minor_trauma", True),
])
def test_how_far_someone_fell_decides_between_a_simple_fall_and_a_fall_from_height(
    text: str, finding: str, read: bool,
) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("Two weeks ago I had an operation on a slipped disc in my lower back.", "recent_spinal_procedure", True),
    ("I had surgery on my back three weeks ago.", "recent_spinal_procedure", True),
    ("Two weeks ago I had an operation on my knee and my back hurts.", "recent_spinal_procedure", False),
    ("This morning I could hardly wake him.", "confusion_new", True),
    ("We couldn't wake her this morning.", "confusion_new", True),
    ("He wakes up at night with the pain.", "confusion_new", False),
])
def test_a_recent_operation_on_the_spine_and_a_person_hard_to_wake_are_read(
    text: str, finding: str, read: bool,
) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


def test_a_relative_s_reach_ends_at_a_he_or_she_who_cannot_be_that_relative() -> None:
    result = shipped_parser().parse("His mother rubbed his leg and soon after he suddenly couldn't breathe.")
    assert "breathing_difficulty" in result.present_ids


def test_a_relative_s_own_illness_stays_theirs() -> None:
    result = shipped_parser().parse("Her father had cancer and she has back pain.")
    assert "history_of_cancer" not in result.present_ids
    assert "low_back_pain" in result.present_ids


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("acute low back pain that started 1 hour earlier", "onset_sudden", True),
    ("back pain since this morning", "onset_sudden", True),
    ("low back pain for 3 days", "onset_sudden", False),
])
def test_an_episode_of_hours_began_suddenly(text: str, finding: str, read: bool) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


def test_a_denial_ends_where_a_new_clause_has_its_own_subject() -> None:
    result = shipped_parser().parse(
        "A woman with no medical history is brought in after she fell from a third-storey window."
    )
    assert "major_trauma" in result.present_ids


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("back pain after a minor fall several hours earlier", "minor_trauma", True),
    ("she couldn't bear any weight on her right leg", "unable_to_bear_weight", True),
    ("I can put weight on it fine", "unable_to_bear_weight", False),
])
def test_a_small_fall_and_a_leg_that_takes_no_weight_are_read(text: str, finding: str, read: bool) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize(("text", "age"), [
    ("My husband is 87. Since yesterday his left leg has felt numb.", 87),
    ("Dad is 74. He can't pass water.", 74),
    ("My son is 23 and my back hurts.", None),
    ("Mum is 5 foot tall and her back hurts.", None),
])
def test_a_relative_describing_the_person_gives_the_age_as_a_plain_number(text: str, age: int | None) -> None:
    assert shipped_parser().parse(text).age == age


@pytest.mark.parametrize(("text", "finding", "status"), [
    ("I've lost about 18 pounds this past year without trying.", "unexplained_weight_loss", "present"),
    ("My back has got worse over the past few weeks.", "course_worsening", "present"),
    ("I lost weight last year but it came back.", "unexplained_weight_loss", "unknown"),
])
def test_a_stretch_of_time_up_to_now_is_not_a_time_gone_by(text: str, finding: str, status: str) -> None:
    result = shipped_parser().parse(text)
    found = {f.id for f in result.present} if status == "present" else {f.id for f in result.unknown}
    assert finding in found


@pytest.mark.parametrize(("text", "finding"), [
    ("my left flank hurts", "flank_pain"),
    ("my groin hurts when I walk", "groin_pain"),
])
def test_the_flank_and_the_groin_pair_with_a_kind_of_pain(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("the pain in my back is bad", True),
    ("my back is really sore", True),
    ("pain shoots down the back of my thigh", False),
    ("I went straight back to work despite the pain", False),
])
def test_the_back_pairs_with_a_kind_of_pain_unless_its_neighbours_make_it_a_direction_or_an_adverb(
    text: str, read: bool,
) -> None:
    result = shipped_parser().parse(text)
    via_pair = [f for f in result.present if f.id == "low_back_pain" and f.via != "semantic"]
    assert bool(via_pair) is read


def test_the_upper_or_middle_of_the_back_is_not_read_as_the_lower_back() -> None:
    result = shipped_parser().parse("For three months I've had a dull ache in the middle of my back.")
    assert "thoracic_back_pain" in result.present_ids
    assert "low_back_pain" not in result.present_ids


def test_the_month_of_may_is_not_a_hedge() -> None:
    result = shipped_parser().parse("A woman develops, in May, a sharp back pain.")
    assert "low_back_pain" in result.present_ids


@pytest.mark.parametrize("text", [
    "Both legs are flaccidly paralysed.",
    "His legs have lost strength over the past few days.",
])
def test_paralysis_and_lost_strength_of_both_legs_are_weakness_of_both_legs(text: str) -> None:
    assert "leg_weakness_bilateral" in shipped_parser().parse(text).present_ids


def test_an_upper_limb_is_not_paired_as_a_leg() -> None:
    result = shipped_parser().parse("There is weakness of the left upper limb.")
    assert not [f for f in result.present if f.id == "leg_weakness" and f.via not in ("semantic", "implied")]


@pytest.mark.parametrize(("text", "finding", "read"), [
    ("It worsened steadily over the next few days.", "course_worsening", True),
    ("It has got worse over the last two weeks.", "course_worsening", True),
    ("My left leg got more and more painful.", "course_worsening", True),
    ("It got worse when I sneezed.", "course_worsening", False),
    ("The right foot became noticeably weaker.", "weakness_progressive", True),
    ("Pain in the left leg progressed to weakness of the foot.", "weakness_progressive", True),
])
def test_a_change_over_time_is_read_in_any_verb_form_but_worse_when_is_what_aggravates(
    text: str, finding: str, read: bool,
) -> None:
    assert (finding in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize(("text", "finding"), [
    ("I got pain in my left hip and groin.", "groin_pain"),
    ("Numbness in her back and both legs.", "leg_numbness_tingling"),
])
def test_a_kind_of_symptom_reaches_a_part_joined_to_another_place(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("She has pain in the neck, shoulders, lower back and hips.", "low_back_pain"),
    ("Aching in his neck, shoulders, arms and knees.", "knee_pain"),
], ids=["third", "fourth"])
def test_a_kind_of_symptom_reaches_each_part_of_a_longer_list(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_symptom_told_before_and_in_another_clause_does_not_reach_the_part_after_it() -> None:
    parsed = shipped_parser().parse("My hands have been getting weaker, and my legs feel stiff when I walk.")
    assert "leg_weakness" not in parsed.present_ids


def test_a_pain_that_has_come_on_in_a_part_pairs_with_it() -> None:
    assert "flank_pain" in shipped_parser().parse("A severe pain has come on in my left flank.").present_ids


@pytest.mark.parametrize(("text", "severe"), [
    ("He has bad pain in his right buttock.", True),
    ("For a year I've had bad low back pain.", True),
    ("I have a bad back.", False),
])
def test_bad_said_of_the_pain_itself_is_severe_pain(text: str, severe: bool) -> None:
    assert ("severe_pain" in shipped_parser().parse(text).present_ids) is severe


@pytest.mark.parametrize(("text", "finding"), [
    ("I feel very sick.", "nausea_vomiting"),
    ("I'm pacing about because nothing helps.", "restless_cannot_keep_still"),
    ("The outside of my left hip has been really painful.", "lateral_hip_pain"),
])
def test_everyday_words_for_colic_and_hip_pain_are_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("He has a mild limp.", True),
    ("She walks with an antalgic limp.", True),
    ("He walks with no limp.", False),
])
def test_a_limp_is_the_noun_after_a_or_an_whatever_describes_it(text: str, read: bool) -> None:
    assert ("limp" in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize("text", [
    "He has painful, grouped blisters on red skin in the T3 dermatome.",
    "She has a healing group of very small blisters on the left lower back.",
])
def test_blisters_in_a_group_or_along_a_dermatome_are_a_dermatomal_rash(text: str) -> None:
    assert "dermatomal_vesicular_rash" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("She has pain around her pelvis and in her low back.", "low_back_pain"),
    ("Burning pain under the right forefoot.", "leg_pain_below_knee"),
    ("My heels hurt too.", "heel_pain_enthesitis"),
])
def test_places_that_lead_on_the_forefoot_and_the_heel_pair_with_pain(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("For the last two or three weeks I've had a pain in my back.", "duration_acute"),
    ("Back pain for 2-3 months.", "duration_chronic"),
    ("Over the past month my back has hurt.", "duration_acute"),
    ("Twenty minutes ago I suddenly got pain in my left calf.", "onset_sudden"),
])
def test_a_range_takes_its_larger_end_and_a_unit_alone_is_one_of_it(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_minutes_spent_doing_something_are_not_how_long_the_episode_has_lasted() -> None:
    result = shipped_parser().parse("My back pain is worse after sitting for more than 30 minutes.")
    assert not {"duration_acute", "onset_sudden"} & set(result.present_ids)


@pytest.mark.parametrize(("text", "severe"), [
    ("He rates it 7/10.", True),
    ("10/10 pain since this morning.", True),
    ("The pain is about 3/10.", False),
    ("Back pain for 7 days.", False),
])
def test_a_pain_score_is_read_against_the_severe_pain_cut_off(text: str, severe: bool) -> None:
    assert ("severe_pain" in shipped_parser().parse(text).present_ids) is severe


@pytest.mark.parametrize(("text", "severe"), [
    ("On a bad day the ache is 5 or 8 out of 10.", True),
    ("Her pain is 2-4/10.", False),
])
def test_a_range_of_values_passes_a_cut_off_when_either_end_does(text: str, severe: bool) -> None:
    assert ("severe_pain" in shipped_parser().parse(text).present_ids) is severe


def test_a_value_may_stand_in_an_aside_after_its_name() -> None:
    assert "severe_pain" in shipped_parser().parse("The pain has kept building (today 8/10).").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("It's a dull, throbbing pain, 9 out of 10, that stays in one place.", "severe_pain"),
    ("On arrival his temperature, 38.9 degrees, was the first sign.", "measured_temperature_38"),
])
def test_a_value_may_follow_its_name_after_a_comma(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "severe"), [
    ("She rates it as severe.", True),
    ("It's now quite severe.", True),
    ("It has become so bad I can hardly walk.", True),
    ("The weakness was severe.", False),
])
def test_pain_said_to_be_severe_or_so_bad_it_stops_things_is_severe_pain(text: str, severe: bool) -> None:
    assert ("severe_pain" in shipped_parser().parse(text).present_ids) is severe


@pytest.mark.parametrize("text", [
    "His hip has been hurting more and more.",
    "The pain has escalated.",
    "It has slowly got worse.",
    "Pain on the outside of her right hip, worse in the last two weeks.",
    "The last two weeks have been worse.",
])
def test_a_course_that_keeps_worsening_is_read_from_its_usual_forms(text: str) -> None:
    assert "course_worsening" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "findings"), [
    ("Vibration sense is absent at the ankles and toes.", {"leg_numbness_tingling"}),
    ("Pinprick and position sense are reduced in the right arm and leg.",
     {"hand_numbness_tingling", "leg_numbness_tingling"}),
    ("Pain and temperature sensation are lost over the lower trunk and both legs.", {"leg_numbness_bilateral"}),
])
def test_a_tested_sense_said_to_be_reduced_pairs_with_the_part_as_numbness(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


def test_a_pair_leaves_the_rest_of_its_piece_to_be_read_by_meaning() -> None:
    result = shipped_parser().parse("Pinprick and position sense are reduced in the right arm and leg.")
    assert "position_sense_loss_exam" in result.present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("A man suddenly lost the use of his left leg.", True),
    ("All of a sudden both my legs stopped working.", True),
    ("On day four she could no longer lift the right foot.", True),
    ("He could not feel his legs.", False),
])
def test_a_part_that_cannot_be_moved_at_all_is_severe_weakness(text: str, read: bool) -> None:
    result = shipped_parser().parse(text)
    paired = [f for f in result.present if f.id == "weakness_severe" and f.via != "semantic"]
    assert bool(paired) is read


@pytest.mark.parametrize(("text", "findings"), [
    ("A severe pain from my right buttock down the back of my leg to the outside of my ankle.",
     {"leg_pain", "leg_pain_below_knee"}),
    ("Her weakness began in her feet and has worked its way up to her arms.", {"arm_weakness"}),
])
def test_a_symptom_that_travels_reaches_each_part_it_goes_to(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


def test_a_denial_on_the_way_stops_the_symptom_travelling() -> None:
    result = shipped_parser().parse("Back pain, but it does not go down my leg.")
    assert "leg_pain" not in result.present_ids


def test_pain_that_travels_down_into_the_foot_follows_a_nerve() -> None:
    result = shipped_parser().parse("Pain shot from my back down the back of my leg into my foot.")
    assert "dermatomal_pain_distribution" in result.present_ids


def test_a_symptom_with_no_pair_of_its_own_still_joins_one_that_has() -> None:
    result = shipped_parser().parse("She has 3 days of pain and swelling in the right calf.")
    assert "leg_pain_below_knee" in result.present_ids


def test_a_stretch_that_ended_before_the_episode_is_not_its_length() -> None:
    result = shipped_parser().parse(
        "She has had 2 hours of weakness on the left side. For several weeks before this she had calf pain."
    )
    assert {"onset_sudden", "duration_acute"} <= set(result.present_ids)


def test_a_full_day_is_not_within_hours() -> None:
    assert "onset_sudden" not in shipped_parser().parse("24 hours of pain in my calf.").present_ids


def test_how_long_morning_stiffness_lasts_is_not_how_long_the_episode_has_lasted() -> None:
    result = shipped_parser().parse("My back has been stiff every morning for over an hour.")
    assert "morning_stiffness_over_30_min" in result.present_ids
    assert not {"onset_sudden", "duration_acute"} & set(result.present_ids)


def test_gone_numb_is_a_change_into_a_state_not_a_symptom_that_has_passed() -> None:
    result = shipped_parser().parse("My legs have got weaker and gone numb.")
    assert {"leg_weakness", "leg_numbness_tingling"} <= set(result.present_ids)


def test_a_stretch_of_a_stated_number_of_weeks_up_to_now_is_not_the_past() -> None:
    assert "leg_weakness" in shipped_parser().parse("In the past 3 days my legs have become weak.").present_ids


def test_two_parts_joined_before_the_kind_both_pair_with_it() -> None:
    result = shipped_parser().parse("My arms and legs have got weaker.")
    assert {"arm_weakness", "leg_weakness"} <= set(result.present_ids)


@pytest.mark.parametrize(("text", "status"), [
    ("It hurts a lot to put weight on it.", "present"),
    ("Now it's worse again when I put weight on it.", "present"),
    ("It doesn't hurt to put weight on it.", "absent"),
])
def test_pain_when_weight_goes_through_the_leg_is_read(text: str, status: str) -> None:
    result = shipped_parser().parse(text)
    ids = result.present_ids if status == "present" else result.absent_ids
    assert "pain_on_weight_bearing" in ids


def test_a_stated_stretch_sets_the_episodes_length_over_a_date_of_an_earlier_event() -> None:
    result = shipped_parser().parse("Back pain for 3 days. Four years ago she had a kidney stone.")
    assert "duration_acute" in result.present_ids
    assert "duration_chronic" not in result.present_ids


def test_a_date_sets_the_episodes_length_when_no_stretch_is_stated() -> None:
    assert "duration_subacute" in shipped_parser().parse("Two months ago my back started hurting.").present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("He has had 4 months of increasingly severe lower back pain.", True),
    ("She has growing difficulty walking.", True),
    ("The pain has gradually increased.", True),
    ("The pain has become severe.", True),
    ("It is getting progressively better.", False),
])
def test_a_course_that_keeps_worsening_is_read_from_clinical_forms(text: str, read: bool) -> None:
    assert ("course_worsening" in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize(("text", "read"), [
    ("Movement aggravates the pain.", True),
    ("Bending and twisting make it worse.", True),
    ("It is aggravated by bending.", True),
    ("Exercise makes her feel better.", False),
])
def test_movement_said_to_aggravate_the_pain_is_read_either_way_round(text: str, read: bool) -> None:
    assert ("worse_with_movement" in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize("text", [
    "He has a history of low back pain.",
    "I had back pain years ago and now my leg is numb.",
])
def test_back_pain_told_in_the_past_is_an_earlier_episode(text: str) -> None:
    result = shipped_parser().parse(text)
    assert "previous_episodes" in result.present_ids
    assert "low_back_pain" not in result.present_ids


def test_an_earlier_episode_read_from_a_past_pain_does_not_take_the_episodes_length() -> None:
    result = shipped_parser().parse("For five years I've had on-and-off back pain that is gone at rest.")
    assert "duration_chronic" in result.present_ids


def test_never_before_followed_by_a_conjunction_still_means_this_is_new() -> None:
    result = shipped_parser().parse(
        "My urine has gone bloody. I've never had blood in my urine before and I don't have any medical problems."
    )
    assert "blood_in_urine" in result.present_ids


@pytest.mark.parametrize("text", [
    "Straight-leg raise is negative.",
    "Neurological examination, slump, straight-leg raise, sacroiliac and hip tests are negative.",
])
def test_a_test_reported_negative_is_not_read_as_positive(text: str) -> None:
    assert "slr_positive" not in shipped_parser().parse(text).present_ids


def test_a_negative_result_does_not_reach_back_over_another_tests_own_clause() -> None:
    result = shipped_parser().parse(
        "Three of five sacroiliac provocation tests reproduced the pain on the left, straight leg raise was negative."
    )
    assert "sij_provocation_positive" in result.present_ids


@pytest.mark.parametrize("text", [
    "Sore across the bottom of my back, worse when I bend or get out of the car.",
    "Worse when I turn over in bed.",
])
def test_worse_when_moving_is_what_aggravates_the_pain_not_a_worsening_course(text: str) -> None:
    result = shipped_parser().parse(text)
    assert "worse_with_movement" in result.present_ids
    assert "course_worsening" not in result.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("I can move my legs fine.", "weakness_severe"),
    ("Sensation is reduced in the right leg, and gait is normal.", "unsteady_gait"),
    ("He walks normally.", "unsteady_gait"),
])
def test_a_works_normally_statement_about_moving_or_walking_rules_the_finding_out(text: str, finding: str) -> None:
    result = shipped_parser().parse(text)
    assert finding in result.absent_ids
    assert finding not in result.present_ids


def test_a_symptom_that_travels_from_its_own_place_also_reaches_the_part_it_goes_to() -> None:
    result = shipped_parser().parse("Her low back pain spreads down the front of both thighs.")
    assert {"low_back_pain", "leg_pain", "leg_pain_bilateral"} <= set(result.present_ids)


def test_a_travelling_symptom_goes_on_to_a_second_part_joined_to_the_first() -> None:
    result = shipped_parser().parse("The ache runs down the back of her thigh and calf.")
    assert {"leg_pain_below_knee", "dermatomal_pain_distribution"} <= set(result.present_ids)


def test_two_kinds_of_symptom_joined_together_travel_together() -> None:
    result = shipped_parser().parse("Tingling and pain run from his buttock down his right leg.")
    assert {"leg_pain", "leg_numbness_tingling"} <= set(result.present_ids)


def test_another_kind_of_symptom_on_the_way_is_the_one_that_travels() -> None:
    result = shipped_parser().parse("Pain in my back and tingling down my leg.")
    assert "leg_numbness_tingling" in result.present_ids
    assert "leg_pain" not in result.present_ids


@pytest.mark.parametrize(("text", "colic"), [
    ("A gripping pain in his left loin, moving down into the groin.", True),
    ("An ache in the hip that spreads into the groin.", False),
])
def test_pain_moving_down_to_the_groin_is_colic_only_when_it_starts_in_the_side_or_back(text: str, colic: bool) -> None:
    result = shipped_parser().parse(text)
    assert "groin_pain" in result.present_ids
    assert ("loin_to_groin_colicky_pain" in result.present_ids) is colic


@pytest.mark.parametrize("text", [
    "For a week he has had fevers and terrible pain in his legs that stops him sleeping.",
    "She has a burning pain that runs from her buttock down the back of her thigh and the side of her leg.",
])
def test_meaning_does_not_add_another_kind_of_symptom_to_a_part_already_paired(text: str) -> None:
    result = shipped_parser().parse(text)
    assert "leg_pain" in result.present_ids
    assert not {"leg_weakness", "leg_numbness_tingling"} & set(result.present_ids)


def test_meaning_may_still_add_a_finding_that_agrees_with_the_pair() -> None:
    result = shipped_parser().parse("Since this morning he has lost the use of his left leg.")
    assert {"weakness_severe", "leg_weakness_unilateral"} <= set(result.present_ids)


def test_a_stretch_since_an_event_years_ago_runs_up_to_now() -> None:
    result = shipped_parser().parse("Ever since a fall four years ago she has had back pain.")
    assert "low_back_pain" in result.present_ids
    assert "duration_chronic" in result.present_ids


def test_a_path_finding_must_name_a_part_that_has_one() -> None:
    spec = load_lexicon(lexicon_path()).body_parts
    assert spec is not None
    data = spec.model_dump()
    data["path_from"] = {"knee": ["back"]}
    with pytest.raises(ValueError, match="no path_findings"):
        type(spec).model_validate(data)


@pytest.mark.parametrize("text", [
    "Yesterday I reached for a box and my back locked.",
    "She heard something crack in her lower back as she lifted the bag.",
    "He jarred his back when his foot slipped into a pothole.",
    "I wrenched my back moving the sofa.",
])
def test_something_giving_way_in_the_back_is_back_pain_that_came_on_at_once(text: str) -> None:
    assert {"low_back_pain", "onset_sudden"} <= set(shipped_parser().parse(text).present_ids)


@pytest.mark.parametrize("text", [
    "She injured her back when she fell on the ice.",
    "He jarred his back when his foot slipped into a pothole.",
])
def test_a_possessive_names_the_back_whatever_word_follows_it(text: str) -> None:
    assert "low_back_pain" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "The pain came back when I sat down.",
    "Aching in the middle of my back, where my bra strap sits.",
], ids=["adverb", "middle"])
def test_back_as_an_adverb_or_the_middle_of_the_back_is_no_low_back_pain(text: str) -> None:
    assert "low_back_pain" not in shipped_parser().parse(text).present_ids


def test_a_knee_that_locks_is_not_back_pain() -> None:
    assert "low_back_pain" not in shipped_parser().parse("The back of my knee locked on the stairs.").present_ids


def test_a_symptom_felt_straight_after_an_event_came_on_at_once() -> None:
    result = shipped_parser().parse("He coughed and immediately felt pain in his right buttock.")
    assert {"onset_sudden", "buttock_pain"} <= set(result.present_ids)


def test_a_kind_may_only_say_a_finding_for_a_kind_it_knows() -> None:
    spec = load_lexicon(lexicon_path()).body_parts
    assert spec is not None
    data = spec.model_dump()
    data["kind_findings"] = {"sparkle": ["onset_sudden"]}
    with pytest.raises(ValueError, match="unknown kind 'sparkle'"):
        type(spec).model_validate(data)


@pytest.mark.parametrize("text", [
    "Light touch is reduced below the level of the navel.",
    "The tingling has spread up to just under her nipples.",
])
def test_numbness_up_to_a_landmark_of_the_trunk_is_a_sensory_level(text: str) -> None:
    assert "sensory_level_trunk" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "findings"), [
    ("Over ten days she has grown weak, numb and tingly in all four limbs.",
     {"leg_weakness_bilateral", "arm_weakness", "leg_numbness_bilateral", "hand_numbness_tingling"}),
    ("His limbs have lost their strength.", {"leg_weakness_bilateral", "arm_weakness"}),
])
def test_the_four_limbs_are_both_legs_and_the_arms(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


def test_the_four_limbs_without_pain_are_not_pain_all_over() -> None:
    assert "widespread_body_pain" not in shipped_parser().parse("He is weak in all four limbs.").present_ids


def test_pain_that_travels_down_to_the_knee_is_not_knee_pain() -> None:
    result = shipped_parser().parse("She has outer thigh pain down to the knee.")
    assert "leg_pain" in result.present_ids
    assert "knee_pain" not in result.present_ids


@pytest.mark.parametrize(("text", "findings"), [
    ("Strength is 3/5 in all the muscles of both legs.", {"leg_weakness", "leg_weakness_bilateral"}),
    ("Power is 4/5 at the right knee.", {"leg_weakness", "leg_weakness_unilateral"}),
])
def test_a_power_grade_below_normal_said_of_a_limb_is_weakness_of_that_limb(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


@pytest.mark.parametrize(("text", "finding"), [
    ("Hip flexion is 5/5 on both sides.", "weakness_hip_flexion"),
    ("Knee extension 5/5 bilaterally.", "weakness_knee_extension"),
], ids=["hip-flexion", "knee-extension"])
def test_a_muscle_at_full_power_is_not_weak(text: str, finding: str) -> None:
    parsed = shipped_parser().parse(text)
    assert finding in parsed.absent_ids
    assert not {"leg_weakness", "myotomal_weakness_exam"} & set(parsed.absent_ids)  # the other muscles are untold


def test_a_muscle_at_full_power_on_one_side_and_weak_on_the_other_is_weak() -> None:
    parsed = shipped_parser().parse("Hip flexion is 5/5 on the right and 3/5 on the left.")
    assert "weakness_hip_flexion" in parsed.present_ids


def test_a_power_grade_at_normal_says_the_limb_is_not_weak() -> None:
    result = shipped_parser().parse("Strength is 5/5 in both legs.")
    assert "leg_weakness" in result.absent_ids
    assert not {"leg_weakness", "leg_weakness_bilateral"} & set(result.present_ids)


@pytest.mark.parametrize(("text", "finding"), [
    ("There are no pulses in his right foot.", "foot_pulses_reduced"),
    ("No knee jerk could be found on the left.", "knee_reflex_reduced"),
    ("On examination she has no anal tone.", "reduced_anal_tone"),
])
def test_a_denial_of_what_an_examiner_looks_for_is_its_lack(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Foot pulses are present on both sides.", "foot_pulses_reduced"),
    ("Reflexes are normal.", "areflexia"),
    ("There are no reduced reflexes.", "areflexia"),
])
def test_naming_the_thing_as_it_should_be_is_not_its_lack(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "absent", "not_read"), [
    ("Power is 5/5 throughout the lower limbs.", "leg_weakness", "arm_weakness"),
    ("The upper limbs are weak.", "", "leg_weakness_bilateral"),
])
def test_a_word_before_a_part_may_make_it_another_part(text: str, absent: str, not_read: str) -> None:
    result = shipped_parser().parse(text)
    assert not absent or absent in result.absent_ids
    assert not_read not in result.present_ids and not_read not in result.absent_ids


def test_a_part_said_to_work_as_it_should_is_not_its_symptom_by_meaning() -> None:
    result = shipped_parser().parse("My legs are working fine, no fever.")
    assert not {"leg_weakness", "leg_weakness_bilateral"} & set(result.present_ids)


def test_a_reading_by_meaning_explained_by_another_finding_s_phrase_is_dropped() -> None:
    result = shipped_parser().parse("Every evening my legs get a creepy-crawly feeling. No cramps, no weakness.")
    assert not {"leg_weakness", "leg_weakness_bilateral"} & set(result.present_ids)


def test_the_semantic_matcher_says_whether_a_text_is_still_close_to_a_finding() -> None:
    embedder = WordCountEmbedder(["shock", "pale", "pain"])
    matcher = SemanticMatcher(
        embedder, {"present|shock": ["shock pale"]}, thresholds={}, default_threshold=0.7, margin=0.0,
    )
    assert matcher.still_close([("shock pale", "present|shock"), ("pain", "present|shock"), ("", "present|shock")]) == [
        True, False, False,
    ]


def test_a_partial_inability_is_not_read_as_a_total_one_but_as_what_it_implies() -> None:
    result = shipped_parser().parse("Now he can hardly walk to the bathroom.")
    assert "weakness_severe" not in result.present_ids
    assert "leg_weakness" in result.present_ids


def test_constant_pain_with_other_qualities_between_is_pain_not_eased_by_rest() -> None:
    result = shipped_parser().parse("She describes a constant dull aching pain low in her back.")
    assert "pain_at_rest_not_eased_by_lying" in result.present_ids


def test_a_broad_phrase_gives_way_only_to_a_finding_whose_names_hold_it() -> None:
    result = shipped_parser().parse("The ache in her legs keeps her from sleeping at night.")
    assert "night_pain" in result.present_ids


@pytest.mark.parametrize(("text", "night"), [
    ("He is woken up by the pain most nights.", True),
    ("The ache is worse in the small hours.", True),
    ("I start work in the early hours.", False),
])
def test_pain_that_wakes_or_peaks_before_dawn_is_night_pain(text: str, night: bool) -> None:
    assert ("night_pain" in shipped_parser().parse(text).present_ids) is night


def test_a_hedge_on_when_a_symptom_began_does_not_hedge_the_symptom() -> None:
    result = shipped_parser().parse("She has numbness of her right leg that possibly started on Sunday.")
    assert "leg_numbness_tingling" in result.present_ids


@pytest.mark.parametrize(("text", "pregnant"), [
    ("A woman in her second pregnancy has pain over the pubic bone.", True),
    ("At 22 weeks of pregnancy she has low back pain.", True),
    ("Since her first pregnancy twenty years ago her back has ached on and off.", False),
])
def test_a_pregnancy_she_is_in_now_is_pregnancy(text: str, pregnant: bool) -> None:
    assert ("pregnancy" in shipped_parser().parse(text).present_ids) is pregnant


def test_numbness_below_a_line_on_the_trunk_is_numbness_of_both_legs_too() -> None:
    result = shipped_parser().parse("Light touch is lost below the level of the nipples.")
    assert {"sensory_level_trunk", "leg_numbness_bilateral"} <= set(result.present_ids)


@pytest.mark.parametrize("text", [
    "She has electric-shock pains down her leg.",
    "She has electric shock pains down her leg.",
])
def test_a_compound_reads_the_same_with_or_without_its_hyphen(text: str) -> None:
    result = shipped_parser().parse(text)
    quality = [f for f in result.present if f.id == "neuropathic_leg_pain_quality"]
    assert quality and quality[0].via != "semantic"  # read by the phrase, not only by meaning


@pytest.mark.parametrize("text", [
    "The ache is keeping her off work.",
    "He is unable to work because of his back.",
])
def test_pain_that_stops_work_is_pain_limiting_daily_life(text: str) -> None:
    assert "pain_limits_daily_life" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Her right hip has been painful for a month.", "hip_pain_on_movement"),
    ("The outer side of her hip hurts at night.", "lateral_hip_pain"),
])
def test_hip_pain_is_the_hip_joint_s_finding_and_the_outer_hip_its_own(text: str, finding: str) -> None:
    read = [f for f in shipped_parser().parse(text).present if f.id == finding]
    assert read and read[0].via != "semantic"  # by the pairing or a phrase, not only by meaning


def test_a_relative_described_with_their_age_is_still_the_person_being_checked() -> None:
    result = shipped_parser().parse("My 12-year-old daughter has pain in her back. She says it hurts at night.")
    assert {"low_back_pain", "night_pain"} <= set(result.present_ids)


@pytest.mark.parametrize(("text", "sudden"), [
    ("She felt immediate right anterior hip pain while running.", True),
    ("Abrupt onset of back pain two days ago.", True),
    ("He felt instant pain in his lower back.", True),
    ("He was given immediate pain relief.", False),
    ("She needs an immediate review for her pain.", False),
])
def test_a_symptom_called_instantaneous_came_on_suddenly(text: str, sudden: bool) -> None:
    assert ("onset_sudden" in shipped_parser().parse(text).present_ids) is sudden


def test_a_relative_told_of_only_as_his_or_her_is_the_person_being_described() -> None:
    result = shipped_parser().parse(
        "My 5-year-old son has a fever and won't put any weight on his right leg; his hip hurts when we move it."
    )
    assert {"fever", "unable_to_bear_weight"} <= set(result.present_ids)


@pytest.mark.parametrize("text", [
    "Since I was 26 I've had flare-ups of pain shooting down my left leg.",
    "The outside of my left hip keeps flaring up.",
])
def test_a_flare_in_any_of_its_forms_is_a_return_of_earlier_episodes(text: str) -> None:
    assert "previous_episodes" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "sign"), [
    ("Four days of foot drop that began in the big toe and spread to the whole foot.", "babinski_positive"),
    ("She cannot lift the right ankle or great toe.", "babinski_positive"),
])
def test_an_examination_sign_is_not_read_from_the_place_alone(text: str, sign: str) -> None:
    assert sign not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "sign"), [
    ("Both plantar responses are upgoing.", "babinski_positive"),
    ("Straight leg raising on the left reproduces the pain at 40 degrees.", "slr_positive"),
])
def test_an_examination_sign_named_by_what_was_seen_is_still_read(text: str, sign: str) -> None:
    assert sign in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "side"), [
    ("My left calf swelled up two days ago.", "left"),
    ("There is pain and swelling in the right calf.", "right"),
])
def test_a_leg_that_swelled_is_read_in_any_form_of_the_word(text: str, side: str) -> None:
    read = [f for f in shipped_parser().parse(text).present if f.id == "leg_swelling_one_side"]
    assert read and read[0].side == side


@pytest.mark.parametrize("text", [
    "Both calves are swollen.",
    "He has 2+ pitting oedema of both legs up to the knees.",
])
def test_a_finding_of_one_side_is_not_read_of_both(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert "leg_swelling_one_side" not in present
    assert "leg_weakness_bilateral" not in present


def test_a_kind_of_symptom_listed_after_another_is_read_on_both_sides_of_a_plural_part() -> None:
    result = shipped_parser().parse("My feet have had a painful, tingling, burning feeling for a year.")
    assert "leg_numbness_bilateral" in result.present_ids


def test_a_kind_of_symptom_listed_after_another_takes_the_side_of_their_part() -> None:
    result = shipped_parser().parse("Her left leg is painful, weak and numb.")
    assert next(f for f in result.present if f.id == "leg_numbness_tingling").side == "left"


def test_how_long_a_general_symptom_has_lasted_is_not_how_long_the_pain_has() -> None:
    result = shipped_parser().parse(
        "My lower back has been painful for the past week. For about three months I've been tired all the time."
    )
    assert "duration_acute" in result.present_ids
    assert "duration_chronic" not in result.present_ids


@pytest.mark.parametrize("text", ["He came in with a painful foot.", "Her leg was weak on the stairs."])
def test_a_limb_named_in_the_singular_after_a_determiner_is_one_side(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert present & {"leg_pain_unilateral", "leg_weakness_unilateral"}


@pytest.mark.parametrize("text", [
    "She has back and leg pain.", "The leg pain is bad.", "Strength is 4-/5 in the proximal leg muscles.",
])
def test_a_limb_word_that_only_qualifies_another_word_says_no_side(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert not present & {"leg_pain_unilateral", "leg_weakness_unilateral"}


@pytest.mark.parametrize("text", [
    "While doing squats he felt his left leg go weak.", "I felt my legs give way on the stairs.",
])
def test_a_limb_felt_to_change_at_a_moment_began_suddenly(text: str) -> None:
    assert "onset_sudden" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "Lying on that side, activity, direct pressure, stairs and standing at work aggravate it.",
    "Sitting for long periods, getting dressed and lifting weights all bring it on.",
])
def test_movement_in_a_list_of_what_aggravates_the_pain_makes_it_worse_with_movement(text: str) -> None:
    assert "worse_with_movement" in shipped_parser().parse(text).present_ids


def test_movement_cut_off_by_but_from_what_aggravates_the_pain_is_not_read() -> None:
    text = "Bending is comfortable, but standing for long periods aggravates it."
    assert "worse_with_movement" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "He has pain in the back of his thigh.",
    "He felt a big pull up the back of his left thigh while kicking the ball.",
])
def test_the_back_of_another_part_is_not_the_back(text: str) -> None:
    assert "low_back_pain" not in shipped_parser().parse(text).present_ids


def test_back_pain_beside_the_back_of_a_thigh_is_still_back_pain() -> None:
    result = shipped_parser().parse("I've got lower back pain with a burning pain down the back of my thigh.")
    assert "low_back_pain" in result.present_ids


@pytest.mark.parametrize("text", [
    "Strength in both lower legs is 1/5.",
    "Power in both legs is 2/5.",
], ids=["strength", "power"])
def test_a_power_grade_named_a_few_words_before_it_is_read_against_its_cut_off(text: str) -> None:
    assert "weakness_severe" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding", "status"), [
    ("CT of the spine and pelvis shows multiple lytic bone lesions.", "bone_lesion_on_imaging", "present"),
    ("A lumbosacral X-ray shows an osteolytic lesion in the sacrum.", "bone_lesion_on_imaging", "present"),
    ("The X-ray showed no lytic lesions.", "bone_lesion_on_imaging", "absent"),
    ("People say my eyes look yellow.", "jaundice", "present"),
    ("He has yellow sclerae and jaundiced skin.", "jaundice", "present"),
    ("No jaundice or pallor.", "jaundice", "absent"),
    ("Two months ago she had a week of blurred vision and headache that cleared without treatment.",
     "previous_vision_episode_recovered", "present"),
    ("Last year I suddenly lost the sight in one eye for a few weeks but it came back.",
     "previous_vision_episode_recovered", "present"),
], ids=["lytic", "osteolytic", "lesion-denied", "eyes-look-yellow", "sclerae", "jaundice-denied", "sight-cleared",
        "past-sudden-sight-loss"])
def test_a_finding_told_in_its_own_words_is_read(text: str, finding: str, status: str) -> None:
    result = shipped_parser().parse(text)
    assert finding in (result.present_ids if status == "present" else result.absent_ids)


@pytest.mark.parametrize(("text", "duration"), [
    ("For two days I've been exhausted and had back pain.", "duration_acute"),
    ("I have been tired for three months and my back has hurt since yesterday.", "duration_acute"),
    ("For three months I've been tired, and my back has hurt for a week.", "duration_acute"),
], ids=["leading-phrase-covers-the-pain", "trailing-phrase-is-the-tiredness", "comma-ends-the-leading-phrase"])
def test_a_time_phrase_leading_its_clause_is_how_long_each_symptom_of_the_clause_has_lasted(
    text: str, duration: str
) -> None:
    durations = {f for f in shipped_parser().parse(text).present_ids if f.startswith("duration_")}
    assert durations == {duration}


@pytest.mark.parametrize("text", [
    "She couldn't walk.",
    "He could not stand up.",
    "His legs wouldn't hold him up.",
], ids=["couldnt", "could-not", "wouldnt"])
def test_a_past_modal_before_not_reads_as_the_present_one(text: str) -> None:
    assert "weakness_severe" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "I can't walk because of the pain in my back.",
    "She could not stand due to severe back pain.",
    "He could not get out of bed because of pain on moving.",
    "He cannot walk far because his back hurts too much.",
    "She cannot bear weight because of 8/10 pain in the right thigh.",
], ids=["because-of", "due-to", "pain-named-in-a-finding", "because-a-clause", "a-rating-before-the-pain"])
def test_an_inability_put_down_to_pain_is_pain_that_limits_daily_life_not_a_weak_leg(text: str) -> None:
    present = shipped_parser().parse(text).present_ids
    assert "pain_limits_daily_life" in present
    assert not {"weakness_severe", "leg_weakness"} & set(present)


def test_a_task_too_hard_for_a_weak_muscle_put_down_to_pain_is_no_weak_muscle() -> None:
    present = set(shipped_parser().parse("I can't climb stairs because of the pain.").present_ids)
    assert "pain_limits_daily_life" in present
    assert not {"weakness_hip_flexion", "proximal_weakness_both_sides", "leg_weakness"} & present


@pytest.mark.parametrize("text", [
    "Since the fall he cannot sleep or climb the stairs.",
    "He can't work or climb stairs.",
], ids=["sleep", "work"])
def test_an_inability_listed_with_something_no_weak_muscle_stops_is_what_the_illness_stops(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert "pain_limits_daily_life" in present
    assert not {"weakness_hip_flexion", "proximal_weakness_both_sides", "leg_weakness"} & present


def test_inabilities_that_each_need_strong_hips_stay_weakness() -> None:
    present = set(shipped_parser().parse("She cannot get up from a chair or climb stairs.").present_ids)
    assert "proximal_weakness_both_sides" in present


@pytest.mark.parametrize("text", ["I can't walk without pain.", "He is unable to walk without severe pain."],
                         ids=["cannot", "unable"])
def test_an_inability_only_without_pain_is_what_the_pain_stops_not_a_weak_leg(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert "pain_limits_daily_life" in present
    assert not {"weakness_severe", "leg_weakness"} & present


def test_weakness_that_came_without_any_pain_stays_weakness() -> None:
    present = shipped_parser().parse("Over six months my legs have slowly got weaker without any pain.").present_ids
    assert "leg_weakness" in present


def test_pain_after_unable_and_without_is_there_and_a_fever_after_them_is_denied() -> None:
    text = "He is unable to walk without severe pain. She is unable to walk, without any fever."
    parsed = shipped_parser().parse(text)
    assert "severe_pain" in parsed.present_ids
    assert "fever" in parsed.absent_ids


def test_a_task_too_hard_for_weak_legs_stays_weakness() -> None:
    present = shipped_parser().parse("I can't climb stairs because my legs are weak.").present_ids
    assert "leg_weakness" in present


@pytest.mark.parametrize("text", [
    "Since the fall she cannot stand on it.",
    "He can't walk on his left foot.",
    "He is unable to walk on the left foot.",
], ids=["stand-on-it", "walk-on-foot", "unable-on-foot"])
def test_not_walking_or_standing_on_a_limb_is_not_bearing_weight_rather_than_weakness(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert "unable_to_bear_weight" in present
    assert "weakness_severe" not in present


@pytest.mark.parametrize("text", [
    "I can't walk or stand for as long as I used to.",
    "These days she cannot walk very far.",
], ids=["as-long-as", "very-far"])
def test_an_inability_limited_by_how_long_or_how_far_is_partial_not_total(text: str) -> None:
    assert "weakness_severe" not in shipped_parser().parse(text).present_ids


def test_not_being_able_to_walk_at_all_is_still_severe_weakness() -> None:
    assert "weakness_severe" in shipped_parser().parse("She is unable to walk.").present_ids


def test_a_symptom_before_a_comma_and_and_is_not_told_of_the_part_that_opens_the_next_clause() -> None:
    result = shipped_parser().parse("My hands have got weaker, and my legs ache after a long walk.")
    assert "arm_weakness" in result.present_ids
    assert "leg_weakness" not in result.present_ids


def test_a_symptom_listed_with_pins_and_needles_is_still_told_of_the_part_after_them() -> None:
    assert "leg_weakness_bilateral" in shipped_parser().parse("Weakness and pins and needles in both legs.").present_ids


def test_an_english_word_is_never_read_as_a_slip_for_a_word_of_the_knowledge_base() -> None:
    result = shipped_parser().parse("Sitting for long is hard and the pain is spoiling my sleep.")
    assert "faecal_incontinence" not in result.present_ids


def test_a_one_letter_slip_that_is_no_english_word_is_still_read_as_the_word_meant() -> None:
    assert "leg_numbness_tingling" in shipped_parser().parse("I have numbess in my left leg.").present_ids


def test_a_word_the_knowledge_base_itself_writes_is_never_a_slip_for_another() -> None:
    result = shipped_parser().parse("A ballet dancer of 19 has had low back pain for a week.")
    assert "history_of_cancer" not in result.present_ids


def test_a_time_that_opens_its_sentence_dates_the_symptom_after_a_list_of_its_qualities() -> None:
    result = shipped_parser().parse("For two months a 40-year-old ballet teacher has had dull, aching low back pain.")
    assert "duration_subacute" in result.present_ids


def test_a_stretch_of_weeks_is_no_pregnancy_for_the_warning_signs_of_pre_eclampsia() -> None:
    result = shipped_parser().parse(
        "For two weeks my feet have been numb, and now the numbness has crept up to just under my ribs on both sides."
    )
    assert "severe_headache_with_swelling" not in result.present_ids


def test_a_fall_onto_one_side_in_a_sport_is_no_sudden_loss_of_balance() -> None:
    result = shipped_parser().parse("Since falling onto her left side while skiing last week, her hip has hurt.")
    assert "sudden_loss_of_balance" not in result.present_ids


def test_not_walking_in_a_straight_line_is_an_unsteady_gait_not_a_leg_too_weak_to_walk() -> None:
    present = set(shipped_parser().parse("Since lunchtime he cannot walk in a straight line.").present_ids)
    assert "unsteady_gait" in present
    assert "weakness_severe" not in present


def test_a_weight_loss_with_its_reason_told_is_no_unexplained_weight_loss_but_still_a_weight_loss() -> None:
    result = shipped_parser().parse("She has lost a lot of weight from dieting since the spring.")
    assert "unexplained_weight_loss" not in result.present_ids
    assert "leg_cast_knee_surgery_or_major_weight_loss" in result.present_ids


def test_a_weight_loss_whose_reason_is_denied_stays_unexplained() -> None:
    assert "unexplained_weight_loss" in shipped_parser().parse("I've lost weight without dieting.").present_ids


def test_a_reading_by_meaning_that_ends_at_its_verb_is_denied_by_a_denial_right_after() -> None:
    result = shipped_parser().parse("The belly is soft, the costovertebral angles are not tender, and he is afebrile.")
    assert "renal_angle_tenderness" not in result.present_ids


def test_the_tone_of_a_limb_is_not_the_tone_of_the_anal_sphincter() -> None:
    result = shipped_parser().parse("The left arm and leg show reduced tone and the plantar is upgoing.")
    assert "reduced_anal_tone" not in result.present_ids


def test_an_absent_arm_reflex_is_not_the_loss_of_the_leg_reflexes() -> None:
    result = shipped_parser().parse("On examination the left biceps reflex is absent and the left arm is weak.")
    assert not {"areflexia", "ankle_reflex_reduced", "knee_reflex_reduced"} & set(result.present_ids)


def test_a_patch_of_lost_feeling_on_the_thigh_is_not_the_distal_loss_of_a_neuropathy() -> None:
    result = shipped_parser().parse("Sensory loss is limited to a small area on the outer side of the left thigh.")
    assert "distal_sensory_loss_exam" not in result.present_ids


def test_a_suspected_spinal_cause_is_no_spinal_tenderness() -> None:
    result = shipped_parser().parse("Initially a spinal problem was suspected by his doctor.")
    assert "spinal_percussion_tenderness" not in result.present_ids


def test_a_relative_named_with_a_word_of_age_is_still_someone_else() -> None:
    assert "multiple_sclerosis" not in shipped_parser().parse("Her older brother has multiple sclerosis.").present_ids


def test_neither_before_a_habit_denies_it() -> None:
    assert "smoking" not in shipped_parser().parse("He neither smokes nor drinks.").present_ids


def test_depressed_said_of_reflexes_is_no_low_mood_and_a_depressive_illness_is() -> None:
    assert "depression_low_mood" not in shipped_parser().parse("The legs show depressed reflexes.").present_ids
    assert "depression_low_mood" in shipped_parser().parse("She has major depressive disorder.").present_ids


def test_an_open_gap_of_a_phrase_pattern_never_crosses_a_denial() -> None:
    assert "peripheral_arthritis" not in shipped_parser().parse("The knees are not swollen and move fully.").present_ids


def test_a_time_that_dates_an_old_injury_does_not_date_the_episode() -> None:
    result = shipped_parser().parse(
        "For two days his back has hurt. He has asthma, and three years ago broke his wrist in a fall."
    )
    durations = {f for f in result.present_ids if f.startswith("duration_")}
    assert durations == {"duration_acute"}


def test_not_standing_the_pain_is_pain_too_bad_to_bear_not_a_leg_too_weak_to_stand() -> None:
    present = set(shipped_parser().parse("My back is agony and I can't stand the pain any more.").present_ids)
    assert "severe_pain" in present
    assert not {"weakness_severe", "leg_weakness"} & present


def test_not_standing_something_else_is_no_weakness_either() -> None:
    present = set(shipped_parser().parse("I can't stand bright lights or loud music.").present_ids)
    assert not {"weakness_severe", "leg_weakness"} & present


def test_groaning_with_pain_is_no_pain_in_the_groin() -> None:
    result = shipped_parser().parse("Groaning with pain, she was brought in by ambulance.")
    assert "groin_pain" not in result.present_ids


def test_falling_asleep_is_sleep_and_not_a_leg_gone_to_sleep() -> None:
    result = shipped_parser().parse("Most evenings she falls asleep quickly in front of the television.")
    assert "leg_numbness_tingling" not in result.present_ids


def test_a_can_that_says_nothing_of_ability_is_no_word_of_weakness() -> None:
    result = shipped_parser().parse("At night I wake with a cramp in one of my lower legs, and it can be either side.")
    assert "leg_weakness" not in result.present_ids


def test_an_inability_put_down_to_something_else_than_pain_stays_a_weak_leg() -> None:
    assert "weakness_severe" in shipped_parser().parse("He couldn't walk because of weakness.").present_ids


@pytest.mark.parametrize("text", [
    "Her hip pain grew worse over a week until she could not walk.",
    "The ankle became swollen, and the swelling increased till he could not walk.",
], ids=["pain-until", "swelling-till"])
def test_an_inability_that_a_growing_pain_led_to_is_pain_that_limits_daily_life(text: str) -> None:
    present = shipped_parser().parse(text).present_ids
    assert "pain_limits_daily_life" in present
    assert not {"weakness_severe", "leg_weakness"} & set(present)


@pytest.mark.parametrize("text", [
    "Despite the back pain, the weakness spread up his legs until he could not walk.",
    "She had back pain, then her legs grew weaker until she could not walk.",
], ids=["weakness-spread", "legs-weaker"])
def test_an_inability_that_a_growing_weakness_led_to_stays_a_weak_leg(text: str) -> None:
    assert "weakness_severe" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "The first week was bearable, then it just got worse.",
    "Physiotherapy didn't help and it only grew worse.",
], ids=["just-got", "only-grew"])
def test_a_course_told_by_its_adverb_before_the_verb_is_getting_worse(text: str) -> None:
    assert "course_worsening" in shipped_parser().parse(text).present_ids


def test_not_able_to_do_something_without_pain_says_the_pain_is_there() -> None:
    result = shipped_parser().parse("I can't sit, stand or walk without terrible pain.")
    assert "severe_pain" in result.present_ids
    assert "severe_pain" not in result.absent_ids


def test_a_weak_muscle_is_not_read_by_meaning_from_the_place_and_a_movement_alone() -> None:
    result = shipped_parser().parse("A burning pain in my big toe when my foot is raised up.")
    assert not {"weakness_big_toe_extension", "leg_weakness"} & set(result.present_ids)


def test_a_weak_muscle_told_by_how_the_person_copes_is_still_read() -> None:
    # "pushes", a word of the rules, is not taken for a slip of "pulses"; pushing up on the legs with the
    # hands (Gowers' manoeuvre) is weakness of both thighs, read as such or by meaning as weak legs
    result = shipped_parser().parse(
        "To stand up from lying he gets onto his knees and pushes himself up with his hands on his legs."
    )
    assert {"leg_weakness_bilateral", "proximal_weakness_both_sides"} & set(result.present_ids)
    assert "foot_pulses_reduced" not in result.present_ids


def test_foot_pain_brought_on_by_raising_the_leg_is_ischaemic_rest_pain() -> None:
    text = "A deep burning pain under the right forefoot whenever the leg is raised."
    assert "foot_pain_at_rest" in shipped_parser().parse(text).present_ids


def test_calf_cramp_brought_on_by_walking_is_read_with_a_side_word_between() -> None:
    text = "He gets cramping in the right calf after walking more than about 50 feet."
    assert "calf_pain_on_walking" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "present", "not_present"), [
    ("Urine dipstick: 3+ blood, 4+ protein.", {"heavy_proteinuria", "haematuria_on_dipstick"}, set()),
    ("Protein 3+ on dipstick.", {"heavy_proteinuria"}, set()),
    ("Dipstick showed protein 1+ and blood 2+.", {"haematuria_on_dipstick"}, {"heavy_proteinuria"}),
], ids=["grade-before-the-name", "grade-after-the-name", "grade-inside-the-cut-off"])
def test_a_dipstick_grade_is_read_against_the_finding_s_own_cut_off(
    text: str, present: set[str], not_present: set[str]
) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert present <= read
    assert not not_present & read


def test_swelling_of_both_legs_is_read_as_its_own_finding_not_one_leg_s() -> None:
    read = set(shipped_parser().parse("Both legs have 2+ pitting oedema up to the knees.").present_ids)
    assert "leg_swelling_both_sides" in read
    assert "leg_swelling_one_side" not in read


def test_a_time_phrase_beside_a_symptom_told_in_the_past_dates_that_not_this_episode() -> None:
    result = shipped_parser().parse("She had renal colic 4 years ago.")
    assert "previous_kidney_stones" in result.present_ids
    assert not {f for f in result.present_ids if f.startswith("duration_")}


def test_a_past_cue_closing_one_clause_does_not_reach_over_the_verb_of_the_next() -> None:
    result = shipped_parser().parse(
        "A woman who had renal colic 4 years ago comes with 3 days of colicky pain in the left lumbar region."
    )
    assert {"previous_kidney_stones", "loin_to_groin_colicky_pain", "duration_acute"} <= set(result.present_ids)


def test_a_past_cue_leading_its_sentence_still_reaches_the_symptom_after_the_subject() -> None:
    result = shipped_parser().parse("Four years ago she had back pain.")
    assert "previous_episodes" in result.present_ids
    assert "low_back_pain" not in result.present_ids


def test_pain_gone_under_a_condition_eases_there_and_has_not_passed() -> None:
    result = shipped_parser().parse("My lower back hurts when I run but is gone at rest.")
    assert "low_back_pain" in result.present_ids


def test_a_measured_temperature_is_not_read_by_meaning_as_a_fever() -> None:
    assert "fever" not in shipped_parser().parse("Temperature 36.8 °C, pulse 98/min.").present_ids
    assert "fever" in shipped_parser().parse("Temperature 38.9 °C.").present_ids


@pytest.mark.parametrize("text", [
    "For two days it has climbed as high as 39.2 °C in the evenings.",
    "Last night it went up to 102 °F.",
], ids=["celsius", "fahrenheit"])
def test_a_value_in_a_unit_only_temperature_uses_is_a_temperature_without_its_name(text: str) -> None:
    assert "measured_temperature_38" in shipped_parser().parse(text).present_ids


def test_a_value_in_degrees_celsius_below_the_cut_off_is_no_fever() -> None:
    result = shipped_parser().parse("The room is kept at 21 °C and her back aches.")
    assert not {"measured_temperature_38", "fever"} & set(result.present_ids)


def test_a_unit_said_to_name_its_quantity_must_be_one_of_its_units() -> None:
    with pytest.raises(ValueError, match="own_units"):
        MeasurementWords(names=["temperature"], units=["°C"], own_units=["°F"])


def test_a_plausible_range_must_run_from_a_lower_value_to_a_higher_one() -> None:
    with pytest.raises(ValueError, match="plausible"):
        MeasurementWords(names=["pulse"], units=["bpm"], plausible=(300, 15))


def test_degrees_alone_are_an_angle_and_not_a_temperature() -> None:
    result = shipped_parser().parse("Straight-leg raise is positive at 40 degrees on the left.")
    assert "measured_temperature_38" not in result.present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("Ibuprofen makes the pain much better within a day.", True),
    ("Anti-inflammatories barely help.", False),
    ("His painkillers and anti-inflammatories give only short-lived relief.", False),
    ("He was given diclofenac.", False),
    ("Ibuprofen takes it away.", True),
    ("Anti-inflammatory tablets make it go away.", True),
    ("Ibuprofen took the edge off but never took it away.", False),
    ("I went away for the weekend and took ibuprofen.", False),
], ids=["much-better", "barely", "short-lived", "only-given", "takes-it-away", "makes-it-go-away", "never-away",
        "went-away"])
def test_a_good_response_to_anti_inflammatories_needs_relief_that_is_not_partial(text: str, read: bool) -> None:
    assert ("good_nsaid_response" in shipped_parser().parse(text).present_ids) is read


def test_a_pronoun_after_a_verb_of_moving_stands_for_the_limb_named_before_it() -> None:
    result = shipped_parser().parse("Yesterday my left leg gave out and since then I can't move it.")
    assert "weakness_severe" in result.present_ids


def test_a_pronoun_for_a_part_that_is_not_a_limb_is_left_alone() -> None:
    result = shipped_parser().parse("My back is stiff in the mornings and I cannot bend it.")
    assert not {"weakness_severe", "leg_weakness"} & set(result.present_ids)


def test_a_plural_pronoun_opening_a_sentence_stands_for_the_limbs_of_the_sentence_before() -> None:
    result = shipped_parser().parse("My feet have been numb since spring. They burn at night.")
    assert "burning_feet" in result.present_ids


def test_a_limb_that_has_gone_cold_has_changed_state_and_its_other_symptoms_have_not_passed() -> None:
    result = shipped_parser().parse("My foot went numb an hour ago and it's gone cold.")
    assert "leg_numbness_tingling" in result.present_ids


@pytest.mark.parametrize(("text", "finding", "not_finding"), [
    ("My hands have become clumsy with buttons.", "hand_clumsiness", "unsteady_gait"),
    ("My right leg feels clumsy and slow.", "unsteady_gait", "hand_clumsiness"),
    ("I am clumsy when I walk.", "unsteady_gait", "hand_clumsiness"),
], ids=["hands", "leg", "walking"])
def test_clumsiness_belongs_to_the_part_it_is_said_of(text: str, finding: str, not_finding: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert finding in read
    assert not_finding not in read


@pytest.mark.parametrize(("text", "finding"), [
    ("Power: she cannot dorsiflex her right foot.", "weakness_ankle_dorsiflexion"),
    ("He is unable to extend the left big toe.", "weakness_big_toe_extension"),
    ("Unable to push the right foot down against resistance.", "weakness_plantar_flexion"),
], ids=["dorsiflex", "big-toe", "push-down"])
def test_an_examiner_s_word_for_a_movement_that_cannot_be_made_is_weakness_of_that_movement(
    text: str, finding: str,
) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert {finding, "leg_weakness", "leg_weakness_unilateral"} <= read


def test_weakness_or_numbness_of_one_side_named_as_a_side_is_one_sided_weakness() -> None:
    reader = shipped_parser()
    assert "sudden_one_sided_weakness" in reader.parse("Since lunch I've had numbness down my left side.").present_ids
    assert "sudden_one_sided_weakness" not in reader.parse("I have pain on my left side.").present_ids


def test_a_pain_that_starts_in_the_loin_and_travels_to_the_groin_is_loin_to_groin_pain() -> None:
    result = shipped_parser().parse("The pain that began in his right loin now shoots down into the groin.")
    assert "loin_to_groin_colicky_pain" in result.present_ids


@pytest.mark.parametrize(("text", "flank"), [
    ("My right side has been aching since Sunday.", True),
    ("There is a dull ache down the outer side of my calf.", False),
    ("It hurts on the side I sleep on.", False),
    ("She has aching on both sides of her neck.", False),
], ids=["my-side", "side-of-calf", "side-slept-on", "both-sides"])
def test_the_side_is_the_flank_only_when_it_is_not_the_side_of_something_else(text: str, flank: bool) -> None:
    assert ("flank_pain" in shipped_parser().parse(text).present_ids) is flank


def test_a_cramping_pain_in_the_side_comes_in_waves() -> None:
    result = shipped_parser().parse("Since noon a cramping pain in my right side.")
    assert "loin_to_groin_colicky_pain" in result.present_ids


@pytest.mark.parametrize("text", [
    "On examination the tendon reflexes are absent.",
    "She has lost her deep tendon reflexes.",
    "Weak legs with absent tendon reflexes.",
], ids=["are-absent", "lost", "absent-before"])
def test_the_tendon_reflexes_absent_as_a_whole_are_areflexia_and_so_knee_and_ankle_too(text: str) -> None:
    assert {"areflexia", "knee_reflex_reduced", "ankle_reflex_reduced"} <= set(shipped_parser().parse(text).present_ids)


def test_one_named_reflex_absent_is_that_reflex_not_areflexia() -> None:
    read = set(shipped_parser().parse("His left ankle reflex is absent.").present_ids)
    assert "ankle_reflex_reduced" in read
    assert "areflexia" not in read


def test_knee_and_ankle_reflexes_named_together_are_both_read() -> None:
    read = set(shipped_parser().parse("Knee and ankle reflexes could not be elicited.").present_ids)
    assert {"knee_reflex_reduced", "ankle_reflex_reduced"} <= read


def test_a_cue_that_looks_back_is_no_part_of_the_clause_after_it() -> None:
    read = set(shipped_parser().parse("Her ankle jerks are absent, the knee jerks normal.").present_ids)
    assert "ankle_reflex_reduced" in read
    assert "knee_reflex_reduced" not in read


def test_a_sensory_finding_read_by_meaning_needs_a_word_of_feeling_in_its_sentence() -> None:
    reader = shipped_parser()
    spreading = reader.parse("Since Monday the pain has spread round to my lower ribs - roughly 6 out of 10.")
    assert "sensory_level_trunk" not in spreading.present_ids
    assert "sensory_level_trunk" in reader.parse("I can't feel anything below my nipples.").present_ids


def test_neither_nor_after_a_modal_denies_both_abilities_and_so_tells_the_symptoms() -> None:
    read = set(shipped_parser().parse("Since the fall she could neither stand nor walk.").present_ids)
    assert {"leg_weakness", "weakness_severe"} <= read


def test_neither_nor_without_a_modal_still_denies() -> None:
    result = shipped_parser().parse("There has been neither fever nor weight loss.")
    assert {"fever", "unexplained_weight_loss"} <= set(result.absent_ids)


def test_a_list_word_that_denies_is_not_swallowed_by_the_parts_it_joins() -> None:
    result = shipped_parser().parse("Neither my hips nor my legs ache.")
    assert "leg_pain" in result.absent_ids
    assert "leg_pain" not in result.present_ids


@pytest.mark.parametrize("text", [
    "The palsy started in his toes and soon spread up to the knee.",
    "Over three days her right foot drop extended to the whole ankle.",
], ids=["palsy-spread", "drop-extended"])
def test_a_weakness_under_any_of_its_names_that_spreads_is_progressive(text: str) -> None:
    assert "weakness_progressive" in shipped_parser().parse(text).present_ids


def test_a_pain_that_spreads_beside_a_weakness_does_not_make_the_weakness_progressive() -> None:
    read = shipped_parser().parse("Weak ankle since the fall, and a pain that has spread to the buttock.")
    assert "weakness_progressive" not in read.present_ids


@pytest.mark.parametrize("text", [
    "CT showed a soft-tissue mass destroying the T9 vertebra.",
    "The scan shows erosion of the sacrum.",
    "Plain films reveal cortical destruction of the iliac wing.",
], ids=["destroying", "erosion-of", "cortical-destruction"])
def test_bone_worn_away_or_destroyed_on_a_scan_is_a_bone_lesion(text: str) -> None:
    assert "bone_lesion_on_imaging" in shipped_parser().parse(text).present_ids


def test_worn_cartilage_or_skin_is_no_bone_lesion() -> None:
    read = shipped_parser().parse("X-ray shows erosion of the joint cartilage.")
    assert "bone_lesion_on_imaging" not in read.present_ids


def test_a_bladder_finding_read_by_meaning_needs_a_word_of_urine_or_the_bladder() -> None:
    walking = shipped_parser().parse("Last night I couldn't get from my bed to the toilet.")
    assert not {"bladder_retention", "urinary_incontinence", "faecal_incontinence"} & set(walking.present_ids)


@pytest.mark.parametrize("text", [
    "I haven't had a wee for 12 hours.",
    "He has not been able to have a pee since this morning.",
], ids=["not-had-a-wee", "not-able-to-have-a-pee"])
def test_not_having_a_wee_is_not_passing_urine(text: str) -> None:
    assert "bladder_retention" in shipped_parser().parse(text).present_ids


def test_one_injury_told_twice_is_the_graver_one() -> None:
    read = shipped_parser().parse("I fell out of a third-floor window and landed on my back.")
    assert "major_trauma" in read.present_ids
    assert "minor_trauma" not in read.present_ids


def test_a_simple_fall_alone_stays_a_simple_fall() -> None:
    assert "minor_trauma" in shipped_parser().parse("I fell over in the garden yesterday.").present_ids


def test_a_graver_finding_unknown_to_the_knowledge_base_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    policy = lexicon.policy.model_copy(update={"outranks": {"fall_from_space": ["minor_trauma"]}})
    problems = check_lexicon(lexicon.model_copy(update={"policy": policy}), model.kb)
    assert any("fall_from_space" in problem for problem in problems)


def test_a_part_named_after_where_on_it_the_symptom_is_still_pairs_with_the_symptom() -> None:
    read = shipped_parser().parse("She has pain on the outer side of her right thigh.")
    assert {"leg_pain", "leg_pain_unilateral"} <= set(read.present_ids)


def test_the_spine_said_to_be_tender_is_spinal_tenderness_as_a_tender_spine_is() -> None:
    assert "spinal_percussion_tenderness" in shipped_parser().parse("The lumbar spine is tender.").present_ids


def test_a_word_the_body_part_rules_say_is_not_the_flank_does_not_lead_the_meaning_reader_there() -> None:
    read = shipped_parser().parse("She has pain on the outer side of her right thigh.")
    assert "flank_pain" not in read.present_ids


def test_the_neck_pairs_with_pain_like_any_other_part() -> None:
    read = shipped_parser().parse("I've had pain on the right side of my neck for weeks.")
    assert "neck_pain" in read.present_ids


def test_pain_that_travels_from_the_neck_down_an_arm_is_neck_pain_going_to_the_arm() -> None:
    read = shipped_parser().parse("The pain starts in my neck and shoots down into my left hand.")
    assert {"neck_pain", "neck_pain_radiating_to_arm"} <= set(read.present_ids)


def test_pain_down_an_arm_from_the_back_is_not_neck_pain_going_to_the_arm() -> None:
    read = shipped_parser().parse("Back pain going down my arm.")
    assert "neck_pain_radiating_to_arm" not in read.present_ids


def test_a_calf_that_hurts_after_a_distance_walked_is_calf_pain_on_walking() -> None:
    read = shipped_parser().parse("Whenever I walk more than a few hundred yards my calves ache.")
    assert "calf_pain_on_walking" in read.present_ids


@pytest.mark.parametrize("text", [
    "Lately he can't get up from a low chair without pushing on the arms.",
    "She has trouble rising from sitting.",
], ids=["low-chair", "from-sitting"])
def test_not_managing_to_rise_from_a_seat_is_difficulty_rising_from_a_chair(text: str) -> None:
    assert "proximal_weakness_both_sides" in shipped_parser().parse(text).present_ids


def test_getting_up_from_something_that_is_no_seat_is_not_difficulty_rising_from_a_chair() -> None:
    read = shipped_parser().parse("I can't get up from the table without help.")
    assert "proximal_weakness_both_sides" not in read.present_ids


def test_a_finding_in_two_groups_of_needed_words_needs_a_word_of_each() -> None:
    read = shipped_parser().parse("She had a urine infection.")
    assert "bladder_retention" not in read.present_ids


@pytest.mark.parametrize("text", [
    "Yesterday her right leg suddenly gave way and went weak.",
    "His left foot suddenly began to drag this morning.",
], ids=["leg-gave-way", "foot-drag"])
def test_a_limb_that_went_weak_on_one_side_all_of_a_sudden_is_a_sudden_one_sided_weakness(text: str) -> None:
    assert "sudden_one_sided_weakness" in shipped_parser().parse(text).present_ids


def test_a_sudden_pain_far_from_a_weak_leg_is_no_sudden_one_sided_weakness() -> None:
    text = "The back pain came on suddenly while lifting, and over the next week my left leg felt weak."
    read = shipped_parser().parse(text)
    assert "sudden_one_sided_weakness" not in read.present_ids


def test_a_finding_told_together_unknown_to_the_knowledge_base_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    rule = Together(when="onset_sudden", near_any=["leg_weakness_unilateral"])
    policy = lexicon.policy.model_copy(update={"together": {"sudden_leg_collapse": rule}})
    problems = check_lexicon(lexicon.model_copy(update={"policy": policy}), model.kb)
    assert any("sudden_leg_collapse" in problem for problem in problems)


def test_a_symptom_of_an_arm_and_a_leg_on_one_side_is_a_one_sided_weakness() -> None:
    read = shipped_parser().parse("This morning she noticed weakness of her right hand and right leg.")
    assert "sudden_one_sided_weakness" in read.present_ids


def test_an_arm_and_a_leg_on_different_sides_are_not_one_side() -> None:
    read = shipped_parser().parse("Weakness of the right leg and left arm.")
    assert "sudden_one_sided_weakness" not in read.present_ids


def test_a_stroke_sign_that_came_and_went_is_still_a_warning() -> None:
    read = shipped_parser().parse("Yesterday he had numbness of the left arm and leg, which resolved within an hour.")
    assert "sudden_one_sided_weakness" in read.present_ids


def test_pain_in_the_thigh_paired_by_place_stays_above_the_knee() -> None:
    read = shipped_parser().parse("Since the move I've had pain in my left buttock and the top of my thigh.")
    assert "leg_pain_above_knee" in read.present_ids



@pytest.mark.parametrize("text", [
    "Lately my feet have been tingling all the time.",
    "She describes pins and needles affecting the soles of both feet.",
])
def test_numbness_of_both_feet_paired_by_place_is_the_even_numbness_of_both_feet(text: str) -> None:
    assert "numbness_both_feet_stocking" in shipped_parser().parse(text).present_ids


def test_numbness_of_one_foot_is_not_the_numbness_of_both_feet() -> None:
    read = shipped_parser().parse("For a week the top of my left foot has been tingling.")
    assert "numbness_both_feet_stocking" not in read.present_ids


def test_feet_that_burn_are_burning_feet() -> None:
    read = shipped_parser().parse("At night my feet burn so much that I can't sleep.")
    assert "burning_feet" in read.present_ids


def test_a_number_of_years_that_dates_an_event_is_not_clinical_shorthand_for_how_long() -> None:
    read = shipped_parser().parse(
        "For 2 days his right leg has felt clumsy. 2 years ago he fractured his right radius in a fall."
    )
    assert "duration_acute" in read.present_ids and "duration_chronic" not in read.present_ids


def test_with_only_dates_told_the_first_dates_this_episode() -> None:
    read = shipped_parser().parse(
        "Two hours ago I got a cramping pain in my left side. I had the same thing six months ago."
    )
    assert "duration_acute" in read.present_ids and "duration_chronic" not in read.present_ids


def test_a_stroke_sign_that_came_and_went_years_ago_is_an_earlier_attack_not_a_warning_now() -> None:
    read = shipped_parser().parse("Two years ago my right arm went weak for a while and then got better on its own.")
    assert "sudden_one_sided_weakness" not in read.present_ids
    assert "previous_attacks_of_weakness" in read.present_ids


def test_a_serious_accident_decades_ago_is_no_injury_of_this_episode() -> None:
    read = shipped_parser().parse(
        "For three weeks I've had low back pain. I hurt my back badly in a car accident thirty years ago."
    )
    assert "major_trauma" not in read.present_ids


def test_a_serious_accident_last_week_still_counts() -> None:
    read = shipped_parser().parse("Last week I fell off a ladder onto my back and it has hurt ever since.")
    assert "major_trauma" in read.present_ids


def test_each_activity_in_a_list_that_makes_the_pain_worse_is_read() -> None:
    read = shipped_parser().parse("It is worse with prolonged standing, sitting and climbing stairs.")
    assert {"worse_standing", "worse_sitting", "worse_with_movement"} <= set(read.present_ids)


def test_a_list_told_before_what_it_does_is_read_and_its_neutral_activities_say_nothing() -> None:
    read = shipped_parser().parse("Walking and standing make it worse.")
    assert "worse_standing" in read.present_ids
    assert not {"worse_sitting", "worse_with_movement"} & set(read.present_ids)


def test_pain_and_an_activity_with_no_link_between_are_no_aggravation() -> None:
    read = shipped_parser().parse("He has back pain, sitting at his desk all day.")
    assert "worse_sitting" not in read.present_ids


def test_an_aggravation_denied_is_ruled_out() -> None:
    assert "worse_sitting" in shipped_parser().parse("There is no pain on sitting.").absent_ids


def test_what_weakness_makes_hard_is_no_aggravation_of_pain() -> None:
    read = shipped_parser().parse("His legs became weak, so that climbing stairs and bending are difficult.")
    assert "worse_with_movement" not in read.present_ids


def test_a_limbs_movement_is_not_the_backs() -> None:
    assert "worse_with_movement" not in shipped_parser().parse("Bending her knee is painful.").present_ids


def test_how_long_an_activity_lasts_is_not_how_long_the_episode_has() -> None:
    read = shipped_parser().parse("My back started hurting two weeks ago. Sitting for a long time makes it worse.")
    assert "duration_acute" in read.present_ids and "duration_chronic" not in read.present_ids


def test_an_aggravation_word_of_several_words_is_refused() -> None:
    lexicon = load_lexicon(lexicon_path())
    assert lexicon.aggravation is not None
    with pytest.raises(ValueError, match="single words"):
        type(lexicon.aggravation).model_validate(
            {**lexicon.aggravation.model_dump(), "neutral": ["lying down"]}
        )


def test_a_window_cut_before_the_noun_of_its_possessive_reads_no_stroke() -> None:
    parsed = shipped_parser().parse(
        "He felt a loud crack and intense low back pain that almost dropped him to his knees."
    )
    assert "sudden_one_sided_weakness" not in parsed.present_ids
    assert "low_back_pain" in parsed.present_ids


def test_sitting_listed_with_what_else_eases_the_pain_is_eased_by_sitting() -> None:
    parsed = shipped_parser().parse("Walking and standing make it worse, and sitting or lying down helps.")
    assert {"eased_by_sitting", "eased_by_rest", "worse_standing"} <= set(parsed.present_ids)
    assert "worse_sitting" not in parsed.present_ids


@pytest.mark.parametrize("text", ["My hearing has been going downhill.", "His hearing is getting worse."],
                         ids=["downhill", "getting-worse"])
def test_hearing_told_as_getting_worse_is_hearing_loss(text: str) -> None:
    assert "hearing_loss" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "I take bisoprolol for blood pressure.",
    "He is on amlodipine for high blood pressure.",
], ids=["take", "on"])
def test_a_medicine_taken_for_blood_pressure_tells_high_blood_pressure(text: str) -> None:
    assert "hypertension" in shipped_parser().parse(text).present_ids


def test_breathing_told_as_getting_worse_is_difficulty_breathing() -> None:
    parsed = shipped_parser().parse("For six months my cough and breathing have been getting worse.")
    assert "breathing_difficulty" in parsed.present_ids


def test_gone_as_become_is_no_sign_that_a_symptom_has_gone_away() -> None:
    parsed = shipped_parser().parse("His speech has gone slow and hard to follow.")
    assert not any(item.context == ["past"] for item in parsed.unknown)


def test_a_part_and_its_symptom_read_together_across_how_it_has_grown() -> None:
    parsed = shipped_parser().parse("My right hip has been getting more and more painful, especially when I walk.")
    assert "hip_pain_on_movement" in parsed.present_ids


@pytest.mark.parametrize("text", ["He has had left posterior hip pain for a month.", "Pain at the back of my hip."],
                         ids=["posterior", "back-of"])
def test_the_back_of_the_hip_is_the_buttock(text: str) -> None:
    assert "buttock_pain" in shipped_parser().parse(text).present_ids


def test_the_back_just_below_the_ribs_is_the_loin() -> None:
    assert "flank_pain" in shipped_parser().parse("Later a pain started in my back just below the ribs.").present_ids


def test_pain_that_shot_down_the_leg_is_shooting_pain() -> None:
    parsed = shipped_parser().parse("Pain shot from my back down the back of my leg into my foot.")
    assert "neuropathic_leg_pain_quality" in parsed.present_ids


def test_an_injection_shot_is_no_shooting_pain() -> None:
    parsed = shipped_parser().parse("He had a steroid shot into his back last month.")
    assert "neuropathic_leg_pain_quality" not in parsed.present_ids


def test_burning_told_of_the_thigh_is_no_burning_of_the_feet() -> None:
    parsed = shipped_parser().parse("A burning pain and numbness along the outer left thigh.")
    assert "burning_feet" not in parsed.present_ids


def test_a_brisk_reflex_is_no_reduced_reflex() -> None:
    parsed = shipped_parser().parse("Knee reflexes are 3+ on both sides.")
    assert "hyperreflexia_clonus" in parsed.present_ids
    assert "knee_reflex_reduced" in parsed.absent_ids
    assert "ankle_reflex_reduced" not in parsed.absent_ids  # the ankle's is untold


def test_a_reflex_grade_of_one_plus_is_a_reduced_reflex_of_the_reflexes_named() -> None:
    read = shipped_parser().parse("The right Achilles and knee reflexes are 1+ (2+ on the left).")
    assert {"ankle_reflex_reduced", "knee_reflex_reduced"} <= set(read.present_ids)
    assert read.laterality.get("ankle_reflex_reduced") == "right"


def test_each_grade_told_of_one_reflex_is_read() -> None:
    read = shipped_parser().parse("The Achilles reflex is 1+ on the right and 3+ on the left.")
    assert {"ankle_reflex_reduced", "hyperreflexia_clonus"} <= set(read.present_ids)


def test_a_reflex_named_by_its_root_is_that_reflex() -> None:
    assert "ankle_reflex_reduced" in shipped_parser().parse("The right S1 reflex is reduced.").present_ids


def test_tendon_reflexes_named_by_nothing_else_are_the_legs() -> None:
    read = shipped_parser().parse("Tendon reflexes are 1+ on both sides.")
    assert {"ankle_reflex_reduced", "knee_reflex_reduced"} <= set(read.present_ids)


def test_reflexes_told_of_the_arms_are_not_the_legs() -> None:
    read = shipped_parser().parse("Reflexes are reduced (1+) in the left arm and brisk (3+) in both legs.")
    assert not {"ankle_reflex_reduced", "knee_reflex_reduced"} & set(read.present_ids)
    assert "hyperreflexia_clonus" in read.present_ids


def test_a_normal_reflex_grade_reads_nothing() -> None:
    read = shipped_parser().parse("Knee and ankle reflexes are 2+ and symmetrical.")
    assert not {"ankle_reflex_reduced", "knee_reflex_reduced", "hyperreflexia_clonus"} & set(read.present_ids)


def test_a_list_of_activities_told_as_hard_to_do_says_the_pain_limits_daily_life() -> None:
    read = shipped_parser().parse("My back hurts down into my thigh; standing, sitting and stairs are all hard.")
    assert "pain_limits_daily_life" in read.present_ids


def test_walking_alone_told_as_hard_is_no_limit_of_daily_life_by_pain() -> None:
    read = shipped_parser().parse("He has had difficulty walking for six months.")
    assert "pain_limits_daily_life" not in read.present_ids


@pytest.mark.parametrize("text", [
    "A 64-year-old woman has had intermittent back pain for years.",
    "My lower back has bothered me on and off for ten years.",
    "She had a similar episode 15 years ago that improved with physiotherapy.",
])
def test_back_pain_that_came_before_and_went_is_a_previous_episode(text: str) -> None:
    assert "previous_episodes" in shipped_parser().parse(text).present_ids


def test_pain_that_comes_and_goes_within_the_episode_is_no_previous_episode() -> None:
    read = shipped_parser().parse("My lower back has been aching on and off since the weekend.")
    assert "previous_episodes" not in read.present_ids


def test_a_treatment_that_has_not_helped_is_no_improvement() -> None:
    read = shipped_parser().parse(
        "For a month I've had pain on the right side of my back, and acupuncture hasn't helped."
    )
    assert "no_improvement_after_one_month" in read.present_ids


def test_a_treatment_that_has_not_helped_two_weeks_in_is_no_failure_after_a_month() -> None:
    read = shipped_parser().parse("For about two weeks my back has hurt, and the usual painkillers don't help.")
    assert "no_improvement_after_one_month" not in read.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("I've had odd sensations over the outer side of my left thigh.", "anterolateral_thigh_burning_numbness"),
    ("There is burning on the outside of my right thigh.", "anterolateral_thigh_burning_numbness"),
    ("Light touch is reduced over the anterior aspect of the thigh.", "numbness_anterior_thigh"),
    ("She has tingling along the lateral aspect of the calf.", "numbness_outer_shin"),
    ("He describes numbness over the dorsum of his left foot.", "numbness_foot_top_big_toe"),
    ("Pinprick is reduced along the outer border of the foot.", "numbness_sole_little_toe"),
], ids=["outer-thigh", "outer-thigh-burning", "front-thigh", "outer-calf", "top-of-foot", "outer-edge-of-foot"])
def test_an_area_of_a_part_named_before_it_reads_that_area_s_own_finding(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_part_named_without_an_area_reads_the_whole_part() -> None:
    present = set(shipped_parser().parse("I have numbness in the right thigh.").present_ids)
    assert "leg_numbness_tingling" in present
    assert not {"anterolateral_thigh_burning_numbness", "numbness_anterior_thigh"} & present


def test_a_word_of_an_area_holds_only_for_the_part_words_it_belongs_to() -> None:
    present = set(shipped_parser().parse("There is numbness on the outer side of the big toe.").present_ids)
    assert "leg_numbness_tingling" in present
    assert not {"numbness_outer_shin", "numbness_sole_little_toe"} & present


def test_pain_travelling_to_an_area_still_follows_a_nerve_root() -> None:
    present = set(shipped_parser().parse("The pain shoots down the outside of my calf.").present_ids)
    assert {"dermatomal_pain_distribution", "leg_pain_below_knee"} <= present


@pytest.mark.parametrize(("region", "message"), [
    ({"part": "elbow", "qualifiers": ["outer"]}, "unknown part 'elbow'"),
    ({"part": "thigh", "qualifiers": ["outer"], "words": ["calf"]}, "not its part's"),
])
def test_an_area_must_belong_to_a_known_part_and_its_words(region: dict[str, object], message: str) -> None:
    spec = load_lexicon(lexicon_path()).body_parts
    assert spec is not None
    data = spec.model_dump()
    data["regions"] = {**data["regions"], "odd_area": region}
    with pytest.raises(ValueError, match=message):
        type(spec).model_validate(data)


def test_one_swollen_ankle_is_a_swollen_joint_not_a_swollen_leg() -> None:
    present = set(shipped_parser().parse("He has had heel pain and some swelling around the ankle.").present_ids)
    assert "peripheral_arthritis" in present
    assert "leg_swelling_one_side" not in present


def test_an_ankle_listed_beside_the_foot_or_calf_is_the_leg() -> None:
    present = set(shipped_parser().parse("Her ankle and foot have swollen up on the right.").present_ids)
    assert "leg_swelling_one_side" in present
    assert "peripheral_arthritis" not in present


def test_both_ankles_swollen_is_swelling_of_both_legs_not_arthritis() -> None:
    present = set(shipped_parser().parse("Both of his ankles are swollen.").present_ids)
    assert "leg_swelling_both_sides" in present
    assert "peripheral_arthritis" not in present


def test_a_finding_of_both_sides_is_not_read_by_meaning_from_words_that_name_one_side() -> None:
    present = set(shipped_parser().parse("The right ankle is a little swollen.").present_ids)
    assert "leg_swelling_both_sides" not in present


def test_a_part_may_only_be_listed_into_a_known_part() -> None:
    spec = load_lexicon(lexicon_path()).body_parts
    assert spec is not None
    data = spec.model_dump()
    data["part_in_list"] = {"ankle": "tail"}
    with pytest.raises(ValueError, match="unknown part 'tail'"):
        type(spec).model_validate(data)


@pytest.mark.parametrize("text", [
    "Over ten days she has become progressively weak in both legs.",
    "His legs feel weaker than they did a few weeks ago.",
    "I am weaker than before.",
], ids=["progressively-weak", "weaker-than-weeks-ago", "weaker-than-before"])
def test_weakness_told_as_growing_over_time_is_progressive(text: str) -> None:
    assert "weakness_progressive" in shipped_parser().parse(text).present_ids


def test_one_leg_weaker_than_the_other_is_not_progressive_weakness() -> None:
    present = set(shipped_parser().parse("Her left leg is weaker than the right.").present_ids)
    assert "leg_weakness_unilateral" in present
    assert "weakness_progressive" not in present


@pytest.mark.parametrize(("text", "finding"), [
    ("The left ankle reflex could not be elicited.", "ankle_reflex_reduced"),
    ("On examination neither knee nor ankle jerks can be elicited.", "areflexia"),
    ("No knee jerk was obtained on either side.", "knee_reflex_reduced"),
], ids=["could-not-be-elicited", "neither-nor", "no-reflex-obtained"])
def test_a_reflex_that_could_not_be_drawn_out_is_absent(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_reflex_drawn_out_as_usual_is_not_reduced() -> None:
    present = set(shipped_parser().parse("Knee jerks were elicited normally.").present_ids)
    assert not {"knee_reflex_reduced", "areflexia"} & present


def test_knee_and_ankle_reflexes_absent_on_one_side_are_not_areflexia() -> None:
    present = set(shipped_parser().parse("The right knee and ankle jerks are absent.").present_ids)
    assert {"knee_reflex_reduced", "ankle_reflex_reduced"} <= present
    assert "areflexia" not in present


def test_knee_and_ankle_reflexes_absent_on_both_sides_are_areflexia() -> None:
    assert "areflexia" in shipped_parser().parse("Knee and ankle jerks are absent on both sides.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("I have had an ache in my lower leg for a week.", "leg_pain_below_knee"),
    ("Pinprick is reduced on the outer side of her lower leg.", "numbness_outer_shin"),
], ids=["lower-leg", "area-of-the-lower-leg"])
def test_the_lower_leg_is_the_leg_below_the_knee(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_side_does_not_reach_across_a_word_of_contrast() -> None:
    result = shipped_parser().parse("Hip flexion is 5/5 on both sides but ankle dorsiflexion is 2/5.")
    assert "weakness_ankle_dorsiflexion" in result.present_ids
    assert "leg_weakness_bilateral" not in result.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("For a year he has been waking at 5 am with a stiff, sore back.", "wakes_second_half_of_night"),
    ("Her back pain responds promptly to naproxen.", "good_nsaid_response"),
    ("Over the winter she has become a little stooped.", "height_loss_or_stoop"),
    ("There is a marked kyphosis of the thoracic spine.", "structural_spinal_deformity"),
], ids=["woken-at-5-am", "responds-to-nsaid", "become-stooped", "marked-kyphosis"])
def test_common_clinical_wordings_of_inflammatory_and_osteoporotic_signs_are_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_pain_that_does_not_wake_at_night_is_not_waking_and_not_confusion() -> None:
    result = shipped_parser().parse("She does not wake at 4 am.")
    assert "wakes_second_half_of_night" not in result.present_ids
    assert "confusion_new" not in result.present_ids


def test_someone_who_cannot_be_woken_is_confused() -> None:
    assert "confusion_new" in shipped_parser().parse("I couldn't wake him this morning.").present_ids


def test_muscle_actions_listed_before_one_grade_each_read_their_weakness() -> None:
    result = shipped_parser().parse("On the left, hip abduction, foot inversion and ankle dorsiflexion are 4/5.")
    assert {"weakness_hip_abduction", "weak_ankle_inversion", "weakness_ankle_dorsiflexion"} <= set(result.present_ids)


def test_a_grade_with_a_plus_or_minus_is_read() -> None:
    assert "weakness_big_toe_extension" in shipped_parser().parse("Eversion 4+/5 and toe extension 4-/5.").present_ids


def test_full_power_reads_no_weakness_of_the_actions_listed() -> None:
    present = set(shipped_parser().parse("Hip flexion and knee extension are 5/5.").present_ids)
    assert not {"weakness_hip_flexion", "weakness_knee_extension"} & present


def test_a_second_grade_with_its_own_side_makes_the_weakness_both_sided() -> None:
    result = shipped_parser().parse("Knee extension strength is 2/5 on the right and 3/5 on the left.")
    sides = {finding.id: finding.side for finding in result.present}
    assert sides["weakness_knee_extension"] == "both"


def test_a_grade_handed_on_to_the_actions_after_it_reads_their_weakness_on_their_side() -> None:
    result = shipped_parser().parse("Power is 4/5 for ankle dorsiflexion and big toe extension on the left.")
    sides = {finding.id: finding.side for finding in result.present}
    assert sides.get("weakness_ankle_dorsiflexion") == "left"
    assert "weakness_big_toe_extension" in sides


def test_a_grade_handed_on_to_the_next_action_is_not_the_grade_of_the_action_before() -> None:
    present = set(shipped_parser().parse("Strength is 5/5 for hip abduction, 3/5 for knee extension.").present_ids)
    assert "weakness_knee_extension" in present
    assert "weakness_hip_abduction" not in present


def test_muscle_grades_name_only_known_actions() -> None:
    spec = load_lexicon(lexicon_path()).muscle_grades
    assert spec is not None
    data = spec.model_dump()
    data["findings"] = {**data["findings"], "wing_flap": ["leg_weakness"]}
    with pytest.raises(ValueError, match="unknown action 'wing_flap'"):
        type(spec).model_validate(data)


@pytest.mark.parametrize(("text", "finding"), [
    ("While sprinting she felt a sudden pull in the back of her right thigh.", "posterior_thigh_pain_sudden"),
    ("There is bruising over the back of the thigh.", "back_of_thigh_bruising"),
], ids=["pull", "bruise"])
def test_something_that_tore_or_bruised_behind_the_thigh_is_read_as_the_hamstring_s(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_the_back_of_the_thigh_is_not_the_back() -> None:
    present = set(shipped_parser().parse("He felt a pop in the back of his thigh.").present_ids)
    assert "posterior_thigh_pain_sudden" in present
    assert "low_back_pain" not in present


def test_not_managing_the_few_steps_from_one_place_to_the_next_is_not_being_able_to_walk() -> None:
    assert "weakness_severe" in shipped_parser().parse("She couldn't get from her bed to the door.").present_ids


def test_not_getting_to_the_toilet_in_time_is_not_a_failure_to_walk() -> None:
    assert "weakness_severe" not in shipped_parser().parse("I can't get to the toilet in time.").present_ids


def test_pain_in_both_sides_of_a_part_is_pain_in_that_part() -> None:
    result = shipped_parser().parse("Since Monday I have had aching in both sides of my groin.")
    assert "groin_pain" in result.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("She has had weakness in the arms and legs for a while.", "ascending_weakness"),
    ("He has had generalised weakness for a few months.", "weakness_severe"),
], ids=["no-climbing-word", "no-word-of-totality"])
def test_graver_forms_of_weakness_read_by_meaning_need_their_own_words(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


def test_walking_that_is_possible_but_hard_is_still_leg_weakness() -> None:
    present = set(shipped_parser().parse("I can barely walk.").present_ids)
    assert "leg_weakness" in present
    assert "weakness_severe" not in present


def test_a_back_said_outright_not_to_hurt_has_no_back_pain() -> None:
    result = shipped_parser().parse("His left leg has gone numb, but his back doesn't hurt.")
    assert "low_back_pain" in result.absent_ids
    assert "low_back_pain" not in result.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("For weeks she sat at a desk all day with her legs crossed.", "prolonged_kneeling_leg_crossing"),
    ("On the left he has a steppage gait.", "weakness_ankle_dorsiflexion"),
], ids=["legs-crossed", "steppage-gait"])
def test_how_a_nerve_at_the_knee_is_pressed_and_how_a_dropped_foot_walks_are_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_weakness_of_one_side_read_by_meaning_needs_a_word_of_suddenness() -> None:
    text = "When he pushed himself up he found his arms were very weak as well."
    assert "sudden_one_sided_weakness" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "She has had right-sided weakness since this morning.",
    "Weakness (reported as left-sided) came on an hour ago.",
], ids=["right-sided-weakness", "reported-as-left-sided"])
def test_weakness_of_one_side_of_the_body_is_the_stroke_sign(text: str) -> None:
    assert "sudden_one_sided_weakness" in shipped_parser().parse(text).present_ids


def test_a_one_sided_finding_read_of_both_sides_is_not_read() -> None:
    result = shipped_parser().parse("Her arm and leg suddenly went weak on both sides.")
    assert "sudden_one_sided_weakness" not in result.present_ids


def test_back_pain_told_of_another_since_youth_began_before_45() -> None:
    text = "She has had trouble with her back since her teens."
    assert "onset_before_age_45" in shipped_parser().parse(text).present_ids


def test_a_side_told_with_a_finding_that_has_none_reaches_the_limb_finding_it_implies() -> None:
    result = shipped_parser().parse("Since Tuesday he cannot move his right foot at all.")
    assert next(f for f in result.present if f.id == "leg_weakness").side == "right"
    assert "leg_weakness_unilateral" in result.present_ids


@pytest.mark.parametrize("text", [
    "I can't walk properly.",
    "Since the operation she cannot stand properly.",
], ids=["walk-properly", "stand-properly"])
def test_an_inability_that_is_only_partial_is_leg_weakness_not_severe_weakness(text: str) -> None:
    present = set(shipped_parser().parse(text).present_ids)
    assert "leg_weakness" in present
    assert "weakness_severe" not in present


@pytest.mark.parametrize(("text", "findings"), [
    ("She has noticed weakness, wasting and cramps in her thighs.", {"leg_weakness_bilateral", "leg_muscle_wasting"}),
    ("He has had loss of power and pins and needles in his left leg.",
     {"leg_weakness_unilateral", "leg_numbness_tingling"}),
    ("Examination shows reduced power and altered sensation in both legs.",
     {"leg_weakness_bilateral", "leg_numbness_bilateral"}),
], ids=["three-kinds", "two-phrases", "examiner-grades"])
def test_each_kind_of_symptom_listed_before_a_body_part_is_read_of_that_part(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


def test_muscle_wasting_told_of_a_part_of_the_leg_is_leg_muscle_wasting() -> None:
    assert "leg_muscle_wasting" in shipped_parser().parse("His left calf has wasted.").present_ids


def test_walking_cut_short_by_having_to_stop_is_claudication() -> None:
    assert "neurogenic_claudication" in shipped_parser().parse("He has to rest after walking a short way.").present_ids


@pytest.mark.parametrize(("text", "read"), [
    ("A 64-year-old man; alkaline phosphatase 410 U/L.", True),
    ("A 13-year-old girl; alkaline phosphatase 410 U/L.", False),
    ("Alkaline phosphatase 410 U/L.", False),
], ids=["adult", "child", "no-age"])
def test_an_adult_cut_off_reads_a_value_only_for_someone_known_to_be_an_adult(text: str, read: bool) -> None:
    assert ("raised_alkaline_phosphatase" in shipped_parser().parse(text).present_ids) is read


@pytest.mark.parametrize(("text", "finding"), [
    ("It started when I tried to carry a heavy suitcase.", "trigger_lifting_twisting"),
    ("It hurts whenever she does anything around the house.", "worse_with_movement"),
    ("His upper and lower back are aching.", "thoracic_back_pain"),
    ("The pain took her breath away.", "severe_pain"),
], ids=["carrying-a-thing", "any-activity", "back-said-once", "breath-taken"])
def test_everyday_ways_of_telling_how_pain_began_what_worsens_it_where_and_how_bad(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_pain_that_took_the_breath_away_is_not_a_problem_with_breathing() -> None:
    text = "A sudden pain in my back took my breath away."
    assert "breathing_difficulty" not in shipped_parser().parse(text).present_ids


def test_lifting_the_front_of_a_foot_is_not_a_lifting_injury() -> None:
    result = shipped_parser().parse("She cannot lift the front of her foot.")
    assert "trigger_lifting_twisting" not in result.present_ids


def test_the_outer_side_of_the_leg_is_the_outer_side_below_the_knee() -> None:
    present = set(shipped_parser().parse("She has pins and needles along the outer leg.").present_ids)
    assert {"numbness_outer_shin", "leg_numbness_tingling"} <= present


def test_an_article_may_stand_between_a_symptom_and_the_part_it_is_told_of() -> None:
    text = "Sensation is reduced below a level at the navel."
    assert "sensory_level_trunk" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("There is pallor of the left foot.", "cold_pale_leg"),
    ("His calves feel cooler than usual.", "cool_leg_skin"),
], ids=["pallor-of-a-foot", "cool-calves"])
def test_a_limb_told_pale_or_cold_is_read_as_a_limb_short_of_blood(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_pale_said_of_another_part_after_the_legs_is_not_a_pale_leg() -> None:
    text = "Power is normal in both legs and his lips are pale."
    assert "cold_pale_leg" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Histology confirmed a cholangiocarcinoma.", "history_of_cancer"),
    ("She has a history of renal colic.", "previous_kidney_stones"),
    ("The CT showed deposits throughout the pelvis and ribs.", "bone_lesion_on_imaging"),
], ids=["tumour-by-its-ending", "stones-as-history", "deposits-in-bones"])
def test_what_a_clinical_history_or_a_scan_report_tells(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_lesions_of_a_disc_are_not_bone_lesions() -> None:
    result = shipped_parser().parse("MRI showed disc lesions in the lumbar spine.")
    assert "bone_lesion_on_imaging" not in result.present_ids


def test_a_denial_goes_on_over_and_any() -> None:
    result = shipped_parser().parse("She denies fever and any numbness in her legs.")
    assert "leg_numbness_tingling" not in result.present_ids


def test_a_one_sided_finding_read_by_meaning_with_no_side_told_is_its_general_finding() -> None:
    present = set(shipped_parser().parse("For a month he has had weakness and a rash, and he stumbles.").present_ids)
    assert "leg_weakness" in present
    assert "leg_weakness_unilateral" not in present


def test_a_habit_given_up_is_not_a_habit_now() -> None:
    assert "alcohol_excess" not in shipped_parser().parse("He quit drinking five years ago.").present_ids


def test_confusion_that_comes_in_episodes_or_grows_is_new_confusion() -> None:
    assert "confusion_new" in shipped_parser().parse("Lately she has become increasingly confused.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("The ache moved from one side to the other over the years.", "alternating_buttock_pain"),
    ("He has had bouts of inflammation of the eye.", "painful_red_eye"),
    ("The stiffness is worse in the early hours.", "wakes_second_half_of_night"),
    ("The outside of her right hip has been flaring up again.", "lateral_hip_pain"),
], ids=["pain-changing-sides", "inflamed-eye", "early-hours", "outer-hip-flaring"])
def test_how_people_tell_inflammatory_back_pain_and_outer_hip_pain(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_denying_an_injury_to_the_back_does_not_deny_back_pain() -> None:
    result = shipped_parser().parse("My lower back has ached for weeks. I never strained my back.")
    assert "low_back_pain" in result.present_ids


@pytest.mark.parametrize(("text", "status"), [
    ("The pain doesn't stop him from working.", "absent"),
    ("It hurts all day and the ache does not stop, so it keeps me off work.", "present"),
], ids=["does-not-stop-him", "does-not-stop-at-all"])
def test_what_a_pain_does_not_stop_someone_doing_is_denied_but_a_pain_that_does_not_stop_goes_on(
    text: str, status: str
) -> None:
    result = shipped_parser().parse(text)
    assert "pain_limits_daily_life" in (result.present_ids if status == "present" else result.absent_ids)


def test_an_aside_between_commas_does_not_part_a_limb_from_what_it_feels() -> None:
    text = "Her right calf, since the long flight home, has been swollen and sore."
    assert {"leg_swelling_one_side", "leg_pain_below_knee"} <= set(shipped_parser().parse(text).present_ids)


@pytest.mark.parametrize(("text", "read"), [
    ("Densitometry shows a T-score of \u22122.9 at the hip.", True),
    ("Her DEXA T-score is -1.6.", False),
], ids=["below-minus-2.5", "osteopenic-range"])
def test_a_bone_density_t_score_is_read_against_the_definition_of_osteoporosis(text: str, read: bool) -> None:
    assert ("osteoporosis" in shipped_parser().parse(text).present_ids) is read


def test_naming_the_lumbar_spine_without_a_word_of_pain_is_not_back_pain() -> None:
    result = shipped_parser().parse("An X-ray of the lumbar spine was taken last year.")
    assert "low_back_pain" not in result.present_ids


def test_remission_alone_is_not_a_history_of_cancer() -> None:
    result = shipped_parser().parse("He has Crohn's disease, in remission on mesalazine.")
    assert "history_of_cancer" not in result.present_ids


def test_pain_in_the_back_placed_between_the_shoulder_blades_is_not_low_back_pain() -> None:
    text = "She felt a tearing pain in her back between her shoulder blades."
    present = set(shipped_parser().parse(text).present_ids)
    assert "thoracic_back_pain" in present
    assert "low_back_pain" not in present


def test_a_travelling_pain_reaches_the_third_part_of_a_list() -> None:
    text = "The ache spreads into her hip, the front of the thigh and the inner shin."
    assert "leg_pain_below_knee" in shipped_parser().parse(text).present_ids


def test_the_lumbosacral_region_is_the_low_back() -> None:
    assert "low_back_pain" in shipped_parser().parse("He reports a dull ache in the lumbosacral region.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Her back pain now goes around to the front of her ribs.", "band_like_trunk_pain"),
    ("She was unable to finish the race because of her back.", "pain_stops_play"),
    ("She has been on hydrocortisone for over five years.", "long_term_corticosteroids"),
    ("Yesterday he toppled over in the garden.", "minor_trauma"),
], ids=["pain-round-to-the-ribs", "race-left-unfinished", "steroid-for-years", "landed-on-the-bottom"])
def test_further_everyday_ways_of_telling_warning_signs(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("On arrival he appeared gravely ill.", "feeling_very_unwell"),
    ("She keeps having to hurry to wee.", "urinary_urgency"),
    ("It stings when he urinates.", "painful_urination"),
], ids=["seen-to-be-ill", "hurrying-to-wee", "stings-when-he-urinates"])
def test_illness_seen_by_another_and_bladder_symptoms_told_of_another(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_weakness_named_after_another_growing_symptom_is_progressive() -> None:
    text = "Over a week his legs have become progressively stiff and weak."
    assert "weakness_progressive" in shipped_parser().parse(text).present_ids


def test_a_relative_named_earlier_does_not_take_what_the_writer_says_of_their_own_body() -> None:
    parsed = shipped_parser().parse("I was bathing my daughter when a sharp pain shot across my lower back.")
    assert "low_back_pain" in parsed.present_ids


def test_a_relative_each_named_with_my_keeps_their_own_history() -> None:
    parsed = shipped_parser().parse("My father and my brother had bowel cancer.")
    assert "history_of_cancer" not in parsed.present_ids


def test_a_back_that_has_gone_has_given_way_not_got_better() -> None:
    parsed = shipped_parser().parse("Since Monday my lower back has gone and it is agony to move.")
    assert "low_back_pain" in parsed.present_ids


def test_pain_that_has_gone_is_still_past() -> None:
    parsed = shipped_parser().parse("My back pain has gone away now.")
    assert "low_back_pain" not in parsed.present_ids


def test_a_pain_that_began_last_week_goes_on_now() -> None:
    assert "low_back_pain" in shipped_parser().parse("My back started aching again last week.").present_ids


def test_a_side_after_than_is_the_side_compared_with() -> None:
    parsed = shipped_parser().parse("His left foot pulses are much weaker than those on the right.")
    assert parsed.present[[f.id for f in parsed.present].index("foot_pulses_reduced")].side == "left"


@pytest.mark.parametrize("text", [
    "The foot is cold and without palpable pulses.",
    "On examination the right foot is pulseless.",
], ids=["without-pulses", "pulseless"])
def test_pulses_told_as_missing_are_reduced_foot_pulses(text: str) -> None:
    assert "foot_pulses_reduced" in shipped_parser().parse(text).present_ids


def test_a_movement_not_done_at_all_is_severe_weakness() -> None:
    parsed = shipped_parser().parse("He is unable to dorsiflex his left ankle.")
    assert {"weakness_ankle_dorsiflexion", "weakness_severe"} <= set(parsed.present_ids)


def test_a_test_of_a_movement_failed_is_not_severe_weakness() -> None:
    parsed = shipped_parser().parse("She cannot walk on her heels on the right.")
    assert "weakness_severe" not in parsed.present_ids


def test_sensation_lost_over_the_trunk_is_a_sensory_level() -> None:
    parsed = shipped_parser().parse("Pinprick sensation is reduced across the lower abdomen and both legs.")
    assert "sensory_level_trunk" in parsed.present_ids


def test_walking_that_has_gone_strange_is_an_unsteady_gait_and_ends_no_earlier_symptom() -> None:
    parsed = shipped_parser().parse("The tingling has spread up to my waist and my walking has gone strange.")
    assert {"sensory_level_trunk", "unsteady_gait"} <= set(parsed.present_ids)


def test_less_able_to_walk_is_no_statement_that_walking_is_normal() -> None:
    parsed = shipped_parser().parse("Over the week she has become less able to walk.")
    assert "weakness_severe" not in parsed.absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Ankle dorsiflexion is weak on the right.", "weakness_ankle_dorsiflexion"),
    ("Plantar flexion and knee extension are slightly weaker on the right.", "weakness_plantar_flexion"),
], ids=["dorsiflexion-weak", "listed-actions-weaker"])
def test_a_muscle_action_told_weak_in_words_reads_as_a_grade_below_full_power(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_muscle_action_told_weak_in_words_is_not_an_examined_myotome() -> None:
    parsed = shipped_parser().parse("Ankle dorsiflexion is weak.")
    assert "weakness_ankle_dorsiflexion" in parsed.present_ids
    assert "myotomal_weakness_exam" not in parsed.present_ids


def test_a_muscle_action_told_not_weak_reads_no_weakness() -> None:
    assert "weakness_hip_flexion" not in shipped_parser().parse("Hip flexion is not weak.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("She was found unconscious on the kitchen floor.", "collapse_fainting"),
    ("Halfway through the walk he broke into a heavy sweat.", "pale_sweaty"),
    ("By the third day he was intubated.", "breathing_difficulty"),
    ("I limp when I get up in the morning.", "limp"),
    ("He has diabetes and heel ulcers.", "leg_ulcers"),
    ("There is tenderness in the left iliac fossa.", "abdominal_pain"),
], ids=["unconscious", "heavy-sweat", "intubated", "limp-as-a-verb", "part-before-ulcer", "abdominal-region"])
def test_more_ways_clinicians_and_patients_tell_warning_signs(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_pain_listed_after_the_flank_in_a_region_of_the_abdomen_is_abdominal_pain() -> None:
    parsed = shipped_parser().parse("He has pain in the left loin and the left lower quadrant.")
    assert {"flank_pain", "abdominal_pain"} <= set(parsed.present_ids)


def test_two_symptoms_from_a_part_down_a_leg_read_in_both_parts() -> None:
    parsed = shipped_parser().parse("I woke with pain and pins and needles from my right buttock down to my foot.")
    assert {"buttock_pain", "leg_pain"} <= set(parsed.present_ids)


def test_a_list_of_symptoms_in_a_list_of_parts_reads_each_pair() -> None:
    parsed = shipped_parser().parse("She has aching and tingling in her right hip and leg.")
    assert {"leg_pain", "leg_numbness_tingling"} <= set(parsed.present_ids)


def test_numbness_of_one_buttock_down_the_leg_is_not_read_as_saddle_numbness_by_meaning() -> None:
    parsed = shipped_parser().parse("Yesterday I felt numbness from my right buttock down my leg.")
    assert "saddle_numbness" not in parsed.present_ids
    assert "leg_numbness_tingling" in parsed.present_ids


def test_a_bad_pain_told_with_its_quality_between_is_severe() -> None:
    assert "severe_pain" in shipped_parser().parse("He has a really bad stabbing pain in his back.").present_ids


@pytest.mark.parametrize("text", [
    "She describes a slowly spreading numbness in both feet.",
    "The tingling has spread up to his knees.",
], ids=["slowly-spreading", "spread-up-to"])
def test_a_symptom_whose_reach_grows_is_getting_worse(text: str) -> None:
    assert "course_worsening" in shipped_parser().parse(text).present_ids


def test_a_symptom_that_crept_up_over_months_tells_its_onset_not_its_course() -> None:
    assert "course_worsening" not in shipped_parser().parse("The pain crept up over a few months.").present_ids


def test_pain_in_the_whole_leg_reaches_below_the_knee() -> None:
    assert "leg_pain_below_knee" in shipped_parser().parse("Her entire right leg is painful.").present_ids


def test_walking_told_weak_is_leg_weakness() -> None:
    assert "leg_weakness" in shipped_parser().parse("Her walking has become feeble.").present_ids


@pytest.mark.parametrize("text", [
    "He has had frequent falls this winter.",
    "He has been falling over a lot lately.",
], ids=["frequent-falls", "falling-a-lot"])
def test_falling_again_and_again_is_an_unsteady_gait(text: str) -> None:
    assert "unsteady_gait" in shipped_parser().parse(text).present_ids


def test_a_symptom_listed_with_an_article_and_a_strength_still_joins_the_part() -> None:
    parsed = shipped_parser().parse("She has aching, pins and needles and an occasional burning feeling in both feet.")
    assert "leg_numbness_bilateral" in parsed.present_ids


def test_pain_listed_before_odd_sensations_in_a_part_is_pain_there() -> None:
    parsed = shipped_parser().parse("He reports pain and odd sensations over the front of his left thigh.")
    assert "leg_pain_above_knee" in parsed.present_ids


def test_twinges_or_shocks_running_down_a_leg_are_leg_pain() -> None:
    text = "She describes twinges beginning in the small of her back and running down the inside of her left leg."
    parsed = shipped_parser().parse(text)
    assert "leg_pain" in parsed.present_ids


def test_feeling_reduced_over_a_named_leg_root_is_numbness_in_its_dermatome() -> None:
    parsed = shipped_parser().parse("Pinprick is reduced over left L4 and L5.")
    assert {"leg_numbness_tingling", "dermatomal_sensory_loss_exam"} <= set(parsed.present_ids)


def test_pain_at_a_named_root_level_is_not_read_as_leg_pain() -> None:
    assert "leg_pain" not in shipped_parser().parse("The pain is worst at L5.").present_ids


def test_a_child_refusing_to_bear_weight_limps_and_cannot_bear_weight() -> None:
    parsed = shipped_parser().parse("The toddler refused to put weight on her left leg.")
    assert {"limp", "unable_to_bear_weight"} <= set(parsed.present_ids)


def test_a_foot_that_moves_neither_up_nor_down_is_weak_both_ways() -> None:
    parsed = shipped_parser().parse("She is unable to move her right foot up or down.")
    assert {"weakness_ankle_dorsiflexion", "weakness_plantar_flexion"} <= set(parsed.present_ids)


def test_extension_of_a_leg_told_weak_is_weak_knee_extension() -> None:
    assert "weakness_knee_extension" in shipped_parser().parse("Extension of the left knee is weak.").present_ids


def test_a_limb_word_between_listed_symptoms_keeps_the_list_together() -> None:
    parsed = shipped_parser().parse("His calves have become weak, thin and sore.")
    assert "leg_pain_below_knee" in parsed.present_ids


def test_a_tackle_is_significant_trauma() -> None:
    assert "major_trauma" in shipped_parser().parse("He was tackled hard during the match.").present_ids


def test_waking_on_turning_in_bed_is_night_pain() -> None:
    assert "night_pain" in shipped_parser().parse("He wakes when he turns onto his left side.").present_ids


def test_a_passing_spell_of_lost_sight_is_an_earlier_episode_that_recovered() -> None:
    parsed = shipped_parser().parse("Ten years ago she had a brief episode in which her sight in one eye dimmed.")
    assert "previous_vision_episode_recovered" in parsed.present_ids


def test_numbness_told_over_two_areas_of_one_part_reads_the_nearer_area() -> None:
    parsed = shipped_parser().parse("He has burning and an itch over the front and outer side of his right thigh.")
    assert "anterolateral_thigh_burning_numbness" in parsed.present_ids


def test_an_injury_of_the_back_of_the_thigh_is_sudden_pain_there() -> None:
    parsed = shipped_parser().parse("She injured the back of her left thigh while sprinting yesterday.")
    assert "posterior_thigh_pain_sudden" in parsed.present_ids


def test_a_calcified_aortic_wall_in_front_of_the_lumbar_spine_on_x_ray_is_an_aneurysm_on_imaging() -> None:
    text = "A lateral X-ray shows curvilinear calcification anterior to the L2-L4 vertebral bodies."
    parsed = shipped_parser().parse(text)
    assert "aortic_aneurysm_on_imaging" in parsed.present_ids


def test_a_time_told_of_the_symptoms_as_a_whole_is_the_episode_duration_beside_a_past_illness() -> None:
    text = "A woman who gave up smoking 10 years ago and has diabetes has had these symptoms for 5 months."
    assert "duration_chronic" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "A 35-year-old man describes a year of tiredness and back pain.",
    "She has had 6 months of fatigue, night sweats and back pain.",
])
def test_a_time_that_opens_a_list_dates_the_episode_finding_in_it(text: str) -> None:
    """"N of A and B": the time binds the whole list, so a complaint of the episode among its items is dated."""
    assert "duration_chronic" in shipped_parser().parse(text).present_ids


def test_a_time_that_opens_a_list_of_past_illnesses_dates_only_them() -> None:
    text = "A woman with 15 years of hypertension and diabetes suddenly felt her leg go weak."
    assert "duration_chronic" not in shipped_parser().parse(text).present_ids


def test_the_same_thing_happening_before_to_a_weak_leg_without_pain_is_an_earlier_attack_of_weakness() -> None:
    parsed = shipped_parser().parse(
        "For 2 days his right leg has felt weak and clumsy; the same thing happened at last year's tournament."
    )
    assert "previous_attacks_of_weakness" in parsed.present_ids
    assert "previous_episodes" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "His right leg is weak and his back hurts; the same thing happened last year.",  # the complaint includes pain
    "His right leg is weak. He had back pain before.",  # the recurrence names what came back
    "His legs are weak. He has no back pain now; until last week he had back pain.",  # a past symptom, not a recurrence
])
def test_a_recurrence_of_pain_stays_an_earlier_episode_of_back_pain(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "previous_attacks_of_weakness" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "He developed pain at the back and side of the right hip.",
    "She has pain in the back and front of the knee.",
])
def test_the_back_listed_with_other_places_of_a_part_is_a_place_on_that_part(text: str) -> None:
    assert "low_back_pain" not in shipped_parser().parse(text).present_ids


def test_the_back_listed_with_another_place_and_no_part_after_is_the_back() -> None:
    assert "low_back_pain" in shipped_parser().parse("He has pain in the back and side.").present_ids


def test_deep_sensation_impaired_is_lost_position_sense() -> None:
    assert "position_sense_loss_exam" in shipped_parser().parse("Deep sensation is reduced in both feet.").present_ids


def test_pain_at_the_front_of_the_hip_is_groin_pain() -> None:
    assert "groin_pain" in shipped_parser().parse("She felt sudden right anterior hip pain.").present_ids


def test_internal_rotation_named_before_it_is_said_to_be_limited() -> None:
    parsed = shipped_parser().parse("Passive flexion and internal rotation are limited on the right.")
    assert "hip_internal_rotation_limited_painful" in parsed.present_ids


def test_a_gait_with_a_shortened_stance_on_one_side_is_a_limp() -> None:
    assert "limp" in shipped_parser().parse("His walking shows a shortened stance on the left.").present_ids


@pytest.mark.parametrize("text", [
    "A triathlete training for a full Ironman has groin pain.",
    "Last month he stepped up his mileage.",
], ids=["training-for-a-race", "load-stepped-up"])
def test_a_raised_running_load_is_a_training_increase(text: str) -> None:
    assert "running_training_increase" in shipped_parser().parse(text).present_ids


def test_a_phrase_of_how_a_pain_began_does_not_swallow_where_it_is() -> None:
    parsed = shipped_parser().parse("She felt immediate left hip pain as she landed.")
    assert {"onset_sudden", "hip_pain_on_movement"} <= set(parsed.present_ids)


def test_weight_bearing_told_very_painful_is_pain_on_weight_bearing() -> None:
    assert "pain_on_weight_bearing" in shipped_parser().parse("Weight bearing is extremely painful.").present_ids


def test_pain_on_a_list_of_hip_movements_ending_in_internal_rotation_is_painful_rotation() -> None:
    parsed = shipped_parser().parse("She has pain on flexion, adduction and internal rotation.")
    assert "hip_internal_rotation_limited_painful" in parsed.present_ids


def test_getting_up_by_pushing_on_the_thighs_is_proximal_weakness() -> None:
    text = "She climbs up from the floor with her hands on her thighs."
    assert "proximal_weakness_both_sides" in shipped_parser().parse(text).present_ids


def test_a_blow_taken_on_a_part_is_minor_trauma() -> None:
    assert "minor_trauma" in shipped_parser().parse("Last week he was struck on the shin by a ball.").present_ids


def test_swelling_of_a_knee_is_no_warning_sign_of_pre_eclampsia() -> None:
    text = "At first it was only painful, but then it became swollen and the swelling has increased until he cannot "
    text += "walk."
    assert "severe_headache_with_swelling" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["A few hours into his first shift his foot slipped and he hurt his back.",
                                  "Two weeks into a course of antibiotics his back began to ache."],
                         ids=["hours-into-a-shift", "weeks-into-a-course"])
def test_a_time_into_something_else_is_a_moment_in_it_not_how_long_the_pain_has_lasted(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert not {"duration_acute", "onset_sudden"} & set(parsed.present_ids)


def test_a_time_counted_from_another_event_is_not_how_long_the_pain_has_lasted() -> None:
    parsed = shipped_parser().parse("The pain eases within half an hour of taking aspirin.")
    assert not {"duration_acute", "onset_sudden"} & set(parsed.present_ids)


def test_a_time_counted_from_another_event_leaves_the_stated_duration_alone() -> None:
    parsed = shipped_parser().parse("My back has hurt for 3 months and eases within an hour of taking ibuprofen.")
    assert "duration_chronic" in parsed.present_ids


def test_a_time_earlier_than_the_telling_is_how_long_ago_it_began() -> None:
    parsed = shipped_parser().parse("He hurt his back lifting a crate two days earlier.")
    assert "duration_acute" in parsed.present_ids


@pytest.mark.parametrize("text", ["On palpation L4 is tender.", "There is marked sacral tenderness."],
                         ids=["named-level", "sacrum"])
def test_a_named_level_or_the_sacrum_told_tender_is_spinal_tenderness(text: str) -> None:
    assert "spinal_percussion_tenderness" in shipped_parser().parse(text).present_ids


def test_a_weakness_that_gets_better_with_exercise_is_not_progressive() -> None:
    parsed = shipped_parser().parse("His thighs feel weak, but the weakness gets better when he exercises.")
    assert "weakness_progressive" not in parsed.present_ids


@pytest.mark.parametrize("text", ["Nothing helps the pain apart from cycling.", "Only exercise really eases it.",
                                  "The only thing that helps is swimming."],
                         ids=["nothing-but-exercise", "only-exercise", "the-only-thing"])
def test_exercise_as_the_one_thing_that_helps_is_pain_better_with_exercise(text: str) -> None:
    assert "improves_with_exercise_not_rest" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("The sedimentation rate and CRP were both normal.", "elevated_esr_crp"),
        ("Electrolytes and chemistry were normal.", "immunosuppression"),
        ("Pulse 64/min and regular.", "hypotension_tachycardia"),
    ],
    ids=["markers-normal", "chemistry-normal", "pulse-regular"],
)
def test_a_result_told_as_it_should_be_is_not_its_abnormality(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["The CRP is raised.", "Inflammatory markers were high on admission."],
                         ids=["raised", "high"])
def test_a_result_told_abnormal_is_still_read(text: str) -> None:
    assert "elevated_esr_crp" in shipped_parser().parse(text).present_ids


def test_normal_inflammatory_markers_rule_a_raised_one_out() -> None:
    assert "elevated_esr_crp" in shipped_parser().parse("Both ESR and CRP are normal.").absent_ids


def test_tenderness_that_is_not_of_the_spine_is_not_spinal_tenderness() -> None:
    parsed = shipped_parser().parse("His thigh feels hot, hard and tender.")
    assert "spinal_percussion_tenderness" not in parsed.present_ids


def test_drinking_told_as_moderate_is_not_heavy_drinking() -> None:
    parsed = shipped_parser().parse("She drinks alcohol occasionally.")
    assert "alcohol_excess" not in parsed.present_ids


def test_a_slipped_disc_is_no_slip() -> None:
    assert "minor_trauma" not in shipped_parser().parse("My GP once said I had a slipped disc.").present_ids


def test_drinking_more_of_a_drink_that_is_no_alcohol_is_not_heavy_drinking() -> None:
    assert "alcohol_excess" not in shipped_parser().parse("I have been drinking much more water.").present_ids


def test_drinking_far_too_much_is_still_heavy_drinking() -> None:
    assert "alcohol_excess" in shipped_parser().parse("Honestly, I drink far too much.").present_ids


def test_a_time_told_with_a_symptom_outweighs_one_told_of_something_else() -> None:
    text = "Three hours ago a sharp pain hit my lower back. For the last six months I have been working night shifts."
    parsed = shipped_parser().parse(text)
    assert "duration_acute" in parsed.present_ids
    assert "duration_chronic" not in parsed.present_ids


@pytest.mark.parametrize("text", ["She has had months of aching in her lower back.",
                                  "My lower back has ached for months."], ids=["months-of", "for-months"])
def test_months_without_a_number_read_alike_however_they_are_placed(text: str) -> None:
    assert "duration_chronic" in shipped_parser().parse(text).present_ids


def test_a_denial_after_a_label_and_colon_denies_what_follows() -> None:
    parsed = shipped_parser().parse("Pelvic X-ray: no sacroiliitis seen.")
    assert "sacroiliitis_on_imaging" in parsed.absent_ids


@pytest.mark.parametrize("text", ["Chills: no", "Chills? no, fever? yes"], ids=["at-the-end", "in-a-list"])
def test_an_answer_after_its_item_still_denies_the_item(text: str) -> None:
    assert "rigors" in shipped_parser().parse(text).absent_ids


def test_a_later_negative_test_does_not_deny_an_earlier_positive_one() -> None:
    text = "On examination FABER is positive on the left, hip movement is painless, slump negative."
    parsed = shipped_parser().parse(text)
    assert "faber_positive" in parsed.present_ids


def test_a_denial_does_not_reach_over_a_comma_into_an_item_with_its_own_result() -> None:
    parsed = shipped_parser().parse("Scan shows no fracture, ESR normal.")
    assert "elevated_esr_crp" in parsed.absent_ids


def test_a_lasting_condition_in_the_background_does_not_set_how_long_this_episode_has_lasted() -> None:
    parsed = shipped_parser().parse("A woman with chronic neck pain and asthma presents with 4 days of low back pain.")
    assert "duration_acute" in parsed.present_ids
    assert "duration_chronic" not in parsed.present_ids


def test_chronic_alone_still_says_the_pain_has_lasted() -> None:
    assert "duration_chronic" in shipped_parser().parse("Chronic lower back ache, no leg symptoms.").present_ids


@pytest.mark.parametrize(
    "text",
    ["A man with long-standing diabetes has had neck pain since this morning.",
     "A woman with long-standing asthma has back pain."],
    ids=["a-finding", "no-finding"],
)
def test_a_lasting_condition_word_before_another_illness_is_that_illness_s_time(text: str) -> None:
    """"Long-standing" or "chronic" describes the noun right after it; only pain named there dates this episode."""
    assert "duration_chronic" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["He has long-standing back pain.", "Long-standing, severe low back pain."])
def test_long_standing_pain_is_old_pain_not_pain_on_standing(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "duration_chronic" in parsed.present_ids
    assert "worse_standing" not in parsed.present_ids


def test_standing_that_makes_the_pain_worse_is_still_read() -> None:
    assert "worse_standing" in shipped_parser().parse("Standing in a queue brings the pain on.").present_ids


def test_a_known_stiffened_spine_is_the_person_s_own_and_a_relative_s_is_family_history() -> None:
    own = shipped_parser().parse(
        "A man with long-standing ankylosing spondylitis slid onto the floor and now has neck pain."
    )
    assert {"known_ankylosing_spondylitis", "minor_trauma", "neck_pain"} <= set(own.present_ids)
    assert "family_history_spondyloarthritis" not in own.present_ids and "duration_chronic" not in own.present_ids
    relative = shipped_parser().parse("My dad has ankylosing spondylitis.")
    assert "family_history_spondyloarthritis" in relative.present_ids
    assert "known_ankylosing_spondylitis" not in relative.present_ids


@pytest.mark.parametrize(
    "text",
    ["A lumbar spine X-ray shows a fracture of the L3 vertebra.", "CT showed an L1 burst fracture.",
     "An X-ray confirms a compression fracture at T8."],
)
def test_a_broken_vertebra_named_by_its_level_or_kind_is_read_from_the_imaging(text: str) -> None:
    assert "vertebral_fracture_on_imaging" in shipped_parser().parse(text).present_ids


def test_an_x_ray_without_a_compression_fracture_denies_one() -> None:
    parsed = shipped_parser().parse("Spine X-rays show only bony spurs, with no slip or compression fracture.")
    assert "vertebral_fracture_on_imaging" in parsed.absent_ids


def test_a_d_dimer_told_raised_or_negative_is_read_either_way() -> None:
    assert "raised_d_dimer" in shipped_parser().parse("D-dimer is positive; an ultrasound was arranged.").present_ids
    assert "raised_d_dimer" in shipped_parser().parse("D-dimer was negative.").absent_ids


def test_tenderness_of_the_sacroiliac_joint_is_neither_the_kidney_nor_the_spine() -> None:
    parsed = shipped_parser().parse("There is tenderness over the lower right sacroiliac joint.")
    assert not {"renal_angle_tenderness", "spinal_percussion_tenderness"} & set(parsed.present_ids)


@pytest.mark.parametrize("text", ["Both blood cultures grow Klebsiella.", "Blood culture subsequently grew E. coli."],
                         ids=["present-tense", "later"])
def test_blood_cultures_that_grow_an_organism_are_a_bacteraemia(text: str) -> None:
    assert "recent_bacterial_infection" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["Urinalysis showed blood but no white cells.", "The urine test showed red cells but no protein."],
    ids=["blood", "red-cells"],
)
def test_a_urine_test_told_to_show_blood_is_haematuria(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "haematuria_on_dipstick" in parsed.present_ids
    assert "pyuria_or_nitrites" not in parsed.present_ids


def test_a_medicine_one_letter_from_a_known_word_is_not_corrected_into_it() -> None:
    parsed = shipped_parser().parse("His aspirin, nitrates and statin are unchanged.")
    assert "pyuria_or_nitrites" not in parsed.present_ids


def test_nitrites_in_the_urine_are_not_blood() -> None:
    parsed = shipped_parser().parse("A dipstick of the urine shows nitrites.")
    assert "pyuria_or_nitrites" in parsed.present_ids
    assert "haematuria_on_dipstick" not in parsed.present_ids


@pytest.mark.parametrize("text", ["Plain films show reduced bone density in the lumbar spine.",
                                  "The radiograph suggests she is osteopenic."], ids=["reduced-density", "osteopenic"])
def test_bone_density_told_as_low_is_thin_bones(text: str) -> None:
    assert "osteoporosis" in shipped_parser().parse(text).present_ids


def test_not_lying_on_one_side_is_not_being_unable_to_lie_flat() -> None:
    text = "Standing and walking aggravate it, lying down relieves it, and he cannot lie on his right side."
    parsed = shipped_parser().parse(text)
    assert "unable_to_lie_flat" not in parsed.present_ids
    assert "pain_lying_on_side" in parsed.present_ids


def test_tenderness_over_the_back_of_the_sacroiliac_joint_is_not_the_spine() -> None:
    parsed = shipped_parser().parse("There is marked tenderness over the back of the right sacroiliac joint.")
    assert "spinal_percussion_tenderness" not in parsed.present_ids


@pytest.mark.parametrize("text", ["Whenever I walk any distance my thighs get heavy and numb and I have to stop.",
                                  "His legs go weak when he walks."], ids=["walk-then-stop", "legs-when-walking"])
def test_a_leg_symptom_that_walking_brings_on_is_claudication_and_still_the_symptom(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "neurogenic_claudication" in parsed.present_ids
    assert {"leg_numbness_tingling", "leg_weakness"} & set(parsed.present_ids)


def test_a_stoop_that_keeps_growing_is_a_new_stoop() -> None:
    assert "height_loss_or_stoop" in shipped_parser().parse("She is stooping more each year.").present_ids


def test_examined_things_listed_before_one_normal_result_are_each_normal() -> None:
    parsed = shipped_parser().parse("Tone, power, reflexes and sensation are normal in both legs.")
    assert {"leg_weakness", "leg_numbness_tingling", "knee_reflex_reduced", "ankle_reflex_reduced",
            "hyperreflexia_clonus"} <= set(parsed.absent_ids)


def test_examined_things_listed_after_one_normal_result_are_each_normal() -> None:
    parsed = shipped_parser().parse("On examination he has normal tone, power and reflexes.")
    assert {"leg_weakness", "knee_reflex_reduced"} <= set(parsed.absent_ids)


@pytest.mark.parametrize(
    "text",
    ["Perianal sensation is intact and the anal tone is preserved.",
     "Her skin is normal and her tendon reflexes are reduced.",
     "The reflexes are not normal."],
    ids=["another-place", "another-clause", "denied"],
)
def test_a_normal_result_does_not_reach_things_of_another_place_or_clause(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert not {"leg_numbness_tingling", "areflexia", "hyperreflexia_clonus"} & set(parsed.absent_ids)


def test_walking_steadily_is_a_steady_gait() -> None:
    assert "unsteady_gait" in shipped_parser().parse("She walks steadily on the ward.").absent_ids


def test_no_change_in_bowel_or_bladder_habit_denies_their_warning_signs() -> None:
    parsed = shipped_parser().parse("There has been no change in bowel or bladder habit.")
    assert {"faecal_incontinence", "urinary_incontinence"} <= set(parsed.absent_ids)


@pytest.mark.parametrize("text", ["A pelvic film shows sclerosis and narrowing of the left sacroiliac joint.",
                                  "The sacroiliac joints on X-ray show bilateral erosions."], ids=["before", "after"])
def test_the_radiographic_changes_of_the_sacroiliac_joints_are_sacroiliitis_on_imaging(text: str) -> None:
    assert "sacroiliitis_on_imaging" in shipped_parser().parse(text).present_ids


def test_sacroiliac_joints_shown_without_changes_are_no_sacroiliitis() -> None:
    parsed = shipped_parser().parse("The sacroiliac joints show no erosions or sclerosis.")
    assert "sacroiliitis_on_imaging" not in parsed.present_ids


def test_walking_unsteadily_is_not_walking_steadily() -> None:
    assert "unsteady_gait" in shipped_parser().parse("He walks unsteadily to the couch.").present_ids


def test_a_urine_test_named_without_its_result_is_not_read_as_blood() -> None:
    parsed = shipped_parser().parse("Dipstick testing of her urine shows no blood at all.")
    assert "haematuria_on_dipstick" not in parsed.present_ids


def test_a_marker_sent_for_is_not_a_raised_one_however_high_something_else_is() -> None:
    parsed = shipped_parser().parse("A CRP was sent, and her blood pressure was high.")
    assert "elevated_esr_crp" not in parsed.present_ids


def test_reflux_is_not_a_misspelt_reflex() -> None:
    parsed = shipped_parser().parse("No heartburn or reflux.")
    assert not {"areflexia", "ankle_reflex_reduced", "knee_reflex_reduced"} & set(parsed.present_ids)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Both plantar responses are flexor and downgoing.", "babinski_positive"),
        ("Straight-leg raise and slump tests are normal.", "slr_positive"),
        ("An ankle-brachial index was measured.", "ankle_brachial_index_low"),
        ("He was given intravenous antibiotics for a week.", "injection_drug_use"),
        ("She is trying to lose weight with a diet.", "unexplained_weight_loss"),
        ("He is clearly drunk.", "unsteady_gait"),
    ],
    ids=["downgoing-plantar", "tests-normal", "index-measured", "iv-antibiotics", "dieting", "drunk"],
)
def test_a_reading_by_meaning_needs_the_words_of_what_it_says(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


def test_straight_leg_raise_and_slump_told_normal_rule_a_positive_raise_out() -> None:
    assert "slr_positive" in shipped_parser().parse("Straight-leg raise and slump tests are normal.").absent_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("For months I've had burning in both soles.", "fever"),
        ("Both my legs feel odd and numb.", "saddle_numbness"),
        ("My blood pressure is difficult to control.", "hypotension_tachycardia"),
    ],
    ids=["burning-is-no-fever", "legs-are-no-saddle", "blood-pressure-treated"],
)
def test_a_warning_sign_read_by_meaning_needs_the_words_of_what_it_is(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["My blood pressure is difficult to control.", "I take tablets for my blood pressure."],
    ids=["controlled", "tablets"],
)
def test_blood_pressure_told_as_treated_or_controlled_is_high_blood_pressure(text: str) -> None:
    assert "hypertension" in shipped_parser().parse(text).present_ids


def test_not_being_able_to_work_like_this_is_pain_that_stops_work() -> None:
    assert "pain_limits_daily_life" in shipped_parser().parse("I can't work like this any more.").present_ids


@pytest.mark.parametrize("text", ["My pee has turned a brown colour.", "My urine keeps getting darker and darker."],
                         ids=["brown", "darker"])
def test_urine_turned_brown_or_ever_darker_is_blood_in_the_urine(text: str) -> None:
    assert "blood_in_urine" in shipped_parser().parse(text).present_ids


def test_pre_eclampsia_pain_under_the_ribs_is_read_when_a_pregnancy_is_told() -> None:
    parsed = shipped_parser().parse("I'm 34 weeks pregnant and I have pain under my ribs and blurred vision.")
    assert "severe_headache_with_swelling" in parsed.present_ids


def test_pain_at_the_costovertebral_angle_is_loin_pain() -> None:
    parsed = shipped_parser().parse("Later the pain moved to the right costovertebral angle.")
    assert "flank_pain" in parsed.present_ids


@pytest.mark.parametrize("text", ["Along the inner thigh there is a firm, cord-like band that is red and tender.",
                                  "A red tender cord runs along the inner calf."], ids=["cord-like", "tender-cord"])
def test_a_red_hard_or_tender_cord_under_the_skin_is_the_vein_s_cord(text: str) -> None:
    assert "red_tender_cord_vein" in shipped_parser().parse(text).present_ids


def test_the_spinal_cord_is_no_cord_under_the_skin() -> None:
    parsed = shipped_parser().parse("MRI shows a hard disc compressing the spinal cord.")
    assert "red_tender_cord_vein" not in parsed.present_ids


def test_a_wound_told_by_the_look_of_an_ulcer_is_an_ulcer() -> None:
    assert "leg_ulcers" in shipped_parser().parse("There are two shallow wounds on the top of his foot.").present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Her calf aches when she walks and is relieved by standing still.", "worse_standing"),
        ("The backache is eased by sitting down for a while.", "worse_sitting"),
    ],
    ids=["standing-eases", "sitting-eases"],
)
def test_what_eases_the_pain_is_not_read_as_what_brings_it_on(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


def test_better_under_a_condition_is_no_symptom_that_has_passed() -> None:
    parsed = shipped_parser().parse("The ache is worse when she sits and better when she stands.")
    assert "worse_sitting" in parsed.present_ids


@pytest.mark.parametrize("text", ["Her legs cramp when she walks any distance.",
                                  "Both his legs cramp up whenever he walks far."], ids=["her", "his"])
def test_legs_that_cramp_on_walking_are_no_unsteady_gait(text: str) -> None:
    assert "unsteady_gait" not in shipped_parser().parse(text).present_ids


def test_a_normal_measured_temperature_rules_a_measured_fever_out() -> None:
    assert "measured_temperature_38" in shipped_parser().parse("Temperature 36.9 °C on arrival.").absent_ids


def test_a_normal_pulse_and_blood_pressure_together_rule_out_shock() -> None:
    parsed = shipped_parser().parse("Her BP is 128/76 mmHg and her pulse 84/min.")
    assert "hypotension_tachycardia" in parsed.absent_ids


def test_a_normal_blood_pressure_alone_leaves_a_fast_pulse_open() -> None:
    parsed = shipped_parser().parse("His BP is 128/76 mmHg.")
    assert "hypotension_tachycardia" not in parsed.absent_ids + parsed.present_ids


def test_a_number_no_living_person_could_measure_is_not_the_quantity_named_before_it() -> None:
    parsed = shipped_parser().parse("I have high blood pressure and type 2 diabetes.")
    assert "hypotension_tachycardia" not in parsed.present_ids
    assert "hypertension" in parsed.present_ids


def test_a_low_blood_pressure_that_a_person_can_have_is_still_read() -> None:
    assert "hypotension_tachycardia" in shipped_parser().parse("BP 82/50, HR 124.").present_ids


def test_words_that_name_a_finding_win_over_a_value_inside_its_cut_off() -> None:
    assert "anaemia" in shipped_parser().parse("She is mildly anaemic, haemoglobin 12.3 g/dL.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Power is 4/5 in both legs.", "weakness_severe"),
    ("He fell 2 feet from a step.", "major_trauma"),
    ("The ankle-brachial index is 1.0 on the right and 0.55 on the left.", "ankle_brachial_index_low"),
], ids=["one-grade", "a-short-fall", "one-side"])
def test_a_value_that_speaks_for_part_of_a_finding_never_rules_it_out(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).absent_ids


def test_a_fall_of_two_feet_is_no_fall_from_a_height() -> None:
    assert "major_trauma" not in shipped_parser().parse("He fell 2 feet off the kerb.").present_ids


def test_a_fall_of_fifteen_feet_is_a_fall_from_a_height() -> None:
    assert "major_trauma" in shipped_parser().parse("He fell 15 ft off a roof.").present_ids


def test_leg_reflexes_graded_two_plus_rule_out_reduced_and_brisk_reflexes() -> None:
    parsed = shipped_parser().parse("Knee and ankle jerks are 2+ and symmetrical.")
    assert {"knee_reflex_reduced", "ankle_reflex_reduced", "hyperreflexia_clonus"} <= set(parsed.absent_ids)


def test_a_normal_knee_reflex_says_nothing_of_the_ankle() -> None:
    parsed = shipped_parser().parse("The knee reflexes are 2+ on both sides.")
    assert "knee_reflex_reduced" in parsed.absent_ids
    assert "ankle_reflex_reduced" not in parsed.absent_ids


def test_a_normal_grade_in_the_arms_leaves_the_legs_grade_to_be_read() -> None:
    parsed = shipped_parser().parse("Reflexes are 2+ in the arms and 3+ in the legs.")
    assert "hyperreflexia_clonus" in parsed.present_ids


def test_a_normal_neurological_examination_rules_out_the_signs_it_looks_for() -> None:
    parsed = shipped_parser().parse("The rest of the neurological examination is normal.")
    assert {"babinski_positive", "knee_reflex_reduced", "myotomal_weakness_exam"} <= set(parsed.absent_ids)


def test_a_sign_named_as_the_exception_to_a_normal_examination_stands() -> None:
    parsed = shipped_parser().parse("Neurological examination is otherwise normal apart from an upgoing left plantar.")
    assert "babinski_positive" in parsed.present_ids


def test_no_injury_at_all_denies_both_a_minor_and_a_major_injury() -> None:
    parsed = shipped_parser().parse("The pain came on without any injury.")
    assert {"minor_trauma", "major_trauma"} <= set(parsed.absent_ids)


def test_an_injury_told_without_saying_which_denies_nothing() -> None:
    parsed = shipped_parser().parse("She had an injury at work last month.")
    assert not {"minor_trauma", "major_trauma"} & set(parsed.absent_ids)


def test_taking_no_medicines_denies_the_medicines_that_change_the_risks() -> None:
    parsed = shipped_parser().parse("He is otherwise well and takes no regular medication.")
    assert {"anticoagulant_use", "long_term_corticosteroids", "statin_use"} <= set(parsed.absent_ids)


@pytest.mark.parametrize("text", ["No tablets have helped the pain.", "He takes no medicines except warfarin."],
                         ids=["no-effect", "exception"])
def test_a_denied_medicine_with_an_effect_or_an_exception_denies_no_kind_of_medicine(text: str) -> None:
    assert "anticoagulant_use" not in shipped_parser().parse(text).absent_ids


def test_no_past_medical_history_denies_the_lasting_illnesses_but_leaves_the_warning_signs_to_be_asked() -> None:
    parsed = shipped_parser().parse("A 42-year-old man with no past medical history has back pain.")
    assert {"diabetes", "hypertension", "atrial_fibrillation"} <= set(parsed.absent_ids)
    assert not {"history_of_cancer", "immunosuppression", "osteoporosis"} & set(parsed.absent_ids)


def test_an_illness_named_beside_no_other_illnesses_stands() -> None:
    parsed = shipped_parser().parse("She has diabetes but no other medical problems.")
    assert "diabetes" in parsed.present_ids
    assert "hypertension" in parsed.absent_ids


def test_reflexes_normal_in_the_arms_and_brisk_in_the_legs_are_brisk_in_the_legs() -> None:
    parsed = shipped_parser().parse("Reflexes are normal in the arms and brisk in the legs.")
    assert "hyperreflexia_clonus" in parsed.present_ids


def test_a_reduced_grade_of_another_thing_examined_is_no_reflex_grade() -> None:
    parsed = shipped_parser().parse("Knee reflexes are intact and power is reduced in the left leg.")
    assert "knee_reflex_reduced" in parsed.absent_ids


@pytest.mark.parametrize("text", [
    "Pain is 4/10 at rest and 9/10 on walking.",
    "The pain is 4/10 at rest, rising to 9/10 on walking.",
])
def test_a_second_rating_on_the_same_scale_is_read_and_the_worst_decides(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "severe_pain" in parsed.present_ids
    assert "severe_pain" not in parsed.absent_ids


def test_a_weak_movement_graded_on_both_sides_makes_a_leg_weakness_read_on_one_side_both_legs() -> None:
    parsed = shipped_parser().parse("Knee extension strength is 1/5 on the right and 2/5 on the left.")
    assert "leg_weakness_bilateral" in parsed.present_ids
    assert "leg_weakness_unilateral" not in parsed.present_ids


def test_right_down_to_the_toes_is_all_the_way_not_the_right_side() -> None:
    parsed = shipped_parser().parse("Pain runs from my left buttock down my leg, and numbness right down to my toes.")
    assert "leg_pain_bilateral" not in parsed.present_ids
    sides = {finding.id: finding.side for finding in parsed.present}
    assert sides.get("leg_numbness_tingling") != "right"


def test_a_symptom_told_worst_in_a_part_is_that_part_s_symptom() -> None:
    parsed = shipped_parser().parse("She has generalised muscle weakness, worst in both legs.")
    assert "leg_weakness_bilateral" in parsed.present_ids


def test_a_phrase_of_how_weakness_goes_keeps_where_it_is() -> None:
    parsed = shipped_parser().parse("The weakness in his legs is getting worse.")
    assert {"weakness_progressive", "leg_weakness_bilateral"} <= set(parsed.present_ids)


def test_vital_signs_told_normal_rule_out_a_measured_fever_and_shock() -> None:
    parsed = shipped_parser().parse("She looks well and her vital signs are normal.")
    assert {"measured_temperature_38", "hypotension_tachycardia"} <= set(parsed.absent_ids)


def test_a_value_past_its_cut_off_wins_over_vital_signs_otherwise_normal() -> None:
    parsed = shipped_parser().parse("He has a pulse of 112/min and otherwise normal vital signs.")
    assert "hypotension_tachycardia" in parsed.present_ids


def test_afebrile_is_a_temperature_measured_normal() -> None:
    assert "measured_temperature_38" in shipped_parser().parse("He looks well and is afebrile.").absent_ids


def test_weakness_denied_with_no_place_is_no_weakness_of_the_legs() -> None:
    assert "leg_weakness" in shipped_parser().parse("There is no tingling, numbness or weakness.").absent_ids


def test_weakness_denied_of_the_arms_leaves_the_legs_open() -> None:
    assert "leg_weakness" not in shipped_parser().parse("There is no weakness in the arms.").absent_ids


@pytest.mark.parametrize("text", ["I haven't hurt it.", "He did not injure his back.", "I didn't fall or hurt myself."],
                         ids=["hurt-it", "injure", "hurt-myself"])
def test_an_injury_denied_as_a_verb_denies_every_injury(text: str) -> None:
    assert {"minor_trauma", "major_trauma"} <= set(shipped_parser().parse(text).absent_ids)


def test_an_injury_told_as_a_verb_says_nothing_of_its_kind() -> None:
    parsed = shipped_parser().parse("I injured my back lifting a box.")
    assert not {"minor_trauma", "major_trauma"} & set(parsed.absent_ids)


@pytest.mark.parametrize("text", [
    "Low back pain without radiation to the legs.",
    "The pain does not radiate.",
    "Pain localised to the lower back, non-radiating.",
], ids=["without-radiation", "does-not-radiate", "non-radiating"])
def test_pain_said_not_to_radiate_is_no_leg_pain(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "leg_pain" in parsed.absent_ids
    assert "low_back_pain" not in parsed.absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("She uses no alcohol.", "alcohol_excess"),
    ("He uses no illicit drugs.", "injection_drug_use"),
    ("She has no visual problems.", "sudden_vision_loss"),
], ids=["alcohol", "illicit-drugs", "visual-problems"])
def test_a_whole_kind_denied_denies_its_findings(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize("text", ["She is alert and oriented.", "GCS 15."], ids=["alert-and-oriented", "gcs-15"])
def test_a_mind_examined_as_it_should_be_is_no_new_confusion(text: str) -> None:
    assert "confusion_new" in shipped_parser().parse(text).absent_ids


def test_a_lowered_consciousness_score_is_still_confusion() -> None:
    assert "confusion_new" in shipped_parser().parse("GCS 13.").present_ids


def test_no_recent_infection_denies_a_recent_chest_or_gut_infection() -> None:
    parsed = shipped_parser().parse("He has had no fever, injury or recent infection.")
    assert "recent_infection_gi_respiratory" in parsed.absent_ids


def test_a_drink_told_or_a_pain_alcohol_does_not_ease_denies_no_heavy_drinking() -> None:
    parsed = shipped_parser().parse("He has a glass of wine with dinner. The pain is not eased by alcohol.")
    assert "alcohol_excess" not in parsed.absent_ids


def test_a_word_of_a_whole_kind_covers_nothing_that_meaning_reads() -> None:
    parsed = shipped_parser().parse("She cannot bear weight, has lost hip movement and has hip weakness.")
    assert "weakness_hip_flexion" in parsed.present_ids


def test_the_bladder_and_the_bowel_denied_as_a_whole_deny_each_of_their_changes() -> None:
    parsed = shipped_parser().parse("He has had no bladder, bowel or sexual problems since the pain began.")
    assert {"bladder_retention", "urinary_incontinence", "faecal_incontinence"} <= set(parsed.absent_ids)


def test_the_bladder_denied_as_a_whole_leaves_the_changes_a_person_may_not_notice_open() -> None:
    parsed = shipped_parser().parse("I have no problems with my bladder.")
    assert not {"painless_retention_overflow", "reduced_bladder_sensation"} & set(parsed.absent_ids)


@pytest.mark.parametrize("text", ["She says she has no bladder control any more.", "He has no bowel control now."],
                         ids=["bladder", "bowel"])
def test_no_control_of_the_bladder_or_bowel_is_no_denial_of_incontinence(text: str) -> None:
    assert not {"urinary_incontinence", "faecal_incontinence"} & set(shipped_parser().parse(text).absent_ids)


@pytest.mark.parametrize("text", [
    "He has had no change in bladder or bowel control.",
    "She denies any problems with her bladder or bowel function.",
], ids=["change", "problems"])
def test_a_change_in_what_the_bladder_and_bowel_do_denied_denies_each_change_a_person_notices(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert {"bladder_retention", "urinary_incontinence", "urinary_urgency", "faecal_incontinence"} <= set(
        parsed.absent_ids
    )
    assert not {"painless_retention_overflow", "reduced_bladder_sensation"} & set(parsed.absent_ids)


@pytest.mark.parametrize("text", ["He has no bladder or bowel control.", "She has lost bowel and bladder control."],
                         ids=["no", "lost"])
def test_control_of_the_bladder_and_bowel_lost_in_one_phrase_is_incontinence_of_both(text: str) -> None:
    assert {"urinary_incontinence", "faecal_incontinence"} <= set(shipped_parser().parse(text).present_ids)


def test_a_word_after_the_next_item_of_a_denied_list_does_not_keep_a_kind_to_itself() -> None:
    parsed = shipped_parser().parse("He reports no back pain, weakness, change in bladder function or arm symptoms.")
    assert "leg_weakness" in parsed.absent_ids


def test_an_exception_right_after_a_comma_still_keeps_a_kind_to_itself() -> None:
    parsed = shipped_parser().parse("She takes no medicines, except warfarin.")
    assert "anticoagulant_use" not in parsed.absent_ids


def test_a_word_of_a_kind_inside_a_phrase_naming_one_finding_denies_only_that_finding() -> None:
    parsed = shipped_parser().parse("There have been no accidents with his bladder.")
    assert "urinary_incontinence" in parsed.absent_ids
    assert "bladder_retention" not in parsed.absent_ids


def test_a_check_up_is_a_visit_and_what_is_told_there_is_present() -> None:
    parsed = shipped_parser().parse("At her annual check she describes diffuse muscle aches and pain all over.")
    assert {"muscle_pain_tender", "widespread_body_pain"} <= set(parsed.present_ids)


def test_what_a_test_was_sent_to_check_for_stays_unknown() -> None:
    parsed = shipped_parser().parse("Blood tests were sent to check for raised inflammatory markers.")
    assert "elevated_esr_crp" not in parsed.present_ids + parsed.absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("A 4-year-old boy is brought to the physician by his mother because of a limp.", "limp"),
    ("A 15-year-old boy is brought by his mother with 2 months of left hip pain.", "hip_pain_on_movement"),
], ids=["to-the-physician", "with"])
def test_the_relative_who_brings_the_person_is_not_the_one_with_the_symptoms(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_denial_ends_where_the_finding_opens_its_own_predicate() -> None:
    parsed = shipped_parser().parse(
        "A 31-year-old woman with no relevant past history has had muscle weakness for a few months."
    )
    assert "proximal_weakness_both_sides" in parsed.present_ids


def test_a_doubt_reaches_the_whole_clause_it_opens() -> None:
    parsed = shipped_parser().parse("I'm not sure whether my stream is weaker than before.")
    assert "weakness_progressive" not in parsed.present_ids


def test_a_test_told_with_its_own_result_is_not_denied_by_the_next_tests_result() -> None:
    assert "faber_positive" in shipped_parser().parse("FABER is positive and Ober negative.").present_ids


def test_going_somewhere_is_a_movement_not_a_symptom_that_has_passed() -> None:
    parsed = shipped_parser().parse("I can't move my toes and I wet myself when I went to the toilet.")
    assert "urinary_incontinence" in parsed.present_ids


def test_once_that_counts_is_no_time_gone_by() -> None:
    parsed = shipped_parser().parse("Two hours ago I got a cramping pain in my left side and I've been sick once.")
    assert "nausea_vomiting" in parsed.present_ids


def test_a_symptom_that_has_gone_away_is_still_past() -> None:
    parsed = shipped_parser().parse("The numbness in my leg has gone away.")
    assert "leg_numbness_tingling" not in parsed.present_ids


def test_one_alternative_of_a_finding_denied_leaves_the_others_open() -> None:
    parsed = shipped_parser().parse("After a 22-hour flight her calf hurts; she has had no recent surgery.")
    assert "recent_surgery_or_immobilisation" not in parsed.absent_ids


@pytest.mark.parametrize("text", [
    "He lost sensation below the mid-thoracic level.",
    "Sensation is reduced below T8.",
    "Weakness of both legs, with reduced sensation and overactive tendon reflexes below the T10 level.",
], ids=["thoracic-level", "segment", "with-reflexes"])
def test_feeling_lost_below_a_level_of_the_spinal_cord_is_a_sensory_level(text: str) -> None:
    assert "sensory_level_trunk" in shipped_parser().parse(text).present_ids


def test_overactive_tendon_reflexes_are_brisk() -> None:
    assert "hyperreflexia_clonus" in shipped_parser().parse("His tendon reflexes are overactive.").present_ids


def test_weakness_said_to_be_ascending_is_ascending_weakness() -> None:
    parsed = shipped_parser().parse("The weakness was ascending and progressive.")
    assert "ascending_weakness" in parsed.present_ids


def test_breathing_that_needs_a_machine_is_difficulty_breathing() -> None:
    parsed = shipped_parser().parse("He needs assisted ventilation because of respiratory muscle weakness.")
    assert "breathing_difficulty" in parsed.present_ids


@pytest.mark.parametrize("text", [
    "I haven't been able to play basketball at all.",
    "She has stopped going to school.",
], ids=["not-been-able", "stopped-going"])
def test_sport_or_school_given_up_is_pain_that_stops_play(text: str) -> None:
    assert "pain_stops_play" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "Three months ago he lifted a heavy object with his legs spread wide.",
    "His job involves heavy lifting, and his legs ache after a shift.",
], ids=["heavy-object", "heavy-lifting"])
def test_a_word_of_heaviness_said_of_a_thing_is_no_weak_leg(text: str) -> None:
    assert "leg_weakness" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "My legs feel heavy.", "I have heavy legs.", "Her right leg feels heavy when she walks.",
])
def test_a_word_of_heaviness_said_of_a_leg_is_still_a_weak_leg(text: str) -> None:
    assert "leg_weakness" in shipped_parser().parse(text).present_ids


def test_a_word_of_the_body_only_must_be_a_word_of_its_group() -> None:
    with pytest.raises(ValueError, match="does not hold: heavy"):
        NeedsWords(findings=["leg_weakness"], words=["weak"], said_of_the_body=["heavy"])


@pytest.mark.parametrize("text", [
    "The pain was so bad he couldn't walk.",
    "She has back pain and can hardly walk or do household jobs.",
], ids=["too-strong", "listed-with-housework"])
def test_an_inability_the_pain_causes_is_pain_that_limits_daily_life(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "pain_limits_daily_life" in parsed.present_ids
    assert "leg_weakness" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "His legs are so weak that he cannot walk.", "The weakness was so bad he could not stand.",
], ids=["weak-legs", "weakness-too-strong"])
def test_an_inability_after_a_weakness_too_strong_stays_a_weak_leg(text: str) -> None:
    assert "leg_weakness" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "I have pain in my lower leg.", "Intermittent limping with pain in the lower left thigh and knee for six weeks.",
], ids=["lower-leg", "lower-left-thigh"])
def test_a_window_of_words_never_ends_on_the_words_leading_to_a_place(text: str) -> None:
    """Read alone, "pain in my lower" is close to low back pain; the leg after it is what it leads to."""
    assert "low_back_pain" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["There is no weakness in his legs.", "She has no weakness of her legs."],
                         ids=["his", "her"])
def test_a_possessive_slot_of_a_pattern_takes_every_possessive(text: str) -> None:
    """A clinician's "his legs" is the person's own, as "my legs" is: the denial rules the weakness out."""
    assert "leg_weakness" in shipped_parser().parse(text).absent_ids


def test_a_phrase_told_with_my_is_read_with_his_or_her() -> None:
    """The knowledge base's own words say "my"; a clinician's "between his shoulder blades" is the same place."""
    parsed = shipped_parser().parse("It started suddenly, is sharp and sits between his shoulder blades.")
    assert "thoracic_back_pain" in parsed.present_ids


def test_a_broad_phrase_told_with_her_still_gives_way_to_a_longer_one() -> None:
    parsed = shipped_parser().parse("She felt a tearing pain in her back between her shoulder blades.")
    assert "thoracic_back_pain" in parsed.present_ids
    assert "low_back_pain" not in parsed.present_ids


def test_a_normal_grade_told_of_all_limbs_rules_out_weakness_of_either_leg() -> None:
    parsed = shipped_parser().parse("Strength is 5/5 in all limbs.")
    assert {"leg_weakness", "arm_weakness"} <= set(parsed.absent_ids)


def test_a_low_grade_told_of_all_limbs_is_still_weakness_of_both_legs() -> None:
    assert "leg_weakness_bilateral" in shipped_parser().parse("Strength is 4/5 in all limbs.").present_ids


@pytest.mark.parametrize("text", [
    "My legs have gone weak so I can't walk or do housework.", "I can't walk or work because my legs are weak.",
], ids=["weak-before", "weak-after"])
def test_an_inability_listed_with_daily_life_stays_severe_weakness_when_its_sentence_tells_weakness(text: str) -> None:
    assert "weakness_severe" in shipped_parser().parse(text).present_ids


def test_a_kind_named_in_the_plural_is_denied_in_the_singular_too() -> None:
    parsed = shipped_parser().parse("He has no significant past illness.")
    assert {"diabetes", "hypertension"} <= set(parsed.absent_ids)


def test_a_recent_illness_denied_is_no_denial_of_lasting_ones() -> None:
    assert "hypertension" not in shipped_parser().parse("There was no injury or recent illness.").absent_ids


def test_an_activity_that_makes_the_back_pain_worse_is_read_past_four_small_words() -> None:
    assert "worse_coughing_sneezing" in shipped_parser().parse("Coughing makes the back pain worse.").present_ids


def test_feeling_being_lost_in_the_legs_is_numbness_not_weakness() -> None:
    parsed = shipped_parser().parse("Bit by bit I've been losing feeling in both legs.")
    assert "leg_numbness_bilateral" in parsed.present_ids
    assert "leg_weakness" not in parsed.present_ids


@pytest.mark.parametrize("text", ["I haven't noticed any numbness.", "I hadn't noticed any numbness myself."],
                         ids=["havent", "hadnt"])
def test_a_verb_of_noticing_that_a_denial_negates_keeps_the_denial(text: str) -> None:
    assert "leg_numbness_tingling" in shipped_parser().parse(text).absent_ids


def test_what_someone_else_noticed_is_still_told_of_the_person() -> None:
    assert "weakness_ankle_dorsiflexion" in shipped_parser().parse("My wife noticed my foot drags.").present_ids


@pytest.mark.parametrize("text", [
    "Plantars are downgoing.", "Plantar responses were flexor.", "Flexor plantar responses.",
], ids=["downgoing", "flexor", "flexor-before"])
def test_a_normal_plantar_response_rules_out_a_babinski_sign(text: str) -> None:
    assert "babinski_positive" in shipped_parser().parse(text).absent_ids


def test_an_upgoing_plantar_beside_a_flexor_one_is_still_a_babinski_sign() -> None:
    parsed = shipped_parser().parse("The right plantar is upgoing and the left is flexor.")
    assert "babinski_positive" in parsed.present_ids


def test_an_examination_sign_told_negative_is_ruled_out() -> None:
    assert "slr_positive" in shipped_parser().parse("Straight leg raise was negative on both sides.").absent_ids


def test_a_broken_absent_pattern_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    broken = lexicon.model_copy(update={"phrases": [
        *lexicon.phrases, PhraseSet(finding="fever", absent_patterns=[[{"NORM": {"NOT_AN_OPERATOR": ["x"]}}]]),
    ]})
    assert any("absent pattern 0" in problem for problem in check_lexicon(broken, model.kb))


@pytest.mark.parametrize(("text", "finding"), [
    ("Anal tone is normal.", "reduced_anal_tone"),
    ("Peripheral pulses are palpable.", "foot_pulses_reduced"),
], ids=["anal-tone", "pulses"])
def test_an_examination_sign_told_as_it_should_be_is_ruled_out(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).absent_ids


def test_a_symptom_told_as_it_should_be_by_meaning_is_not_ruled_out_by_it() -> None:
    """Only signs and tests: a warning symptom is ruled out by its own words, never by a near meaning."""
    assert "saddle_numbness" not in shipped_parser().parse("Perianal sensation is intact.").absent_ids


@pytest.mark.parametrize("text", ["My legs don't feel weak.", "I don't feel that my legs are weak."],
                         ids=["dont-feel-weak", "dont-feel-that"])
def test_a_feeling_denied_is_not_read_as_there(text: str) -> None:
    """Not feeling a part ("I can't feel my toes") is numbness; not feeling weak is no weakness."""
    assert "leg_weakness" not in shipped_parser().parse(text).present_ids


def test_a_non_smoker_is_no_smoker() -> None:
    assert "smoking" in shipped_parser().parse("He is a non-smoker and works in an office.").absent_ids


def test_a_creatine_kinase_past_its_cut_off_is_raised() -> None:
    assert "raised_ck" in shipped_parser().parse("Creatine kinase is 3120 U/L.").present_ids


def test_a_creatine_kinase_under_its_cut_off_rules_nothing_out() -> None:
    """The cut-off is the highest adult upper limit; 250 U/L is raised for a woman."""
    parsed = shipped_parser().parse("CK 250 U/L.")
    assert "raised_ck" not in parsed.present_ids and "raised_ck" not in parsed.absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("MCV 112 fL.", "low_b12_or_macrocytosis"),
    ("Serum B12 is 90 pg/mL.", "low_b12_or_macrocytosis"),
    ("Ferritin 6 ng/mL.", "iron_deficiency"),
], ids=["mcv", "b12-mass-units", "ferritin"])
def test_a_blood_value_past_its_findings_cut_off_is_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_normal_b12_alone_does_not_rule_out_large_red_cells() -> None:
    """The finding is measured by two quantities: one normal value leaves it open."""
    assert "low_b12_or_macrocytosis" not in shipped_parser().parse("Vitamin B12 450 pg/mL.").absent_ids


def test_a_height_in_metres_is_no_age_and_no_sex() -> None:
    parsed = shipped_parser().parse("She fell from a height of 10 m.")
    assert parsed.age is None and parsed.sex == "female"


@pytest.mark.parametrize(("text", "age", "sex"), [
    ("45M with low back pain.", 45, "male"),
    ("72 yo M with back pain.", 72, "male"),
    ("34F with sciatica.", 34, "female"),
], ids=["45M", "yo-M", "34F"])
def test_a_clinicians_shorthand_of_age_and_sex_is_read(text: str, age: int, sex: str) -> None:
    parsed = shipped_parser().parse(text)
    assert (parsed.age, parsed.sex) == (age, sex)


def test_a_sense_named_first_and_then_told_impaired_is_lost_position_sense() -> None:
    assert "position_sense_loss_exam" in shipped_parser().parse("Proprioception is impaired in both feet.").present_ids


@pytest.mark.parametrize("text", [
    "He has no limb weakness.",
    "No weakness of the lower limbs.",
    "There is no weakness in any limb.",
], ids=["limb", "lower-limbs", "any-limb"])
def test_weakness_denied_of_a_whole_limb_on_no_one_side_is_denied(text: str) -> None:
    assert "leg_weakness" in shipped_parser().parse(text).absent_ids


def test_weakness_denied_of_one_part_of_a_leg_rules_nothing_out() -> None:
    """A pair of a part and a kind names only part of the finding: weak hips leave the ankles open."""
    assert "leg_weakness" not in shipped_parser().parse("There is no weakness at the ankles.").absent_ids


def test_a_symptom_denied_of_one_place_is_not_paired_with_the_next_place() -> None:
    parsed = shipped_parser().parse("My back doesn't hurt, my legs aren't weak and my waterworks are fine.")
    assert "leg_pain" not in parsed.present_ids


def test_cramps_told_with_their_place_before_the_night_are_night_cramps() -> None:
    assert "night_calf_cramps" in shipped_parser().parse("I get cramps in my lower leg at night.").present_ids


@pytest.mark.parametrize("text", ["No upper limb weakness.", "There is no facial weakness."], ids=["arm", "face"])
def test_weakness_denied_of_another_place_says_nothing_of_the_legs(text: str) -> None:
    assert "leg_weakness" not in shipped_parser().parse(text).absent_ids


def test_a_whole_limbs_denial_may_only_name_known_parts_and_kinds() -> None:
    spec = load_lexicon(lexicon_path()).body_parts
    assert spec is not None
    data = spec.model_dump()
    data["denied_whole"] = {"leg": ["sparkle"]}
    with pytest.raises(ValueError, match="denied_whole names an unknown part or kind"):
        type(spec).model_validate(data)


@pytest.mark.parametrize("text", [
    "The pain is constant and wakes him from sleep.",
    "It is worse lying down and wakes her at night.",
], ids=["from-sleep", "at-night"])
def test_a_pain_that_wakes_another_person_from_sleep_is_night_pain(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "night_pain" in parsed.present_ids and "unrefreshing_sleep" not in parsed.present_ids


def test_a_relative_who_died_is_family_history_not_the_person_being_checked() -> None:
    parsed = shipped_parser().parse("My mum died of a pancreas tumour when she was 53.")
    assert "history_of_cancer" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "When I walk a couple of blocks my calf cramps up and I have to stop.",
    "He gets cramps in both calves after playing football.",
], ids=["walking", "exercise"])
def test_cramps_at_no_time_of_night_are_not_night_cramps(text: str) -> None:
    assert "night_calf_cramps" not in shipped_parser().parse(text).present_ids


def test_cramps_that_wake_someone_are_night_cramps() -> None:
    parsed = shipped_parser().parse("Painful calf cramps wake a 74-year-old woman four nights a week.")
    assert "night_calf_cramps" in parsed.present_ids


def test_a_fall_of_a_relative_by_marriage_is_not_the_persons_own() -> None:
    parsed = shipped_parser().parse(
        "I bent down to help my mother-in-law after she had a small fall and felt a pop in my back."
    )
    assert "minor_trauma" not in parsed.present_ids and "low_back_pain" in parsed.present_ids


def test_a_pulsatile_expansile_mass_is_the_aorta_not_a_bone_lesion() -> None:
    parsed = shipped_parser().parse("There is a pulsatile expansile mass in the epigastrium.")
    assert "pulsatile_widened_aorta" in parsed.present_ids and "bone_lesion_on_imaging" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "Neurological examination of the lower limbs is normal.",
    "Lower limb neurology was unremarkable.",
], ids=["of-the-lower-limbs", "lower-limb-neurology"])
def test_a_normal_neurological_examination_of_the_legs_rules_out_its_signs(text: str) -> None:
    assert {"myotomal_weakness_exam", "babinski_positive"} <= set(shipped_parser().parse(text).absent_ids)


def test_a_broken_pattern_of_a_normal_statement_is_a_lexicon_problem(model: CompiledModel) -> None:
    lexicon = load_lexicon(lexicon_path())
    broken = lexicon.model_copy(update={"normal": [
        *lexicon.normal,
        NormalStatement(phrases=["all fine"], absent=["fever"], patterns=[[{"NORM": {"NOT_AN_OPERATOR": ["x"]}}]]),
    ]})
    assert any("normal statement" in problem for problem in check_lexicon(broken, model.kb))


@pytest.mark.parametrize(("text", "finding"), [
    ("I can still feel my bum when I wipe.", "saddle_numbness"),
    ("I can feel when I need to pee.", "reduced_bladder_sensation"),
], ids=["saddle", "bladder"])
def test_being_able_is_not_read_as_the_inability_whose_name_is_closest(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


def test_not_being_able_is_still_read_by_meaning() -> None:
    assert "saddle_numbness" in shipped_parser().parse("I could not feel the toilet paper.").present_ids


@pytest.mark.parametrize("text", [
    "Nothing like this has happened before.",
    "I've never had anything like this before.",
], ids=["nothing-like", "never-anything-like"])
def test_nothing_like_it_before_denies_earlier_episodes(text: str) -> None:
    assert "previous_episodes" in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("I don't use drugs.", "injection_drug_use"),
    ("He does not smoke, drink or use drugs.", "injection_drug_use"),
    ("I haven't had any falls or accidents.", "minor_trauma"),
    ("I haven't lost any weight.", "unexplained_weight_loss"),
], ids=["use-drugs", "listed", "falls-accidents", "any-weight"])
def test_a_whole_kind_denied_in_so_many_words_is_denied(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).absent_ids


def test_accidents_with_the_bladder_are_no_injuries() -> None:
    parsed = shipped_parser().parse("I haven't had any accidents with my bladder or bowels.")
    assert "minor_trauma" not in parsed.absent_ids and "urinary_incontinence" in parsed.absent_ids


def test_a_question_someone_was_asked_is_not_its_answer() -> None:
    parsed = shipped_parser().parse("My GP asked if I had any numbness and I said no.")
    assert "leg_numbness_tingling" not in parsed.present_ids


def test_a_word_inside_a_wider_reading_of_the_past_is_of_the_past_too() -> None:
    parsed = shipped_parser().parse("I had a tingling in my foot for a day last month but it went away.")
    assert "leg_numbness_tingling" not in parsed.present_ids


def test_a_difference_in_blood_pressure_is_no_blood_pressure() -> None:
    parsed = shipped_parser().parse("Blood pressure differs by 30 mmHg between the arms.")
    assert "hypotension_tachycardia" not in parsed.present_ids and "pulse_or_bp_difference" in parsed.present_ids


def test_pulses_told_equal_are_no_difference_between_the_sides() -> None:
    assert "pulse_or_bp_difference" not in shipped_parser().parse("Pulses are equal in both arms.").present_ids


@pytest.mark.parametrize(("text", "age", "sex"), [
    ("I'm 72 and female.", 72, "female"),
    ("As a woman of 50, I worry about my bones.", 50, "female"),
    ("A man of 72 with back pain.", 72, "male"),
], ids=["and-female", "woman-of", "man-of"])
def test_age_and_sex_told_in_everyday_forms_are_read(text: str, age: int, sex: str) -> None:
    parsed = shipped_parser().parse(text)
    assert (parsed.age, parsed.sex) == (age, sex)


def test_the_age_of_a_relative_being_described_is_read_from_a_relative_clause() -> None:
    parsed = shipped_parser().parse("My husband, who is 68, has back pain and his legs are weak.")
    assert (parsed.age, parsed.sex) == (68, "male")


def test_the_belly_listed_after_another_place_of_the_pain_is_abdominal_pain() -> None:
    parsed = shipped_parser().parse("I suddenly got this awful pain in my back and tummy.")
    assert {"abdominal_pain", "low_back_pain"} <= set(parsed.present_ids)


@pytest.mark.parametrize(
    "text", ["No saddle anesthesia.", "No saddle paresthesias."], ids=["anesthesia", "paresthesias"]
)
def test_saddle_numbness_denied_in_american_spelling_is_denied(text: str) -> None:
    assert "saddle_numbness" in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("No focal neurologic deficits.", "babinski_positive"),
    ("Neurologic examination shows no abnormalities.", "myotomal_weakness_exam"),
    ("There is no costovertebral angle tenderness.", "renal_angle_tenderness"),
    ("Babinski sign is absent bilaterally.", "babinski_positive"),
    ("No lower extremity weakness.", "leg_weakness"),
], ids=["focal-deficits", "shows-no-abnormalities", "cva", "babinski-absent", "lower-extremity"])
def test_an_examiners_normal_finding_in_american_usage_rules_the_sign_out(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Babinski sign is present on the left.", "babinski_positive"),
    ("CVA tenderness on the right.", "renal_angle_tenderness"),
], ids=["babinski-present", "cva"])
def test_an_examiners_abnormal_finding_in_american_usage_is_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_upper_limb_weakness_is_the_arms_not_the_legs() -> None:
    parsed = shipped_parser().parse("Upper limb weakness.")
    assert "arm_weakness" in parsed.present_ids and "leg_weakness" not in parsed.present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("Muscle strength is 5/5 throughout.", "myotomal_weakness_exam"),
    ("Vital signs are within normal limits.", "hypotension_tachycardia"),
], ids=["strength-throughout", "vital-signs"])
def test_an_examination_told_normal_as_a_whole_rules_its_signs_out(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).absent_ids


def test_a_straight_leg_raise_on_one_side_is_not_the_crossed_test() -> None:
    parsed = shipped_parser().parse("Straight-leg raise test is positive on the right at 30°.")
    assert "slr_positive" in parsed.present_ids and "crossed_slr_positive" not in parsed.present_ids


def test_tenderness_of_the_muscles_beside_the_spine_is_not_spinal_tenderness() -> None:
    parsed = shipped_parser().parse("There is tenderness to palpation over the lumbar paraspinal muscles.")
    assert "spinal_percussion_tenderness" not in parsed.present_ids


def test_tenderness_over_a_vertebra_named_in_words_is_spinal_tenderness() -> None:
    parsed = shipped_parser().parse("There is marked tenderness over the second lumbar vertebra.")
    assert "spinal_percussion_tenderness" in parsed.present_ids


def test_a_spinal_operation_a_few_weeks_ago_is_a_recent_spinal_procedure() -> None:
    parsed = shipped_parser().parse("She underwent a lumbar discectomy 2 weeks ago.")
    assert "recent_spinal_procedure" in parsed.present_ids


def test_a_spinal_operation_years_ago_is_not_recent() -> None:
    parsed = shipped_parser().parse("He had a laminectomy three years ago.")
    assert "recent_spinal_procedure" not in parsed.present_ids


def test_a_lumbar_puncture_whose_result_is_told_is_no_recent_spinal_procedure() -> None:
    parsed = shipped_parser().parse("Lumbar puncture shows a raised CSF protein with no white cells.")
    assert "recent_spinal_procedure" not in parsed.present_ids


def test_a_lumbar_puncture_someone_had_is_a_recent_spinal_procedure() -> None:
    assert "recent_spinal_procedure" in shipped_parser().parse("He had a lumbar puncture on Monday.").present_ids


def test_a_pain_that_disturbs_sleep_is_night_pain() -> None:
    assert "night_pain" in shipped_parser().parse("It is a constant dull ache that disturbs his sleep.").present_ids


def test_a_pulsatile_swelling_in_the_groin_is_not_the_aorta() -> None:
    parsed = shipped_parser().parse("There is a large pulsatile swelling in the left groin.")
    assert not {"pulsatile_widened_aorta", "pulsating_abdominal_lump"} & set(parsed.present_ids)


@pytest.mark.parametrize("text", [
    "Palpation of the abdomen finds a big, soft mass at the umbilicus that pulsates.",
    "There is a faintly pulsatile mass in the middle of the epigastrium.",
], ids=["mass-that-pulsates", "place-after"])
def test_a_pulsatile_mass_of_the_belly_is_the_aorta(text: str) -> None:
    assert "pulsatile_widened_aorta" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "heavy"), [
    ("She drinks 4-5 glasses of wine a week.", False),
    ("He drinks 6 beers daily.", True),
    ("He drinks about 30 units a week.", True),
], ids=["wine-weekly", "beers-daily", "units-weekly"])
def test_what_someone_drinks_is_read_against_the_weekly_line(text: str, heavy: bool) -> None:
    parsed = shipped_parser().parse(text)
    assert ("alcohol_excess" in parsed.present_ids) is heavy and ("alcohol_excess" in parsed.absent_ids) is not heavy


def test_weakness_told_of_the_face_with_its_side_between_is_facial_weakness() -> None:
    parsed = shipped_parser().parse("The doctor spots weakness of the lower part of the right side of her face.")
    assert "facial_weakness" in parsed.present_ids and "leg_weakness" not in parsed.present_ids


def test_tenderness_told_greatest_over_the_loins_is_loin_tenderness() -> None:
    parsed = shipped_parser().parse("There is diffuse abdominal tenderness, worst over the right loin.")
    assert "renal_angle_tenderness" in parsed.present_ids


def test_a_hip_that_hurts_is_not_outer_hip_pain_without_a_word_of_the_outside() -> None:
    parsed = shipped_parser().parse("My hip hurts as well, so walking is difficult.")
    assert "lateral_hip_pain" not in parsed.present_ids


@pytest.mark.parametrize(("text", "present"), [
    ("FABER test is positive on the right.", True),
    ("FABER test was negative.", False),
], ids=["positive", "negative"])
def test_the_faber_test_told_with_its_verb_is_read_either_way(text: str, present: bool) -> None:
    parsed = shipped_parser().parse(text)
    assert ("faber_positive" in parsed.present_ids) is present
    assert ("faber_positive" in parsed.absent_ids) is not present


def test_feeling_about_to_pass_out_and_sweating_are_the_signs_of_shock() -> None:
    parsed = shipped_parser().parse("I feel like I'm going to pass out and I'm really sweaty.")
    assert {"collapse_fainting", "pale_sweaty"} <= set(parsed.present_ids)


def test_sweating_at_night_is_night_sweats_not_shock() -> None:
    parsed = shipped_parser().parse("I get really sweaty at night.")
    assert "night_sweats" in parsed.present_ids and "pale_sweaty" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "She has never smoked.",
    "He does not smoke, drink or use drugs.",
    "A 58-year-old man who has never smoked sees a chiropractor about low back pain.",
], ids=["never-smoked", "listed", "sees-a-chiropractor"])
def test_smoking_denied_is_denied(text: str) -> None:
    assert "smoking" in shipped_parser().parse(text).absent_ids


def test_a_habit_given_up_long_ago_is_not_smoking_now() -> None:
    assert "smoking" not in shipped_parser().parse("I used to smoke.").present_ids


def test_seeing_a_doctor_does_not_end_the_reach_of_a_denial_before_it() -> None:
    parsed = shipped_parser().parse("A man who has never had numbness sees his GP about back pain.")
    assert "leg_numbness_tingling" in parsed.absent_ids and "low_back_pain" in parsed.present_ids


@pytest.mark.parametrize("text", ["He drinks alcohol socially.", "I drink occasionally.", "She is a light drinker."],
                         ids=["socially", "occasionally", "light-drinker"])
def test_drinking_a_little_is_no_heavy_drinking(text: str) -> None:
    assert "alcohol_excess" in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize(
    ("text", "reduced", "not_reduced"),
    [
        ("Deep tendon reflexes are 1+ at the ankles.", {"ankle_reflex_reduced"}, {"knee_reflex_reduced", "areflexia"}),
        ("Reflexes are reduced at the knees.", {"knee_reflex_reduced"}, {"ankle_reflex_reduced", "areflexia"}),
        ("Tendon reflexes are absent at the ankles and reduced at the knees.",
         {"ankle_reflex_reduced", "knee_reflex_reduced"}, {"areflexia"}),
    ],
)
def test_a_reflex_grade_told_at_a_named_joint_is_that_joints_reflex(
    text: str, reduced: set[str], not_reduced: set[str]
) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert reduced <= read
    assert not not_reduced & read


def test_a_normal_grade_at_one_joint_and_a_lost_one_at_another_are_read_apart() -> None:
    result = shipped_parser().parse("Deep tendon reflexes are 2+ at the knees and absent at the ankles.")
    assert "ankle_reflex_reduced" in result.present_ids
    assert "knee_reflex_reduced" in result.absent_ids
    assert "areflexia" not in result.present_ids


@pytest.mark.parametrize("text", ["The reflexes are depressed in both legs.", "Ankle jerks were depressed."])
def test_reflexes_told_as_depressed_after_their_name_are_no_low_mood(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert "depression_low_mood" not in read
    assert "ankle_reflex_reduced" in read


@pytest.mark.parametrize(
    "text", ["She is depressed and tearful.", "Depressed since her husband died, she has back pain."]
)
def test_a_person_told_as_depressed_still_has_low_mood(text: str) -> None:
    assert "depression_low_mood" in shipped_parser().parse(text).present_ids


def test_tendon_reflexes_abolished_are_lost_reflexes() -> None:
    assert "areflexia" in shipped_parser().parse("Tendon reflexes are abolished.").present_ids


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("He has had back pain for the previous 3 months.", "duration_chronic"),
        ("Over the preceding two weeks her back has hurt.", "duration_acute"),
    ],
)
def test_a_duration_counted_back_over_the_previous_or_preceding_time_is_read(text: str, band: str) -> None:
    assert band in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text",
    [
        "The ache in her buttocks swaps from side to side.",
        "My bum hurts, sometimes on the right, sometimes on the left.",
    ],
)
def test_buttock_pain_that_goes_from_side_to_side_is_alternating_and_no_flank_pain(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert "alternating_buttock_pain" in read
    assert "flank_pain" not in read


def test_pain_in_one_side_is_still_the_flank() -> None:
    assert "flank_pain" in shipped_parser().parse("He has a pain in his right side.").present_ids


@pytest.mark.parametrize("text", ["Her back feels better when she moves about.", "It eases once they get going."])
def test_pain_that_eases_with_moving_is_read_whoever_moves(text: str) -> None:
    assert "improves_with_exercise_not_rest" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["He stays stiff for two hours after resting.", "After lying down for a while I'm stiff for over an hour."]
)
def test_stiffness_of_more_than_an_hour_after_rest_is_the_long_inflammatory_stiffness(text: str) -> None:
    assert "morning_stiffness_over_30_min" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Since last night she has had an inability to pass urine.", "bladder_retention"),
        ("He reports an inability to walk.", "weakness_severe"),
    ],
)
def test_an_inability_reads_as_being_unable(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["The examination finds a flaccid paraplegia.", "He is paraplegic after the fall."])
def test_paraplegia_is_severe_weakness_of_both_legs(text: str) -> None:
    assert {"weakness_severe", "leg_weakness_bilateral"} <= set(shipped_parser().parse(text).present_ids)


def test_paralysis_named_of_the_legs_is_severe_weakness_but_periodic_paralysis_is_not() -> None:
    assert "weakness_severe" in shipped_parser().parse("It went on to paralysis of the left leg.").present_ids
    assert "weakness_severe" not in shipped_parser().parse("His brother has periodic paralysis.").present_ids


@pytest.mark.parametrize(
    ("text", "findings"),
    [
        ("There were absent leg reflexes.", {"knee_reflex_reduced", "ankle_reflex_reduced", "areflexia"}),
        ("Examination found reduced deep tendon reflexes.", {"knee_reflex_reduced", "ankle_reflex_reduced"}),
    ],
)
def test_a_grade_before_the_words_of_the_tendon_reflexes_is_their_grade(text: str, findings: set[str]) -> None:
    assert findings <= set(shipped_parser().parse(text).present_ids)


def test_a_normal_finding_joined_by_and_is_no_grade_of_the_reflexes_after_it() -> None:
    result = shipped_parser().parse("Her pulse is normal and her deep tendon reflexes are absent.")
    assert "areflexia" in result.present_ids
    assert "areflexia" not in result.absent_ids


@pytest.mark.parametrize("text", ["There is perineal paraesthesia.", "She has had pins and needles around her bottom."])
def test_a_disturbed_feeling_of_the_saddle_area_is_saddle_numbness_not_a_leg_symptom(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert "saddle_numbness" in read
    assert "leg_numbness_tingling" not in read


def test_suddenness_said_of_a_list_of_symptoms_reaches_the_weakness_of_one_leg_at_its_end() -> None:
    text = "He had sudden tingling, heaviness and weakness of the left leg."
    assert "sudden_one_sided_weakness" in shipped_parser().parse(text).present_ids


def test_suddenness_of_another_clause_still_does_not_reach_a_weak_leg() -> None:
    text = "The pain came on suddenly, and a week later his left leg felt weak."
    assert "sudden_one_sided_weakness" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["She was brought in after fainting in the shop.", "He was found unresponsive."])
def test_fainting_and_being_unresponsive_are_a_collapse(text: str) -> None:
    assert "collapse_fainting" in shipped_parser().parse(text).present_ids


def test_weakness_that_spread_upward_from_the_feet_is_ascending() -> None:
    text = "Her weakness began in her toes and has since crept upwards."
    assert "ascending_weakness" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("A man with 12 years of hypertension has had back pain for 4 days.", "duration_acute"),
        ("She has a 30-year history of psoriasis and 10 days of sciatica.", "duration_acute"),
        ("A woman with 8 years of badly controlled diabetes has had a week of back pain.", "duration_acute"),
    ],
)
def test_a_time_tied_by_of_to_a_past_illness_is_that_illness_s_not_the_episode_s(text: str, band: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert band in read
    assert "duration_chronic" not in read


def test_a_time_tied_by_of_to_the_pain_is_the_episode_s() -> None:
    assert "duration_chronic" in shipped_parser().parse("He has had 5 months of severe back pain.").present_ids


def test_weakness_of_one_half_of_the_body_is_weakness_of_its_arm_and_its_leg() -> None:
    read = set(shipped_parser().parse("On examination he has a left hemiparesis.").present_ids)
    assert {"arm_weakness", "leg_weakness_unilateral"} <= read


def test_metastases_denied_in_someone_with_cancer_deny_the_spread_not_the_cancer() -> None:
    result = shipped_parser().parse("She has known breast carcinoma. A bone scan showed no metastases.")
    assert "history_of_cancer" in result.present_ids


def test_metastases_told_of_are_a_history_of_cancer() -> None:
    assert "history_of_cancer" in shipped_parser().parse("He was told he has lung metastases.").present_ids


def test_a_weak_leg_told_by_its_proximal_part_is_a_weak_leg() -> None:
    read = set(shipped_parser().parse("She has weakness affecting the proximal right leg.").present_ids)
    assert {"leg_weakness", "leg_weakness_unilateral"} <= read


@pytest.mark.parametrize("text", ["Within hours he had a quadriparesis.", "She is tetraplegic after the dive."])
def test_weakness_of_all_four_limbs_is_weakness_of_both_legs_and_the_arms(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert {"leg_weakness_bilateral", "arm_weakness"} <= read


def test_thoracolumbar_pain_is_pain_of_the_thoracic_back() -> None:
    assert "thoracic_back_pain" in shipped_parser().parse("He has had thoracolumbar pain for a month.").present_ids


def test_an_image_of_the_thoracolumbar_spine_is_no_back_pain() -> None:
    read = set(shipped_parser().parse("An MRI of the thoracolumbar spine was arranged.").present_ids)
    assert "thoracic_back_pain" not in read


def test_pain_spreading_round_to_one_side_of_the_chest_is_band_like() -> None:
    text = "The pain in her back spreads round to the right lower chest."
    assert "band_like_trunk_pain" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["Her back has hurt since she was assaulted on Friday.", "He hurt his side in a brawl."]
)
def test_blows_taken_in_an_attack_or_a_fight_are_an_injury(text: str) -> None:
    assert "minor_trauma" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Her back is worse after long spells of rest.", "He feels stiffer after resting."])
def test_pain_worse_after_stillness_is_pain_that_movement_eases(text: str) -> None:
    assert "improves_with_exercise_not_rest" in shipped_parser().parse(text).present_ids


def test_pain_eased_by_an_anti_inflammatory_named_after_it_is_a_good_response() -> None:
    text = "The ache settled with regular naproxen."
    assert "good_nsaid_response" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["It is only partly relieved by ibuprofen.", "The pain is slightly eased by naproxen."]
)
def test_pain_eased_only_a_little_by_an_anti_inflammatory_is_no_good_response(text: str) -> None:
    assert "good_nsaid_response" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["She returned with progressive symptoms.", "His symptoms have been progressing since Monday."]
)
def test_symptoms_told_as_progressing_are_getting_worse(text: str) -> None:
    assert "course_worsening" in shipped_parser().parse(text).present_ids


def test_a_subject_read_by_meaning_before_have_not_is_no_finding() -> None:
    assert "leg_weakness" not in shipped_parser().parse("His legs have not been weak at any point.").present_ids


@pytest.mark.parametrize("text", ["It has not improved with naproxen.", "The ache has not eased with ibuprofen."])
def test_a_denial_inside_the_words_read_by_meaning_keeps_the_opposite_reading_out(text: str) -> None:
    assert "good_nsaid_response" not in shipped_parser().parse(text).present_ids


def test_an_inability_inside_the_words_read_by_meaning_is_still_read() -> None:
    assert "unrefreshing_sleep" in shipped_parser().parse("Now I can't sleep properly.").present_ids


def test_no_position_held_for_long_because_of_pain_is_restlessness() -> None:
    text = "She cannot stay lying down for more than a few minutes because the pain is so bad."
    assert "restless_cannot_keep_still" in shipped_parser().parse(text).present_ids


def test_not_staying_in_bed_for_long_is_no_restlessness() -> None:
    text = "I can't stay in bed more than about five hours before it gets too uncomfortable."
    assert "restless_cannot_keep_still" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["His bum and the backs of his legs feel numb.", "My groin, my bottom and my feet have gone numb."]
)
def test_the_saddle_area_first_in_a_list_of_numb_places_is_saddle_numbness(text: str) -> None:
    assert "saddle_numbness" in shipped_parser().parse(text).present_ids


def test_a_pain_that_has_never_settled_since_it_began_is_still_there() -> None:
    text = "Three weeks ago I got a sudden, severe pain in my lower back, and it has never settled."
    assert {"low_back_pain", "onset_sudden", "severe_pain"} <= set(shipped_parser().parse(text).present_ids)


def test_no_feeling_all_the_way_up_to_a_level_is_a_sensory_level() -> None:
    text = "Since this morning she can't feel anything up to her waist."
    assert "sensory_level_trunk" in shipped_parser().parse(text).present_ids


def test_not_passing_urine_told_as_not_hurting_is_painless_retention() -> None:
    text = "Since yesterday he could not pass urine, but it did not hurt."
    assert "painless_retention_overflow" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Since this morning I'm not able to walk.", "She is not able to stand up at all."])
def test_not_able_to_walk_or_stand_is_severe_weakness_as_unable_is(text: str) -> None:
    assert "weakness_severe" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["The pain is in my back.", "The ache was in my right calf."])
def test_a_pain_said_to_be_in_a_place_is_that_place_s_pain(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert read & {"low_back_pain", "leg_pain_below_knee"}


@pytest.mark.parametrize("text", ["Now I feel faint and sweaty.", "He is sweating and lightheaded."])
def test_sweating_told_with_faintness_is_the_sweating_of_shock(text: str) -> None:
    assert "pale_sweaty" in shipped_parser().parse(text).present_ids


def test_passing_urine_on_oneself_in_any_verb_form_is_incontinence() -> None:
    assert "urinary_incontinence" in shipped_parser().parse("Since Tuesday she has been weeing herself.").present_ids


@pytest.mark.parametrize("text", ["Down below feels numb.", "Down there has gone a bit numb since yesterday."])
def test_down_below_named_first_then_numb_is_saddle_numbness_not_a_leg_symptom(text: str) -> None:
    read = set(shipped_parser().parse(text).present_ids)
    assert "saddle_numbness" in read
    assert "leg_numbness_tingling" not in read


def test_leaked_stool_is_faecal_incontinence_not_urinary() -> None:
    read = set(shipped_parser().parse("For two days he has been leaking stool.").present_ids)
    assert "faecal_incontinence" in read
    assert "urinary_incontinence" not in read


def test_a_denial_after_the_words_read_by_meaning_is_no_word_of_weakness_for_them() -> None:
    read = set(shipped_parser().parse("My bum and my legs are not numb.").present_ids)
    assert not read & {"leg_weakness", "leg_weakness_bilateral"}


def test_a_denial_leading_a_list_of_things_not_done_still_tells_of_an_inability() -> None:
    read = set(shipped_parser().parse("Since the fall he cannot stand or climb stairs.").present_ids)
    assert "leg_weakness" in read or "weakness_severe" in read


@pytest.mark.parametrize(
    ("text", "finding"),
    [("Power is 3/5 in left ankle dorsiflexion.", "weakness_ankle_dorsiflexion"),
     ("Strength is 4/5 in the right hip flexors.", "weakness_hip_flexion")],
)
def test_a_grade_handed_on_to_an_action_of_one_side_is_that_action_s_weakness(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Upgoing plantars bilaterally.", "There are extensor plantar responses."])
def test_the_plantar_response_told_upgoing_before_its_name_is_babinski(text: str) -> None:
    assert "babinski_positive" in shipped_parser().parse(text).present_ids


def test_an_absent_femoral_pulse_is_a_leg_whose_pulses_are_lost() -> None:
    read = shipped_parser().parse("On examination the right femoral pulse is absent.").present_ids
    assert "foot_pulses_reduced" in read


@pytest.mark.parametrize(
    "text", ["Six months of left gluteal and thigh pain.", "Pain over the right sacroiliac region for a month."],
)
def test_the_clinician_s_words_of_the_buttock_are_a_buttock_s_pain(text: str) -> None:
    assert "buttock_pain" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["The pain began after heavy lifting.", "He hurt his back lifting.", "I strained my back while bending."],
)
def test_lifting_told_with_how_it_was_done_or_as_the_act_that_hurt_the_back_is_the_trigger(text: str) -> None:
    assert "trigger_lifting_twisting" in shipped_parser().parse(text).present_ids


def test_lifting_that_is_a_job_s_daily_work_is_no_trigger_of_this_episode() -> None:
    read = shipped_parser().parse("His job involves heavy lifting.").present_ids
    assert "trigger_lifting_twisting" not in read


@pytest.mark.parametrize(("text", "told"), [("He has full strength.", False), ("She has normal power.", False),
                                             ("He has lost strength.", True), ("Her power is poor.", True)])
def test_strength_said_to_be_as_it_should_be_is_no_word_of_weakness(text: str, told: bool) -> None:
    import spacy

    from spinecheck.adapters.nlp.pipeline import _NeededWords

    needed = _NeededWords(frozenset({"strength", "power", "lost"}), frozenset(), grades=False,
                          said_normal_by=frozenset({"full", "normal"}))
    assert needed.told_in(spacy.blank("en")(text)[:]) is told


def test_strength_said_to_be_full_is_no_word_of_weakness_for_a_test_told_beside_it() -> None:
    read = shipped_parser().parse(
        "Standing on the right leg with the left hip flexed and the back arched reproduces the pain, and he has full"
        " strength and range of movement of the back and hip."
    ).present_ids
    assert not set(read) & {"leg_weakness", "leg_weakness_unilateral"}


@pytest.mark.parametrize(
    "text", ["The pain in my belly goes through to my back.", "The ache is going round to her back now."]
)
def test_pain_that_goes_to_someone_s_back_is_back_pain(text: str) -> None:
    assert "low_back_pain" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["He went back to work last week.", "The pain came back yesterday.",
                                  "I lie back on the sofa."])
def test_back_after_a_verb_of_going_or_lying_with_no_one_s_back_named_is_no_back_pain(text: str) -> None:
    assert "low_back_pain" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["She has pain in her upper and lower back.", "Aching across the mid and low back."])
def test_the_middle_and_lower_back_named_with_one_word_back_after_the_pain_are_both_painful(text: str) -> None:
    assert {"low_back_pain", "thoracic_back_pain"} <= set(shipped_parser().parse(text).present_ids)


def test_a_time_told_of_the_last_activity_in_a_list_of_what_makes_it_worse_is_that_activity_s() -> None:
    read = shipped_parser().parse(
        "I suddenly got a bad pain in my buttock. Bending, coughing, sneezing and sitting for a long time make it"
        " worse."
    ).present_ids
    assert "duration_chronic" not in read
    assert {"worse_coughing_sneezing", "worse_sitting"} <= set(read)


@pytest.mark.parametrize("text", ["I couldn't move my arms or legs properly.", "She could not move her left hand."])
def test_an_arm_that_cannot_be_moved_is_a_weak_arm(text: str) -> None:
    assert "arm_weakness" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "over_half_an_hour"), [
    ("Morning stiffness lasts about 10 minutes.", False),
    ("He has morning stiffness lasting 2 hours.", True),
    ("She is stiff for 45 minutes each morning.", True),
])
def test_a_measured_stiffness_is_read_against_its_half_hour(text: str, over_half_an_hour: bool) -> None:
    result = shipped_parser().parse(text)
    assert ("morning_stiffness_over_30_min" in result.present_ids) is over_half_an_hour
    assert ("morning_stiffness_over_30_min" in result.absent_ids) is not over_half_an_hour


def test_a_time_told_before_what_makes_the_pain_worse_is_the_pain_s_own() -> None:
    read = shipped_parser().parse(
        "She has had pain in the neck and back for a year, made worse by exercise and by poor sleep."
    ).present_ids
    assert {"duration_chronic", "worse_with_movement"} <= set(read)


@pytest.mark.parametrize(
    "text", ["Stiffness of the knees and numbness in her fingers.", "My knees and tingling in my hands."]
)
def test_a_symptom_told_with_its_own_place_after_it_is_not_also_of_a_part_listed_before_it(text: str) -> None:
    read = shipped_parser().parse(text).present_ids
    assert "hand_numbness_tingling" in read
    assert "leg_numbness_tingling" not in read


def test_a_place_with_its_own_symptom_after_it_leaves_the_symptom_before_it_to_the_parts_before() -> None:
    read = shipped_parser().parse("He has foot and ankle pain, leg swelling and hypertension.").present_ids
    assert "leg_pain_below_knee" in read


def test_a_fall_years_ago_is_no_injury_of_this_episode() -> None:
    read = shipped_parser().parse("He has depression, and 2 years ago fractured his right wrist in a fall.").present_ids
    assert "minor_trauma" not in read


def test_a_fall_last_week_is_the_injury_of_this_episode() -> None:
    assert "minor_trauma" in shipped_parser().parse("Last week I slipped and fell on my back.").present_ids


@pytest.mark.parametrize("text", [
    "The pain began when he fell off a chair.",
    "Her neck has hurt since she slid from a sitting position onto the bedroom floor.",
], ids=["off-a-chair", "onto-the-floor"])
def test_a_fall_from_low_furniture_or_to_the_floor_is_a_minor_injury(text: str) -> None:
    read = shipped_parser().parse(text).present_ids
    assert "minor_trauma" in read
    assert "major_trauma" not in read


def test_a_fall_from_an_upper_floor_stays_a_major_injury() -> None:
    read = shipped_parser().parse("He fell from a second floor window onto the ground.").present_ids
    assert "major_trauma" in read
    assert "minor_trauma" not in read


def test_power_graded_as_reduced_is_weakness_of_the_part_named() -> None:
    assert "leg_weakness_unilateral" in shipped_parser().parse("Power is reduced in the right leg.").present_ids


@pytest.mark.parametrize(
    "text", ["He also feels generally unwell and weak.", "For a week she has felt run down and weak."]
)
def test_weakness_told_of_the_whole_person_is_no_weak_leg(text: str) -> None:
    read = shipped_parser().parse(text).present_ids
    assert not {"leg_weakness", "leg_weakness_bilateral", "leg_weakness_unilateral"} & set(read)


@pytest.mark.parametrize("text", ["Both my legs feel numb and weak.", "Weakness? A bit in the left leg."])
def test_weakness_told_with_a_leg_in_its_sentence_or_its_answer_is_a_weak_leg(text: str) -> None:
    assert "leg_weakness" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["He is woken by a cramp in one lower leg or the other.", "I wake up with a cramp in my calf."]
)
def test_being_woken_by_a_cramp_is_a_night_cramp(text: str) -> None:
    assert "night_calf_cramps" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["On examination his limbs appear bowed.", "There is bowing of the left shin."])
def test_a_bowed_limb_is_a_bowed_bone(text: str) -> None:
    assert "bone_bowing_or_enlargement" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "worsening"), [
    ("The tablets helped for a while, and now it's worse.", True),
    ("It's worse now.", True),
    ("Now it's worse when I sit.", False),
])
def test_worse_told_against_before_by_now_is_the_course(text: str, worsening: bool) -> None:
    assert ("course_worsening" in shipped_parser().parse(text).present_ids) is worsening


@pytest.mark.parametrize(("text", "good"), [
    ("Anti-inflammatory tablets do help.", True),
    ("Ibuprofen does help a little.", False),
])
def test_help_from_anti_inflammatories_said_with_weight_is_a_good_response(text: str, good: bool) -> None:
    assert ("good_nsaid_response" in shipped_parser().parse(text).present_ids) is good


def test_breathlessness_is_difficulty_breathing() -> None:
    assert "breathing_difficulty" in shipped_parser().parse("He has had a cough and breathlessness.").present_ids


@pytest.mark.parametrize("text", ["Yesterday I fell and hurt my back.", "I hurt my back tonight."])
def test_pain_that_began_yesterday_or_tonight_is_acute(text: str) -> None:
    assert "duration_acute" in shipped_parser().parse(text).present_ids


def test_nothing_going_down_the_legs_denies_leg_pain() -> None:
    result = shipped_parser().parse("Nothing goes down my legs and I'm otherwise well.")
    assert "leg_pain" in result.absent_ids
    assert "leg_pain_bilateral" not in result.present_ids


@pytest.mark.parametrize("text", ["Nothing eases my back pain.", "Nothing seems to help my sciatica."])
def test_nothing_that_acts_on_the_pain_denies_none_of_it(text: str) -> None:
    assert not shipped_parser().parse(text).absent_ids


def test_it_hurting_to_walk_is_no_calf_claudication() -> None:
    read = shipped_parser().parse("It hurts to walk and almost any movement makes it worse.").present_ids
    assert "calf_pain_on_walking" not in read


def test_the_time_told_with_the_presenting_complaint_is_the_episode_s() -> None:
    read = shipped_parser().parse(
        "A 43-year-old man has had 2 hours of left flank pain with nausea. Over the past year he has had bouts of"
        " pain in both flanks."
    ).present_ids
    assert "duration_acute" in read
    assert "duration_chronic" not in read


def test_the_longest_time_told_with_the_presenting_complaint_is_the_episode_s() -> None:
    read = shipped_parser().parse(
        "She has had back pain for 3 months, much worse for 2 weeks. Yesterday it spread to her leg."
    ).present_ids
    assert "duration_chronic" in read


def test_weakness_of_no_named_part_is_the_complaint_its_time_is_told_of() -> None:
    read = shipped_parser().parse(
        "A 34-year-old woman has had weakness and a rash for 2 months. It came on gradually, but in the last 2 weeks"
        " she has struggled with the stairs."
    ).present_ids
    assert "duration_subacute" in read


@pytest.mark.parametrize(("text", "finding"), [
    ("She has hay fever and asthma.", "fever"),
    ("He has also been getting up often at night to urinate.", "night_pain"),
    ("I'm up a lot at night to pee.", "night_pain"),
])
def test_the_name_of_another_thing_holding_a_finding_s_word_reads_nothing(text: str, finding: str) -> None:
    assert finding not in shipped_parser().parse(text).present_ids


def test_a_finding_s_own_words_beside_the_name_of_another_thing_are_still_read() -> None:
    read = shipped_parser().parse("I get up at night to pee, and my back hurts at night.").present_ids
    assert "night_pain" in read


@pytest.mark.parametrize("text", [
    "A month ago I broke the top of my left fibula, just below the knee, and it was put in a plaster cast.",
    "Power is 1/5 in both the right arm and the right leg.",
])
def test_a_leg_named_with_no_word_of_pain_is_no_leg_pain(text: str) -> None:
    assert "leg_pain" not in shipped_parser().parse(text).present_ids


def test_a_leg_named_with_a_word_of_pain_is_still_leg_pain() -> None:
    assert "leg_pain" in shipped_parser().parse("Her left calf has been hurting since the long flight.").present_ids


def test_both_joining_two_parts_of_one_side_is_that_side() -> None:
    read = shipped_parser().parse("Power is 1/5 in both the right arm and the right leg.").present_ids
    assert "leg_weakness_unilateral" in read
    assert "leg_weakness_bilateral" not in read


def test_pain_that_began_this_evening_began_within_hours() -> None:
    read = shipped_parser().parse("Low back pain that began this evening while she was eating dinner.").present_ids
    assert {"duration_acute", "onset_sudden"} <= set(read)


def test_pain_where_the_thoracic_spine_meets_the_lumbar_is_of_both() -> None:
    read = shipped_parser().parse("Pain in the thoracolumbar region.").present_ids
    assert {"thoracic_back_pain", "low_back_pain"} <= set(read)


def test_bending_to_the_side_is_a_movement_not_pain_in_the_flank() -> None:
    text = "Lumbar flexion, extension and side-bending are markedly reduced by pain."
    assert "flank_pain" not in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", [
    "A man with no previous low back pain developed sudden severe low back pain after lifting.",
    "No prior back problems, but now severe back pain.",
])
def test_a_denial_of_what_went_before_says_nothing_of_now(text: str) -> None:
    assert "low_back_pain" in shipped_parser().parse(text).present_ids


def test_the_previous_few_months_are_the_illness_now() -> None:
    read = shipped_parser().parse("He has had left leg pain for the previous 3-4 months.").present_ids
    assert {"leg_pain", "duration_chronic"} <= set(read)


@pytest.mark.parametrize(("text", "better_with_exercise"), [
    ("It is worst in the morning and gets better when he plays basketball.", True),
    ("The pain eases once I work out.", True),
    ("It actually gets better once I'm playing basketball.", True),
    ("It gets better when I work at my desk.", False),
])
def test_a_pain_better_with_a_sport_told_by_its_verb_is_better_with_exercise(
    text: str, better_with_exercise: bool
) -> None:
    assert ("improves_with_exercise_not_rest" in shipped_parser().parse(text).present_ids) is better_with_exercise


def test_pain_said_to_be_increasing_is_the_course() -> None:
    assert "course_worsening" in shipped_parser().parse("His back pain is increasing.").present_ids


def test_a_start_told_as_at_once_is_sudden() -> None:
    assert "onset_sudden" in shipped_parser().parse("Back pain and tenderness began immediately.").present_ids


def test_sacroiliac_joints_said_to_be_eroded_on_an_x_ray_are_sacroiliitis_on_imaging() -> None:
    read = shipped_parser().parse("On spinal x-ray the sacroiliac joints are eroded and sclerotic.").present_ids
    assert "sacroiliitis_on_imaging" in read


def test_pain_shooting_down_an_area_of_the_leg_is_leg_pain() -> None:
    assert "leg_pain" in shipped_parser().parse("It shoots down the back of my left leg.").present_ids


@pytest.mark.parametrize("text", ["Weakness in both the left and right legs.", "He has left and right leg weakness."])
def test_the_left_and_the_right_named_together_are_both_sides(text: str) -> None:
    read = shipped_parser().parse(text).present_ids
    assert "leg_weakness_bilateral" in read
    assert "leg_weakness_unilateral" not in read


def test_a_tearing_chest_pain_told_in_everyday_words_is_read() -> None:
    read = shipped_parser().parse(
        "Half an hour ago I suddenly got a terrible pain in the middle of my chest - it feels like something is"
        " tearing - and I'm sweating buckets."
    ).present_ids
    assert {"chest_pain", "tearing_pain", "pale_sweaty"} <= set(read)


def test_pain_that_started_straight_away_is_sudden() -> None:
    assert "onset_sudden" in shipped_parser().parse("My back started hurting badly straight away.").present_ids


def test_drinks_named_beside_food_are_no_drinking_too_much() -> None:
    read = shipped_parser().parse("For the last month I've had trouble swallowing, both food and drinks.").present_ids
    assert "alcohol_excess" not in read


def test_a_foot_paler_than_the_other_is_a_pale_foot() -> None:
    read = shipped_parser().parse("My right foot is colder and paler than my left foot.").present_ids
    assert "cold_pale_leg" in read


def test_reflex_grades_told_after_a_colon_are_read_as_the_reflexes_grades() -> None:
    result = shipped_parser().parse("Tendon reflexes: 3+ in both legs; the plantar responses are flexor.")
    assert "hyperreflexia_clonus" in result.present_ids


def test_a_colon_later_in_the_sentence_still_ends_what_the_reflex_grades_reach() -> None:
    result = shipped_parser().parse("Reflexes are normal and sensation intact: power is 1/5 in the left leg.")
    assert "areflexia" not in result.present_ids and "knee_reflex_reduced" not in result.present_ids


@pytest.mark.parametrize(
    "text",
    [
        "For six months the pain has been there; the practitioners he saw treated it without success.",
        "For three months she has had hip pain, and physiotherapy and acupuncture brought little improvement.",
        "Back pain for four months; conservative treatment failed.",
    ],
)
def test_a_treatment_said_to_have_failed_is_no_improvement(text: str) -> None:
    assert "no_improvement_after_one_month" in shipped_parser().parse(text).present_ids


def test_a_treatment_given_without_something_else_is_no_failure() -> None:
    result = shipped_parser().parse("Back pain for two months; she was treated without surgery.")
    assert "no_improvement_after_one_month" not in result.present_ids


def test_a_region_named_after_back_pain_says_where_in_the_back_it_hurts() -> None:
    result = shipped_parser().parse("A 74-year-old man has acute back pain in the thoracolumbar region.")
    assert {"thoracic_back_pain", "low_back_pain"} <= set(result.present_ids)


def test_a_place_after_another_places_symptom_is_still_another_place() -> None:
    result = shipped_parser().parse("He has back pain and numbness in the left leg.")
    assert "leg_pain" not in result.present_ids


def test_lifting_told_as_an_episode_is_what_set_the_pain_off() -> None:
    result = shipped_parser().parse("Back pain that came on after an episode of lifting.")
    assert "trigger_lifting_twisting" in result.present_ids


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("A 70-year-old man is seen one hour after weakness of his right side came on.", "duration_acute"),
        ("He arrives at the emergency department half an hour after intense chest pain began.", "duration_acute"),
        ("She was admitted 3 days after the back pain began.", "duration_acute"),
    ],
)
def test_a_person_seen_a_time_after_the_complaint_began_has_had_it_that_long(text: str, band: str) -> None:
    assert band in shipped_parser().parse(text).present_ids


def test_a_complaint_seen_within_the_hour_began_suddenly() -> None:
    result = shipped_parser().parse("He reaches the emergency department one hour after the fall, with back pain.")
    assert "onset_sudden" in result.present_ids


def test_last_week_dates_the_start_of_the_episode() -> None:
    result = shipped_parser().parse("Last week, as he lifted his daughter, he felt intense low back pain.")
    assert "duration_acute" in result.present_ids


@pytest.mark.parametrize(
    "text",
    ["Forward flexion increases the pain.", "Her lower back has hurt whenever she exercises.",
     "Lumbar flexion and coughing provoke it."],
)
def test_a_movement_or_exercise_said_to_increase_the_pain_is_pain_worse_with_movement(text: str) -> None:
    assert "worse_with_movement" in shipped_parser().parse(text).present_ids


def test_exercise_that_helps_is_not_pain_worse_with_movement() -> None:
    assert "worse_with_movement" not in shipped_parser().parse("Exercise helps the pain.").present_ids


@pytest.mark.parametrize(
    "text",
    [
        "She presents with low back pain that began while she was making a bed.",
        "He has severe back pain that came on an hour earlier as he lifted a box.",
        "He lifted a water can and felt a sharp pain in his back.",
        "While playing tennis he is struck by severe pain in his neck.",
    ],
)
def test_a_pain_that_began_in_the_act_of_something_began_suddenly(text: str) -> None:
    assert "onset_sudden" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text",
    [
        "The pain started as a dull ache.",
        "It first came on while he was sitting with a phone in his back pocket.",
        "The pain began while she was taking steroids.",
    ],
)
def test_a_pain_that_began_during_a_state_held_for_a_while_is_not_said_to_be_sudden(text: str) -> None:
    assert "onset_sudden" not in shipped_parser().parse(text).present_ids


def test_getting_up_from_a_chair_does_not_put_what_began_then_in_the_past() -> None:
    result = shipped_parser().parse("She has had back pain for 2 weeks; it started suddenly as she got up.")
    assert "onset_sudden" in result.present_ids


@pytest.mark.parametrize("text", ["She cannot stand upright.", "He is unable to stand up straight."])
def test_not_standing_upright_is_a_posture_not_legs_too_weak_to_stand(text: str) -> None:
    assert "weakness_severe" not in shipped_parser().parse(text).present_ids


def test_legs_that_cannot_bear_the_body_are_still_severely_weak() -> None:
    assert "weakness_severe" in shipped_parser().parse("Since his fall he cannot stand.").present_ids


def test_a_pain_named_with_another_place_after_the_leg_is_that_places_pain() -> None:
    result = shipped_parser().parse("Leg movement provokes back pain.")
    assert "leg_pain" not in result.present_ids and "low_back_pain" in result.present_ids


@pytest.mark.parametrize("text", ["Any movement of his legs hurts his back.", "My leg hurts my back when I walk."])
def test_a_hurt_said_of_the_place_named_after_it_is_that_places_pain(text: str) -> None:
    result = shipped_parser().parse(text)
    assert "leg_pain" not in result.present_ids and "low_back_pain" in result.present_ids


def test_legs_that_hurt_without_another_place_after_still_hurt() -> None:
    assert "leg_pain" in shipped_parser().parse("His legs hurt the most at night.").present_ids


@pytest.mark.parametrize("text", ["The car hit a telegraph pole at 40 km/h.", "His van collided with a lorry."])
def test_a_vehicle_that_struck_something_is_a_serious_accident(text: str) -> None:
    assert "major_trauma" in shipped_parser().parse(text).present_ids


def test_sitting_in_a_car_is_no_accident() -> None:
    assert "major_trauma" not in shipped_parser().parse("He sits in his car for hours and his back hurts.").present_ids


@pytest.mark.parametrize("text", ["He has severe leg pain.", "She has severe calf pain."])
def test_how_bad_a_pain_is_does_not_swallow_where_it_is(text: str) -> None:
    assert {"leg_pain", "severe_pain"} <= set(shipped_parser().parse(text).present_ids)


@pytest.mark.parametrize(
    "text",
    ["He has coronary artery disease.", "He had a myocardial infarction in 2019.", "She has peripheral artery disease"],
)
def test_the_clinical_names_of_vascular_disease_are_known_vascular_disease(text: str) -> None:
    assert "cardiovascular_disease" in shipped_parser().parse(text).present_ids


def test_hours_or_days_after_an_operation_is_a_recent_operation() -> None:
    result = shipped_parser().parse("Two hours after undergoing embolectomy of the left femoral artery, her leg hurts.")
    assert "recent_surgery_or_immobilisation" in result.present_ids


def test_an_operation_long_ago_is_no_recent_operation() -> None:
    result = shipped_parser().parse("He had an appendectomy as a child.")
    assert "recent_surgery_or_immobilisation" not in result.present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("He was struck by intense dizziness and trouble swallowing.", "dizziness_lightheaded"),
        ("He describes a year of tiredness.", "fatigue"),
        ("He has been having bowel movements less often.", "constipation"),
    ],
)
def test_a_symptom_named_by_its_noun_is_read(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_a_foot_colder_and_paler_than_the_other_is_a_cold_pale_leg_whatever_names_it() -> None:
    assert "cold_pale_leg" in shipped_parser().parse("It's colder and paler than my left foot.").present_ids


def test_a_foot_cooler_than_the_other_is_left_to_the_examiner_s_cool_skin() -> None:
    assert "cold_pale_leg" not in shipped_parser().parse("The right foot is cooler than the left.").present_ids


def test_a_crash_told_after_the_car_it_happened_in_is_a_serious_accident() -> None:
    text = "I was sitting in the back of a car with a lap belt on when we hit a telegraph pole."
    assert "major_trauma" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["The midfoot arch has collapsed.", "An X-ray shows collapsed vertebrae."])
def test_a_structure_that_collapsed_is_no_fainting(text: str) -> None:
    assert "collapse_fainting" not in shipped_parser().parse(text).present_ids


def test_a_person_who_collapsed_still_collapsed() -> None:
    assert "collapse_fainting" in shipped_parser().parse("He collapsed at home.").present_ids


def test_double_vision_over_a_year_is_not_a_sudden_loss_of_vision() -> None:
    result = shipped_parser().parse("Over the past year she has had blurred vision and double vision.")
    assert "sudden_vision_loss" not in result.present_ids


def test_double_vision_that_came_suddenly_is_a_sudden_disturbance_of_vision() -> None:
    assert "sudden_vision_loss" in shipped_parser().parse("He has sudden double vision.").present_ids


def test_a_pain_that_left_the_person_barely_able_to_walk_is_severe() -> None:
    assert "severe_pain" in shipped_parser().parse("The pain left her barely able to walk.").present_ids


def test_a_clause_that_opens_the_sentence_with_since_dates_what_the_sentence_tells() -> None:
    text = "Since injuring his back while lifting at work one month ago, a man has had low back pain."
    assert "duration_acute" in shipped_parser().parse(text).present_ids


def test_a_pain_said_to_radiate_is_not_read_as_the_name_that_denies_it() -> None:
    result = shipped_parser().parse("He has had low back pain for eight weeks, radiating into the left thigh.")
    assert {"leg_pain", "leg_pain_unilateral"} <= set(result.present_ids)
    assert "leg_pain" not in {finding.id for finding in result.unknown}


@pytest.mark.parametrize("text", ["The pain does not radiate.", "There is no radiation of the pain."])
def test_a_pain_said_not_to_radiate_is_still_no_leg_pain(text: str) -> None:
    assert "leg_pain" in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize("text", ["On examination his neck resists flexion.", "There is nuchal rigidity."])
def test_a_neck_that_resists_bending_is_read_from_the_finding_s_own_names(text: str) -> None:
    assert "neck_stiffness_meningism" in shipped_parser().parse(text).present_ids


def test_a_supple_neck_is_no_meningism() -> None:
    assert "neck_stiffness_meningism" in shipped_parser().parse("The neck is supple.").absent_ids


@pytest.mark.parametrize(
    "text", ["His wife noticed that he could not put sentences together.", "He had difficulty speaking."]
)
def test_words_that_will_not_join_into_speech_are_a_speech_disturbance(text: str) -> None:
    assert "speech_disturbance" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    "text", ["The symptoms began to settle on their own after ten minutes.", "By then all symptoms had gone."]
)
def test_symptoms_that_began_to_settle_or_cleared_are_improving(text: str) -> None:
    assert "course_improving" in shipped_parser().parse(text).present_ids


def test_a_part_that_had_gone_numb_is_not_an_improvement() -> None:
    assert "course_improving" not in shipped_parser().parse("His leg had gone numb.").present_ids


def test_reaching_hospital_a_time_after_onset_dates_the_complaint() -> None:
    text = "On reaching the emergency department 35 minutes after onset, he was still dizzy."
    assert "duration_acute" in shipped_parser().parse(text).present_ids


def test_an_act_in_a_clause_of_its_own_then_a_pain_felt_is_a_sudden_start_even_told_last_week() -> None:
    text = "Last week, as he lifted his daughter into bed, he felt a loud crack and intense low back pain."
    assert "onset_sudden" in shipped_parser().parse(text).present_ids


def test_an_act_after_which_the_person_felt_fine_is_no_sudden_start() -> None:
    text = "When she lifted the box she felt fine, but two days later the pain began."
    assert "onset_sudden" not in shipped_parser().parse(text).present_ids


def test_something_given_up_for_fear_of_harm_is_fear_of_movement() -> None:
    text = "Since then he has avoided tennis for fear of putting his back out."
    assert "fear_of_movement" in shipped_parser().parse(text).present_ids


def test_being_off_work_is_pain_that_limits_daily_life() -> None:
    assert "pain_limits_daily_life" in shipped_parser().parse("He has been off work since.").present_ids


def test_worse_with_a_movement_tells_what_aggravates_the_pain_not_how_it_is_going() -> None:
    result = shipped_parser().parse("The pain is worse with side-bending.")
    assert "worse_with_movement" in result.present_ids
    assert "course_worsening" not in result.present_ids


def test_a_pain_told_as_having_increased_over_days_is_a_worsening_course() -> None:
    text = "He could walk afterwards, but soreness and pain increased over three days."
    assert "course_worsening" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["The pain is worse in the evening.", "Inactivity makes it worse."])
def test_a_pain_worse_at_a_time_of_day_or_made_worse_by_something_is_not_a_worsening_course(text: str) -> None:
    assert "course_worsening" not in shipped_parser().parse(text).present_ids


def test_leg_pain_worse_than_back_pain_is_read_only_from_a_comparison() -> None:
    parser = shipped_parser()
    assert "leg_pain_worse_than_back" in parser.parse("The leg pain is worse than the back pain.").present_ids
    assert "leg_pain_worse_than_back" not in parser.parse("He has left leg pain that has lasted a month.").present_ids


def test_weight_put_on_a_leg_with_difficulty_is_no_inability_to_bear_weight() -> None:
    parser = shipped_parser()
    assert "unable_to_bear_weight" in parser.parse("He cannot put weight on the left leg.").present_ids
    assert "unable_to_bear_weight" not in parser.parse("She limps, barely putting weight on the left leg.").present_ids


def test_dark_urine_told_beside_a_weak_leg_is_no_retention() -> None:
    text = "For two months his right leg has been getting weak, and he's had tummy pain and dark urine."
    assert "bladder_retention" not in shipped_parser().parse(text).present_ids


def test_a_bowel_movement_that_hurts_is_no_loss_of_rectal_sensation() -> None:
    assert "reduced_rectal_sensation" not in shipped_parser().parse("It also hurts when I open my bowels.").present_ids


def test_a_bowel_that_cannot_be_felt_is_a_loss_of_rectal_sensation() -> None:
    text = "I can't feel when I need to open my bowels."
    assert "reduced_rectal_sensation" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Blood tests are normal apart from a C-reactive protein of 11.5 (normal below 5).", "elevated_esr_crp"),
        ("Calcium 10.4 mg/dL (normal 8.4-10.2).", "hypercalcaemia"),
        ("CK 300 IU/L (ref 20-170).", "raised_ck"),
    ],
)
def test_a_value_past_the_normal_range_told_beside_it_is_raised_whatever_the_usual_limit(
    text: str, finding: str
) -> None:
    assert finding in shipped_parser().parse(text).present_ids


def test_without_a_stated_range_the_usual_limit_holds() -> None:
    assert "elevated_esr_crp" not in shipped_parser().parse("CRP 11.5 mg/L.").present_ids


def test_a_finding_with_its_own_line_keeps_it_whatever_range_is_stated() -> None:
    text = "Potassium 3.2 mmol/L (normal 3.5-5.0)."
    assert "low_potassium" not in shipped_parser().parse(text).present_ids


def test_an_object_not_lifted_is_no_weak_movement_of_the_leg() -> None:
    reading = shipped_parser().parse("I did not lift anything heavy.")
    assert not {"weakness_ankle_dorsiflexion", "leg_weakness", "weakness_severe"} & set(reading.present_ids)


def test_a_foot_that_cannot_be_lifted_is_still_a_weak_ankle() -> None:
    assert "weakness_ankle_dorsiflexion" in shipped_parser().parse("I can't lift my foot up.").present_ids


@pytest.mark.parametrize(("text", "low"), [("Serum sodium 124 mmol/L.", True), ("Na 138 mmol/L.", False)])
def test_a_sodium_value_is_read_against_the_finding_s_own_cut_off(text: str, low: bool) -> None:
    reading = shipped_parser().parse(text)
    assert ("low_sodium" in (reading.present_ids if low else reading.absent_ids))


def test_a_leaking_lump_in_the_buttock_crease_is_read_and_a_fall_on_the_tailbone_is_not() -> None:
    parser = shipped_parser()
    lump = parser.parse("There's a painful red lump at the top of my bum crack and it leaks pus.")
    assert "tender_lump_natal_cleft" in lump.present_ids
    fall = parser.parse("I slipped on the stairs and landed on my tailbone.")
    assert "tender_lump_natal_cleft" not in fall.present_ids


def test_a_sore_tailbone_is_read_as_tailbone_pain() -> None:
    assert "tailbone_pain" in shipped_parser().parse("My tailbone hurts when I sit down.").present_ids


def test_a_symptom_placed_in_the_arms_is_no_symptom_of_the_legs() -> None:
    reading = shipped_parser().parse("She has tingling in her arms.")
    assert "hand_numbness_tingling" in reading.present_ids
    assert "leg_numbness_tingling" not in reading.present_ids


def test_a_denied_symptom_that_names_its_own_place_keeps_it_inside_a_list_of_places() -> None:
    assert "leg_pain" in shipped_parser().parse("He has no chest, back or leg pain.").absent_ids


def test_stiffness_of_other_joints_is_no_low_back_pain() -> None:
    reading = shipped_parser().parse("She also has stiffness of the shoulders and knees.")
    assert "low_back_pain" not in reading.present_ids


def test_a_leg_named_in_another_clause_does_not_put_a_symptom_of_the_arms_in_the_legs() -> None:
    reading = shipped_parser().parse("She has stiff knees and tingling in her arms that is worse in the mornings.")
    assert "leg_numbness_tingling" not in reading.present_ids


@pytest.mark.parametrize("text", ["I take Eliquis for my heart.", "She has been on Xarelto since her clot."])
def test_a_blood_thinner_named_by_its_brand_is_anticoagulant_use(text: str) -> None:
    assert "anticoagulant_use" in shipped_parser().parse(text).present_ids


def test_a_denial_before_a_bare_place_is_not_read_as_a_loss_of_feeling_there() -> None:
    reading = shipped_parser().parse("He has numbness in his arms but not his legs.")
    assert not {"leg_numbness_bilateral", "leg_numbness_tingling"} & set(reading.present_ids)


@pytest.mark.parametrize(("text", "hot"), [
    ("The left knee is red, swollen and tender with limited range of movement.", True),
    ("Since yesterday his left knee has been painful and swollen; it looks red.", True),
    ("The right knee is mildly swollen and tender but not warm or red.", False),
    ("The left calf is tender, swollen and warm.", False),
    ("Just below his knee the shin is swollen, warm and very sore to touch.", False),
])
def test_a_hot_swollen_joint_needs_a_joint_a_swelling_and_heat_or_redness(text: str, hot: bool) -> None:
    assert ("hot_swollen_joint" in shipped_parser().parse(text).present_ids) is hot


def test_pale_conjunctivae_are_read_as_anaemia_and_their_denial_as_none() -> None:
    parser = shipped_parser()
    assert "anaemia" in parser.parse("On examination her conjunctivae are pale.").present_ids
    assert "anaemia" in parser.parse("There is no conjunctival pallor.").absent_ids


def test_a_pain_said_to_have_been_increasing_is_a_worsening_course_after_a_relative_word() -> None:
    reading = shipped_parser().parse("Lower back pain that has been increasing over the past 7 months.")
    assert "course_worsening" in reading.present_ids


def test_an_insidious_beginning_is_a_gradual_onset() -> None:
    assert "onset_gradual" in shipped_parser().parse("It began insidiously.").present_ids


@pytest.mark.parametrize("text", [
    "She presents with severe left-sided low back pain, bad enough to disable her.",
    "The pain began abruptly with sudden severe (10/10) low back pain.",
    "She developed sudden, severe, colicky right flank pain.",
])
def test_a_severity_word_reaches_its_pain_across_words_of_place_and_kind(text: str) -> None:
    assert "severe_pain" in shipped_parser().parse(text).present_ids


def test_a_severity_word_does_not_reach_a_pain_past_another_symptom() -> None:
    assert "severe_pain" not in shipped_parser().parse("He has severe nausea and back pain.").present_ids


@pytest.mark.parametrize(("text", "eased"), [
    ("The pain is worse on walking and relieved by rest.", True),
    ("It settled with rest and paracetamol.", True),
    ("It starts after about 300 metres and goes away after 5 minutes of rest.", True),
    ("It is not relieved by rest.", False),
    ("It is not eased by lying down.", False),
])
def test_relief_by_rest_is_read_in_its_past_and_passive_forms_but_not_when_denied(text: str, eased: bool) -> None:
    assert ("eased_by_rest" in shipped_parser().parse(text).present_ids) is eased


def test_a_power_grade_told_of_a_list_of_limbs_is_told_of_each() -> None:
    reading = shipped_parser().parse("Proximal strength is 4/5 in arms and legs.")
    assert {"arm_weakness", "leg_weakness_bilateral"} <= set(reading.present_ids)


@pytest.mark.parametrize("text", ["My blood pressure has never been well controlled.",
                                  "He has poorly controlled blood pressure."])
def test_a_blood_pressure_hard_to_control_is_a_raised_one(text: str) -> None:
    assert "hypertension" in shipped_parser().parse(text).present_ids


def test_hurting_badly_is_severe_pain_and_a_back_hurt_badly_in_an_accident_is_not() -> None:
    parser = shipped_parser()
    assert "severe_pain" in parser.parse("My lower back suddenly started hurting badly.").present_ids
    assert "severe_pain" not in parser.parse("I hurt my back badly in a car accident.").present_ids


def test_a_pain_score_the_pain_hits_is_read_against_its_scale() -> None:
    assert "severe_pain" in shipped_parser().parse("It hits 8 out of 10 with running.").present_ids


def test_a_one_sided_weakness_of_an_arm_and_a_leg_is_weakness_of_the_arm_too() -> None:
    reading = shipped_parser().parse("He has sudden difficulty speaking and weakness of the right arm and leg.")
    assert {"sudden_one_sided_weakness", "arm_weakness", "leg_weakness"} <= set(reading.present_ids)


@pytest.mark.parametrize(("text", "broken"), [
    ("A chest x-ray shows a fracture of the left 12th rib.", True),
    ("X-ray showed fractures of the right 10th and 11th ribs.", True),
    ("She fractured her right 11th and 12th ribs in a fall.", True),
    ("He has a left 12th rib fracture.", True),
    ("He is tender over the 12th rib.", False),
    ("The pain spreads round to the lower ribs.", False),
    ("There was a fracture of the left 4th rib.", False),
])
def test_a_broken_lower_rib_needs_a_break_of_one_of_the_lowest_four(text: str, broken: bool) -> None:
    assert ("lower_rib_fracture" in shipped_parser().parse(text).present_ids) is broken


def test_a_denied_lower_rib_fracture_is_absent() -> None:
    reading = shipped_parser().parse("The x-ray shows no fracture of the 12th rib.")
    assert "lower_rib_fracture" in reading.absent_ids


@pytest.mark.parametrize("text", [
    "On examination there are no pulses in either lower limb.",
    "No palpable pulses in the right foot.",
])
def test_no_pulse_told_of_a_limb_is_a_reduced_pulse(text: str) -> None:
    assert "foot_pulses_reduced" in shipped_parser().parse(text).present_ids


def test_no_pulse_without_a_limb_is_not_a_reduced_foot_pulse() -> None:
    assert "foot_pulses_reduced" not in shipped_parser().parse("He had no pulse and was not breathing.").present_ids


@pytest.mark.parametrize(("text", "finding"), [
    ("He has weak right ankle dorsiflexion.", "weakness_ankle_dorsiflexion"),
    ("There is weakness of right ankle dorsiflexion.", "weakness_ankle_dorsiflexion"),
    ("She has weak left ankle plantarflexion.", "weakness_plantar_flexion"),
    ("There is weakness of the right EHL.", "weakness_big_toe_extension"),
])
def test_a_side_between_a_weakness_and_its_movement_keeps_the_movement(text: str, finding: str) -> None:
    assert finding in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize("text", ["Examination is normal.", "Her physical examination is unremarkable."])
def test_a_whole_examination_told_normal_rules_out_the_signs_of_the_nerves(text: str) -> None:
    assert {"babinski_positive", "ankle_reflex_reduced", "myotomal_weakness_exam"} <= set(
        shipped_parser().parse(text).absent_ids
    )


@pytest.mark.parametrize("text", ["Abdominal examination is normal.", "Physical examination of the hip is normal."])
def test_an_examination_of_one_place_does_not_rule_out_the_signs_of_the_nerves(text: str) -> None:
    assert "distal_sensory_loss_exam" not in shipped_parser().parse(text).absent_ids


@pytest.mark.parametrize(("text", "kept", "ruled_out"), [
    ("Examination is normal apart from reduced sensation below both knees.", "distal_sensory_loss_exam",
     "babinski_positive"),
    ("Neurological examination is normal apart from mild (4/5) proximal weakness in all four limbs.",
     "myotomal_weakness_exam", "distal_sensory_loss_exam"),
    ("A complete physical examination showed no other abnormality apart from the weak right ankle dorsiflexion.",
     "myotomal_weakness_exam", "hyperreflexia_clonus"),
])
def test_an_exception_after_a_normal_examination_keeps_its_own_kind_of_sign(
    text: str, kept: str, ruled_out: str,
) -> None:
    absent = set(shipped_parser().parse(text).absent_ids)
    assert kept not in absent
    assert ruled_out in absent


def test_a_specific_finding_present_makes_its_general_one_present_over_an_undecided_mention() -> None:
    reading = shipped_parser().parse(
        "He has a 1-week history of right foot drop. He has no history of stroke, and denies any recent injury "
        "to the right leg."
    )
    assert {"leg_weakness", "leg_weakness_unilateral"} <= set(reading.present_ids)


@pytest.mark.parametrize("text", [
    "She has had her bad back checked five times over the last four or five years.",
    "She had two similar episodes in the last four years, each settling within six weeks.",
])
def test_a_time_after_occasions_counted_is_how_often_not_how_long_this_episode_has_lasted(text: str) -> None:
    assert "duration_chronic" not in shipped_parser().parse(text).present_ids


def test_a_time_after_the_pain_itself_is_still_how_long_it_has_lasted() -> None:
    assert "duration_chronic" in shipped_parser().parse("Her back pain has been present for five years.").present_ids


def test_pain_on_bending_back_past_upright_is_pain_on_back_extension() -> None:
    reading = shipped_parser().parse("Standing on one leg with the back hyperextended reproduces the pain.")
    assert "pain_on_back_extension" in reading.present_ids


@pytest.mark.parametrize("text", [
    "He has had left hip pain for a month after falling directly onto his left side while running.",
    "She landed squarely on her right buttock.",
])
def test_a_fall_onto_a_named_side_is_a_minor_injury(text: str) -> None:
    assert "minor_trauma" in shipped_parser().parse(text).present_ids


@pytest.mark.parametrize(("text", "trigger"), [
    ("He first noticed back pain while weightlifting a year ago.", True),
    ("It began when I was deadlifting.", True),
    ("He does weightlifting three times a week.", False),
])
def test_a_lift_in_the_gym_that_set_the_pain_off_is_a_lifting_trigger(text: str, trigger: bool) -> None:
    assert ("trigger_lifting_twisting" in shipped_parser().parse(text).present_ids) is trigger


@pytest.mark.parametrize(("text", "tender"), [
    ("There is marked tenderness over the back of the neck, both mid trapezius muscles and the left knee.", True),
    ("Her thigh muscles are sore.", True),
    ("The right lower lumbar spine and paraspinal muscles are tender and tight.", False),
])
def test_tender_muscles_of_the_limbs_or_their_girdles_are_tender_muscles(text: str, tender: bool) -> None:
    assert ("muscle_pain_tender" in shipped_parser().parse(text).present_ids) is tender


def test_a_pain_told_reaching_below_the_knee_is_no_pain_that_stays_above_it() -> None:
    reading = shipped_parser().parse("The pain spreads into his right buttock and down the back of the thigh and calf.")
    assert "leg_pain_below_knee" in reading.present_ids
    assert "leg_pain_above_knee" not in reading.present_ids


def test_a_thigh_pain_told_apart_from_an_old_nerve_pain_stays_above_the_knee() -> None:
    reading = shipped_parser().parse(
        "A man with chronic lumbar radiculopathy has had 4 days of left thigh pain spreading from the groin."
    )
    assert "leg_pain_above_knee" in reading.present_ids


@pytest.mark.parametrize(("text", "unrelieved"), [
    ("He cannot stay sitting or lying for more than a minute or two because of severe pain.", True),
    ("He is unable to remain lying still.", True),
    ("She can stay lying down comfortably.", False),
])
def test_lying_down_that_cannot_be_kept_up_is_pain_not_eased_by_lying(text: str, unrelieved: bool) -> None:
    assert ("pain_at_rest_not_eased_by_lying" in shipped_parser().parse(text).present_ids) is unrelieved


@pytest.mark.parametrize(("text", "ruled_out"), [
    ("Thoracic spine X-ray is normal.", True),
    ("Her back pain is worse; X-rays were normal.", True),
    ("FBC and ESR are normal, and x-rays of the cervical and lumbar spine are normal.", True),
    ("The chest X-ray is normal.", False),
    ("Head CT is normal.", False),
    ("Abdominal X-ray is normal.", False),
])
def test_an_image_of_the_spine_or_pelvis_told_normal_shows_no_bone_lesion(text: str, ruled_out: bool) -> None:
    assert ("bone_lesion_on_imaging" in shipped_parser().parse(text).absent_ids) is ruled_out


@pytest.mark.parametrize(("text", "before"), [
    ("Six months ago a similar attack occurred, for which he used naproxen.", True),
    ("It's happened before.", True),
    ("It has never happened before.", False),
])
def test_a_like_attack_told_to_have_come_before_is_a_previous_episode(text: str, before: bool) -> None:
    assert ("previous_episodes" in shipped_parser().parse(text).present_ids) is before


@pytest.mark.parametrize("text", [
    "Pulses are palpable on the left but absent on the right.",
    "Both foot pulses are present on the right, but neither can be felt on the left.",
])
def test_pulses_normal_on_one_side_and_missing_on_the_other_are_reduced_pulses(text: str) -> None:
    assert "foot_pulses_reduced" in shipped_parser().parse(text).present_ids


def test_reflexes_normal_on_one_side_only_are_not_ruled_out() -> None:
    result = shipped_parser().parse("Reflexes are normal on the left but absent on the right.")
    assert not {"ankle_reflex_reduced", "knee_reflex_reduced"} & set(result.absent_ids)


def test_a_contrast_about_another_finding_leaves_the_normal_side_as_it_was() -> None:
    result = shipped_parser().parse("Foot pulses are normal on the right, but the left leg is weak.")
    assert "foot_pulses_reduced" in result.absent_ids
    assert "foot_pulses_reduced" not in result.present_ids


@pytest.mark.parametrize("text", [
    "He has numbness of the scrotum.",
    "There is tingling around the vulva.",
    "Pins and needles in the testicles since this morning.",
])
def test_a_lost_feeling_of_any_part_of_the_saddle_area_is_saddle_numbness(text: str) -> None:
    parsed = shipped_parser().parse(text)
    assert "saddle_numbness" in parsed.present_ids
    assert "leg_numbness_tingling" not in parsed.present_ids


@pytest.mark.parametrize("text", [
    "He likens the pain in his chest to something tearing.",
    "She compared it to a ripping inside her back.",
])
def test_a_pain_likened_to_tearing_with_a_verb_of_likening_is_a_tearing_pain(text: str) -> None:
    assert "tearing_pain" in shipped_parser().parse(text).present_ids


def test_a_likening_to_something_else_is_no_tearing_pain() -> None:
    assert "tearing_pain" not in shipped_parser().parse("He compares the pain to his old injury.").present_ids
