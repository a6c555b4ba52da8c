"""The paper's scores: bits per sequence and bit errors per sequence.

Graves, Wayne & Danihelka (2014), arXiv 1410.5401, section 4: outputs are
sigmoids trained with cross-entropy, and every learning curve reports the cost
"in bits per sequence" -- binary cross-entropy in base 2, summed over the
scored steps and channels of one sequence. The bit-error count (outputs
thresholded at 0.5) is the easier number to read: 0 means a perfect copy.

Shapes everywhere: ``y_true`` and ``y_pred`` ``(B, T, C)`` (``y_pred`` holds
probabilities, not logits), ``mask`` ``(B, T)`` with 1 on the scored steps.

Two forms are given: plain NumPy functions for notebooks and tests, and Keras
metrics (``keras.ops`` only, so they run inside a compiled train step on the
TensorFlow, JAX and PyTorch backends) that take the mask as ``sample_weight``.

Keras 3 hands ``sample_weight`` only to ``weighted_metrics``; metrics given as
``metrics=`` are updated without it and would score the padding and input
steps too. Compile with::

    model.compile(..., weighted_metrics=[BitsPerSequence(), BitErrorsPerSequence()])

and pass the mask as the third element of each batch (``TaskDataset`` does).
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from ntm_core.validation import check_bool, check_rank, check_shape

__all__ = [
    "EPSILON",
    "bits_per_sequence",
    "bit_errors_per_sequence",
    "BitsPerSequence",
    "BitErrorsPerSequence",
]

# A sigmoid saturates to exactly 0.0 or 1.0 in float32, and log2(0) = -inf
# would make one confident mistake turn the whole batch mean into inf.
# Clipping caps a bit's cost at -log2(1e-7) ~ 23.3 bits; 1e-7 is also Keras'
# epsilon, so these numbers agree with keras.losses.BinaryCrossentropy.
EPSILON = 1e-7

_LN2 = math.log(2.0)


def _as_arrays(y_true, y_pred, mask):
    """The three arrays as float64, their shapes checked (see the module docstring)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    check_rank("y_true", y_true, 3, "(batch, time, channels)")
    check_shape("y_pred", y_pred, y_true.shape, "the shape of y_true")
    if np.any((y_pred < 0) | (y_pred > 1)):
        raise ValueError(
            "`y_pred` must hold probabilities in [0, 1] (apply a sigmoid to logits), "
            f"got values from {y_pred.min()} to {y_pred.max()}."
        )
    if mask is None:
        return y_true, y_pred, np.ones(y_true.shape[:2], np.float64)
    mask = np.asarray(mask, dtype=np.float64)
    check_shape("mask", mask, y_true.shape[:2], "(batch, time)")
    return y_true, y_pred, mask


def _reduce(per_sequence: np.ndarray, reduce: bool):
    return float(per_sequence.mean()) if check_bool("reduce", reduce) else per_sequence


def bits_per_sequence(y_true, y_pred, mask, reduce: bool = True):
    """The paper's cost: binary cross-entropy in bits, summed per sequence.

    Args:
        y_true: 0/1 targets ``(B, T, C)``.
        y_pred: predicted probabilities ``(B, T, C)``, clipped to
            ``[EPSILON, 1 - EPSILON]`` (see ``EPSILON``).
        mask: ``(B, T)`` weights, 1 on scored steps; None scores every step.
        reduce: True for the mean over the batch (a float), False for the
            ``(B,)`` per-sequence array.

    A prediction of 0.5 costs exactly 1 bit per scored bit.
    """
    y_true, y_pred, mask = _as_arrays(y_true, y_pred, mask)
    p = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
    cost = -(y_true * np.log2(p) + (1.0 - y_true) * np.log2(1.0 - p))
    per_sequence = (cost.sum(axis=2) * mask).sum(axis=1)
    return _reduce(per_sequence, reduce)


def bit_errors_per_sequence(y_true, y_pred, mask, reduce: bool = True):
    """Wrong bits per sequence after thresholding predictions at 0.5.

    A prediction counts as 1 when it is strictly above 0.5 (so 0.5 reads as
    0, as in ``keras.metrics.BinaryAccuracy``). Same arguments and return
    shapes as :func:`bits_per_sequence`.
    """
    y_true, y_pred, mask = _as_arrays(y_true, y_pred, mask)
    wrong = (y_pred > 0.5) != (y_true > 0.5)
    per_sequence = (wrong.sum(axis=2) * mask).sum(axis=1)
    return _reduce(per_sequence, reduce)


