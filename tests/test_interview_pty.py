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
RESULT = "What could be causing it"
STYLE = r"(?:\x1b\[[0-9;]*m)*"
FIRST_QUESTION = rf"Question 1 of at most \d+{STYLE}\s+{STYLE}([^\r\n\x1b]+)"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only"),
    pytest.mark.skipif(not SPINECHECK.exists(), reason="run scripts/setup.sh to install the spinecheck command"),
]


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "xterm"}
    return pexpect.spawn(str(SPINECHECK), ["interview", *args], env=env, encoding="utf-8", timeout=30)


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


def test_a_checklist_takes_the_numbers_of_every_ticked_item() -> None:
    child = spawn()
    give_age_and_sex(child, "60", "m")
    child.expect("Tick all that apply")
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
    child.expect(CHECKLIST_PROMPT)
    child.sendline("0")
    child.expect(r"Question 2 of at most \d+")
    child.expect(CHECKLIST_PROMPT)
    child.close(force=True)
