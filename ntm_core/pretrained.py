"""The checkpoints shipped in ``data/``, found from anywhere in the repository.

Notebooks run from ``notebooks/`` and tests from the root; both call
:func:`load_pretrained` instead of building relative paths by hand.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PRETRAINED_DIR = DATA_DIR / "pretrained"
RESULTS_DIR = DATA_DIR / "results"


def available_pretrained():
    """Names of the shipped checkpoints, e.g. ``["copy_lstm", "copy_ntm"]``."""
    return sorted(p.stem for p in PRETRAINED_DIR.glob("*.keras"))


def pretrained_path(name):
    """Path of ``data/pretrained/<name>.keras``; ValueError naming the choices if unknown."""
    path = PRETRAINED_DIR / f"{name}.keras"
    if not path.exists():
        raise ValueError(f"unknown pretrained checkpoint {name!r}; available: {available_pretrained()}.")
    return path


def load_pretrained(name):
    """Load a shipped checkpoint: returns ``(model, info)``.

    ``info`` is the json beside it: the command that trained it, seed,
    backend, machine, wall time, its learning curve (``history``) and its
    evaluation table (``evaluation["rows"]``).
    """
    from ntm_core.train import load_checkpoint

    return load_checkpoint(pretrained_path(name))


def load_result(name):
    """Load ``data/results/<name>.json`` (e.g. the seed sweep)."""
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        available = sorted(p.stem for p in RESULTS_DIR.glob("*.json"))
        raise ValueError(f"unknown result {name!r}; available: {available}.")
    return json.loads(path.read_text())
