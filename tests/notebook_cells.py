"""Run the cells of a shipped notebook that carry a tag, outside Jupyter.

Notebooks keep a few helpers in cells tagged "helpers" (code that serves one
notebook lives where its students read it); the tests execute those cells to
check the helpers, as the exercise tests execute the "exercise" cells.
"""

import json
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def tagged_cells(name, tag):
    """The sources of the cells of ``notebooks/<name>.ipynb`` tagged ``tag``, in order."""
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if tag in c.get("metadata", {}).get("tags", [])]


def notebook_helpers(name):
    """A namespace holding what the "helpers" cells of ``notebooks/<name>.ipynb`` define."""
    namespace = {"__name__": f"notebook_{name}"}
    for i, src in enumerate(tagged_cells(name, "helpers")):
        exec(compile(src, f"<{name} helpers cell {i}>", "exec"), namespace)
    return namespace
