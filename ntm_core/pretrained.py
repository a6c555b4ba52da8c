"""The checkpoints shipped in ``data/``, found wherever the package is installed.

The repository keeps them in ``data/`` at its root; pyproject.toml installs
that folder as the package ``ntm_core.data``, so :mod:`importlib.resources`
finds it in a wheel install (``site-packages/ntm_core/data``) and in an
editable one (the repository's ``data/``) alike. Notebooks and tests call
:func:`load_pretrained` instead of building paths by hand.
"""

import atexit
import contextlib
import importlib.resources
import json
from pathlib import Path

# Keeps the files importlib.resources.as_file copies out of a zipped install
# until the interpreter exits (Keras' load_model opens a path, not a stream).
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def _find_data_dir():
    try:
        data = importlib.resources.files("ntm_core.data")
    except ModuleNotFoundError:
        # ntm_core imported from a checkout that no installer has seen (e.g.
        # `python -m ntm_core` from the repository root): nothing maps data/
        # into the package, so the files are where the repository keeps them.
        return Path(__file__).resolve().parent.parent / "data"
    if isinstance(data, Path):  # pip unpacks wheels: the usual case
        return data
    return _EXTRACTED.enter_context(importlib.resources.as_file(data))


DATA_DIR = _find_data_dir()
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


def load_pretrained(name, memory_size=None):
    """Load a shipped checkpoint: returns ``(model, info)``.

    ``info`` is the json beside it: the command that trained it, seed,
    backend, machine, wall time, its learning curve (``history``) and its
    evaluation table (``evaluation["rows"]``).

    With ``memory_size`` the model comes back resized to that many memory
    slots by :func:`ntm_core.resize_memory` (same trained weights; the
    controller never sees N), and ``info["resized"]`` records
    ``{"memory_size", "trained_memory_size"}``.
    """
    from ntm_core.training.checkpoints import load_checkpoint

    model, info = load_checkpoint(pretrained_path(name))
    if memory_size is not None:
        from ntm_core.resize import find_ntm, resize_memory

        trained = find_ntm(model).cell.memory_size
        model = resize_memory(model, memory_size)
        info = dict(info, resized={"memory_size": find_ntm(model).cell.memory_size, "trained_memory_size": trained})
    return model, info


def load_result(name):
    """Load ``data/results/<name>.json`` (e.g. the seed sweep)."""
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        available = sorted(p.stem for p in RESULTS_DIR.glob("*.json"))
        raise ValueError(f"unknown result {name!r}; available: {available}.")
    return json.loads(path.read_text())
