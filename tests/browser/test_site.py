"""The course website (build/site, made by tools/build_site.py) in headless Chromium.

Every page is opened from a local HTTP server: it must load every image, link
only to pages and anchors that exist, show no Python traceback among the
notebook outputs, render its mathematics, and fetch nothing from outside the
site (no CDN).
"""

import functools
import os
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from playwright.sync_api import expect

from browser_servers import StaticServer
from browser_settings import REPO, report

pytestmark = pytest.mark.browser

SITE = Path(os.environ.get("NTM_SITE_DIR", REPO / "build" / "site"))
SKIPPED_PAGES = {"genindex.html", "search.html", "py-modindex.html"}


def pages():
    if not (SITE / "index.html").exists():
        return []
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if not p.relative_to(SITE).parts[0].startswith("_") and p.name not in SKIPPED_PAGES
    )


PAGES = pages()


@pytest.fixture(scope="module")
def site_url():
    if not PAGES:
        message = f"no website at {SITE}: build it with `python tools/build_site.py`"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = StaticServer(SITE)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def site_page(browser, browser_context_args, site_url):
    """One page for the whole site (MathJax loads once), with every request
    outside the site aborted and recorded, and every failed response recorded."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.outside, page.missing = [], []

    def route(r):
        if r.request.url.startswith((site_url, "data:")):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: page.missing.append(resp.url) if resp.status >= 400 else None)
    yield page
    context.close()


def test_there_is_a_page_per_lesson():
    lessons = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    built = {Path(p).stem for p in PAGES if p.startswith("notebooks/")}
    if not PAGES:
        pytest.skip("no website built")
    assert set(lessons) <= built, f"lessons without a page: {sorted(set(lessons) - built)}"
    for name in ("index.html", "TEACHING.html", "docs/results.html", "api.html"):
        assert name in PAGES, f"{name} is missing from the site"


@pytest.mark.parametrize("name", PAGES or ["(none)"])
def test_page(site_page, site_url, name):
    page = site_page
    page.outside.clear()
    page.missing.clear()
    url = urljoin(site_url, name)
    page.goto(url, wait_until="load")
    broken_images = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src').slice(0, 80))"
    )
    assert not broken_images, f"{name}: images that did not load: {broken_images}"
    assert not page.missing, f"{name}: requests that failed: {page.missing}"
    assert not page.outside, f"{name}: fetched from outside the site: {page.outside}"
    # Outputs only: a docstring's example may show a traceback on purpose.
    outputs = "\n".join(page.eval_on_selector_all(".cell_output", "els => els.map(e => e.innerText)"))
    assert "Traceback (most recent call last)" not in outputs, f"{name}: a Python traceback in an output"
    assert "Error" not in "".join(page.eval_on_selector_all(".cell_output .output.stderr", "els => els.map(e => e.innerText)")), (
        f"{name}: an error in a cell's stderr")
    assert not page.query_selector(".output.traceback, .output.error"), f"{name}: an error output"
    if "$" in _source_of(name) or name.startswith("notebooks/"):
        if page.query_selector(".math, .MathJax, mjx-container, span.math"):
            expect(page.locator("mjx-container").first).to_be_attached()
    for link in page.eval_on_selector_all("main a[href]", "as => as.map(a => a.href)"):
        check_link(name, link, site_url)
    report(f"site: {name} ok")


@functools.lru_cache(maxsize=None)
def _source_of(name):
    return (SITE / name).read_text(errors="replace")


def check_link(name, link, site_url):
    """An internal link must point at a file of the site, and its anchor at an id there."""
    if not link.startswith(site_url):
        return  # external links are the reader's to follow; nothing is fetched here
    target, anchor = urldefrag(link)
    path = urlparse(target).path[1:] or "index.html"
    if path.endswith("/"):
        path += "index.html"
    file = SITE / path
    assert file.exists(), f"{name}: broken link to {path}"
    if anchor and file.suffix == ".html":
        ids = set(re.findall(r'\bid="([^"]+)"', _source_of(path)))
        assert unquote(anchor) in ids, f"{name}: link to {path}#{anchor}, which has no such anchor"
