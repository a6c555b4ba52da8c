"""TEACHING.md's 90-minute lab path names sections that exist and are core (tools/lab_path.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import lab_path  # noqa: E402

TABLE = """
## The 90-minute lab

| minutes | notebook and section | what students do |
|---|---|---|
| 0–10 | 01 · §1 "A teaser", §3 "The architecture" | watch |
| 10–30 | 06 · §1–3, §6 "Step through" 07 · §2 | read |

## Homework
| 1 | 03 · §5 | not part of the lab |
"""


def test_the_table_is_read_with_ranges_and_titles():
    assert lab_path.lab_path(TABLE) == [
        ("0–10", "01", [(1, "A teaser"), (3, "The architecture")]),
        ("10–30", "06", [(1, None), (2, None), (3, None), (6, "Step through")]),
        ("10–30", "07", [(2, None)]),
    ]


def test_sections_are_found_in_any_line_of_a_markdown_cell():
    cells = [
        {"cell_type": "markdown", "source": "# Title"},
        {"cell_type": "code", "source": "import x"},
        {"cell_type": "markdown", "source": "What you should see.\n\n## 1. Reading (eq. 2) *(core)*\ntext"},
        {"cell_type": "code", "source": "read()"},
        {"cell_type": "markdown", "source": "## 2. Explore *(going deeper)*"},
        {"cell_type": "code", "source": "explore()"},
        {"cell_type": "markdown", "source": "## Summary"},
        {"cell_type": "code", "source": "done()"},
    ]
    sections, of_cell = lab_path.sections_of(cells)
    assert sections == {1: ("Reading (eq. 2)", "core"), 2: ("Explore", "going deeper")}
    assert of_cell == [None, None, 1, 1, 2, 2, -1, -1]


def test_teaching_md_lab_path_matches_the_notebooks():
    problems = lab_path.check()
    assert not problems, "\n".join(problems)
