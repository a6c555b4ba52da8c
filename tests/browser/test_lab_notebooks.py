"""Every notebook in JupyterLab, as a student uses it (``pytest -m browser``).

For each notebooks/*.ipynb (not notebooks/solutions/), in headless Chromium,
one test, ``test_notebook_in_lab``, in two parts:

* run all: open the notebook, wait for its kernel, run all cells, wait until
  none shows [*] and the kernel is idle, and fail on any error output (a
  traceback or an exception on stderr; warnings are fine). Then a screenshot
  of the whole notebook, every cell: ``<notebook>.png``.
* the explorers: every explorer the notebook builds is on the page; each of
  its controls is changed as a person would, and the explorer's figure must
  change every time, with no error from the kernel. Screenshots:
  ``<notebook>--explorer<i>-<Class>--before.png``, ``--NN-<control>.png``,
  ``--after.png``.

One test per notebook, not one per part, because the explorers need the
run-all's kernel, and pytest-xdist (``.ci/run`` runs this suite on two
workers) cannot keep two tests on one worker with pytest 9: its
``--dist loadgroup`` no longer groups them. The kernel is shut down when the
test ends.
"""

import re
import time

import pytest

import browser_explorers
from browser_lab import LabNotebook
from browser_settings import KERNEL_TIMEOUT, REPO, RUN_TIMEOUT, report

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))  # not notebooks/solutions/
# Tall enough that the largest explorer (the AttentionInspector) fits under JupyterLab's toolbars.
EXPLORER_VIEWPORT = {"width": 1400, "height": 1700}
# "explorers.ShiftExplorer(...)", "ex = ReadWriteExplorer(...)", "AttentionInspector(model, ...)"
EXPLORER_CALL = re.compile(r"^(?:\w+\s*=\s*)?(?:\w+\.)?(\w+(?:Explorer|Inspector))\(", re.MULTILINE)


def explorers_in(path):
    """The explorer classes the notebook's code cells build, in order (one per cell)."""
    import nbformat

    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        match = EXPLORER_CALL.search(cell.source) if cell.cell_type == "code" else None
        if match:
            found.append(match.group(1))
    return found


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def lab_notebook(request, lab_server, lab_context, screenshots_dir):
    """One notebook opened in JupyterLab with all its cells run."""
    t0 = time.monotonic()
    nb = LabNotebook(lab_context, lab_server, request.param, workspace=f"t{int(time.time() * 1000)}")
    nb.setup_error, times = None, []
    try:
        nb.wait_kernel_idle(KERNEL_TIMEOUT)
        times.append(f"open + kernel {time.monotonic() - t0:.1f} s")
        t1 = time.monotonic()
        nb.run = nb.run_all(RUN_TIMEOUT)
        times.append(f"run-all {time.monotonic() - t1:.1f} s")
        t2 = time.monotonic()
        shots = nb.screenshot_whole(screenshots_dir)
        times.append(f"screenshot ({', '.join(shots)}) {time.monotonic() - t2:.1f} s")
    except Exception as err:  # reported by the test, with a screenshot, not as a setup error
        nb.setup_error = f"{nb.name}: {type(err).__name__}: {err}"
        times.append(f"FAILED after {time.monotonic() - t0:.1f} s ({type(err).__name__})")
    report(f"{nb.name}: " + ", ".join(times))
    yield nb
    nb.close()


def test_notebook_in_lab(lab_notebook, screenshots_dir):
    nb = lab_notebook
    check_run_all(nb)
    expected = explorers_in(nb.path)
    if expected:
        check_explorers(nb, expected, screenshots_dir)


def check_run_all(nb):
    assert nb.setup_error is None, (f"{nb.setup_error}\n\nerrors on the page:\n"
                                    + ("\n\n".join(nb.errors()) or "(none)")
                                    + f"\n\nbrowser console:\n{nb.console.tail()}")
    errors = nb.errors()
    assert not errors, f"{nb.name}: {len(errors)} error(s) after run-all:\n\n" + "\n\n".join(errors)
    assert nb.run.get("result") is not False and "error" not in nb.run, (
        f"{nb.name}: run-all reported failure ({nb.run}) but no error output was found; "
        f"browser console:\n{nb.console.tail()}")


def check_explorers(nb, expected, screenshots_dir):
    outputs = browser_explorers.explorer_outputs(nb.panel)
    assert outputs.count() == len(expected), (
        f"{nb.name}: the notebook builds {len(expected)} explorer(s) {expected}, the page shows "
        f"{outputs.count()}\n" + "\n\n".join(nb.errors()))
    nb.watch_kernel()
    start = time.monotonic()
    nb.page.set_viewport_size(EXPLORER_VIEWPORT)
    for i, cls in enumerate(expected):
        lines = browser_explorers.drive(outputs.nth(i), f"{nb.name}--explorer{i}-{cls}", screenshots_dir,
                                        idle=nb.wait_kernel_idle_now)
        report(f"{nb.name}: {cls}: " + "; ".join(lines))
        kernel_errors = nb.kernel_errors()
        assert not kernel_errors, f"{nb.name}: {cls}: the kernel reported errors:\n" + "\n\n".join(kernel_errors)
    report(f"{nb.name}: drove {len(expected)} explorer(s) in {time.monotonic() - start:.1f} s")
    errors = nb.errors()
    assert not errors, f"{nb.name}: errors on the page after using the explorers:\n" + "\n\n".join(errors)
