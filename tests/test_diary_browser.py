"""The diary in a real browser: sign up, three entries, the chart, an alert for a new red flag, the PDF.

Debian's Chromium, driven by Playwright against a live server on 127.0.0.1. The downloaded PDF is
opened with pypdf and its text checked. Screenshots of the diary pages go to docs/screenshots/.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from web_support import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server, accept_downloads=True)
    context.set_default_timeout(120_000)
    opened = context.new_page()
    yield opened
    context.close()


def snap(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in {"phone": (390, 844), "desktop": (1280, 900)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def accessible(page: Any) -> None:
    """No serious or critical axe-core finding on the page."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def add_entry(page: Any, when: str, back: int, left: int, right: int, walk: int, tick: tuple[str, ...] = ()) -> None:
    """One entry as a person makes it: three scores, a distance, perhaps a tick, save (about 20 seconds by hand)."""
    page.click("#add-entry")
    page.fill("#recorded_at", when)
    page.fill("#back_pain", str(back))
    page.fill("#leg_pain_left", str(left))
    page.fill("#leg_pain_right", str(right))
    page.fill("#walking_distance_m", str(walk))
    for box in tick:
        page.check(box)
    page.click("#save-entry")


def test_sign_up_three_entries_chart_alert_and_pdf(page: Any, tmp_path: Any) -> None:
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/diary")
    page.click("text=Create an account")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    assert page.locator("h1").first.inner_text() == "My diary"

    add_entry(page, "2026-03-01T08:00", 4, 5, 0, 900)
    add_entry(page, "2026-03-02T08:00", 5, 6, 0, 700)
    page.click("#add-entry")
    page.fill("#recorded_at", "2026-03-03T08:00")  # a fixed time, so the screenshot only changes with the page
    snap(page, "diary-entry")
    accessible(page)
    page.go_back()
    add_entry(page, "2026-03-03T08:00", 5, 6, 1, 600)
    assert page.locator(".emergency-banner, .alert-banner").count() == 0
    assert page.locator("svg#chart-pain circle.point").count() == 9
    assert page.locator("svg#chart-walking circle.point").count() == 3
    assert page.locator("ol.entries > li").count() == 3
    snap(page, "diary")

    add_entry(page, "2026-03-04T08:00", 6, 6, 1, 600, tick=("#bladder-hard_to_pass",))
    first = page.locator("body > *:not(.skip)").first
    assert first.get_attribute("class") == "emergency-banner"
    assert "Cauda equina" in first.inner_text()
    assert page.locator("#diary-alert li[data-kind=new_red_flag]").count() == 1
    snap(page, "diary-alert")
    accessible(page)

    with page.expect_download() as download_info:
        page.click("#report-pdf")
    target = tmp_path / "report.pdf"
    download_info.value.save_as(str(target))
    pages = PdfReader(str(target)).pages
    first_page = " ".join(pages[0].extract_text().split())
    assert "summary for the doctor" in first_page and email in first_page
    assert "EMERGENCY" in first_page and "Cauda equina" in first_page
    assert "Pain over time" in first_page
