"""The slide decks (build/slides, made by tools/build_slides.py) open without internet.

Each deck is served from a local HTTP server with every request outside it
aborted: reveal.js must initialise from the local copy, MathJax must typeset
the formulas, and three presses of
the keyboard (Right, Space, Right) must each move to another slide, as a
lecturer steps through a lecture. Screenshots: ``slides-<deck>-<n>.png``.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from browser_servers import StaticServer
from browser_settings import REPO, report

pytestmark = pytest.mark.browser

SLIDES = REPO / "build" / "slides"
DECKS = ["01_the_paper", "03_addressing"]
# The slides (a vertical stack is a <section> of <section>s; count its slides, not the stack).
SLIDES_JS = "() => document.querySelectorAll('.reveal .slides section:not(.stack)').length"


@pytest.fixture(scope="module")
def slides_url():
    if not (SLIDES / f"{DECKS[0]}.slides.html").exists():
        message = f"no slides in {SLIDES}: build them with `python tools/build_slides.py`"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = StaticServer(SLIDES)
    yield server.url
    server.stop()


@pytest.mark.parametrize("deck", DECKS)
def test_deck_opens_offline_and_advances(tracked_page, slides_url, deck, screenshots_dir):
    page, outside, failed = tracked_page, [], []

    def route(r):
        if r.request.url.startswith((slides_url, "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: failed.append(resp.url) if resp.status >= 400 else None)
    page.goto(f"{slides_url}{deck}.slides.html")
    # reveal.js (loaded through require.js, so no global) marks the deck "ready" once initialised.
    expect(page.locator(".reveal.ready")).to_be_attached()
    # MathJax (local too) typesets the formulas of both decks.
    expect(page.locator(".MathJax_CHTML").first).to_be_attached()
    total = page.evaluate(SLIDES_JS)
    assert total >= 4, f"{deck}: {total} slide(s); the deck needs at least 4 to step through three"
    expect(page.locator(".reveal .slides > section").first).to_have_class(re.compile(r"\bpresent\b"))
    page.screenshot(path=str(screenshots_dir / f"slides-{deck}-0.png"))
    # reveal writes its position into the URL (history: true): #/h, #/h/v, #/h/v/fragment.
    url = page.url
    for step, key in enumerate(["ArrowRight", "Space", "ArrowRight"], start=1):
        page.keyboard.press(key)
        expect(page, f"{deck}: {key} did not move the deck from {url}").not_to_have_url(url)
        url = page.url
        page.screenshot(path=str(screenshots_dir / f"slides-{deck}-{step}.png"))
    assert not outside, f"{deck}: the deck asked for things outside it: {outside}"
    assert not failed, f"{deck}: requests that failed: {failed}"
    report(f"slides: {deck}: {total} slides, reveal.js ready offline, three key presses -> "
           f"{url.rpartition('#')[2] or '(first slide)'}")
