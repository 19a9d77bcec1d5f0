"""Reading text nobody on the project wrote: the published cases in data/vignettes/external/.

Two kinds of check. The end targets (triage safety and the differential from the clinician's
summary and from the person's own words) depend on the knowledge base as much as on the reader;
they are plain tests on each set and on all pooled, except where a set does not reach them yet: emergency
sensitivity from the clinician's summary on `exam_more`, and the figures the `_third`, `_fourth`, `_fifth`,
`_sixth`, `_eighth`, `_ninth` and `_tenth` draws were short of on arrival (docs/vignettes.md), which are expected
failures, strictly, so that reaching one is noticed.
The reading itself is measured against the cases' blind findings maps: how many of the
hand-annotated findings the reader recovers (recall) and how many it adds (precision).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import spinecheck.interfaces.wiring  # noqa: F401  (plugs the medspaCy reader into the services)
from spinecheck.core.model import CompiledModel
from spinecheck.services import evaluation
from spinecheck.services.narrative import reader_for
from spinecheck.services.reading import ReadingScore, read_annotated, score_reading

EXTERNAL = Path(__file__).resolve().parents[1] / "data" / "vignettes" / "external"
PUBLISHED = evaluation.read_published_sets(EXTERNAL)
# The first two files, and every later draw pooled with them (data/vignettes/external/sets.yaml).
FILES = PUBLISHED.development[:2]
GROWN = PUBLISHED.development[2:]
# The seventh draw is held out of the pooled figures (data/vignettes/external/README.md); its own figures are checked
# against the targets, short where it was short on arrival.
HELD_OUT = PUBLISHED.held_out
NOT_YET = pytest.mark.xfail(strict=True, reason="below the target on published cases (docs/vignettes.md)")
SIXTH = {"exam_sixth", "reports_sixth"}
EIGHTH = {"exam_eighth", "reports_eighth"}
NINTH = {"reports_ninth"}
TENTH = {"reports_tenth"}
ELEVENTH = {"reports_eleventh"}
TWELFTH = {"exam_twelfth"}
THIRTEENTH = {"reports_thirteenth"}
FOURTEENTH = {"reports_fourteenth"}
FIFTEENTH = {"reports_fifteenth"}
SIXTEENTH = {"reports_sixteenth"}
# Adults of 18 to 59 and children of 2 to 15 (twenty-ninth round): short of every reading target on arrival. The
# adults' draw reached the narrative mode's emergency and under-triage targets in the thirtieth round, when coughing
# up blood with upper back pain became an emergency (NHS advice), and the person's own words' targets in the
# thirty-first, when "the middle and lower part of my back" came to be read as both parts of the back.
NEW_ADULTS_AND_CHILDREN = {"reports_eighteenth", "reports_nineteenth"}
# Adults whose main complaint is weakness, numbness or difficulty walking in the legs (thirtieth round): short of the
# narrative mode's emergency and top-3 targets on arrival.
LEG_WEAKNESS_FIRST = {"reports_twentieth"}
# Adults whose main complaint is pain in the middle or upper back (thirty-first round): short of the narrative mode's
# emergency, under-triage and top-3 targets, and of the person's own words' emergency target, after that round.
MID_BACK_FIRST = {"reports_twentyfirst"}
# Adults whose main complaint is pain spreading down one or both legs (thirty-first round): short of the narrative
# mode's emergency, under-triage and top-3 targets on arrival.
LEG_PAIN_FIRST = {"reports_twentysecond"}
# Adults with back or leg symptoms who carry a known risk (thirty-first round): short of the narrative mode's top-3
# target on arrival, every emergency caught and none under-triaged from either text.
KNOWN_RISK = {"reports_twentythird"}
# Adults whose back, buttock, hip or leg complaint came from outside the spine (thirty-second round): short of the
# narrative mode's under-triage and top-3 targets on arrival, every emergency caught from either text.
OUTSIDE_THE_SPINE = {"reports_twentyfourth"}
# People who play sport or train, with pain or weakness brought on by it (thirty-second round): short of the narrative
# mode's top-3 target and of the person's own words' emergency target on arrival.
SPORT = {"reports_twentyfifth"}
# Women pregnant or after a birth (thirty-second round): short of the narrative mode's emergency, under-triage and top-3
# targets and of the person's own words' under-triage target on arrival.
PREGNANCY_AND_AFTER = {"reports_twentysixth"}


def _unless_short(name: str, short: set[str]) -> Any:
    """The set's name as a test parameter, an expected failure where it is short of the target."""
    return pytest.param(name, marks=(NOT_YET,) if name in short else ())

