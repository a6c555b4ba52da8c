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

import browser_pages as bp
from browser_config import REPO, VOILA_TIMEOUT, WIDGET_TIMEOUT, report

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "projector.ipynb"
SCREEN = {"width": 1400, "height": 900}
MAX_SCREENS = 1.2


@pytest.fixture
def voila_page(browser_context):
    page = browser_context.new_page()
    page.set_viewport_size(SCREEN)
    page.console = bp.ConsoleLog(page)
    yield page
    page.close(run_before_unload=False)


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebooks/projector.ipynb does not exist yet")
def test_attention_inspector_in_voila(voila_server, voila_page, screenshots_dir):
    page, console = voila_page, voila_page.console
    start = time.monotonic()
    # Voila runs the whole notebook before (and while) it sends the page.
    page.goto(voila_server.page_url(), wait_until="commit", timeout=VOILA_TIMEOUT * 1000)
    inspector = bp.explorer_outputs(page).filter(has=page.locator(".widget-slider", has_text="time step"))
    try:
        inspector.first.locator(".widget-slider").first.wait_for(
            state="visible", timeout=max(1.0, VOILA_TIMEOUT - (time.monotonic() - start)) * 1000)
    except Exception as err:
        raise AssertionError(
            f"the inspector did not appear in Voila within {VOILA_TIMEOUT:.0f} s ({type(err).__name__}); "
            f"errors on the page:\n" + ("\n\n".join(bp.dom_errors(page)) or "(none)")
            + f"\n\nbrowser console:\n{console.tail()}\n\nVoila log:\n{voila_server.log_tail()}") from None
    report(f"voila projector: inspector shown after {time.monotonic() - start:.1f} s")
    assert inspector.count() == 1, f"expected one AttentionInspector on the Voila page, found {inspector.count()}"
    errors = bp.dom_errors(page)
    assert not errors, "errors on the Voila page:\n" + "\n\n".join(errors)
    bp.wait_image_loaded(bp.image_of(inspector.first), timeout=WIDGET_TIMEOUT * 1000)
    # Voila may scroll an inner element rather than the document: measure the
    # lowest bottom edge of anything drawn.
    height = page.evaluate(
        "Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll('body *'))"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)"
        ".map(r => r.bottom + window.scrollY))")
    assert height <= MAX_SCREENS * SCREEN["height"], (
        f"the projector page is {height} px tall: more than {MAX_SCREENS} screens of {SCREEN['height']} px")
    report(f"voila projector: page {height} px tall on a {SCREEN['width']} x {SCREEN['height']} screen")
    bp.screenshot_whole(page, screenshots_dir / "voila-projector--page-before.png")
    changes = bp.drive_explorer(inspector.first, "voila-projector--inspector", screenshots_dir,
                                only=["time step", "head", "length"])
    report("voila projector: AttentionInspector: " + "; ".join(changes))
    bp.screenshot_whole(page, screenshots_dir / "voila-projector--page-after.png")
    errors = bp.dom_errors(page)
    assert not errors, "errors on the Voila page after moving the slider:\n" + "\n\n".join(errors)
