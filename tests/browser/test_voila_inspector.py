"""The AttentionInspector as a standalone Voila page (``pytest -m browser``).

Voila runs notebooks/06_inspecting_attention.ipynb (quick mode) and shows its
outputs without code; the test waits for the inspector's widgets, moves the
time-step slider with the keyboard and checks that the figure changed.
Screenshots: ``voila-06--page-before.png`` / ``--page-after.png`` (whole page)
and ``voila-06--inspector--before.png`` / ``--after.png``.
"""

import time

import pytest

import browser_pages as bp
from browser_config import REPO, VOILA_TIMEOUT, WIDGET_TIMEOUT, report

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "06_inspecting_attention.ipynb"


@pytest.fixture
def voila_page(browser_context):
    page = browser_context.new_page()
    # tall enough for the whole inspector in one view (its screenshots)
    page.set_viewport_size({"width": 1400, "height": 1700})
    page.console = bp.ConsoleLog(page)
    yield page
    page.close(run_before_unload=False)


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebooks/06_inspecting_attention.ipynb does not exist yet")
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
    report(f"voila 06: inspector shown after {time.monotonic() - start:.1f} s")
    assert inspector.count() == 1, f"expected one AttentionInspector on the Voila page, found {inspector.count()}"
    errors = bp.dom_errors(page)
    assert not errors, "errors on the Voila page:\n" + "\n\n".join(errors)
    bp.wait_image_loaded(bp.image_of(inspector.first), timeout=WIDGET_TIMEOUT * 1000)
    bp.screenshot_whole(page, screenshots_dir / "voila-06--page-before.png")
    changes = bp.drive_explorer(inspector.first, "voila-06--inspector", screenshots_dir, only=["time step"])
    report("voila 06: AttentionInspector: " + "; ".join(changes))
    bp.screenshot_whole(page, screenshots_dir / "voila-06--page-after.png")
    errors = bp.dom_errors(page)
    assert not errors, "errors on the Voila page after moving the slider:\n" + "\n\n".join(errors)