pytestmark = pytest.mark.skipif(not (EXTERNAL / "exam.jsonl").exists(), reason="the external cases are not here")


@pytest.fixture(scope="module")
def reports(model: CompiledModel) -> dict[tuple[str, str], evaluation.EvalReport]:
    scored: dict[tuple[str, str], evaluation.EvalReport] = {}
    for name in FILES + GROWN + HELD_OUT:
        vignettes = evaluation.read_vignettes(EXTERNAL / f"{name}.jsonl")
        for field in ("narrative", "narrative_patient"):
            chosen = evaluation.with_text_from(vignettes, field)
            scored[name, field] = evaluation.evaluate_vignettes(model, chosen, "narrative")
    return scored


@pytest.fixture(scope="module")
def pooled(
    model: CompiledModel, reports: dict[tuple[str, str], evaluation.EvalReport]
) -> dict[str, evaluation.EvalReport]:
    """All the sets of published cases as one, per text field."""
    scored: dict[str, evaluation.EvalReport] = {}
    for field in ("narrative", "narrative_patient"):
        rows = [row for name in FILES + GROWN for row in reports[name, field].rows]
        scored[field] = evaluation.summarise(model, "narrative", rows)
    return scored


@pytest.fixture(scope="module")
def reading(model: CompiledModel) -> ReadingScore:
    items = [item for name in FILES for item in read_annotated(EXTERNAL / f"{name}.jsonl")]
    return score_reading(reader_for(model), model, items)


def test_the_person_s_own_words_leave_out_cases_whose_history_cannot_decide_the_triage() -> None:
    vignettes = evaluation.read_vignettes(EXTERNAL / "reports.jsonl")
    chosen = evaluation.with_text_from(vignettes, "narrative_patient")
    insufficient = [v for v in vignettes if (v.model_extra or {}).get("history_sufficient") is False]
    assert len(chosen) == len(vignettes) - len(insufficient)
    assert all(v.narrative == (v.model_extra or {})["narrative_patient"] for v in chosen)


def test_a_missing_text_field_is_a_clear_error() -> None:
    vignettes = evaluation.read_vignettes(EXTERNAL / "exam.jsonl")
    with pytest.raises(evaluation.VignetteError, match="no text field 'story'"):
        evaluation.with_text_from(vignettes, "story")


def test_the_reader_recovers_at_least_half_of_the_hand_annotated_findings(reading: ReadingScore) -> None:
    # Development measure; the phrase-only reader recovered 0.44 (exam 0.47, reports 0.43).
    assert reading.present.recall >= 0.50, "\n".join(reading.misses[:30])


def test_at_least_two_thirds_of_the_findings_read_were_annotated(reading: ReadingScore) -> None:
    assert reading.present.precision >= 0.66, "\n".join(reading.misses[:30])


def test_warning_signs_are_recovered_at_least_as_often_as_other_findings(reading: ReadingScore) -> None:
    assert reading.warning.recall >= reading.present.recall - 0.02


@pytest.mark.parametrize(
    "name", [
        _unless_short(
            name,
            {"exam_more", "reports_third", "exam_fifth", "reports_fifth", "exam_seventh", *NINTH, *TENTH, *TWELFTH,
             *THIRTEENTH, *SIXTEENTH, "reports_nineteenth", *LEG_WEAKNESS_FIRST, *MID_BACK_FIRST,
             *LEG_PAIN_FIRST, *PREGNANCY_AND_AFTER},
        )
        for name in FILES + GROWN + HELD_OUT
    ]
)
def test_narrative_mode_catches_95_percent_of_emergencies(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str
) -> None:
    assert (reports[name, "narrative"].emergency_sensitivity or 0.0) >= 0.95


@pytest.mark.parametrize(
    "name", [
        _unless_short(
            name,
            {"reports_fourth", "reports_fifth", *TENTH, *THIRTEENTH, *FIFTEENTH, *SIXTEENTH, "reports_nineteenth",
             *MID_BACK_FIRST, *LEG_PAIN_FIRST, *OUTSIDE_THE_SPINE, *PREGNANCY_AND_AFTER},
        )
        for name in FILES + GROWN + HELD_OUT
    ]
)
def test_narrative_mode_under_triages_at_most_8_percent(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str
) -> None:
    assert reports[name, "narrative"].under_triage <= 0.08


