"""Every lesson is a jupytext ``py:percent`` source paired with its ``.ipynb``.

The ``.py`` is what people edit and review; the ``.ipynb`` is what Jupyter
opens. After editing a source::

    jupytext --sync notebooks/[0-9]*.py

These tests fail when a pair drifts apart, so a change made on one side only
never lands.
"""

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbformat = pytest.importorskip("nbformat")

pytestmark = pytest.mark.once

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
# The lessons (NN_name) and the projector page: every notebook directly under notebooks/.
LESSONS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SOURCES = sorted(NOTEBOOK_DIR.glob("*.py"))
SYNC = "run `jupytext --sync notebooks/*.py` and commit both files"


def cells(nb):
    """What a pair must agree on: each cell's type, source and tags."""
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def test_there_are_lessons():
    assert LESSONS, f"no lessons under {NOTEBOOK_DIR}"


def test_every_notebook_has_a_source_and_back():
    notebooks = {p.stem for p in LESSONS}
    sources = {p.stem for p in SOURCES}
    assert notebooks - sources == set(), f"notebooks without a .py source: {sorted(notebooks - sources)}"
    assert sources - notebooks == set(), f".py sources without a notebook: {sorted(sources - notebooks)}: {SYNC}"


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_pair_is_in_sync(path):
    source = jupytext.read(path)
    notebook = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    a, b = cells(source), cells(notebook)
    for i, (x, y) in enumerate(zip(a, b)):
        assert x == y, f"cell {i} differs between {path.name} and its .ipynb ({x[0]}: {x[1][:60]!r}): {SYNC}"
    assert len(a) == len(b), f"{path.name} has {len(a)} cells, its .ipynb {len(b)}: {SYNC}"


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_pair_is_declared_to_jupytext(path):
    formats = jupytext.read(path).metadata.get("jupytext", {}).get("formats", "")
    assert "py:percent" in formats and "ipynb" in formats, f"{path.name}: formats {formats!r}, expected ipynb,py:percent"


def test_sync_check_catches_a_drift(tmp_path):
    # The check above must be able to fail: edit a copy of one source only.
    src = SOURCES[0]
    edited = jupytext.read(src)
    edited.cells[0].source += "\nAn edit made on the .py side only."
    notebook = nbformat.read(src.with_suffix(".ipynb"), as_version=4)
    assert cells(edited) != cells(notebook)