# --------------------------------------------------------------------------
# Keras metrics
# --------------------------------------------------------------------------

def _prepare(y_true, y_pred, sample_weight):
    # Sizes may be None while tracing; check_shape compares only the known ones.
    y_true = ops.cast(ops.convert_to_tensor(y_true), "float32")
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), "float32")
    shape = check_rank("y_true", y_true, 3, "(batch, time, channels)")
    check_shape("y_pred", y_pred, shape, "the shape of y_true")
    if sample_weight is None:
        return y_true, y_pred, None
    mask = ops.cast(ops.convert_to_tensor(sample_weight), "float32")
    check_shape("sample_weight", mask, shape[:2], "(batch, time) (the mask)")
    return y_true, y_pred, mask


class _PerSequenceMean(keras.metrics.Metric):
    """Running mean over sequences of a per-sequence sum (shared base).

    ``from_logits``: ``y_pred`` holds the sigmoid's inputs (a model trained
    from logits, :func:`ntm_core.models.logits_model`), not probabilities.
    """

    def __init__(self, name, dtype=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        self.from_logits = check_bool("from_logits", from_logits)
        # Totals rather than a running mean: batches of different sizes then
        # weigh by their number of sequences, as one large batch would.
        self.total = self.add_variable(shape=(), initializer="zeros",
                                       name="total", dtype="float32")
        self.count = self.add_variable(shape=(), initializer="zeros",
                                       name="count", dtype="float32")

    def _per_step(self, y_true, y_pred):
        raise NotImplementedError

    def update_state(self, y_true, y_pred, sample_weight=None):
        """``y_true``, ``y_pred`` (B, T, C); ``sample_weight`` the (B, T) mask
        (None scores every step)."""
        y_true, y_pred, mask = _prepare(y_true, y_pred, sample_weight)
        per_step = self._per_step(y_true, y_pred)
        if mask is not None:
            per_step = per_step * mask
        per_sequence = ops.sum(per_step, axis=1)
        self.total.assign_add(ops.sum(per_sequence))
        self.count.assign_add(ops.sum(ops.ones_like(per_sequence)))

    def result(self):
        return ops.divide_no_nan(self.total, self.count)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits}


@keras.saving.register_keras_serializable(package="ntm_core")
class BitsPerSequence(_PerSequenceMean):
    """Keras form of :func:`bits_per_sequence`: mean over all sequences seen
    since the last reset of the cross-entropy in bits per sequence.
    Give it to ``compile(weighted_metrics=...)`` so it receives the mask."""

    def __init__(self, name="bits_per_seq", dtype=None, from_logits=False):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits)

    def _per_step(self, y_true, y_pred):
        if self.from_logits:
            # -log sigmoid(z) = softplus(-z), -log(1 - sigmoid(z)) = softplus(z):
            # exact where a float32 sigmoid has rounded to 0 or 1, so no clipping.
            nats = y_true * ops.softplus(-y_pred) + (1.0 - y_true) * ops.softplus(y_pred)
            return ops.sum(nats, axis=2) / _LN2
        p = ops.clip(y_pred, EPSILON, 1.0 - EPSILON)
        nats = -(y_true * ops.log(p) + (1.0 - y_true) * ops.log(1.0 - p))
        return ops.sum(nats, axis=2) / _LN2


@keras.saving.register_keras_serializable(package="ntm_core")
class BitErrorsPerSequence(_PerSequenceMean):
    """Keras form of :func:`bit_errors_per_sequence`: mean number of wrong
    bits per sequence (prediction > 0.5 counts as 1).
    Give it to ``compile(weighted_metrics=...)`` so it receives the mask."""

    def __init__(self, name="bit_errors", dtype=None, from_logits=False):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits)

    def _per_step(self, y_true, y_pred):
        # sigmoid(z) > 0.5 exactly when z > 0
        wrong = ops.not_equal(ops.greater(y_pred, 0.0 if self.from_logits else 0.5), ops.greater(y_true, 0.5))
        return ops.sum(ops.cast(wrong, "float32"), axis=2)