@pytest.mark.parametrize(
    "name",
    [
        _unless_short(
            name,
            {"reports_third", "reports_fourth", "exam_fifth", "reports_fifth", "exam_eighth", "reports_more"}
            | SIXTH | NINTH | TENTH | ELEVENTH | TWELFTH | THIRTEENTH | FOURTEENTH | FIFTEENTH | SIXTEENTH
            | NEW_ADULTS_AND_CHILDREN | LEG_WEAKNESS_FIRST | MID_BACK_FIRST | LEG_PAIN_FIRST | KNOWN_RISK
            | OUTSIDE_THE_SPINE | SPORT | PREGNANCY_AND_AFTER
            | set(HELD_OUT),
        )
        for name in FILES + GROWN + HELD_OUT
    ],
)
# `reports_third` fell short on 7 December 2026 (0.83 -> 0.79) when a spinal infection came to count the signs of its
# form that presses on the cord together (ADR 0023): an aortic dissection read as a sudden paralysis of both legs
# with a numb band on the trunk moved from third to fourth, behind the infection.
# `reports_more` fell short in the thirty-first round (0.81 -> 0.78) when non-specific mid or upper back pain became a
# condition: a vertebral osteomyelitis told with tenderness over the thoracic spine moved from third to fourth behind
# it, and a teenager's disc disease from third to fourth as the priors' calibration shifted.
def test_narrative_mode_has_the_gold_in_the_top_three_for_80_percent(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str
) -> None:
    assert reports[name, "narrative"].top3 >= 0.80


@pytest.mark.parametrize(
    "name",
    [
        _unless_short(
            name,
            {"exam_fourth", "reports_fifth", "exam_sixth", *HELD_OUT, *EIGHTH, *NINTH, *TWELFTH, *THIRTEENTH,
             "reports_nineteenth", *MID_BACK_FIRST, *SPORT},
        )
        for name in FILES + GROWN + HELD_OUT
    ],
)
def test_the_person_s_own_words_catch_90_percent_of_emergencies(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str
) -> None:
    assert (reports[name, "narrative_patient"].emergency_sensitivity or 0.0) >= 0.90


@pytest.mark.parametrize(
    "name",
    [
        _unless_short(
            name,
            {"reports_fourth", "exam_fifth", "reports_fifth", "exam_sixth", "exam_seventh", "exam_eighth", *TWELFTH,
             *THIRTEENTH, "reports_nineteenth", *PREGNANCY_AND_AFTER},
        )
        for name in FILES + GROWN + HELD_OUT
    ],
)
def test_the_person_s_own_words_under_triage_at_most_10_percent(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str
) -> None:
    assert reports[name, "narrative_patient"].under_triage <= 0.10


# The fifth draw (twelfth round) brought three emergencies the narrative misses on arrival, and the pool fell from
# 0.96 to 0.94 with it; the seventeenth round brought it back to 0.95 (docs/vignettes.md). The eighth draw (twenty-third
# round) brought one more, a myeloma told as a broken thigh bone with blood results (132 of 139 emergencies, 0.950 ->
# 0.9496), so the pool was short again until a broken thigh bone on imaging became an emergency of its own later in
# that round (133 of 139, 0.957). The tenth draw (twenty-fourth round) brought one more, a necrotising infection of the
# leg told only as leg pain and fever in a woman on immune-suppressing treatment, which the evidence summary places at
# the same day (153 of 162 before it, 0.952 -> 0.947), so the pool is short again.
@NOT_YET
@pytest.mark.slow
def test_all_published_cases_pooled_catch_95_percent_of_emergencies_from_the_narrative(
    pooled: dict[str, evaluation.EvalReport],
) -> None:
    assert (pooled["narrative"].emergency_sensitivity or 0.0) >= 0.95


@pytest.mark.slow
def test_all_published_cases_pooled_under_triage_at_most_8_percent_from_the_narrative(
    pooled: dict[str, evaluation.EvalReport],
) -> None:
    assert pooled["narrative"].under_triage <= 0.08


# The sixth draw (thirteenth round), whose exam items are mostly diagnoses outside the knowledge base, took the
# pool's top three from 0.82 to 0.77; the seventeenth round brought it back to 0.80 (docs/vignettes.md). The eighth
# draw (twenty-third round), eleven of whose twenty exam golds are outside it, took it to 0.79.
@pytest.mark.slow
@NOT_YET
def test_all_published_cases_pooled_have_the_gold_in_the_top_three_for_80_percent_from_the_narrative(
    pooled: dict[str, evaluation.EvalReport],
) -> None:
    assert pooled["narrative"].top3 >= 0.80


@pytest.mark.slow
def test_all_published_cases_pooled_meet_the_targets_in_the_person_s_own_words(
    pooled: dict[str, evaluation.EvalReport],
) -> None:
    report = pooled["narrative_patient"]
    assert (report.emergency_sensitivity or 0.0) >= 0.90
    assert report.under_triage <= 0.10
