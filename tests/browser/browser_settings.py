"""Settings of the browser tests, shared by conftest.py and the test modules.

Timeouts (seconds) come from the environment, because a loaded 2-core machine
is slow: BROWSER_WIDGET_TIMEOUT (60: one explorer update, and every
``expect()``), BROWSER_KERNEL_TIMEOUT (180: a server or kernel to start),
BROWSER_RUN_TIMEOUT (480: run-all of one notebook), BROWSER_VOILA_TIMEOUT
(480: Voila to run and show its notebook).
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _seconds(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return float(default)


RUN_TIMEOUT = _seconds("BROWSER_RUN_TIMEOUT", 480)
KERNEL_TIMEOUT = _seconds("BROWSER_KERNEL_TIMEOUT", 180)
WIDGET_TIMEOUT = _seconds("BROWSER_WIDGET_TIMEOUT", 60)
VOILA_TIMEOUT = _seconds("BROWSER_VOILA_TIMEOUT", 480)
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or REPO / "browser-screenshots").resolve()

# Timings and what the explorers did, for the terminal summary's "browser tests"
# section: a line waits here until the report of the test phase that wrote it
# carries it to the process that prints the summary (tests/conftest.py).
PENDING_REPORT = []
# pytest-xdist's worker name ("gw0"), "" without xdist: servers' log files carry it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def report(line):
    """A line for the "browser tests" section of the terminal summary."""
    PENDING_REPORT.append(line)
