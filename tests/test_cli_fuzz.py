"""Generated input never reaches a person as a traceback: 10,000 inputs through Typer's CliRunner, in-process.

Each test sends one kind of input a person controls — a findings file's bytes, its JSON, option values,
a description, standard input, a vignette file, replies typed into the interview — and checks that
spinecheck answers (exit 0), or refuses with exactly one line on standard error and exit code 2 (or
1 when the person stopped), never with a traceback or a fault of its own (exit 70). Each generated
example carries a few inputs, each run on its own (hypothesis costs about as much per example as a
refused input does); examples times inputs add up to `TOTAL_INPUTS`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_support import assert_no_traceback, invoke
from spinecheck.services.assessment import load_model

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"
FINDING_IDS = [*sorted(load_model().finding_index)[:40], "low_back_pain", "leg_weakness_bilateral", "fever"]

# kind of input -> (generated examples, inputs per example)
EXAMPLES = {
    "findings_bytes": (700, 6),
    "findings_json": (400, 3),
    "options": (700, 4),
    "description": (150, 2),
    "standard_input": (50, 4),
    "vignette_file": (400, 2),
    "interview_replies": (250, 2),
}
TOTAL_INPUTS = sum(examples * per_example for examples, per_example in EXAMPLES.values())


@pytest.fixture(scope="module", autouse=True)
def long_lived_objects_frozen() -> Iterator[None]:
    """Load the knowledge bases and the reader once, then freeze them: otherwise the garbage collector
    rescans them after every few generated inputs, which triples the time each input takes."""
    invoke(["check", "my back hurts", "--json", "--no-ask"])
    invoke(["check", "--json", "--kb", str(MINI_KB)])
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def fuzz(name: str) -> Any:
    return settings(
        max_examples=EXAMPLES[name][0], deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def inputs(name: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """`strategy` drawn as many times as one example of this kind of input carries."""
    per_example = EXAMPLES[name][1]
    return st.lists(strategy, min_size=per_example, max_size=per_example)


def answered_or_refused_in_one_line(result: Any) -> None:
    assert_no_traceback(result)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


# Text from every Unicode category, lone surrogates (undecodable bytes in argv) included.
ANY_CHARACTER = st.one_of(
    st.characters(codec=None),
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co", "Mn", "Nd", "No", "Sm", "So"]),
    st.sampled_from(["\udcff", "\ud800", "\x00", "\x1b", "[", "/", "]", "\u202e", "\ufeff", "🦴"]),
)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=60)
HUGE_NUMBERS = st.one_of(
    st.integers(), st.integers(min_value=10**18, max_value=10**40), st.floats(allow_nan=True, allow_infinity=True),
)


def test_the_fuzz_tests_generate_ten_thousand_inputs() -> None:
    assert TOTAL_INPUTS == 10_000


@fuzz("findings_bytes")
@given(inputs("findings_bytes", st.binary(max_size=300)))
def test_any_bytes_as_a_findings_file(contents: list[bytes]) -> None:
    for content in contents:
        answered_or_refused_in_one_line(invoke(["check", "--findings", "-", "--json"], stdin=content))


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), HUGE_NUMBERS, ANY_TEXT, st.sampled_from(FINDING_IDS)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(ANY_TEXT, st.sampled_from(FINDING_IDS)), children,
                                                        max_size=4),
    ),
    max_leaves=12,
)
FINDINGS_OBJECTS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({}, optional={
        "present": st.one_of(st.lists(st.sampled_from(FINDING_IDS), max_size=5), JSON_VALUES),
        "absent": st.one_of(st.lists(st.sampled_from(FINDING_IDS), max_size=5), JSON_VALUES),
        "findings": st.one_of(st.dictionaries(st.sampled_from(FINDING_IDS), st.one_of(st.booleans(), st.none())),
                              JSON_VALUES),
        "age": st.one_of(st.integers(-5, 200), HUGE_NUMBERS, JSON_VALUES),
        "sex": st.one_of(st.sampled_from(["female", "male", "other", ""]), JSON_VALUES),
    }),
)


@fuzz("findings_json")
@given(inputs("findings_json", st.one_of(
    FINDINGS_OBJECTS.map(lambda value: json.dumps(value, allow_nan=True)),
    st.integers(1, 5_000).map(deep_json),
    st.integers(1, 6_000).map(lambda digits: '{"age": ' + "9" * digits + "}"),
)))
def test_any_json_as_a_findings_file(texts: list[str]) -> None:
    for text in texts:
        content = text.encode("utf-8", "surrogatepass")
        answered_or_refused_in_one_line(invoke(["check", "--findings", "-", "--json"], stdin=content))


OPTION_VALUE = st.one_of(ANY_TEXT, st.sampled_from(FINDING_IDS), HUGE_NUMBERS.map(str))


OPTION_PAIRS = st.lists(st.tuples(st.sampled_from(["--present", "--absent", "--age", "--sex", "--kb", "--text-file",
                                                   "--ask", "--clinician", "--no-ask", "--bogus", "-"]), OPTION_VALUE),
                        max_size=4)


@fuzz("options")
@given(inputs("options", OPTION_PAIRS))
def test_any_option_values(command_lines: list[list[tuple[str, str]]]) -> None:
    for pairs in command_lines:
        args = ["check", "--json", "--no-ask"]
        for option, value in pairs:
            args += [option] if option in ("--ask", "--clinician", "--no-ask", "-") else [option, value]
        answered_or_refused_in_one_line(invoke(args, stdin=b""))


@fuzz("description")
@given(inputs("description", st.one_of(ANY_TEXT, st.text(max_size=200), st.sampled_from([
    "my back hurts", "no fever. fever.", "legs weak since 3 days, 10/10 pain", "ääää" * 40,
]))))
def test_any_description(texts: list[str]) -> None:
    for text in texts:
        answered_or_refused_in_one_line(invoke(["check", text, "--json", "--no-ask"]))


@fuzz("standard_input")
@given(inputs("standard_input", st.one_of(
    st.binary(max_size=300), ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
)))
def test_any_bytes_on_standard_input(contents: list[bytes]) -> None:
    for content in contents:
        answered_or_refused_in_one_line(invoke(["check", "-", "--json", "--no-ask"], stdin=content))


def jsonl(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8", "surrogatepass")


VIGNETTE_LINES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(
        st.fixed_dictionaries({"id": st.one_of(st.sampled_from(["a", "b"]), ANY_TEXT),
                               "gold_condition": st.one_of(st.just("strain"), ANY_TEXT),
                               "gold_triage": st.sampled_from(["self_care", "urgent", "soon"])},
                              optional={"findings": JSON_VALUES, "age": HUGE_NUMBERS, "narrative": ANY_TEXT,
                                        "sex": JSON_VALUES}),
        JSON_VALUES,
    ).map(lambda value: json.dumps(value)), max_size=3).map(jsonl),
)


@fuzz("vignette_file")
@given(inputs("vignette_file", st.tuples(VIGNETTE_LINES, st.sampled_from(["findings"] * 8 + ["narrative", "interview",
                                                                                          "x"]))))
def test_any_vignette_file(files: list[tuple[bytes, str]]) -> None:
    for content, mode in files:
        result = invoke(["eval", "-", "--mode", mode, "--json", "--kb", str(MINI_KB)], stdin=content)
        answered_or_refused_in_one_line(result)


REPLY = st.one_of(
    st.sampled_from(["y", "n", "?", "b", "0", "1", "2", "1 2", "99", "", "45", "f", "m", "²", "9" * 50]), ANY_TEXT,
)


@fuzz("interview_replies")
@given(inputs("interview_replies", st.lists(REPLY.filter(lambda r: "\n" not in r and "\r" not in r), max_size=10)))
def test_any_typed_replies_in_the_interview(sessions: list[list[str]]) -> None:
    for replies in sessions:
        typed = "".join(reply + "\n" for reply in replies).encode("utf-8", "surrogatepass")
        result = invoke(["interview", "--json", "--kb", str(MINI_KB)], stdin=typed)
        answered_or_refused_in_one_line(result)
        assert result.exit_code in (0, 1)  # finished, or stopped when the typing ran out
