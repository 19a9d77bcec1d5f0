"""Every input a person can give `spinecheck` gets an answer: a result that says what is missing, or one clear
line on standard error with exit code 2 — never a silent all-clear, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import assert_no_traceback, assert_one_line_error, invoke

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


def check_json(*args: str, stdin: bytes | str | None = None) -> dict:  # type: ignore[type-arg]
    result = invoke(["check", *args, "--json"], stdin)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def write(path: Path, content: bytes | str) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- no all-clear without information -------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["--present", ""], ["--present", "", "--absent", " , "], ["--age", "40"]],
                         ids=["no arguments", "empty present", "empty lists", "age only"])
def test_nothing_usable_is_incomplete_and_not_self_care(args: list[str]) -> None:
    result = check_json(*args)
    assert result["status"] == "incomplete"
    assert result["triage"]["level"] != "self_care"
    assert result["open_questions"]
    assert "Nothing that was given could be used" in " ".join(result["triage"]["reasons"])


def test_an_empty_findings_file_is_incomplete(tmp_path: Path) -> None:
    result = check_json("--findings", str(write(tmp_path / "f.json", "{}")))
    assert (result["status"], result["triage"]["level"]) == ("incomplete", "routine")


@pytest.mark.parametrize("text", ["some text", "Ich habe seit drei Wochen Rückenschmerzen"])
def test_text_with_no_symptom_is_incomplete_and_says_so(text: str) -> None:
    result = check_json(text)
    assert (result["status"], result["triage"]["level"]) == ("incomplete", "routine")
    assert "No symptom was recognised in the description." in result["notes"]


def test_weakness_of_both_legs_with_back_pain_given_as_ids_is_urgent() -> None:
    result = check_json("--present", "low_back_pain,leg_weakness_bilateral")
    assert result["triage"]["level"] == "urgent"
    assert "No warning sign was found" not in " ".join(result["triage"]["reasons"])


def test_weakness_of_both_legs_with_back_pain_in_words_is_urgent() -> None:
    result = check_json("my back hurts and my legs are weak")
    assert result["triage"]["level"] in ("urgent", "emergency")


def test_a_description_below_urgent_names_the_warning_signs_it_never_mentioned() -> None:
    result = check_json("my lower back aches after gardening, no fever")
    assert result["triage"]["level"] == "routine"
    items = [item["finding"] for question in result["open_questions"] for item in question["items"]]
    assert "saddle_numbness" in items and "fever" not in items
    assert any("did not mention" in note for note in result["notes"])


def test_a_findings_file_and_a_description_are_both_used(tmp_path: Path) -> None:
    findings = write(tmp_path / "f.json", json.dumps({"present": ["history_of_cancer"]}))
    result = check_json("my lower back hurts", "--findings", str(findings))
    assert {"history_of_cancer", "low_back_pain"} <= set(result["findings"]["present"])


def test_a_contradiction_in_the_words_is_reported_and_read_the_safer_way() -> None:
    result = check_json("I have a fever. I don't have a fever. My back hurts.")
    assert [c["findings"] for c in result["contradictions"]] == [["fever"]]
    assert "fever" in result["findings"]["present"]
    assert result["triage"]["level"] in ("urgent", "emergency")


def test_a_contradiction_between_the_words_and_the_ids_is_reported_too() -> None:
    result = check_json("I have numbness between my legs", "--absent", "saddle_numbness")
    assert [c["findings"] for c in result["contradictions"]] == [["saddle_numbness"]]
    assert result["triage"]["level"] == "emergency"


def test_one_sided_pain_gives_its_side() -> None:
    result = check_json("shooting pain down my left leg below the knee, and my left foot slaps when I walk")
    assert result["localisation"]["side"] == "left"


# --- ways to give a description -------------------------------------------------------------------


def test_a_description_on_standard_input() -> None:
    result = check_json("-", stdin="my lower back hurts and my legs are weak")
    assert "leg_weakness_bilateral" in result["findings"]["present"]


def test_a_description_in_a_text_file(tmp_path: Path) -> None:
    result = check_json("--text-file", str(write(tmp_path / "d.txt", "\ufeffmy legs are weak and my back hurts\n")))
    assert "leg_weakness_bilateral" in result["findings"]["present"]


def test_control_characters_in_a_description_are_read_as_spaces() -> None:
    result = check_json("my back hurts\x00 and \x1b[31mmy legs are weak\x07")
    assert {"low_back_pain", "leg_weakness_bilateral"} <= set(result["findings"]["present"])


def test_markup_like_text_is_shown_as_written() -> None:
    result = invoke(["parse", "my back hurts [/x] and my cat [red]is purple[/x]"])
    assert_no_traceback(result)
    assert result.exit_code == 0 and "[red]is purple" in result.stdout


# --- bad input: one line, exit code 2 -------------------------------------------------------------


def test_undecodable_bytes_in_an_argument() -> None:
    assert_one_line_error(invoke(["check", "back pain \udcff\udcfe"]), "not valid text")


def test_standard_input_that_is_not_text() -> None:
    assert_one_line_error(invoke(["check", "-"], b"back pain \xff\xfe\x00"), "standard input is not text")


def test_a_description_given_twice(tmp_path: Path) -> None:
    text_file = write(tmp_path / "d.txt", "back pain")
    assert_one_line_error(invoke(["check", "back pain", "--text-file", str(text_file)]), "give the description once")


def test_an_over_long_description() -> None:
    assert_one_line_error(invoke(["check", "my back hurts " * 500]), "please shorten it")


@pytest.mark.parametrize("option", ["--findings", "--text-file"])
def test_a_binary_file(tmp_path: Path, option: str) -> None:
    binary = write(tmp_path / "x.bin", bytes(range(256)) * 4)
    assert_one_line_error(invoke(["check", option, str(binary)]), "is not a text file")


@pytest.mark.parametrize("option", ["--findings", "--text-file"])
def test_a_folder_where_a_file_is_expected(tmp_path: Path, option: str) -> None:
    assert_one_line_error(invoke(["check", option, str(tmp_path)]), "is a folder")


@pytest.mark.parametrize("option", ["--findings", "--text-file"])
def test_a_missing_file(tmp_path: Path, option: str) -> None:
    assert_one_line_error(invoke(["check", option, str(tmp_path / "nope.json")]), "no such")


@pytest.mark.parametrize("option", ["--findings", "--text-file"])
def test_a_file_name_with_a_null_character(option: str) -> None:
    assert_one_line_error(invoke(["check", option, "case\x00.json"]), "no file name can have")


@pytest.mark.parametrize(("content", "words"), [
    ('{"present": ["low_back_pain"], "presnt": ["fever"]}', ["unknown key 'presnt'", "present, absent"]),
    ('{"present": "low_back_pain"}', ["present: Input should be a valid list"]),
    ('{"findings": {"fever": "yes"}}', ["findings.fever"]),
    ('{"age": 1e999}', ["age"]),
    ('{"age": ' + "9" * 5000 + "}", ["cannot be read"]),
    ("[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
    ('["low_back_pain"]', ["one JSON object"]),
    ("{not json", ["not valid JSON", "line 1"]),
    ('{"present": ["low_bak_pain"]}', ["unknown finding 'low_bak_pain'", "low_back_pain"]),
], ids=["unknown key", "string not list", "not a boolean", "huge float", "huge integer", "deep nesting",
        "not an object", "broken json", "unknown id"])
def test_a_findings_file_that_cannot_be_used(tmp_path: Path, content: str, words: list[str]) -> None:
    assert_one_line_error(invoke(["check", "--findings", str(write(tmp_path / "f.json", content))]), *words)


@pytest.mark.parametrize(("args", "words"), [
    (["check", "--age", "abc"], ["--age"]),
    (["check", "--age", "999"], ["--age"]),
    (["check", "--sex", "x"], ["--sex"]),
    (["check", "--bogus"], ["No such option"]),
    (["check", "--present", "no_such_finding"], ["unknown finding 'no_such_finding'"]),
    (["check", "--present", "a\nb\x1b[2J"], ["unknown finding"]),
    (["check", "--kb", "/nonexistent", "--present", "low_back_pain"], ["no knowledge base at /nonexistent"]),
    (["kb", "show", "no_such_condition"], ["unknown condition"]),
    (["interview", "--kb", "/nonexistent"], ["no knowledge base"]),
    (["instrument", "oswestry", "--answers", "²,1"], ["answer 1"]),
], ids=["age not a number", "age too high", "sex", "unknown option", "unknown id", "control characters in an id",
        "missing knowledge base", "unknown condition", "interview without a knowledge base", "superscript digit"])
def test_bad_options(args: list[str], words: list[str]) -> None:
    assert_one_line_error(invoke(args), *words)


def test_a_file_as_the_knowledge_base(tmp_path: Path) -> None:
    assert_one_line_error(invoke(["check", "--kb", str(write(tmp_path / "kb", "x"))]), "is a file")


def test_a_folder_that_is_not_a_knowledge_base(tmp_path: Path) -> None:
    assert_one_line_error(invoke(["kb", "validate", "--kb", str(tmp_path)]), "is not a knowledge-base folder")


# --- eval --------------------------------------------------------------------------------------------


VIGNETTE = {"id": "v1", "narrative": "back pain", "findings": {"low_back_pain": True},
            "gold_condition": "strain", "gold_triage": "self_care"}


def eval_file(tmp_path: Path, lines: list[str] | bytes) -> list[str]:
    path = tmp_path / "v.jsonl"
    write(path, lines if isinstance(lines, bytes) else "\n".join(lines) + "\n")
    return ["eval", str(path), "--json", "--kb", str(MINI_KB)]


@pytest.mark.parametrize(("lines", "words"), [
    ([], ["holds no vignettes"]),
    (["", "   "], ["holds no vignettes"]),
    ([json.dumps(VIGNETTE), json.dumps(VIGNETTE)], ["the id 'v1' is used twice", "line 1"]),
    ([json.dumps({**VIGNETTE, "findings": {"low_bak_pain": True}})], ["vignette v1", "unknown finding 'low_bak_pain'"]),
    ([json.dumps({**VIGNETTE, "gold_triage": "soon"})], ["gold_triage"]),
    (["[1, 2]"], ["one JSON object"]),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), ["is not a text file"]),
], ids=["empty file", "blank lines", "duplicate ids", "unknown finding id", "bad level", "not an object", "binary"])
def test_a_vignette_file_that_cannot_be_scored(tmp_path: Path, lines: list[str] | bytes, words: list[str]) -> None:
    assert_one_line_error(invoke(eval_file(tmp_path, lines)), *words)


def test_eval_on_a_folder(tmp_path: Path) -> None:
    assert_one_line_error(invoke(["eval", str(tmp_path), "--kb", str(MINI_KB)]), "is a folder")


def test_a_good_vignette_file_is_scored(tmp_path: Path) -> None:
    result = invoke(eval_file(tmp_path, [json.dumps(VIGNETTE)]))
    assert_no_traceback(result)
    assert json.loads(result.stdout)["n"] == 1


# --- listing finding ids ------------------------------------------------------------------------------


def test_kb_findings_lists_every_id_with_its_label() -> None:
    result = invoke(["kb", "findings", "--json"])
    assert_no_traceback(result)
    listed = {item["id"]: item["label"] for item in json.loads(result.stdout)}
    assert listed["saddle_numbness"] and len(listed) > 200


def test_kb_findings_search_finds_words_in_labels_and_synonyms() -> None:
    result = invoke(["kb", "findings", "--search", "SADDLE"])
    assert_no_traceback(result)
    assert "saddle_numbness" in result.stdout and "low_back_pain" not in result.stdout


def test_kb_findings_search_with_no_match_says_so() -> None:
    result = invoke(["kb", "findings", "--search", "zebra"])
    assert result.exit_code == 1 and "no finding matches 'zebra'" in result.stderr


# --- the interview ---------------------------------------------------------------------------------------


def test_typed_bytes_that_are_not_text_never_end_in_a_traceback() -> None:
    """The reply is asked again; where the input stream cannot go on after the bad bytes, the interview
    stops as when the typing runs out."""
    result = invoke(["interview", "--json", "--kb", str(MINI_KB)], stdin=b"\xed\xa0\x80\n45\nm\n" + b"n\n" * 30)
    assert_no_traceback(result)
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert result.stderr.startswith("note: the interview stopped before the end")


def test_the_interview_stops_cleanly_when_the_typing_runs_out() -> None:
    result = invoke(["interview", "--kb", str(MINI_KB)], stdin="45\n")
    assert_no_traceback(result)
    assert result.exit_code == 1 and result.stderr.startswith("note: the interview stopped before the end")
