"""Give a trained NTM more (or less) memory, without retraining.

The controller never sees the number of memory slots N: it emits a key, a
sharpness, a gate, a shift distribution over -1, 0, +1, a sharpening exponent
and the erase/add vectors (Graves et al. 2014, eq. 5-9 and 3-4), all of fixed
width, and reads back an M-wide vector (eq. 2). N only fixes how long the
memory's ring is: content addressing (eq. 5) normalises over all N rows and
the circular shift (eq. 8) wraps around after N steps. So the weights of the
controller, the head-parameter layer and the output layer fit any N. What
depends on N is the start state: the initial memory M_0 (N x M) and the
initial head weightings w_0 (their softmax logits, one row of N per head).

:func:`resize_memory` rebuilds a model from its config with another N and
carries every weight over; only those two start-state weights are re-shaped,
by rules that leave the start state as the model knew it:

* initial memory, ``"learned"`` or ``"constant"`` (:func:`resize_initial_memory`):
  row i of the new memory is old row ``i mod N``. Growing tiles the trained
  rows, so every slot a head can reach holds a row the controller met in
  training (under the constant init, every row is the same 1e-6 anyway);
  shrinking keeps the first rows.
* initial weighting logits (:func:`resize_weight_logits`): growing keeps the old
  logits and gives each new slot a logit so low that all new slots together
  start with ``NEW_SLOT_SHARE`` of a head's weight, so w_0 stays, to that
  share, the trained distribution over the old slots and its focus (slot 0
  after training) does not move. Padding with the old smallest logit would
  instead hand the new slots a share that grows with N' (near e^min each),
  pulling weight off the trained focus. Shrinking keeps the first N' logits:
  softmax renormalises w_0 over the kept slots, and a head whose start focus
  lay in a removed slot loses it (a warning says so).

Growing and then shrinking back gives the original weights exactly, since
both rules keep the first N rows/logits unchanged.

:func:`evaluate_memory_sizes` measures a model at several N and lengths: the
table behind ``python -m ntm_core evaluate CHECKPOINT --memory-size ...``.
"""

import warnings

import keras
import numpy as np

from ntm_core.evaluation import evaluate
from ntm_core.layer import NTM
from ntm_core.validation import check_int, describe

__all__ = ["NEW_SLOT_SHARE", "evaluate_memory_sizes", "find_ntm", "resize_initial_memory", "resize_memory", "resize_weight_logits"]

# Total start weight that all added slots of one head share. Small enough that
# w_0 is the trained distribution for every practical purpose; finite (not
# -inf logits) so the model still trains and saves like any other.
NEW_SLOT_SHARE = 1e-6


def _ntm_layers(layer):
    """Every NTM layer inside ``layer``, nested models included, in order."""
    found = []
    for sub in getattr(layer, "layers", []):
        if isinstance(sub, NTM):
            found.append(sub)
        else:
            found.extend(_ntm_layers(sub))
    return found


