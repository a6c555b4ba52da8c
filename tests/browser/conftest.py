"""Fixtures of the browser tests (``pytest -m browser``): real servers, one Chromium.

* ``lab_server``: JupyterLab from this environment, once per session, serving
  the repository (see browser_servers.py for its flags and settings);
* ``voila_server``: Voila on notebooks/projector.ipynb (the projector page:
  the attention inspector alone), for the module that uses it;
* ``browser_context``: headless system Chromium (``/usr/bin/chromium``, or
  ``$BROWSER_CHROMIUM``) through Playwright's sync API; Playwright never
  downloads a browser here;
* ``screenshots_dir``: ``$BROWSER_SCREENSHOTS`` or ``browser-screenshots/`` at
  the repository root, printed at the start and at the end of the run.

A failing test leaves ``FAILED-<test>.png`` (every open page) in the
screenshots folder; the servers' logs are there too (``jupyterlab.log``,
``voila.log``).

Timeouts: see browser_config.py (all overridable from the environment).
"""

import os
import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_servers  # noqa: E402

from browser_config import (  # noqa: E402
    KERNEL_TIMEOUT,
    REPO,
    REPORT,
    WIDGET_TIMEOUT,
    screenshots_path,
)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
ACTIVE = {}  # the browser context of the session, for failure screenshots


# --------------------------------------------------------------------------
# hooks: the screenshots folder at the start and the end, failure reports
# --------------------------------------------------------------------------

def _is_browser_item(item):
    return item.get_closest_marker("browser") is not None


def pytest_collection_finish(session):
    if any(_is_browser_item(item) for item in session.items):
        REPORT["ran"] = True
        REPORT["start"] = time.monotonic()
        tr = session.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line(f"browser tests: screenshots and server logs go to {screenshots_path()}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not REPORT["ran"]:
        return
    tr = terminalreporter
    tr.section("browser tests")
    for line in REPORT["lines"]:
        tr.write_line(line)
    if "start" in REPORT:
        tr.write_line(f"browser suite wall time: {time.monotonic() - REPORT['start']:.1f} s")
    tr.write_line(f"screenshots and server logs: {screenshots_path()}")


def failure_name(nodeid):
    return "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves a screenshot of every open page, named after it
    (taken here, before the fixtures' teardown closes the pages)."""
    outcome = yield
    rep = outcome.get_result()
    if rep.when != "call" or not rep.failed or not _is_browser_item(item):
        return
    context = ACTIVE.get("context")
    if context is None:
        return
    folder = screenshots_path()
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    for i, page in enumerate(context.pages):
        target = folder / f"{failure_name(item.nodeid)}{f'-{i}' if i else ''}.png"
        try:
            page.screenshot(path=str(target), timeout=30_000)
            shots.append(str(target))
        except Exception as err:  # a crashed page must not hide the test's own failure
            shots.append(f"(no screenshot of page {i}: {err})")
    if shots:
        rep.sections.append(("failure screenshots", "\n".join(shots)))


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def screenshots_dir():
    path = screenshots_path()
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("FAILED-*.png"):  # ours, from an earlier run
        stale.unlink()
    return path


@pytest.fixture(scope="session")
def jupyter_config_dir(tmp_path_factory):
    return browser_servers.make_config_dir(tmp_path_factory.mktemp("jupyter-config"))


@pytest.fixture(scope="session")
def lab_server(jupyter_config_dir, screenshots_dir):
    server = browser_servers.start_lab(jupyter_config_dir, screenshots_dir / "jupyterlab.log",
                                       timeout=KERNEL_TIMEOUT)
    yield server
    try:
        server.shutdown_kernels()
    except OSError:
        pass
    server.stop()


@pytest.fixture(scope="module")
def voila_server(jupyter_config_dir, screenshots_dir):
    notebook = REPO / "notebooks" / "projector.ipynb"
    if not notebook.exists():
        pytest.skip(f"{notebook.relative_to(REPO)} does not exist yet")
    server = browser_servers.start_voila(notebook, jupyter_config_dir, screenshots_dir / "voila.log",
                                         timeout=KERNEL_TIMEOUT)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (browser extra)")
    executable = os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: run 'apt-get install -y chromium' (as root) or set "
                    f"BROWSER_CHROMIUM; Playwright cannot download one here", pytrace=False)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(playwright_browser):
    import browser_pages

    context = playwright_browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.add_init_script(browser_pages.INIT_SCRIPT)
    context.set_default_timeout(WIDGET_TIMEOUT * 1000)
    ACTIVE["context"] = context
    yield context
    ACTIVE.pop("context", None)
    context.close()
