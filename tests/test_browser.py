"""The web pages in a real browser: Debian's Chromium driven by Playwright against a live server.

A person with sciatica and a weak big toe completes the check; a person who lost bladder control
sees the emergency banner before anything else; taps on the body map become findings; axe-core
finds no serious or critical accessibility problem on any page. Screenshots of every page at
390 px and 1280 px wide are written to docs/screenshots/ on the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from web_support import SCREENSHOTS

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server)
    context.set_default_timeout(120_000)  # the first description loads the language model; the machine may be busy
    opened = context.new_page()
    yield opened
    context.close()


def snap(page: Any, name: str) -> None:
    """Screenshots of the page as it is, at phone and desktop widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=name != "about")
    page.set_viewport_size({"width": 390, "height": 844})


def accessible(axe: Any, page: Any) -> None:
    violations = axe.run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in SERIOUS]
    assert not bad, bad


def hidden_state(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(page.locator("input[name=state]").first.get_attribute("value"))
    return state


def begin(page: Any, age: str, sex: str) -> None:
    page.goto("/check")
    page.fill("#age", age)
    page.check(f"#sex-{sex}")
    page.check("#how-questions")
    with page.expect_navigation():
        page.click("button[type=submit]")


def answer_until_result(page: Any, choose: Callable[[Any], bool], limit: int = 40) -> None:
    """Answer every question: `choose` may tick items and returns True if it answered; else 'no' / 'none'
    (on a scale, its bottom: no pain at all; on the checklist of test results, which has no 'none', don't
    know: no test was done)."""
    for _ in range(limit):
        if page.locator("article.result").count():
            return
        if not choose(page):
            if page.locator("button[name=reply][value=no]").count():
                page.click("button[name=reply][value=no]")
            elif page.locator("fieldset.scale").count():
                page.locator("fieldset.scale input[type=radio]").first.check()
                page.click("button[name=reply][value=picked]")
            elif page.locator("button[name=reply][value=none]").count():
                page.click("button[name=reply][value=none]")
            else:
                page.click("button[name=reply][value=unknown]")
    raise AssertionError("the check did not end")


def test_sciatica_with_a_weak_big_toe_is_routine_with_disc_herniation_first(page: Any, axe: Any) -> None:
    page.goto("/")
    snap(page, "start")
    accessible(axe, page)
    page.click("text=Start the check")
    snap(page, "about-you")
    accessible(axe, page)
    begin(page, "38", "male")
    snap(page, "body-map")
    accessible(axe, page)
    for mark in ("pain-lower_back", "pain-left_back_thigh", "pain-left_calf", "weak-left_foot_top"):
        page.check(f"#mark-{mark}")
    page.click("form.body-map button[type=submit]")
    snap(page, "question")
    accessible(axe, page)
    answer_until_result(page, lambda _: False)
    assert page.locator("article.result").get_attribute("data-level") == "routine"
    assert page.locator(".card").first.get_attribute("data-condition") == "lumbar_disc_herniation"
    assert page.locator(".emergency-banner").count() == 0
    snap(page, "result-routine")
    accessible(axe, page)


def test_lost_bladder_control_shows_the_emergency_banner_first(page: Any, axe: Any) -> None:
    begin(page, "45", "female")
    page.check("#mark-pain-lower_back")
    page.click("form.body-map button[type=submit]")

    def tick_bladder(current: Any) -> bool:
        item = current.locator("#pick-urinary_incontinence")
        if item.count():
            item.check()
            current.click("button[name=reply][value=picked]")
            return True
        return False

    answer_until_result(page, tick_bladder)
    first = page.locator("body > *:not(.skip)").first
    assert first.get_attribute("class") == "emergency-banner"
    assert "emergency" in first.inner_text().lower() or "999" in first.inner_text()
    assert page.locator("article.result").get_attribute("data-level") == "emergency"
    snap(page, "result-emergency")
    accessible(axe, page)


def test_tapping_the_body_map_gives_the_expected_findings(page: Any) -> None:
    begin(page, "50", "male")
    page.click(".mode-pain svg.body-back polygon[data-spot=lower_back]")
    page.click(".mode-pain svg.body-back polygon[data-spot=left_calf]")
    page.click(".mode-numb svg.body-front polygon[data-spot=left_foot_top]")
    page.click(".mode-weak svg.body-front polygon[data-spot=left_foot_top]")
    assert page.is_checked("#mark-numb-left_foot_top")
    assert page.locator(".mode-pain polygon[data-spot=left_calf].on").count() == 1
    page.click("form.body-map button[type=submit]")
    state = hidden_state(page)
    expected = {"low_back_pain", "leg_pain", "leg_pain_below_knee", "leg_pain_unilateral",
                "numbness_foot_top_big_toe", "leg_numbness_tingling", "weakness_big_toe_extension", "leg_weakness"}
    assert expected <= {finding for finding, reply in state["answers"].items() if reply == "yes"}
    assert state["sides"]["weakness_big_toe_extension"] == "left"


def test_describing_in_own_words_works_by_keyboard(page: Any, axe: Any) -> None:
    page.goto("/check")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.check("#how-describe")
    with page.expect_navigation():  # the screenshot and the scan read the page the button leads to
        page.click("button[type=submit]")
    snap(page, "describe")
    accessible(axe, page)
    page.fill("#text", "My lower back has hurt for two weeks and the pain shoots down my right leg to the foot.")
    page.keyboard.press("Tab")
    with page.expect_navigation():  # Enter submits the form; read the page it leads to, not the one it leaves
        page.keyboard.press("Enter")
    assert page.locator("h1").first.inner_text() == "Where do you feel it?"
    assert hidden_state(page)["answers"].get("low_back_pain") == "yes"


@pytest.mark.parametrize(
    ("path", "name"),
    [("/conditions", "conditions"), ("/conditions/cauda_equina_syndrome", "condition"), ("/about", "about"),
     ("/conditions/no_such_thing", "not-found")],
)
def test_library_pages_are_accessible(page: Any, axe: Any, path: str, name: str) -> None:
    page.goto(path)
    snap(page, name)
    accessible(axe, page)


def test_pages_fit_a_320_px_screen(page: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/check", "/conditions/lumbar_disc_herniation", "/about"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
