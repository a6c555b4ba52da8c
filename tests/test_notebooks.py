"""Execute every notebook under notebooks/ in quick mode (``-m notebooks``).

Run as the CI does::

    NTM_QUICK=1 .venv/bin/python -m pytest -m notebooks

Each notebook (not those in notebooks/solutions/) is read into memory and run
top to bottom in a fresh ``python3`` kernel, with ``notebooks/`` as the working
directory, ``NTM_QUICK=1`` and the inline matplotlib backend. The files in the
repository are never written: a notebook that ran without error is saved with
its outputs to ``build/executed/`` (or ``$NTM_EXECUTED_DIR``), where
tools/build_site.py takes it for the course website instead of executing it
again. A failing cell is reported with its source and its error. Every
notebook's execution time (and its slowest cells) is printed at the end of the
run (tests/conftest.py), also when pytest-xdist runs the notebooks side by side.
"""

import os
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

pytestmark = pytest.mark.notebooks

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
CELL_TIMEOUT_S = 300
EXECUTED_DIR = Path(os.environ.get("NTM_EXECUTED_DIR", REPO / "build" / "executed"))
KERNEL_NAME = "python3"


def find_notebooks():
    """The notebooks directly under notebooks/ (so not solutions/), sorted."""
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


NOTEBOOKS = find_notebooks()


def kernel_env(tmp_dir=None):
    env = dict(os.environ)
    if tmp_dir is not None:
        # Quick-mode runs write to temporary folders: keep them in pytest's
        # own temporary directory, which pytest cleans up.
        env["TMPDIR"] = str(tmp_dir)
    env["NTM_QUICK"] = "1"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PYTHONUNBUFFERED"] = "1"
    # As a student's kernel starts: .ci/run's quiet setting is not theirs.
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    return env


# Lines a framework logs on its own (TensorFlow's C++ start-up, absl, Python
# warnings): a student cannot act on them, so no output may show one.
FRAMEWORK_LOG = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d\d|WARNING: All log messages before absl|WARNING:(?:tensorflow|absl|jax)"
    r"|.*\b(?:UserWarning|DeprecationWarning|FutureWarning|RuntimeWarning): )"
)


def framework_log_lines(nb):
    """``(cell index, line)`` for every framework log line in the outputs."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            found += [(index, line) for line in text.splitlines() if FRAMEWORK_LOG.match(line)]
    return found


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _error_of(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def _cell_seconds(cell):
    """Execution time of a cell from the timestamps nbclient records."""
    from datetime import datetime

    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def _first_line(cell):
    lines = [line for line in _source(cell).splitlines() if line.strip()]
    return (lines[0][:60] + "…") if lines and len(lines[0]) > 60 else (lines[0] if lines else "")


CPU_TIME_CELL = "import os as _os\nprint('[kernel cpu]', sum(_os.times()[:2]))"


def _kernel_cpu_seconds(cell):
    # A print may arrive as several stream outputs: join them before parsing.
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    if "[kernel cpu]" not in text:
        return None
    try:
        return float(text.split("[kernel cpu]", 1)[1].split()[0])
    except (IndexError, ValueError):
        return None


def execute(nb, tmp_dir=None):
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
        record_timing=True,
    )
    client.execute(env=kernel_env(tmp_dir))
    return nb


def save_executed(path, nb):
    """Keep the executed notebook (without the CPU-time cell) for the website."""
    executed = nbformat.from_dict(nb)
    executed.cells = executed.cells[:-1]
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, EXECUTED_DIR / path.name)


def failure_report(path, nb, err):
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    failed = next((c for c in code_cells if _error_of(c) is not None), None)
    if failed is None:  # a timeout, or the kernel died: the last cell that started
        started = [c for c in code_cells if c.get("metadata", {}).get("execution")]
        failed = started[-1] if started else None
    lines = [f"{path.name}: a cell failed"]
    if failed is not None:
        index = nb.cells.index(failed)
        lines += [f"--- cell {index} ---", _source(failed), "--- error ---"]
        error = _error_of(failed)
        if error is not None:
            lines.append(f"{error.get('ename')}: {error.get('evalue')}")
    lines.append(str(err)[-4000:])
    return "\n".join(lines)


@pytest.mark.parametrize("path", NOTEBOOKS or [None],
                         ids=[p.name for p in NOTEBOOKS] or ["no-notebooks"])
def test_notebook_runs_in_quick_mode(path, record_property, tmp_path):
    if path is None:
        pytest.skip("no notebooks under notebooks/ yet")
    nb = nbformat.read(path, as_version=4)  # in memory only: never written back
    # One extra cell at the end reports the kernel's CPU time: unlike the wall
    # time it hardly depends on what else the machine is doing.
    nb.cells.append(nbformat.v4.new_code_cell(CPU_TIME_CELL))
    start = time.perf_counter()
    try:
        execute(nb, tmp_path)
    except (CellExecutionError, CellTimeoutError) as err:
        pytest.fail(failure_report(path, nb, err), pytrace=False)
    else:
        save_executed(path, nb)
        logged = framework_log_lines(nb)
        assert not logged, f"{path.name}: framework log lines in the outputs a student sees:\n" + "\n".join(
            f"  cell {i}: {line[:160]}" for i, line in logged[:10])
    finally:
        elapsed = time.perf_counter() - start
        cpu = _kernel_cpu_seconds(nb.cells[-1])
        record_property("execution_time_s", round(elapsed, 1))
        timed = [(s, i, c) for i, c in enumerate(nb.cells[:-1])
                 if c.cell_type == "code" and (s := _cell_seconds(c)) is not None]
        slowest = sorted(timed, key=lambda item: item[0], reverse=True)[:3]
        # tests/conftest.py prints it after the run, from any pytest-xdist worker.
        record_property("timing_report", f"{path.name}: {elapsed:.1f} s"
                        + (f" (kernel CPU time {cpu:.1f} s)" if cpu is not None else "")
                        + "".join(f"\n    cell {i}: {s:.1f} s  {_first_line(c)}" for s, i, c in slowest))


def test_kernel_is_this_environment(capsys):
    """The ``python3`` kernel must run this interpreter's environment (the
    venv), or the notebooks would import another ntm_core or none at all."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
    execute(nb)
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs).strip()
    assert Path(printed).resolve() == Path(sys.prefix).resolve(), (
        f"the {KERNEL_NAME!r} kernel runs {printed}, not this environment {sys.prefix}: "
        "install the venv's kernel with `.venv/bin/python -m ipykernel install --sys-prefix`"
    )
