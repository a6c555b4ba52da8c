"""The 90-minute lab path of TEACHING.md: check its sections, and time its cells.

TEACHING.md's table "The 90-minute lab" is the one source of the path: each
row names a notebook and its sections, e.g. ``02 · §1 "Reading (eq. 2)", §2
...``. This tool reads those rows and

* ``python tools/lab_path.py check``: checks every section named exists in
  that notebook, under the number and title given, and is marked *(core)*
  (tests/test_lab_path.py runs it in CI);
* ``python tools/lab_path.py time [--json FILE]``: runs each notebook of the
  path top to bottom in full mode (as a class would, exercises unanswered),
  and adds up the time of the path's cells: every cell before the first
  numbered section (imports, set-up) and every cell of the sections named.
  It prints wall time and the kernel's CPU time per block (CPU time hardly
  depends on what else the machine is doing) and what remains of 90 minutes.
"""

import argparse
import json
import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEACHING = REPO / "TEACHING.md"
NOTEBOOKS = REPO / "notebooks"
LAB_MINUTES = 90

ROW = re.compile(r"^\|\s*(?P<minutes>[\d–-]+)\s*\|\s*(?P<sections>[^|]+)\|")
BLOCK = re.compile(r"(?P<notebook>\d\d) · (?P<refs>(?:§\d+[^§]*?)+)(?=\d\d · |$)")
REF = re.compile(r"§(?P<number>\d+)(?:[–-](?P<last>\d+))?(?:\s*\"(?P<title>[^\"]+)\")?")
HEADING = re.compile(r"^## (?P<number>\d+)\. (?P<title>.*?)\s*(?:\*\((?P<kind>core|going deeper)\)\*)?\s*$")
CPU_CELL = "import os as _os\nprint('[kernel cpu]', sum(_os.times()[:2]))"


def lab_path(text=None):
    """``[(minutes, notebook "NN", [(section number, title or None), ...]), ...]`` in the table's order."""
    text = TEACHING.read_text() if text is None else text
    part = text.split("## The 90-minute lab", 1)[1].split("\n## ", 1)[0]
    path = []
    for line in part.splitlines():
        row = ROW.match(line)
        if not row or not re.search(r"\d\d · §", row["sections"]):
            continue
        for block in BLOCK.finditer(row["sections"].strip()):
            refs = []
            for r in REF.finditer(block["refs"]):
                last = int(r["last"] or r["number"])  # §1–3 names sections 1, 2 and 3
                refs += [(n, r["title"] if n == last == int(r["number"]) else None)
                         for n in range(int(r["number"]), last + 1)]
            path.append((row["minutes"], block["notebook"], refs))
    return path


def notebook_file(number, suffix):
    found = sorted(NOTEBOOKS.glob(f"{number}_*{suffix}"))
    if len(found) != 1:
        raise SystemExit(f"notebook {number}: expected one notebooks/{number}_*{suffix}, found {found}")
    return found[0]


def sections_of(cells):
    """``{number: (title, kind)}`` and the section number of every cell (None before section 1)."""
    sections, current, of_cell = {}, None, []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                heading = HEADING.match(line)
                if heading:
                    current = int(heading["number"])
                    sections[current] = (heading["title"].strip(), heading["kind"])
                elif line.startswith("## ") and current is not None:
                    current = -1  # an unnumbered section after the numbered ones (the summary)
        of_cell.append(current)
    return sections, of_cell


def read_notebook(number):
    import nbformat

    return nbformat.read(notebook_file(number, ".ipynb"), as_version=4)


def check(path=None):
    """Problems with the path: a section missing, renamed or not core. Empty when all is well."""
    problems = []
    for _, number, refs in path or lab_path():
        sections, _ = sections_of(read_notebook(number).cells)
        for section, title in refs:
            if section not in sections:
                problems.append(f"{number} §{section}: no such section (it has {sorted(sections)})")
                continue
            have, kind = sections[section]
            if title and not have.startswith(title):
                problems.append(f"{number} §{section}: TEACHING.md says {title!r}, the notebook {have!r}")
            if kind != "core":
                problems.append(f"{number} §{section} {have!r} is marked {kind or 'neither core nor going deeper'}")
    return problems


def _instant(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def time_notebook(number, wanted):
    """Run notebook ``number`` in full mode; (wall s, CPU s) of its set-up cells and sections ``wanted``."""
    import nbformat
    from nbclient import NotebookClient

    nb = read_notebook(number)
    _, of_cell = sections_of(nb.cells)
    timed = nbformat.v4.new_notebook(metadata=nb.metadata)
    keep = []  # for each cell of `timed`: whether it belongs to the path (None: a CPU probe)
    for cell, section in zip(nb.cells, of_cell):
        timed.cells.append(nbformat.v4.new_code_cell(CPU_CELL))
        keep.append(None)
        timed.cells.append(cell)
        keep.append(section is None or section in wanted)
    timed.cells.append(nbformat.v4.new_code_cell(CPU_CELL))
    keep.append(None)
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    env.pop("NTM_QUICK", None)
    client = NotebookClient(timed, timeout=1800, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute(env=env)
    probes = {}
    for i, cell in enumerate(timed.cells):
        if keep[i] is None:
            text = "".join(o.get("text", "") for o in cell.get("outputs", []))
            probes[i] = float(text.split("[kernel cpu]", 1)[1].split()[0])
    wall = cpu = 0.0
    for i, cell in enumerate(timed.cells):
        if not keep[i] or cell.cell_type != "code":
            continue
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            wall += (_instant(end) - _instant(start)).total_seconds()
        cpu += probes[i + 1] - probes[i - 1]
    return wall, cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("check", "time"))
    parser.add_argument("--json", type=Path, help="write the timing record here")
    parser.add_argument("--only", nargs="+", metavar="NN", help="time only these notebooks of the path")
    args = parser.parse_args(argv)
    path = lab_path()
    problems = check(path)
    if problems:
        print("\n".join(["The lab path in TEACHING.md does not match the notebooks:", *problems]))
        return 1
    if args.command == "check":
        print(f"lab path: {len(path)} blocks, every section exists and is core.")
        return 0
    by_notebook = {}  # a notebook named in several rows runs once
    for _, number, refs in path:
        by_notebook.setdefault(number, []).extend(s for s, _ in refs if s not in by_notebook.get(number, []))
    rows, started = [], time.monotonic()
    for number, sections in by_notebook.items():
        if args.only and number not in args.only:
            continue
        wall, cpu = time_notebook(number, set(sections))
        rows.append({"notebook": number, "sections": sections, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1)})
        print(f"{number} §{', §'.join(map(str, sections)):<20} wall {wall:6.1f} s   kernel CPU {cpu:6.1f} s",
              flush=True)
    wall = sum(r["wall_s"] for r in rows)
    cpu = sum(r["cpu_s"] for r in rows)
    left = LAB_MINUTES - wall / 60
    print(f"total: wall {wall:.0f} s ({wall / 60:.1f} min), kernel CPU {cpu:.0f} s; "
          f"{left:.1f} of {LAB_MINUTES} minutes left for reading and exercises")
    if args.json:
        record = {"what": "compute time of the 90-minute lab path's cells (TEACHING.md), full mode, in order",
                  "blocks": rows, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                  "minutes_left": round(left, 1), "load_average": os.getloadavg()[0],
                  "cpu_count": os.cpu_count(), "measured_in_s": round(time.monotonic() - started)}
        args.json.write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
