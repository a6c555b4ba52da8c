"""The files of a run folder, and checkpoints for inference.

A run folder (``train(out=FOLDER)``) holds ``checkpoint.keras`` (the latest
weights with the optimizer's state, written after every validation),
``history.json`` (one row per validation), ``state.json`` (where to go on
from: the epoch, the curriculum's length, the convergence so far and the task
settings it was reached on), ``model.keras`` (the best weights),
``train.json`` (the config and a summary), ``log.csv`` and TensorBoard logs.
``train(out=FOLDER, resume=True)`` goes on from the first three; folders
written by earlier versions of this package resume too.
"""

import json
from pathlib import Path

import keras

# Loading needs the NTM layer and the metrics registered with Keras; these
# imports do that (the package's __init__ is not needed for it).
import ntm_core.metrics  # noqa: F401
import ntm_core.models  # noqa: F401


def load_checkpoint(path):
    """Load a ``.keras`` checkpoint made by ``train`` (safe mode, no pickles).

    Args:
        path: a ``.keras`` file, or a run folder (its ``model.keras``).

    Returns:
        ``(model, info)`` where ``info`` is the json written next to it (its
        own ``.json``, else the folder's ``train.json``; ``{}`` if there is none).
    """
    path = Path(path)
    if path.is_dir():
        path = path / "model.keras"
    if not path.exists():
        raise FileNotFoundError(f"checkpoint {str(path)!r} does not exist.")
    if path.suffix != ".keras":
        raise ValueError(f"checkpoint must be a .keras file, got {str(path)!r}.")
    model = keras.saving.load_model(path, compile=False)
    info = {}
    for candidate in (path.with_suffix(".json"), path.parent / "train.json"):
        if candidate.exists():
            info = json.loads(candidate.read_text())
            break
    return model, info


def save_for_inference(model, path):
    """Save weights and architecture only, without the optimizer's state.

    A compiled model would also store the optimizer's slots (twice the
    weights for Adam); shipped checkpoints only need to predict.
    """
    fresh = model.__class__.from_config(model.get_config())
    fresh.set_weights(model.get_weights())
    fresh.save(path)
    return path


def task_settings(config):
    """What a run trains and validates on, as state.json stores it (json types: lists, not tuples).

    ``validate_on`` is part of it: a convergence judged on one validation set
    says nothing about another (copy with blank vectors against the paper's data).
    """
    keys = ("task", "min_length", "max_length", "task_kwargs", "validate_on")
    return json.loads(json.dumps({k: config[k] for k in keys}))


def write_progress(out, history, curriculum_max_length, settings, converged_at):
    """Write ``history.json`` and ``state.json`` (``checkpoint.keras`` is Keras' ModelCheckpoint's)."""
    out = Path(out)
    (out / "history.json").write_text(json.dumps(history, indent=1))
    state = {
        "curriculum_max_length": curriculum_max_length,
        "epoch": len(history),
        "task_settings": settings,
        # On these settings; the history alone cannot say which rows were on them.
        "converged_at": converged_at,
    }
    (out / "state.json").write_text(json.dumps(state))


def read_progress(out, settings):
    """Where a run folder's training goes on from.

    Args:
        out: the run folder.
        settings: :func:`task_settings` of the run that goes on.

    Returns:
        ``(model, history, epoch, curriculum_max_length, converged_at, saved, same)``:
        the compiled model of ``checkpoint.keras`` with its optimizer's state,
        the folder's task settings ``saved`` and ``same``, whether they are
        these (if not, the folder's convergence does not count and
        ``converged_at`` is None).
    """
    out = Path(out)
    if not (out / "checkpoint.keras").exists():
        raise FileNotFoundError(f"cannot resume: no checkpoint.keras in {str(out)!r}.")
    model = keras.saving.load_model(out / "checkpoint.keras")
    history = json.loads((out / "history.json").read_text())
    state = json.loads((out / "state.json").read_text())
    # A state.json from before validate_on existed validated on the task.
    saved = dict({"validate_on": "task"}, **state.get("task_settings", settings))
    same = saved == settings
    converged_at = None
    if same:
        # (A state.json from before it recorded convergence: the history's first.)
        converged_at = state.get("converged_at", next((r["sequences"] for r in history if r.get("converged")), None))
    return model, history, state["epoch"], state["curriculum_max_length"], converged_at, saved, same
