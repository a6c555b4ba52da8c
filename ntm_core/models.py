"""Model builders for the paper's experiments: the NTM and the LSTM baseline.

The paper's sizes (Graves et al. 2014, Tables 1-3) are kept in
``PAPER_NTM`` and ``PAPER_LSTM`` so notebooks can print them beside ours.
``as_task`` (a task name or a Task to a Task) lives in :mod:`ntm_core.tasks`;
it is imported here for the callers that know it from this module.

Both models output bit probabilities. Training uses their logits instead
(:func:`logits_model`, a model that shares every weight and stops before the
sigmoid): a float32 sigmoid rounds to exactly 1.0 above z of about 17, where a
loss on probabilities must clip, and a clipped, confidently wrong bit gets no
gradient; the cross-entropy of the logits has none of that.
"""

import keras

from ntm_core.layer import NTM
from ntm_core.tasks.registry import as_task
from ntm_core.validation import check_int

# Table 1 (feed-forward controller) and Table 2 (LSTM controller):
# task -> (heads, controller size, learning rate, parameter count). The size
# is the units of its one layer, or the string Table 2 gives for the
# priority-sort LSTM controller ("2 x 100", not 200 units).
PAPER_NTM = {
    "dense": {
        "copy": (1, 100, 1e-4, 17_162),
        "repeat_copy": (1, 100, 1e-4, 16_712),
        "associative_recall": (4, 256, 1e-4, 146_845),
        "ngrams": (1, 100, 3e-5, 14_656),
        "priority_sort": (8, 512, 3e-5, 508_305),
    },
    "lstm": {
        "copy": (1, 100, 1e-4, 67_561),
        "repeat_copy": (1, 100, 1e-4, 66_111),
        "associative_recall": (1, 100, 1e-4, 70_330),
        "ngrams": (1, 100, 3e-5, 61_749),
        "priority_sort": (5, "2 x 100", 3e-5, 269_038),
    },
}
# Table 3: task -> (layers, units, learning rate, parameter count).
PAPER_LSTM = {
    "copy": (3, 256, 3e-5, 1_352_969),
    "repeat_copy": (3, 512, 3e-5, 5_312_007),
    "associative_recall": (3, 256, 1e-4, 1_344_518),
    "ngrams": (3, 128, 1e-4, 331_905),
    "priority_sort": (3, 128, 3e-5, 384_424),
}


def build_ntm(
    task="copy",
    controller="lstm",
    preset="stable",
    memory_size=128,
    memory_width=20,
    read_heads=1,
    write_heads=1,
    controller_units=100,
    shift_range=3,
    name=None,
    **ntm_kwargs,
):
    """An NTM for ``task``: inputs (batch, time, task.input_size) to bit probabilities.

    Defaults are the paper's copy set-up: N = 128, M = 20, one read and one
    write head, an LSTM controller of 100 units, shifts of -1, 0, +1.
    """
    task = as_task(task)
    inputs = keras.Input((None, task.input_size), name="inputs")
    outputs = NTM(
        task.output_size,
        memory_size=memory_size,
        memory_width=memory_width,
        read_heads=read_heads,
        write_heads=write_heads,
        shift_range=shift_range,
        controller=controller,
        controller_units=controller_units,
        preset=preset,
        output_activation="sigmoid",
        name="ntm",
        **ntm_kwargs,
    )(inputs)
    return keras.Model(inputs, outputs, name=name or f"ntm_{task.name}")


def build_lstm(task="copy", units=256, layers=3, name=None):
    """The LSTM baseline: ``layers`` stacked LSTMs of ``units`` and a sigmoid readout.

    The paper's sizes are in ``PAPER_LSTM`` (copy: 3 x 256); a small one
    (1 x 100, the NTM controller's width) is far cheaper to train.
    """
    task = as_task(task)
    layers = check_int("layers", layers, minimum=1)
    units = check_int("units", units, minimum=1)
    inputs = keras.Input((None, task.input_size), name="inputs")
    h = inputs
    for i in range(layers):
        h = keras.layers.LSTM(units, return_sequences=True, name=f"lstm_{i}")(h)
    logits = keras.layers.Dense(task.output_size, name="readout")(h)
    outputs = keras.layers.Activation("sigmoid", name="probabilities")(logits)
    return keras.Model(inputs, outputs, name=name or f"lstm_{task.name}")


def _is_sigmoid(activation):
    return keras.activations.serialize(activation) == "sigmoid"


def logits_model(model):
    """The model that computes ``model``'s logits: the same weights, stopping before the sigmoid.

    ``model`` ends in an :class:`NTM` with a sigmoid output (:func:`build_ntm`)
    or in a sigmoid ``Activation`` layer (:func:`build_lstm`). Returns None
    for a model whose last sigmoid cannot be split off, such as an LSTM
    baseline saved before its readout was split in two.
    Shapes: (batch, time, inputs) to (batch, time, outputs) logits.
    """
    last = model.layers[-1]
    if isinstance(last, NTM) and _is_sigmoid(last.cell.output_activation):
        logits = last(last.input, return_logits=True)
    elif isinstance(last, keras.layers.Activation) and _is_sigmoid(last.activation):
        logits = last.input
    else:
        return None
    return keras.Model(model.input, logits, name=f"{model.name}_logits")


def probability_model(logits):
    """The inverse of :func:`logits_model` (for a logits model loaded from a checkpoint).

    Shapes: (batch, time, inputs) to (batch, time, outputs) probabilities.
    """
    last = logits.layers[-1]
    name = logits.name.removesuffix("_logits")
    if isinstance(last, NTM):
        return keras.Model(logits.input, last(last.input), name=name)
    outputs = keras.layers.Activation("sigmoid", name="probabilities")(logits.output)
    return keras.Model(logits.input, outputs, name=name)


def count_params(model):
    """``{"trainable": int, "total": int}`` for a built model."""
    trainable = sum(int(keras.ops.size(w)) for w in model.trainable_weights)
    return {"trainable": trainable, "total": int(model.count_params())}
