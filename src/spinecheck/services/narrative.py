"""Use-case: assess a person from their own words.

The text is read by the NLP adapter (loaded once per process, and only when text is actually
given), turned into evidence, merged with any findings stated explicitly, and assessed. What
the reader could not map is returned as a note ("I did not understand: ...") so the person or
the interview can follow it up. Importing this module registers the `narrative` eval mode.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.interview import InterviewState
from spinecheck.core.localisation import Side
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError
from spinecheck.core.text import ParseResult, TextReader, TextTooLongError
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services import evaluation
from spinecheck.services.assessment import load_model, make_evidence
from spinecheck.services.interview import state_from_evidence

ReaderFactory = Callable[[CompiledModel], TextReader]

_FACTORY: list[ReaderFactory] = []
_READERS: dict[str, TextReader] = {}
_LOCK = threading.Lock()


def use_reader(factory: ReaderFactory) -> None:
    """Wire in the text reader (the interfaces do this with the medspaCy adapter)."""
    with _LOCK:
        _FACTORY[:] = [factory]
        _READERS.clear()


def reader_for(model: CompiledModel) -> TextReader:
    """The reader for this knowledge base, built on first use and kept for the life of the process."""
    with _LOCK:
        if not _FACTORY:
            raise EvidenceError("understanding free text needs the language component, which is not installed")
        reader = _READERS.get(model.kb.content_hash)
        if reader is None:
            reader = _FACTORY[0](model)
            _READERS[model.kb.content_hash] = reader
    return reader


def clean_text(text: str) -> str:
    """The text with invisible control and format characters turned into spaces, one for one (so the
    offsets of what is read still point into it); characters that are not text at all are an error."""
    if any(unicodedata.category(char) == "Cs" for char in text):
        raise EvidenceError("the description holds bytes that are not text (it is not valid UTF-8)")
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t" else char for char in text
    )


def parse_text(text: str, model: CompiledModel | None = None) -> ParseResult:
    """Findings present and absent, age, sex and what was not understood; a clear error if too long."""
    model = model or load_model()
    try:
        return reader_for(model).parse(clean_text(text))
    except TextTooLongError as error:
        raise EvidenceError(str(error)) from None


def evidence_from_parse(
    parsed: ParseResult,
    model: CompiledModel,
    present: Iterable[str] | None = None,
    absent: Iterable[str] | None = None,
    age: int | None = None,
    sex: str | None = None,
) -> Evidence:
    """Parsed findings merged with stated ones; a stated age or sex wins over one read in the text.

    Where the two disagree about a finding, both answers are kept: `assess` reports the
    contradiction and reads it the safer way. What a text that was understood (something in it was
    read) never mentions, present, denied or in doubt, adds its silence finding where the knowledge
    base has one (`silence_about`): weak evidence, since people mostly name what troubles them; an
    answer about it makes it moot. A text of which nothing was read says nothing by its silence.
    """
    stated = make_evidence(present, absent, age, sex)
    said = (*parsed.present, *parsed.absent, *parsed.unknown, *parsed.negated)
    mentioned = {finding.id for finding in said} | set(parsed.mentioned)
    silences = model.silent_about(mentioned) if said else frozenset()
    return Evidence(
        present=frozenset(parsed.present_ids) | stated.present | silences,
        absent=frozenset(parsed.absent_ids) | stated.absent,
        age=stated.age if stated.age is not None else parsed.age,
        sex=stated.sex if stated.sex is not None else parsed.sex,
    )


def contradicted_ids(parsed: ParseResult) -> list[str]:
    """Findings the text gives both ways ("I have a fever. I don't have a fever."), which the reader leaves unknown."""
    return sorted({finding.id for finding in parsed.unknown if "contradicted" in finding.context})


def sides_from_parse(parsed: ParseResult) -> dict[str, Side]:
    """Which leg each finding of the text was on, for the localisation."""
    return dict(parsed.laterality)


def assess_text(
    text: str,
    model: CompiledModel | None = None,
    present: Iterable[str] | None = None,
    absent: Iterable[str] | None = None,
    age: int | None = None,
    sex: str | None = None,
    max_conditions: int = 10,
    sides: Mapping[str, Side] | None = None,
) -> Assessment:
    """Read the text, then assess; the notes say what was not understood or stayed uncertain.

    A description that leaves warning signs unanswered gives an `incomplete` result: its open
    questions are the warning signs the text never mentioned, and a note says so. `sides` (which
    leg a finding was on) wins over the sides read in the text.
    """
    model = model or load_model()
    if not text.strip() and not present and not absent:
        raise EvidenceError("the description is empty: say in a few words what you feel")
    parsed = parse_text(text, model)
    evidence = evidence_from_parse(parsed, model, present, absent, age, sex)
    result = assess(
        model, evidence, max_conditions=max_conditions, sides={**sides_from_parse(parsed), **(sides or {})},
        contradicted=contradicted_ids(parsed),
    )
    notes = parsed.notes()
    if not parsed.present and not parsed.absent and not present and not absent:
        notes.insert(0, "No symptom was recognised in the description.")
    unmentioned = sum(len(question.items) for question in result.open_questions)
    if unmentioned and result.triage.level.rank < TriageLevel.URGENT.rank:
        notes.append(
            f"The description did not mention {unmentioned} warning sign{'s' if unmentioned > 1 else ''}; "
            "they are listed as open questions."
        )
    return result.model_copy(update={"notes": [*result.notes, *notes]}) if notes else result


def run_narrative_mode(model: CompiledModel, vignette: evaluation.Vignette) -> evaluation.CaseOutcome:
    """Eval runner: read the vignette's narrative; its age and sex fill in what the text does not say."""
    parsed = parse_text(vignette.narrative, model)
    evidence = evidence_from_parse(parsed, model)
    evidence = evidence.model_copy(update={
        "age": evidence.age if evidence.age is not None else vignette.age,
        "sex": evidence.sex if evidence.sex is not None else vignette.sex,
    })
    result = assess(
        model, evidence, max_conditions=len(model.condition_ids), sides=sides_from_parse(parsed),
        contradicted=contradicted_ids(parsed), screen_floor=False,
    )
    return evaluation.CaseOutcome(result, None, ())


evaluation.register_mode("narrative", run_narrative_mode)


def interview_state_from_text(text: str, model: CompiledModel) -> tuple[InterviewState, ParseResult]:
    """Start an interview from a person's own words: what the text settles is not asked again."""
    parsed = parse_text(text, model)
    return state_from_evidence(model, evidence_from_parse(parsed, model), contradicted_ids(parsed)), parsed


def interview_state_with_text(
    text: str, model: CompiledModel, state: InterviewState
) -> tuple[InterviewState, ParseResult]:
    """An interview state with what a description settles added; answers already given win, and
    age and sex already given are kept."""
    from_text, parsed = interview_state_from_text(text, model)
    return InterviewState(
        answers={**from_text.answers, **state.answers},
        age=state.age if state.age is not None else from_text.age,
        sex=state.sex if state.sex is not None else from_text.sex,
    ), parsed


def assess_input(
    model: CompiledModel,
    text: str | None = None,
    present: Iterable[str] | None = None,
    absent: Iterable[str] | None = None,
    age: int | None = None,
    sex: str | None = None,
    sides: Mapping[str, Side] | None = None,
) -> Assessment:
    """Assess whatever was given: a description with any stated findings (where the two disagree,
    `assess` reports it and reads it the safer way; a stated age or sex wins), or findings alone."""
    if text is not None and text.strip():
        return assess_text(text, model, present, absent, age, sex, sides=sides)
    return assess(model, make_evidence(present, absent, age, sex), sides=sides)
