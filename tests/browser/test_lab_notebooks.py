"""Every notebook in JupyterLab, as a student uses it (``pytest -m browser``).

For each notebooks/*.ipynb (not notebooks/solutions/), in headless Chromium:

* ``test_run_all_cells``: open the notebook, wait for its kernel, run all
  cells, wait until none shows [*] and the kernel is idle, and fail on any
  error output (a traceback or an exception on stderr; warnings are fine).
  A screenshot of the whole notebook goes to ``<notebook>.png``.
* ``test_explorers_respond``: every explorer the notebook builds must be on
  the page; each of its controls is moved as a person would (keyboard on the
  slider handles, a choice in the dropdowns, typing + the button of the
  AttentionInspector) and the explorer's figure (an ipywidgets.Image) must
  change every time, with no error from the kernel. Screenshots:
  ``<notebook>--explorer<i>-<Class>--before.png`` / ``--after.png`` and the
  figure after each control.

Both tests of a notebook share one run (a module-scoped fixture, parametrized
over the notebooks, so pytest runs them together); the kernel is shut down
before the next notebook opens.
"""

import re
import time

import pytest

import browser_pages as bp
from browser_config import KERNEL_TIMEOUT, REPO, RUN_TIMEOUT, report

pytestmark = pytest.mark.browser

NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))  # not notebooks/solutions/

# Tall enough that the largest explorer (AttentionInspector) fits under JupyterLab's toolbars.
EXPLORER_VIEWPORT_HEIGHT = 1700
# "explorers.ShiftExplorer(...)", "ex = ReadWriteExplorer(...)", "AttentionInspector(model, ...)"
EXPLORER_CALL = re.compile(r"^(?:\w+\s*=\s*)?(?:\w+\.)?(\w+(?:Explorer|Inspector))\(", re.MULTILINE)


def explorers_in(path):
    """The explorer classes the notebook's code cells build, in order (one per cell)."""
    import nbformat

    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            match = EXPLORER_CALL.search(cell.source)
            if match:
                found.append(match.group(1))
    return found


@pytest.fixture(scope="module", params=NOTEBOOKS or [None],
                ids=[p.stem for p in NOTEBOOKS] or ["no-notebooks"])
def lab_notebook(request, screenshots_dir):
    """One notebook opened in JupyterLab with all its cells run."""
    path = request.param
    if path is None:
        pytest.skip("no notebooks under notebooks/ yet")
    # only now: no server and no browser for nothing to test
    lab_server = request.getfixturevalue("lab_server")
    browser_context = request.getfixturevalue("browser_context")
    rel = path.relative_to(REPO).as_posix()
    t0 = time.monotonic()
    nb = bp.LabNotebook(browser_context, lab_server, rel, workspace=f"t{int(time.time() * 1000)}")
    nb.path, nb.setup_error, nb.run = path, None, None
    times = []
    try:
        nb.wait_kernel_idle(KERNEL_TIMEOUT)
        times.append(f"open + kernel {time.monotonic() - t0:.1f} s")
        nb.run = nb.run_all(RUN_TIMEOUT)
        times.append(f"run-all {nb.run.seconds:.1f} s")
    except Exception as err:  # reported by the tests, with a screenshot, not as a setup error
        nb.setup_error = (str(err) if isinstance(err, AssertionError)
                          else f"{path.stem}: {type(err).__name__}: {err}")
        times.append(f"FAILED after {time.monotonic() - t0:.1f} s ({type(err).__name__})")
    t1 = time.monotonic()
    try:
        nb.screenshot_whole(screenshots_dir / f"{path.stem}.png")
        times.append(f"screenshot {time.monotonic() - t1:.1f} s")
    except Exception as err:
        times.append(f"no screenshot ({type(err).__name__}: {err})")
    yield nb
    t2 = time.monotonic()
    nb.close()
    times.append(f"kernel shutdown + close {time.monotonic() - t2:.1f} s")
    report(f"{path.stem}: " + ", ".join(times))


def test_run_all_cells(lab_notebook):
    nb = lab_notebook
    assert nb.setup_error is None, (f"{nb.setup_error}\n\nerrors on the page:\n"
                                    + ("\n\n".join(nb.errors()) or "(none)")
                                    + f"\n\nbrowser console:\n{nb.console.tail()}")
    errors = nb.errors()
    assert not errors, f"{nb.name}: {len(errors)} error(s) after run-all:\n\n" + "\n\n".join(errors)
    assert nb.run.result is not False and nb.run.error is None, (
        f"{nb.name}: run-all reported failure ({nb.run.result!r}, {nb.run.error!r}) but no error output "
        f"was found; browser console:\n{nb.console.tail()}")


def test_explorers_respond(lab_notebook, screenshots_dir):
    nb = lab_notebook
    expected = explorers_in(nb.path)
    if not expected:
        pytest.skip(f"{nb.name} builds no explorer")
    page = nb.page
    outputs = bp.explorer_outputs(nb.panel())
    rendered = outputs.count()
    assert rendered == len(expected), (
        f"{nb.name}: the notebook builds {len(expected)} explorer(s) {expected}, the page shows {rendered}"
        + (f"; run-all failed: {nb.setup_error}" if nb.setup_error else "")
        + "\n" + "\n\n".join(nb.errors()))
    nb.watch_kernel()
    start = time.monotonic()
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": EXPLORER_VIEWPORT_HEIGHT})
    try:
        for i, cls in enumerate(expected):
            explorer = outputs.nth(i)
            changes = bp.drive_explorer(explorer, f"{nb.name}--explorer{i}-{cls}", screenshots_dir,
                                        busy=nb.kernel_busy)
            report(f"{nb.name}: {cls}: " + "; ".join(changes))
            kernel_errors = nb.kernel_errors()
            assert not kernel_errors, (f"{nb.name}: {cls}: the kernel reported errors:\n"
                                       + "\n\n".join(kernel_errors))
    finally:
        page.set_viewport_size(size)
    report(f"{nb.name}: drove {len(expected)} explorer(s) in {time.monotonic() - start:.1f} s")
    errors = nb.errors()
    assert not errors, f"{nb.name}: errors on the page after using the explorers:\n" + "\n\n".join(errors)
