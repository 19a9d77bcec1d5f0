"""`spinecheck interview` driven end to end through a real pseudo-terminal, as a person would type."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[1]
SPINECHECK = ROOT / ".venv" / "bin" / "spinecheck"
MINI_KB = ROOT / "tests" / "fixtures" / "mini_kb"
BOOLEAN_PROMPT = r"\[b\] back > "
CHOICE_PROMPT = r"or \[b\] back > "
RESULT = "What to do now"
STYLE = r"(?:\x1b\[[0-9;]*m)*"
FIRST_QUESTION = rf"Question 1 of at most \d+{STYLE}\s+{STYLE}([^\r\n\x1b]+)"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only"),
    pytest.mark.skipif(not SPINECHECK.exists(), reason="run scripts/setup.sh to install the spinecheck command"),
]


def spawn(*args: str, timeout: int = 30) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "xterm"}
    return pexpect.spawn(str(SPINECHECK), ["interview", *args], env=env, encoding="utf-8", timeout=timeout)


def give_age_and_sex(child: pexpect.spawn, age: str = "45", sex: str = "f") -> None:
    child.expect("How old are you")
    child.sendline(age)
    child.expect("female or male")
    child.sendline(sex)


def test_a_person_can_answer_every_question_and_gets_the_result() -> None:
    child = spawn()
    give_age_and_sex(child)
    asked = 0
    while True:
        index = child.expect([CHOICE_PROMPT, BOOLEAN_PROMPT, RESULT, pexpect.EOF])
        if index == 0:
            child.sendline("?")
        elif index == 1:
            child.sendline("n")
        else:
            break
        asked += 1
        assert asked <= 200
    assert index == 2, child.before
    assert asked >= 1
    child.expect("not a diagnosis")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_progress_shows_the_question_number_and_the_maximum() -> None:
    child = spawn("--kb", str(MINI_KB))
    give_age_and_sex(child)
    child.expect(r"Question 1 of at most \d+")
    child.sendline("n")
    child.expect(r"Question 2 of at most \d+")
    child.close(force=True)


def test_a_yes_to_an_emergency_sign_ends_with_emergency_advice() -> None:
    child = spawn("--kb", str(MINI_KB))
    give_age_and_sex(child, "60", "m")
    child.expect(BOOLEAN_PROMPT)
    child.sendline("y")
    child.expect("your answers point to an emergency")
    child.expect("EMERGENCY")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_b_goes_back_to_the_previous_question() -> None:
    child = spawn("--kb", str(MINI_KB))
    give_age_and_sex(child, "", "")
    child.expect(FIRST_QUESTION)
    first = child.match.group(1).strip()
    child.sendline("n")
    child.expect(r"Question 2 of at most")
    child.sendline("b")
    child.expect(FIRST_QUESTION)
    assert child.match.group(1).strip() == first
    child.close(force=True)


def test_closing_the_input_stops_without_a_traceback() -> None:
    child = spawn("--kb", str(MINI_KB))
    child.expect("How old are you")
    child.sendeof()
    child.expect(pexpect.EOF)
    assert "Traceback" not in (child.before or "")
    child.close()
    assert child.exitstatus == 1


CHECKLIST_PROMPT = r"numbers of all that apply.*?or \[b\] back > "


def answer_the_opening(child: pexpect.spawn, where: str = "1", how_bad: str = "6") -> None:
    """Where it hurts (1: the low back) and how bad, the two questions every interview opens with."""
    child.expect("Tick every place where you feel pain")
    child.expect(CHECKLIST_PROMPT)
    child.sendline(where)
    child.expect("from 0 .no pain at all. to 10")
    child.expect(SCALE_PROMPT)
    child.sendline(how_bad)


NUMBERED_PROMPT = r"1-\d+, 0, \[\?\] don't know or \[b\] back > "
SCALE_PROMPT = r"0 to 10, \[\?\] don't know or \[b\] back > "


def test_the_interview_starts_with_where_it_hurts_then_how_bad_then_the_warning_signs() -> None:
    child = spawn()
    give_age_and_sex(child, "52", "m")
    child.expect(r"Question 1 of at most \d+")
    child.expect(r"What is troubling you\? Tick every place where you feel pain")
    child.expect(r"\[1\] Low back")
    child.expect(CHECKLIST_PROMPT)
    child.sendline("1")
    child.expect(r"Question 2 of at most \d+")
    child.expect(SCALE_PROMPT)
    child.sendline("11")
    child.expect("Please type a whole number from 0 to 10")
    child.sendline("8")
    child.expect(r"Question 3 of at most \d+")
    child.expect("Since this started, have you noticed any of these")
    child.close(force=True)


def test_back_reaches_age_and_sex_and_dont_know_skips_them() -> None:
    child = spawn()
    give_age_and_sex(child, "?", "?")
    child.expect(CHECKLIST_PROMPT)
    child.sendline("b")
    child.expect("female or male")
    child.sendline("b")
    child.expect("How old are you")
    child.sendline("b")
    child.expect("nothing to go back to")
    child.close(force=True)


def test_after_a_description_the_questions_are_numbered_from_one() -> None:
    # Reading a description loads the text reader first, which takes a while on a busy machine.
    child = spawn("--from-text", "I am a 45 year old man and my lower back has hurt for 3 weeks, no fever", timeout=120)
    child.expect(r"answer\(s\) already known")
    child.expect(r"Question 1 of at most \d+")
    child.close(force=True)


def test_a_checklist_takes_the_numbers_of_every_ticked_item() -> None:
    child = spawn()
    give_age_and_sex(child, "60", "m")
    answer_the_opening(child)
    child.expect("Since this started, have you noticed any of these")
    child.expect(CHECKLIST_PROMPT)
    child.sendline("99 x")
    child.expect("Please type the numbers")
    child.sendline("5, 1")  # the first item is trouble passing urine: an emergency sign
    child.expect("your answers point to an emergency")
    child.expect("EMERGENCY")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_none_of_these_on_a_checklist_moves_on_to_the_next_question() -> None:
    child = spawn()
    give_age_and_sex(child, "60", "m")
    answer_the_opening(child)
    child.expect(CHECKLIST_PROMPT)
    child.sendline("0")
    child.expect(r"Question 4 of at most \d+")
    child.expect(CHECKLIST_PROMPT)
    child.close(force=True)


def spawn_check(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "xterm", "SPINECHECK_NO_SERVER": "1"}
    return pexpect.spawn(str(SPINECHECK), ["check", *args], env=env, encoding="utf-8", timeout=120)


def test_check_in_a_terminal_offers_the_open_warning_sign_questions_and_shows_the_new_result() -> None:
    child = spawn_check("I am a 40 year old man, my lower back aches after gardening, it is 4 out of 10")
    child.expect("Questions still open")
    child.expect(r"warning-sign question\(s\) are still open. Answer them now\? \[Y/n\] ")
    child.sendline("")
    answered = 0
    while True:
        index = child.expect([CHECKLIST_PROMPT, SCALE_PROMPT, NUMBERED_PROMPT, BOOLEAN_PROMPT, "What to do now",
                              pexpect.EOF])
        if index >= 4:
            break
        child.sendline("n" if index == 3 else "0")
        answered += 1
        assert answered <= 30
    assert index == 4 and answered >= 5
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Questions still open" not in (child.before or "")


def test_check_in_a_terminal_can_decline_the_questions() -> None:
    child = spawn_check("my lower back aches")
    child.expect(r"Answer them now\? \[Y/n\] ")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
