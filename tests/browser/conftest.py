"""Fixtures of the browser tests (``pytest -m browser``), on pytest-playwright.

pytest-playwright gives the browser (its ``browser`` fixture, launched with
``browser_type_launch_args`` below: the system Chromium, ``/usr/bin/chromium``
or ``$BROWSER_CHROMIUM``; Playwright never downloads one here) and the
``page`` of the one-page tests. This file adds the servers (JupyterLab once
per session, Voila per module), a browser context for JupyterLab that lives
as long as the server, and the screenshots folder: ``$BROWSER_SCREENSHOTS`` or
``browser-screenshots/`` at the repository root, with the servers' logs and a
``FAILED-<test>.png`` of every open page when a test fails.

Under pytest-xdist (``.ci/run`` uses ``-n 2``) every worker runs its own
servers, and the report lines travel to the controller's summary with the
test reports.

Waiting is Playwright's: ``expect()`` retries until its timeout (see
browser_settings.py; all timeouts can be set from the environment).
"""

import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_servers  # noqa: E402
from browser_settings import (KERNEL_TIMEOUT, PENDING_REPORT, REPO, SCREENSHOTS, WIDGET_TIMEOUT,  # noqa: E402
                              WORKER, report)

try:
    import pytest_playwright  # noqa: F401
    from playwright.sync_api import expect
except ImportError:  # without the browser extra the rest of the tests still run
    collect_ignore_glob = ["test_*.py"]
    expect = None


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1400, "height": 1000}

if expect is not None:
    expect.set_options(timeout=WIDGET_TIMEOUT * 1000)
OPEN_CONTEXTS = []  # contexts this file made, for failure screenshots


# -- pytest-playwright's settings --------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"no Chromium at {executable}: run 'apt-get install -y chromium' (as root) or set "
                    f"BROWSER_CHROMIUM; Playwright never downloads one here", pytrace=False)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "device_scale_factor": 1}


# -- report and failure screenshots ------------------------------------------

def pytest_collection_finish(session):
    if any(item.get_closest_marker("browser") for item in session.items):
        tr = session.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line(f"browser tests: screenshots and server logs go to {SCREENSHOTS}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The phase's report lines go with its report (to the summary, tests/conftest.py);
    a failed test leaves a screenshot of every page of our contexts (taken before
    the fixtures' teardown closes them; pytest-playwright's ``--screenshot`` covers
    its own ``page``)."""
    rep = (yield).get_result()
    if PENDING_REPORT:  # a plain attribute: pytest-xdist sends it to the controller with the report
        rep.summary_lines = [("browser tests", line) for line in PENDING_REPORT]
        PENDING_REPORT.clear()
    if rep.when != "call" or not rep.failed:
        return
    stem = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1]).strip("_")
    shots = []
    for i, page in enumerate(p for c in OPEN_CONTEXTS for p in c.pages):
        target = SCREENSHOTS / f"{stem}{f'-{i}' if i else ''}.png"
        try:
            page.screenshot(path=str(target), timeout=30_000)
            shots.append(str(target))
        except Exception as err:  # a crashed page must not hide the test's own failure
            shots.append(f"(no screenshot of page {i}: {err})")
    if shots:
        rep.sections.append(("failure screenshots", "\n".join(shots)))


# -- servers and contexts ------------------------------------------------------

@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("FAILED-*.png"):  # ours, from an earlier run
        stale.unlink(missing_ok=True)  # another xdist worker may have removed it
    report(f"screenshots and server logs: {SCREENSHOTS}")
    return SCREENSHOTS


def log_file(folder, server):
    """``jupyterlab.log``; ``jupyterlab-gw0.log`` in xdist's worker gw0, which runs its own servers."""
    return folder / f"{server}{'-' + WORKER if WORKER else ''}.log"


@pytest.fixture(scope="session")
def jupyter_config_dir(tmp_path_factory):
    return browser_servers.make_config_dir(tmp_path_factory.mktemp("jupyter-config"))


@pytest.fixture(scope="session")
def lab_server(jupyter_config_dir, screenshots_dir):
    server = browser_servers.start_lab(jupyter_config_dir, log_file(screenshots_dir, "jupyterlab"), KERNEL_TIMEOUT)
    server.shutdowns = []  # background kernel shutdowns (browser_lab.LabNotebook.close)
    yield server
    for thread in server.shutdowns:
        thread.join(timeout=60)
    server.stop()


@pytest.fixture(scope="session")
def lab_context(browser, browser_context_args):
    """One browser context for every notebook in JupyterLab (a page per notebook)."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(WIDGET_TIMEOUT * 1000)
    OPEN_CONTEXTS.append(context)
    yield context
    OPEN_CONTEXTS.remove(context)
    context.close()


@pytest.fixture(scope="module")
def voila_server(jupyter_config_dir, screenshots_dir):
    notebook = REPO / "notebooks" / "projector.ipynb"
    if not notebook.exists():
        pytest.skip(f"{notebook.relative_to(REPO)} does not exist yet")
    server = browser_servers.start_voila(notebook, jupyter_config_dir, log_file(screenshots_dir, "voila"),
                                         KERNEL_TIMEOUT)
    yield server
    server.stop()


@pytest.fixture
def tracked_page(page):
    """pytest-playwright's ``page``, also photographed by the failure hook above."""
    page.set_default_timeout(WIDGET_TIMEOUT * 1000)
    OPEN_CONTEXTS.append(page.context)
    yield page
    OPEN_CONTEXTS.remove(page.context)
