"""The projector page: the AttentionInspector alone, served by Voila (``pytest -m browser``).

Voila runs notebooks/projector.ipynb (quick mode) and shows its outputs
without code. On a 1400 x 900 screen the page must be at most 1.2 screens
tall, so a class can follow it on a projector; the test then moves the
inspector's controls and checks that the figure changes each time.
Screenshots: ``voila-projector--page-before.png`` / ``--page-after.png`` and
``voila-projector--inspector--*.png``.
"""

import time

import pytest
from playwright.sync_api import expect

import browser_explorers
from browser_lab import ConsoleLog, dom_errors
from browser_settings import REPO, VOILA_TIMEOUT, report

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "projector.ipynb"
SCREEN = {"width": 1400, "height": 900}
MAX_SCREENS = 1.2
# Voila may scroll an inner element rather than the document: the lowest bottom edge of anything drawn.
PAGE_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight,
    ...Array.from(document.querySelectorAll('body *')).map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0).map(r => r.bottom + window.scrollY))"""


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebooks/projector.ipynb does not exist yet")
def test_attention_inspector_in_voila(voila_server, tracked_page, screenshots_dir):
    page = tracked_page
    page.set_viewport_size(SCREEN)
    console = ConsoleLog(page)
    start = time.monotonic()
    # Voila runs the whole notebook before (and while) it sends the page.
    page.goto(voila_server.url(), wait_until="commit", timeout=VOILA_TIMEOUT * 1000)
    inspector = browser_explorers.explorer_outputs(page).filter(
        has=page.locator(".widget-slider", has_text="time step"))
    try:
        expect(inspector.first.locator(".widget-slider").first).to_be_visible(timeout=VOILA_TIMEOUT * 1000)
    except AssertionError as err:
        raise AssertionError(f"the inspector did not appear in Voila within {VOILA_TIMEOUT:.0f} s; errors on "
                             f"the page:\n" + ("\n\n".join(dom_errors(page)) or "(none)")
                             + f"\n\nbrowser console:\n{console.tail()}\n\nVoila log:\n{voila_server.log_tail()}"
                             ) from err
    report(f"voila projector: inspector shown after {time.monotonic() - start:.1f} s")
    expect(inspector).to_have_count(1)
    errors = dom_errors(page)
    assert not errors, "errors on the Voila page:\n" + "\n\n".join(errors)
    browser_explorers.wait_loaded(inspector.locator(browser_explorers.EXPLORER_IMAGE).first)
    height = page.evaluate(PAGE_HEIGHT_JS)
    assert height <= MAX_SCREENS * SCREEN["height"], (
        f"the projector page is {height} px tall: more than {MAX_SCREENS} screens of {SCREEN['height']} px")
    report(f"voila projector: page {height} px tall on a {SCREEN['width']} x {SCREEN['height']} screen")
    page.screenshot(path=str(screenshots_dir / "voila-projector--page-before.png"), full_page=True)
    lines = browser_explorers.drive(inspector.first, "voila-projector--inspector", screenshots_dir,
                                    only=["time step", "head", "length"])
    report("voila projector: AttentionInspector: " + "; ".join(lines))
    page.screenshot(path=str(screenshots_dir / "voila-projector--page-after.png"), full_page=True)
    errors = dom_errors(page)
    assert not errors, "errors on the Voila page after moving its controls:\n" + "\n\n".join(errors)
