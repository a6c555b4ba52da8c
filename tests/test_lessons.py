"""Every numbered notebook is a lesson (issue 15): objectives, time, core and
going-deeper sections, "what you should see", a short summary, checked
exercises, short markdown cells, and no lab diary in the student's prose.

Read from the jupytext sources (notebooks/NN_*.py), which tests/test_notebook_sources.py
keeps paired with the .ipynb files.
"""

import re
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.py"))
IDS = [p.stem for p in NOTEBOOKS]
MIN_EXERCISES = {"01": 1, "09": 1}  # the others: 2
MAX_WORDS = 160  # "about 150" per markdown cell
SECTION = re.compile(r"^## (\d+)\. .*$", re.M)
MARKED = re.compile(r"\*\((core|going deeper)\)\*\s*$")
EXERCISE = re.compile(r"^(?:#{3,6} .*?|\*\*)Exercise (\d+)\.(\d+)", re.M)
CHECK_CALL = re.compile(r"\b(check\w*|predict|run_check|checks?\.\w+)\s*\(")
DIARY = re.compile(r"\b(H100|H200|clipnorm|[\w-]+\.json)\b")


def cells_of(path):
    return jupytext.read(path).cells


def markdown(path):
    return [c.source for c in cells_of(path) if c.cell_type == "markdown"]


def words(text):
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|<!--.*?-->|\(https?://[^)]*\)", " ", text, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_opens_with_objectives_and_time(path):
    text = "\n".join(markdown(path)[:3])
    assert "After this notebook you can" in text, f"{path.name}: no 'After this notebook you can' near the top"
    block = text.split("After this notebook you can", 1)[1]
    paragraphs = [p for p in block.split("\n\n") if p.strip()]
    bullets = next((found for p in paragraphs[:2] if (found := re.findall(r"^\s*[-*] ", p, re.M))), [])
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} objectives, expected 3 to 5"
    assert re.search(r"\*Time: \d+ minutes", text), f"{path.name}: no '*Time: NN minutes ...' line near the top"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_sections_are_core_or_going_deeper_and_show_what_to_see(path):
    text = "\n".join(markdown(path))
    sections = SECTION.findall(text)
    assert sections, f"{path.name}: no numbered sections"
    unmarked = [line for line in re.findall(r"^## \d+\. .*$", text, re.M) if not MARKED.search(line)]
    assert not unmarked, f"{path.name}: sections not marked *(core)* or *(going deeper)*: {unmarked}"
    assert "*(core)*" in text
    assert text.count("What you should see.") >= 2, f"{path.name}: fewer than two 'What you should see.' notes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_ends_with_a_short_summary(path):
    cells = markdown(path)
    summary = [c for c in cells if re.search(r"^## Summary\s*$", c, re.M)]
    assert summary, f"{path.name}: no '## Summary'"
    body = summary[-1].split("## Summary", 1)[1]
    points = re.findall(r"^\s*(?:[-*]|\d+\.) ", body, re.M)
    assert 1 <= len(points) <= 5, f"{path.name}: the summary has {len(points)} points, at most 5 allowed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_cells_are_short(path):
    long = [(words(c), c.splitlines()[0][:60]) for c in markdown(path) if words(c) > MAX_WORDS]
    assert not long, f"{path.name}: markdown cells over {MAX_WORDS} words: {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_lab_diary_in_student_prose(path):
    found = sorted({m.group(0) for c in markdown(path) for m in DIARY.finditer(c)})
    assert not found, f"{path.name}: project history in student prose ({found}): move it to docs/"


def exercises(path):
    """``{"N.k": checked}`` for each exercise a heading or a bold lead-in announces.

    Checked: a code cell calls a check with the exercise's name, or (for a
    check that names it itself, like ``checks.check_read(my_read)``) a check
    runs before the next heading or exercise.
    """
    found, current = {}, None
    cells = cells_of(path)
    for cell in cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = EXERCISE.match(line)
                if m:
                    current = f"{m.group(1)}.{m.group(2)}"
                    found.setdefault(current, False)
                elif line.startswith("#"):
                    current = None
        elif CHECK_CALL.search(cell.source):
            if current:
                found[current] = True
            for k in found:
                if re.search(rf"[\"']Exercise {re.escape(k)}[\"']", cell.source):
                    found[k] = True
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_checked_exercises(path):
    number = path.stem[:2]
    found = exercises(path)
    unchecked = [k for k, checked in found.items() if not checked]
    assert not unchecked, f"{path.name}: exercises without an automatic check: {unchecked}"
    assert all(k.split(".")[0] == str(int(number)) for k in found), f"{path.name}: misnumbered {sorted(found)}"
    want = MIN_EXERCISES.get(number, 2)
    assert len(found) >= want, f"{path.name}: {len(found)} checked exercises, at least {want} wanted"


def test_at_least_thirty_checked_exercises_in_all():
    total = sum(sum(exercises(p).values()) for p in NOTEBOOKS)
    assert total >= 30, f"{total} checked exercises in all, at least 30 wanted"


def test_readme_minutes_are_the_notebooks_own():
    readme = (NOTEBOOKS[0].parent.parent / "README.md").read_text()
    for path in NOTEBOOKS:
        time_line = re.search(r"\*Time: (\d+) minutes core[^,]*, (\d+) more", path.read_text())
        assert time_line, f"{path.name}: no time line"
        row = re.search(rf"^\| \[`{path.stem}`\].*\| (\d+) \(\+(\d+)\) \|$", readme, re.M)
        assert row, f"README.md: no row for {path.stem} ending in 'core (+deeper)' minutes"
        assert row.groups() == time_line.groups(), (
            f"README.md says {row.groups()} minutes for {path.stem}, the notebook {time_line.groups()}")
