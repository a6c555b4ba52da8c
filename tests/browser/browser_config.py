"""Settings shared by the browser tests' conftest and test modules.

Timeouts (seconds) come from the environment, because a loaded 2-core
machine is slow: BROWSER_RUN_TIMEOUT (run-all of one notebook, 480),
BROWSER_KERNEL_TIMEOUT (a server or kernel to start, 180),
BROWSER_WIDGET_TIMEOUT (one explorer update, 60), BROWSER_VOILA_TIMEOUT
(Voila to run and render its notebook, 480).
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def timeout_from_env(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return float(default)


RUN_TIMEOUT = timeout_from_env("BROWSER_RUN_TIMEOUT", 480)
KERNEL_TIMEOUT = timeout_from_env("BROWSER_KERNEL_TIMEOUT", 180)
WIDGET_TIMEOUT = timeout_from_env("BROWSER_WIDGET_TIMEOUT", 60)
VOILA_TIMEOUT = timeout_from_env("BROWSER_VOILA_TIMEOUT", 480)


def screenshots_path():
    """``$BROWSER_SCREENSHOTS`` or browser-screenshots/ at the repository root."""
    return Path(os.environ.get("BROWSER_SCREENSHOTS") or REPO / "browser-screenshots").resolve()


# Timings and what the explorers did, printed in the terminal summary.
REPORT = {"ran": False, "lines": []}


def report(line):
    REPORT["lines"].append(line)