def find_ntm(model):
    """The one :class:`NTM` layer of ``model``.

    Raises:
        TypeError: ``model`` is not a Keras model.
        ValueError: it has no NTM layer, or several (which one to resize would
            be a guess).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a keras.Model containing an NTM layer, got {describe(model)}.")
    layers = _ntm_layers(model)
    if not layers:
        raise ValueError(f"`model` must contain an NTM layer, got model {model.name!r} with none.")
    if len(layers) > 1:
        names = [layer.name for layer in layers]
        raise ValueError(f"`model` must contain exactly one NTM layer, got model {model.name!r} with {len(layers)}: {names}.")
    return layers[0]


def resize_initial_memory(flat_memory, memory_width, memory_size):
    """Initial memory M_0 of N rows re-shaped to ``memory_size`` rows: row i = old row i mod N.

    Args:
        flat_memory: (N * M,) the cell's ``initial_memory`` weight (rows flattened).
        memory_width: M. memory_size: N', the new number of rows.

    Returns:
        (N' * M,) NumPy array.
    """
    rows = np.asarray(flat_memory).reshape(-1, memory_width)
    index = np.arange(memory_size) % rows.shape[0]
    return rows[index].reshape(-1)


def resize_weight_logits(logits, memory_size, new_slot_share=NEW_SLOT_SHARE):
    """Initial weighting logits (heads, N) re-shaped to (heads, ``memory_size``).

    Growing: the old logits stay; each of the k = N' - N new slots gets
    ``logsumexp(old) + log(new_slot_share / k)``, so that after the softmax the
    new slots share ``new_slot_share / (1 + new_slot_share)`` of the head's
    weight and the old slots keep their proportions. Shrinking: the first N'
    logits.
    """
    logits = np.asarray(logits, dtype="float64")
    heads, n = logits.shape
    if memory_size <= n:
        return logits[:, :memory_size]
    k = memory_size - n
    top = logits.max(axis=1, keepdims=True)
    logsumexp = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    pad = np.broadcast_to(logsumexp + np.log(new_slot_share / k), (heads, k))
    return np.concatenate([logits, pad], axis=1)


def _warn_lost_focus(logits, memory_size, name):
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    removed = weights[:, memory_size:].sum(axis=1)
    if np.any(removed > 0.5):
        warnings.warn(
            f"Shrinking NTM {name!r} to memory_size={memory_size} removes slots that held most of the "
            f"start weighting of head(s) {np.flatnonzero(removed > 0.5).tolist()}: their initial focus moves.",
            stacklevel=3,
        )


def _with_memory_size(config, name, memory_size):
    """A copy of a serialized model config with NTM ``name``'s memory_size replaced."""
    if isinstance(config, dict):
        out = {key: _with_memory_size(value, name, memory_size) for key, value in config.items()}
        inner = out.get("config")
        if out.get("registered_name") == "ntm_core>NTM" and isinstance(inner, dict) and inner.get("name") == name:
            out["config"] = dict(inner, memory_size=memory_size)
        return out
    if isinstance(config, list):
        return [_with_memory_size(value, name, memory_size) for value in config]
    return config


def resize_memory(model, memory_size):
    """A copy of ``model`` whose NTM has ``memory_size`` slots, with the same trained weights.

    The model is rebuilt from its serialized config (only the NTM's
    ``memory_size`` changed) and every weight is copied; the NTM's initial
    memory and initial weighting logits are re-shaped as the module docstring
    describes (:func:`resize_initial_memory`, :func:`resize_weight_logits`).
    The result is a fresh, uncompiled model (compile it to train on) that
    saves and loads like any other. A stateful NTM's carried state is not copied (it has the old N):
    the copy starts from its start state, as after ``reset_state()``.

    Args:
        model: a built ``keras.Model`` with exactly one :class:`NTM` layer
            (possibly inside a nested model).
        memory_size: N', an integer >= the NTM's ``shift_range`` (a shift
            must not wrap past itself, eq. 8).

    Returns:
        the new ``keras.Model``; ``model`` is left unchanged.
    """
    ntm = find_ntm(model)
    cell = ntm.cell
    memory_size = check_int("memory_size", memory_size, minimum=cell.shift_range)
    if not ntm.built:
        raise ValueError(f"`model` must be built (have weights) to be resized; NTM {ntm.name!r} is not.")
    old_n = cell.memory_size
    if memory_size < old_n:
        _warn_lost_focus(keras.ops.convert_to_numpy(cell.initial_weight_logits), memory_size, ntm.name)

    config = _with_memory_size(keras.saving.serialize_keras_object(model), ntm.name, memory_size)
    # The optimizer's slots have the old shapes and are not carried over: no optimizer at all
    # is clearer than a fresh one that looks like the trained model's.
    config.pop("compile_config", None)
    new_model = keras.saving.deserialize_keras_object(config)
    new_ntm = find_ntm(new_model)
    # Same config, so the same weights in the same order; only these two may differ in shape.
    special = {
        id(cell.initial_memory): lambda v: resize_initial_memory(v, cell.memory_width, memory_size),
        id(cell.initial_weight_logits): lambda v: resize_weight_logits(v, memory_size),
    }
    old_weights, new_weights = model.weights, new_model.weights
    if len(old_weights) != len(new_weights):
        raise ValueError(
            f"`model` could not be rebuilt from its config: {len(old_weights)} weights before, {len(new_weights)} after."
        )
    for old, new in zip(old_weights, new_weights):
        value = keras.ops.convert_to_numpy(old)
        if id(old) in special:
            value = special[id(old)](value)
        if tuple(value.shape) != tuple(new.shape):
            raise ValueError(
                f"`model`'s weight {old.path!r} of shape {tuple(old.shape)} does not fit the rebuilt "
                f"{new.path!r} of shape {tuple(new.shape)}."
            )
        new.assign(value.astype(new.dtype))
    if new_ntm.stateful and new_ntm.states is not None:
        new_ntm.reset_state()
    return new_model


def evaluate_memory_sizes(model, memory_sizes, lengths, num_sequences, task="copy", seed=12345, task_kwargs=None, batch_size=50):
    """Bits and bit errors per sequence of ``model`` resized to each N, at each length.

    Every N sees the same sequences (``ntm_core.evaluation.evaluate`` seeds them by
    ``(seed, length)``), so the table compares memory sizes on paired data.

    Args:
        memory_sizes: the N to test. lengths: the sequence lengths.
        num_sequences: one count for every length, or a list with one per length
            (long sequences at large N are slow).

    Returns:
        rows ``{"memory_size", "length", "num_sequences", "bits_per_seq", "bit_errors", "perfect"}``.
    """
    lengths = [check_int("lengths", length, minimum=1) for length in lengths]
    counts = list(num_sequences) if isinstance(num_sequences, (list, tuple)) else [num_sequences] * len(lengths)
    if len(counts) != len(lengths):
        raise ValueError(f"`num_sequences` must be one count or one per length ({len(lengths)}), got {describe(num_sequences)}.")
    counts = [check_int("num_sequences", count, minimum=1) for count in counts]
    rows = []
    for memory_size in memory_sizes:
        resized = resize_memory(model, memory_size)
        for length, count in zip(lengths, counts):
            (row,) = evaluate(
                resized, task, lengths=[length], num_sequences=count, seed=seed, task_kwargs=task_kwargs, batch_size=batch_size
            )
            rows.append({"memory_size": int(memory_size), "length": length, "num_sequences": count, **{k: v for k, v in row.items() if k != "length"}})
    return rows
