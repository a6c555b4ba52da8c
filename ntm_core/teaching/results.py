"""Where the notebooks find results and write their own runs.

Shipped checkpoints and results live under ``data/`` (see
:mod:`ntm_core.pretrained`); a notebook's own training run goes to
``runs/<name>`` at the repository root, which git ignores, or, where the
package is installed from a wheel (no repository around it), under the
current folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ntm_core.pretrained import DATA_DIR, load_result

__all__ = ["REPO_DIR", "first_stage", "load_result_or_none", "run_folder"]

# In a clone, data/ sits at the repository root beside pyproject.toml; in an
# installed wheel it is ntm_core/data inside site-packages, where runs must not go.
REPO_DIR = DATA_DIR.parent if (DATA_DIR.parent / "pyproject.toml").is_file() else Path.cwd()


def run_folder(name, temporary=False):
    """Where a notebook's training run writes: ``runs/<name>`` at the repository
    root (git ignores ``runs/``), or a fresh temporary folder when ``temporary``.
    Returns a :class:`pathlib.Path`; the folder exists."""
    if temporary:
        return Path(tempfile.mkdtemp(prefix=f"ntm_{name}_"))
    path = REPO_DIR / "runs" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def first_stage(info):
    """A checkpoint's json cut down to the first command that trained it.

    A run trained by several commands (``copy_ntm``: the paper's data, then
    sequences with blank vectors) lists them in ``info["stages"]``, each with
    the run's totals when it ended. This keeps the first one's command, totals
    and learning curve: the run that notebook 05 repeats. ``info`` with fewer
    than two stages (or None) is returned as it is.
    """
    if not info or len(info.get("stages", [])) < 2:
        return info
    stage = info["stages"][0]
    first = {k: v for k, v in info.items() if k not in ("stages", "commands", "evaluation")}
    totals = ("command", "sequences_seen", "wall_time_s", "converged_at_sequences", "stopped")
    first.update({k: stage[k] for k in totals})
    first["history"] = [r for r in info.get("history", []) if r["sequences"] <= stage["sequences_seen"]]
    return first


def load_result_or_none(name):
    """``ntm_core.load_result(name)``, or None when ``data/results/<name>.json``
    does not exist (a notebook then explains how to make it)."""
    try:
        return load_result(name)
    except ValueError:
        return None
