"""The five algorithmic tasks of the Neural Turing Machine paper.

Graves, Wayne & Danihelka (2014), "Neural Turing Machines", arXiv 1410.5401,
section 4: copy (4.1), repeat copy (4.2), associative recall (4.3), dynamic
n-grams (4.4) and priority sort (4.5).

Every generator is pure NumPy and seeded: the same seed always gives the same
batch. A batch is a :class:`Batch` with

* ``x``       float32 ``(B, T, task.input_size)``  -- the input sequence,
* ``y``       float32 ``(B, T, task.output_size)`` -- the target sequence,
* ``mask``    float32 ``(B, T)`` -- 1 on the steps that are scored, else 0,
* ``lengths`` int64 ``(B,)`` -- the task's "length" parameter per sequence.

Each sequence draws its own length uniformly from ``[min_length, max_length]``.
Shorter sequences are padded with zeros *at the end*, after their target steps,
and the mask is 0 on the padding, so a padded step is never scored.  ``pad_to``
fixes ``T`` so that a compiled (XLA) model sees only a few shapes; use
``task.steps_for_length(max_length)`` to pick it.

The paper scores every task in bits per sequence: binary cross-entropy of the
sigmoid outputs over the scored steps (see :mod:`ntm_core.metrics`).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Any

import keras
import numpy as np

from .metrics import bits_per_sequence

__all__ = [
    "Batch",
    "Task",
    "CopyTask",
    "RepeatCopyTask",
    "AssociativeRecallTask",
    "NGramTask",
    "PrioritySortTask",
    "TASKS",
    "get_task",
    "list_tasks",
    "copy_batch",
    "copy_sequence",
    "ngram_bayes_optimal",
    "ngram_bayes_optimal_cost",
    "Curriculum",
    "TaskDataset",
]


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

def _is_real_number(value: Any) -> bool:
    """An int or float of any kind (NumPy's too), but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_int(value: Any, name: str, minimum: int | None = 1) -> int:
    # bool is an int subclass; True as a length is always a bug.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {type(value).__name__} {value!r}"
        )
    value = int(value)
    if minimum is not None and value < minimum:
        if minimum == 1:
            raise ValueError(f"{name} must be a positive integer, got {value}")
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


def _as_rng(rng: Any) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        # None is rejected on purpose: an unseeded batch cannot be reproduced.
        raise TypeError(
            "rng must be a numpy.random.Generator or a non-negative int seed, "
            f"got {type(rng).__name__} {rng!r}"
        )
    if rng < 0:
        raise ValueError(f"rng seed must be a non-negative integer, got {rng}")
    return np.random.default_rng(int(rng))


def _random_bits(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.integers(0, 2, size=shape).astype(np.float32)


# --------------------------------------------------------------------------
# Batch and the common task interface
# --------------------------------------------------------------------------

@dataclasses.dataclass
class Batch:
    """One batch of a task (shapes in the module docstring).

    ``extras`` holds per-task side information (e.g. ``"repeats"`` for repeat
    copy, ``"tables"`` for n-grams, ``"query_index"`` for associative recall)
    that notebooks and tests can use; models never see it.
    """

    x: np.ndarray
    y: np.ndarray
    mask: np.ndarray
    lengths: np.ndarray
    extras: dict = dataclasses.field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Number of time steps ``T`` (after padding)."""
        return int(self.x.shape[1])

    def as_tuple(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(x, y, mask)``, the form Keras' ``fit`` takes (mask = sample_weight)."""
        return self.x, self.y, self.mask


class Task:
    """Base class of the paper's tasks (section 4).

    Subclasses set ``name``, ``input_size``, ``output_size``,
    ``train_lengths`` (min, max), ``eval_lengths`` and ``min_supported_length``
    and implement :meth:`steps_for_length` and :meth:`_sequence`.
    """

    name: str = "task"
    input_size: int
    output_size: int
    train_lengths: tuple[int, int]
    eval_lengths: tuple[int, ...]
    min_supported_length: int = 1

    def steps_for_length(self, length: int) -> int:
        """Total time steps a sequence of this ``length`` needs."""
        raise NotImplementedError

    def _sequence(self, length: int, rng: np.random.Generator, **params):
        """One unpadded ``(x, y, mask)`` plus a dict of per-sequence extras."""
        raise NotImplementedError

    # Hooks for tasks with extra per-sequence parameters (repeat copy).
    def _draw_params(self, lengths, rng, **kwargs) -> dict[str, np.ndarray]:
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}.sample() got unexpected keyword "
                f"arguments {sorted(kwargs)}"
            )
        return {}

    def _steps(self, length: int, **params) -> int:
        return self.steps_for_length(length)

    def test_task(self) -> "Task":
        """The task that tests run on: this one without training-only settings.

        :func:`ntm_core.train.evaluate` tests on it, so a model trained on
        altered data (e.g. copy's ``blank_share``) is still measured on the
        paper's.
        """
        return self

    def padded_steps(self, max_length: int, **sample_kwargs) -> int:
        """Time steps that fit every sequence of a batch drawn with ``max_length``.

        ``TaskDataset`` uses this to keep ``T`` fixed until the curriculum moves.
        """
        return self.steps_for_length(_check_int(max_length, "max_length"))

    def _length_range(self, min_length, max_length) -> tuple[int, int]:
        lo = self.train_lengths[0] if min_length is None else min_length
        hi = self.train_lengths[1] if max_length is None else max_length
        lo = _check_int(lo, "min_length")
        hi = _check_int(hi, "max_length")
        if lo < self.min_supported_length:
            raise ValueError(
                f"min_length must be >= {self.min_supported_length} for task "
                f"{self.name!r}, got {lo}"
            )
        if lo > hi:
            raise ValueError(
                f"min_length ({lo}) must not be greater than max_length ({hi})"
            )
        return lo, hi

    def sample(self, batch_size, rng, min_length=None, max_length=None,
               pad_to=None, **kwargs) -> Batch:
        """Draw a batch.

        Args:
            batch_size: positive int ``B``.
            rng: ``numpy.random.Generator`` or non-negative int seed.
            min_length, max_length: inclusive range of the task's length
                parameter; default ``self.train_lengths``. Each sequence draws
                its own length uniformly from it.
            pad_to: fix the number of steps ``T``; ValueError if a sequence
                needs more. Default: the longest sequence in the batch.

        Returns:
            :class:`Batch` with ``x`` (B, T, input_size), ``y`` (B, T,
            output_size), ``mask`` (B, T), ``lengths`` (B,).
        """
        batch_size = _check_int(batch_size, "batch_size")
        rng = _as_rng(rng)
        lo, hi = self._length_range(min_length, max_length)
        if pad_to is not None:
            pad_to = _check_int(pad_to, "pad_to")

        lengths = rng.integers(lo, hi + 1, size=batch_size).astype(np.int64)
        params = self._draw_params(lengths, rng, **kwargs)
        per_seq = [{k: v[i] for k, v in params.items()} for i in range(batch_size)]
        steps = [self._steps(int(n), **p) for n, p in zip(lengths, per_seq)]
        longest = max(steps)
        if pad_to is None:
            total = longest
        elif longest > pad_to:
            raise ValueError(
                f"pad_to={pad_to} is too short: a sequence of length "
                f"{int(lengths[int(np.argmax(steps))])} needs {longest} steps "
                f"(use task.steps_for_length to choose pad_to)"
            )
        else:
            total = pad_to

        x = np.zeros((batch_size, total, self.input_size), np.float32)
        y = np.zeros((batch_size, total, self.output_size), np.float32)
        mask = np.zeros((batch_size, total), np.float32)
        extras: dict[str, list] = {k: list(v) for k, v in params.items()}
        for i, (n, p) in enumerate(zip(lengths, per_seq)):
            xi, yi, mi, info = self._sequence(int(n), rng, **p)
            t = xi.shape[0]
            x[i, :t], y[i, :t], mask[i, :t] = xi, yi, mi
            for k, v in info.items():
                extras.setdefault(k, []).append(v)
        return Batch(x, y, mask, lengths, self._stack_extras(extras))

    @staticmethod
    def _stack_extras(extras: dict[str, list]) -> dict:
        out = {}
        for k, values in extras.items():
            try:
                out[k] = np.stack([np.asarray(v) for v in values])
            except ValueError:  # ragged (e.g. per-sequence priorities)
                out[k] = values
        return out

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(input_size={self.input_size}, "
                f"output_size={self.output_size})")


# --------------------------------------------------------------------------
# 4.1 Copy
# --------------------------------------------------------------------------

class CopyTask(Task):
    """Copy (section 4.1): store a sequence of random bit vectors, then recall it.

    For ``L`` random ``bits``-bit vectors (each bit Bernoulli(0.5)) a sequence
    has ``2L + 1`` steps:

    * ``x`` (2L+1, bits+1): steps ``0..L-1`` carry the vectors on channels
      ``0..bits-1``; step ``L`` carries only the delimiter (channel ``bits`` = 1);
      steps ``L+1..2L`` are all zero (no input while recalling).
    * ``y`` (2L+1, bits): zero except steps ``L+1..2L``, which repeat the vectors.
    * ``mask``: 1 on exactly the ``L`` recall steps.

    Training lengths 1-20 and the test sweep 10, 20, 30, 50, 120 are the
    paper's; 80 is added to fill the gap between 50 and 120.

    ``blank_share`` (default 0, the paper's data) is where we differ, and only
    when asked: in that share of the sequences one vector, at a random
    position, is set to all zeros. The paper's data has such blank vectors
    too, but rarely (each vector with probability ``2**-bits``), and a blank
    input is exactly what the recall phase looks like, so a model that saw
    too few of them can take one for the end of the input (notebook 06,
    section 7). :meth:`test_task` drops the setting: tests use the paper's data.
    """

    name = "copy"

    def __init__(self, bits: int = 8, blank_share: float = 0.0):
        self.bits = _check_int(bits, "bits")
        if not _is_real_number(blank_share):
            raise TypeError(f"blank_share must be a number in [0, 1], got {blank_share!r}")
        if not 0.0 <= float(blank_share) <= 1.0:
            raise ValueError(f"blank_share must be in [0, 1], got {blank_share}")
        self.blank_share = float(blank_share)
        self.input_size = self.bits + 1
        self.output_size = self.bits
        self.train_lengths = (1, 20)
        self.eval_lengths = (10, 20, 30, 50, 80, 120)

    def test_task(self) -> "CopyTask":
        return CopyTask(self.bits) if self.blank_share else self

    def steps_for_length(self, length: int) -> int:
        return 2 * _check_int(length, "length") + 1

    def _sequence(self, length, rng):
        pattern = _random_bits(rng, (length, self.bits))
        # Draw nothing extra at blank_share 0, so the paper's data stays the
        # same sequence for sequence under a given seed.
        if self.blank_share and rng.random() < self.blank_share:
            pattern[rng.integers(length)] = 0.0
        x, y, mask = copy_sequence(pattern)
        return x, y, mask, {}


def copy_sequence(pattern) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Build the copy-task arrays for one given pattern (section 4.1).

    Args:
        pattern: array-like ``(L, bits)`` of 0/1 values (e.g. typed by a student).

    Returns:
        ``(x, y, mask)`` without a batch axis: ``x`` (2L+1, bits+1), ``y``
        (2L+1, bits), ``mask`` (2L+1,), all float32, in :class:`CopyTask`'s
        format. Add a batch axis with ``x[None]`` before feeding a model.
    """
    p = np.asarray(pattern)
    if p.ndim != 2 or p.shape[0] < 1 or p.shape[1] < 1:
        raise ValueError(
            "pattern must be a 2-D array (length, bits) with length >= 1 and "
            f"bits >= 1, got shape {p.shape}"
        )
    if p.dtype == object or not np.all((p == 0) | (p == 1)):
        raise ValueError("pattern must contain only 0 and 1 values")
    p = p.astype(np.float32)
    length, bits = p.shape
    total = 2 * length + 1
    x = np.zeros((total, bits + 1), np.float32)
    y = np.zeros((total, bits), np.float32)
    mask = np.zeros((total,), np.float32)
    x[:length, :bits] = p
    x[length, bits] = 1.0
    y[length + 1:] = p
    mask[length + 1:] = 1.0
    return x, y, mask


def copy_batch(batch_size: int, length: int, bits: int = 8, rng=0) -> Batch:
    """A copy batch where every sequence has exactly ``length`` vectors.

    Shapes: ``x`` (B, 2L+1, bits+1), ``y`` (B, 2L+1, bits), ``mask`` (B, 2L+1).
    """
    return CopyTask(bits).sample(batch_size, rng, min_length=length,
                                 max_length=length)


# --------------------------------------------------------------------------
# 4.2 Repeat copy
# --------------------------------------------------------------------------

class RepeatCopyTask(Task):
    """Repeat copy (section 4.2): output a sequence a given number of times,
    then an end marker.

    Format for a sequence of length ``L`` and repeat count ``R``
    (``T = L * (R + 1) + 3`` steps):

    * ``x`` (T, bits+2): step 0 is the start delimiter (channel ``bits`` = 1);
      steps ``1..L`` carry the vectors; step ``L+1`` carries the repeat count
      on channel ``bits+1``; the remaining ``L*R + 1`` steps are zero.
    * ``y`` (T, bits+1): the ``L*R`` steps after the input repeat the vectors
      ``R`` times; the last step has only the end marker (channel ``bits`` = 1).
    * ``mask``: 1 on those ``L*R + 1`` output steps, so the end-marker channel
      is also scored (as 0) during the copies: emitting it early costs bits.

    Filled in where the paper is silent: it only says the count is
    "normalised"; here it is ``count / max_repeats`` with the *constructor's*
    ``max_repeats`` (10), so training counts lie in (0, 1] and the test count
    20 is 2.0. The position of the delimiter and count steps is our choice.

    The task's "length" is the sequence length ``L`` (training 1-10). Repeat
    counts are drawn uniformly from ``[min_repeats, max_repeats]`` (default
    ``train_repeats``, which is 1 to the constructor's ``max_repeats``) and
    returned in ``batch.extras["repeats"]``. ``train_repeats`` can narrow the
    training counts without changing the normalisation, so a model trained on
    1-5 repeats reads the same count input as one trained on 1-10. The
    paper's two tests are in ``eval_settings``: length 20 with 10 repeats and
    length 10 with 20 repeats.
    """

    name = "repeat_copy"

    def __init__(self, bits: int = 8, max_repeats: int = 10, train_repeats=None):
        self.bits = _check_int(bits, "bits")
        self.max_repeats = _check_int(max_repeats, "max_repeats")
        self.input_size = self.bits + 2
        self.output_size = self.bits + 1
        self.train_lengths = (1, 10)
        if train_repeats is None:
            train_repeats = (1, self.max_repeats)
        if not isinstance(train_repeats, (tuple, list)) or len(train_repeats) != 2:
            raise TypeError(f"train_repeats must be a pair (min, max) of repeat counts, got {train_repeats!r}")
        lo = _check_int(train_repeats[0], "train_repeats[0]")
        hi = _check_int(train_repeats[1], "train_repeats[1]")
        if lo > hi:
            raise ValueError(f"train_repeats must be (min, max) with min <= max, got {tuple(train_repeats)}")
        self.train_repeats = (lo, hi)
        self.eval_lengths = (10, 20)
        # The hardest training case first, then the paper's two tests.
        self.eval_settings = (
            {"length": self.train_lengths[1], "repeats": self.train_repeats[1]},
            {"length": 20, "repeats": 10},
            {"length": 10, "repeats": 20},
        )

    def normalise_repeats(self, repeats):
        """The repeat-count input value: ``repeats / max_repeats``."""
        return np.asarray(repeats, np.float32) / np.float32(self.max_repeats)

    def steps_for_length(self, length: int, repeats: int | None = None) -> int:
        """Steps for length ``L`` and ``repeats`` (default the largest
        training count, ``train_repeats[1]``): ``L * (R + 1) + 3``."""
        length = _check_int(length, "length")
        repeats = self.train_repeats[1] if repeats is None else _check_int(
            repeats, "repeats")
        return length * (repeats + 1) + 3

    def padded_steps(self, max_length: int, max_repeats: int | None = None,
                     **_ignored) -> int:
        return self.steps_for_length(max_length, max_repeats)

    def sample(self, batch_size, rng, min_length=None, max_length=None,
               pad_to=None, min_repeats=None, max_repeats=None) -> Batch:
        """As :meth:`Task.sample`, plus the repeat-count range
        ``[min_repeats, max_repeats]`` (default ``self.train_repeats``)."""
        return super().sample(batch_size, rng, min_length, max_length, pad_to,
                              min_repeats=min_repeats, max_repeats=max_repeats)

    def _draw_params(self, lengths, rng, min_repeats=None, max_repeats=None):
        lo = self.train_repeats[0] if min_repeats is None else _check_int(min_repeats, "min_repeats")
        hi = self.train_repeats[1] if max_repeats is None else _check_int(
            max_repeats, "max_repeats")
        if lo > hi:
            raise ValueError(
                f"min_repeats ({lo}) must not be greater than max_repeats ({hi})"
            )
        return {"repeats": rng.integers(lo, hi + 1, size=len(lengths))}

    def _steps(self, length, repeats):
        return self.steps_for_length(length, int(repeats))

    def _sequence(self, length, rng, repeats):
        repeats = int(repeats)
        bits = self.bits
        total = self.steps_for_length(length, repeats)
        pattern = _random_bits(rng, (length, bits))
        x = np.zeros((total, bits + 2), np.float32)
        y = np.zeros((total, bits + 1), np.float32)
        mask = np.zeros((total,), np.float32)
        x[0, bits] = 1.0
        x[1:length + 1, :bits] = pattern
        x[length + 1, bits + 1] = self.normalise_repeats(repeats)
        out = length + 2
        y[out:out + length * repeats, :bits] = np.tile(pattern, (repeats, 1))
        y[total - 1, bits] = 1.0
        mask[out:] = 1.0
        return x, y, mask, {}


# --------------------------------------------------------------------------
# 4.3 Associative recall
# --------------------------------------------------------------------------

class AssociativeRecallTask(Task):
    """Associative recall (section 4.3): after a list of items, given one item,
    output the item that followed it.

    An item is ``item_length`` vectors of ``bits`` random bits. For ``n`` items
    (the task's "length"; training 2-6) a sequence has
    ``T = (n + 2) * (item_length + 1)`` steps:

    * ``x`` (T, bits+2): each item is preceded by an item delimiter step
      (channel ``bits`` = 1); after the last item come a query delimiter step
      (channel ``bits+1`` = 1), a copy of the query item, and a second query
      delimiter; then ``item_length`` zero steps.
    * ``y`` (T, bits): zero except the last ``item_length`` steps, which hold
      the item after the query item in the list.
    * ``mask``: 1 on those last ``item_length`` steps.

    The query is drawn uniformly from all items except the last (which has no
    successor); its index is in ``batch.extras["query_index"]``.

    Filled in where the paper is silent: the delimiter layout (the paper says
    items are "bounded on the left and right by delimiter symbols"), and the
    items of one sequence are made pairwise distinct so the answer is never
    ambiguous (re-drawn on a clash, which is rare with 6 x 3 bits).
    """

    name = "associative_recall"
    min_supported_length = 2

    def __init__(self, bits: int = 6, item_length: int = 3):
        self.bits = _check_int(bits, "bits")
        self.item_length = _check_int(item_length, "item_length")
        self.input_size = self.bits + 2
        self.output_size = self.bits
        self.train_lengths = (2, 6)
        self.eval_lengths = (6, 10, 12, 15, 20)

    def steps_for_length(self, length: int) -> int:
        length = _check_int(length, "length")
        if length < 2:
            raise ValueError(f"length (number of items) must be >= 2, got {length}")
        return (length + 2) * (self.item_length + 1)

    def _distinct_items(self, n, rng):
        n_bits = self.bits * self.item_length
        if n_bits < 63 and n > 2 ** n_bits:
            raise ValueError(
                f"cannot draw {n} distinct items of {self.item_length} x "
                f"{self.bits} bits; lower max_length or raise bits/item_length"
            )
        while True:
            items = _random_bits(rng, (n, self.item_length, self.bits))
            flat = items.reshape(n, -1)
            if len(np.unique(flat, axis=0)) == n:
                return items

    def _sequence(self, length, rng):
        bits, k = self.bits, self.item_length
        items = self._distinct_items(length, rng)
        query = int(rng.integers(0, length - 1))
        total = self.steps_for_length(length)
        x = np.zeros((total, bits + 2), np.float32)
        y = np.zeros((total, bits), np.float32)
        mask = np.zeros((total,), np.float32)
        for j in range(length):
            start = j * (k + 1)
            x[start, bits] = 1.0
            x[start + 1:start + 1 + k, :bits] = items[j]
        q = length * (k + 1)
        x[q, bits + 1] = 1.0
        x[q + 1:q + 1 + k, :bits] = items[query]
        x[q + 1 + k, bits + 1] = 1.0
        y[total - k:] = items[query + 1]
        mask[total - k:] = 1.0
        return x, y, mask, {"query_index": query}


# --------------------------------------------------------------------------
# 4.4 Dynamic n-grams
# --------------------------------------------------------------------------

class NGramTask(Task):
    """Dynamic n-grams (section 4.4): predict the next bit of a stream drawn
    from a random (context+1)-gram table that is new for every sequence.

    For each of the ``2**context`` contexts, ``P(next bit = 1 | last context
    bits)`` is drawn from Beta(1/2, 1/2); ``sequence_length`` (200) bits are
    then drawn from that table. The context index reads the last ``context``
    bits as a binary number, oldest bit most significant.

    Filled in where the paper is silent: the first table bit needs a context,
    so the stream starts with ``context`` seed bits drawn Bernoulli(0.5). The
    stream is ``s`` = seed bits + ``L`` table bits (``L`` = the task's
    "length", default 200), and with ``T = context + L - 1`` steps:

    * ``x`` (T, 1): ``x[t] = s[t]`` (the bits seen so far),
    * ``y`` (T, 1): ``y[t] = s[t + 1]`` (the next bit),
    * ``mask``: 1 for ``t >= context - 1``, i.e. exactly the ``L`` table bits
      are scored, so a cost is in bits per 200-bit sequence as in the paper;
      the seed bits are never predicted.

    ``batch.extras["tables"]`` (B, 2**context) holds each sequence's table.
    Lengths default to 200 for training and testing; other lengths work.
    """

    name = "ngrams"

    def __init__(self, context: int = 5, sequence_length: int = 200):
        self.context = _check_int(context, "context")
        if self.context > 20:
            raise ValueError(f"context must be <= 20 (table size 2**context), "
                             f"got {self.context}")
        self.sequence_length = _check_int(sequence_length, "sequence_length")
        self.input_size = 1
        self.output_size = 1
        self.train_lengths = (self.sequence_length, self.sequence_length)
        self.eval_lengths = (self.sequence_length,)

    def steps_for_length(self, length: int) -> int:
        return self.context + _check_int(length, "length") - 1

    def _sequence(self, length, rng):
        c = self.context
        table = rng.beta(0.5, 0.5, size=2 ** c)
        stream = np.zeros(c + length, np.int64)
        stream[:c] = rng.integers(0, 2, size=c)
        uniforms = rng.random(length)
        index_mask = 2 ** c - 1
        idx = 0
        for b in stream[:c]:
            idx = ((idx << 1) | int(b)) & index_mask
        for t in range(length):
            bit = int(uniforms[t] < table[idx])
            stream[c + t] = bit
            idx = ((idx << 1) | bit) & index_mask
        total = c + length - 1
        x = stream[:-1].astype(np.float32)[:, None]
        y = stream[1:].astype(np.float32)[:, None]
        mask = np.zeros((total,), np.float32)
        mask[c - 1:] = 1.0
        return x, y, mask, {"tables": table}

    def bayes_optimal_cost(self, batch: Batch, reduce: bool = True):
        """Bits per sequence of the Bayes-optimal predictor on ``batch``."""
        return ngram_bayes_optimal_cost(batch.x, batch.y, batch.mask,
                                        context=self.context, reduce=reduce)


def ngram_bayes_optimal(x_bits, context: int = 5) -> np.ndarray:
    """The paper's Bayes-optimal next-bit predictor (section 4.4).

    With a Beta(1/2, 1/2) prior on each context's probability, the posterior
    mean after seeing the context followed by ``N1`` ones and ``N0`` zeros is
    ``(N1 + 1/2) / (N1 + N0 + 1)``.

    Args:
        x_bits: 0/1 array ``(T,)``, ``(B, T)`` or ``(B, T, 1)``: the bits seen,
            as in :class:`NGramTask`'s ``x``.
        context: number of previous bits that form the context.

    Returns:
        float64 array of ``x_bits``' shape: entry ``t`` is ``P(bit t+1 = 1)``
        given bits ``0..t``, counting only transitions completed by step ``t``.
        Steps with fewer than ``context`` bits seen (``t < context - 1``) get
        0.5; :class:`NGramTask` does not score them.
    """
    context = _check_int(context, "context")
    bits = np.asarray(x_bits)
    shape = bits.shape
    if bits.ndim == 1:
        seqs = bits[None]
    elif bits.ndim == 2:
        seqs = bits
    elif bits.ndim == 3 and shape[2] == 1:
        seqs = bits[..., 0]
    else:
        raise ValueError(
            f"x_bits must have shape (T,), (B, T) or (B, T, 1), got {shape}"
        )
    if not np.all((seqs == 0) | (seqs == 1)):
        raise ValueError("x_bits must contain only 0 and 1 values")
    seqs = seqs.astype(np.int64)
    n_seq, steps = seqs.shape
    probs = np.full((n_seq, steps), 0.5, np.float64)
    index_mask = 2 ** context - 1
    for b in range(n_seq):
        ones = np.zeros(2 ** context, np.int64)
        total = np.zeros(2 ** context, np.int64)
        idx = 0
        for t in range(steps):
            bit = int(seqs[b, t])
            if t >= context:
                # idx is still the context that ended at t-1, which bit t follows.
                ones[idx] += bit
                total[idx] += 1
            idx = ((idx << 1) | bit) & index_mask
            if t >= context - 1:
                probs[b, t] = (ones[idx] + 0.5) / (total[idx] + 1.0)
    return probs.reshape(shape)


def ngram_bayes_optimal_cost(x, y, mask, context: int = 5, reduce: bool = True):
    """Cost in bits per sequence of :func:`ngram_bayes_optimal` on a batch.

    ``x``, ``y`` (B, T, 1) and ``mask`` (B, T) as produced by
    :class:`NGramTask`. Returns the batch mean (``reduce=True``) or a (B,)
    array -- the paper's "optimal" reference, about 131-133 bits for 200 bits.
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[2] != 1:
        raise ValueError(f"x must have shape (B, T, 1), got {x.shape}")
    probs = ngram_bayes_optimal(x, context=context)
    return bits_per_sequence(y, probs, mask, reduce=reduce)


# --------------------------------------------------------------------------
# 4.5 Priority sort
# --------------------------------------------------------------------------

class PrioritySortTask(Task):
    """Priority sort (section 4.5): output the highest-priority input vectors
    sorted from highest to lowest priority.

    For ``n`` inputs (the task's "length", 20 in the paper) and
    ``m = min(num_outputs, n)`` outputs (16 in the paper), ``T = n + 1 + m``:

    * ``x`` (T, bits+2): steps ``0..n-1`` carry a random binary vector on
      channels ``0..bits-1`` and its priority, drawn from U[-1, 1], on channel
      ``bits``; step ``n`` carries only the end-of-input flag (channel
      ``bits+1`` = 1); the last ``m`` steps are zero.
    * ``y`` (T, bits): the last ``m`` steps hold the ``m`` highest-priority
      vectors, highest priority first.
    * ``mask``: 1 on those ``m`` steps.

    Filled in where the paper is silent: the end-of-input flag channel and
    the output order (highest first). The paper uses a fixed 20 inputs, so
    ``train_lengths = (20, 20)`` and ``eval_lengths = (20,)``; passing other
    lengths changes the number of inputs, keeping at most ``num_outputs``
    outputs. Priorities are in ``batch.extras["priorities"]`` (a list of
    per-sequence arrays; stacked into (B, n) when all lengths agree).
    """

    name = "priority_sort"

    def __init__(self, bits: int = 8, num_inputs: int = 20, num_outputs: int = 16):
        self.bits = _check_int(bits, "bits")
        self.num_inputs = _check_int(num_inputs, "num_inputs")
        self.num_outputs = _check_int(num_outputs, "num_outputs")
        if self.num_outputs > self.num_inputs:
            raise ValueError(
                f"num_outputs ({self.num_outputs}) must not exceed num_inputs "
                f"({self.num_inputs})"
            )
        self.input_size = self.bits + 2
        self.output_size = self.bits
        self.train_lengths = (self.num_inputs, self.num_inputs)
        self.eval_lengths = (self.num_inputs,)

    def steps_for_length(self, length: int) -> int:
        length = _check_int(length, "length")
        return length + 1 + min(self.num_outputs, length)

    def _sequence(self, length, rng):
        bits = self.bits
        n_out = min(self.num_outputs, length)
        vectors = _random_bits(rng, (length, bits))
        priorities = rng.uniform(-1.0, 1.0, size=length).astype(np.float32)
        total = self.steps_for_length(length)
        x = np.zeros((total, bits + 2), np.float32)
        y = np.zeros((total, bits), np.float32)
        mask = np.zeros((total,), np.float32)
        x[:length, :bits] = vectors
        x[:length, bits] = priorities
        x[length, bits + 1] = 1.0
        order = np.argsort(-priorities, kind="stable")[:n_out]
        y[length + 1:] = vectors[order]
        mask[length + 1:] = 1.0
        return x, y, mask, {"priorities": priorities}


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

TASKS: dict[str, type[Task]] = {
    cls.name: cls
    for cls in (CopyTask, RepeatCopyTask, AssociativeRecallTask, NGramTask,
                PrioritySortTask)
}


def list_tasks() -> list[str]:
    """Names of the paper's tasks, in the paper's order."""
    return list(TASKS)


def get_task(name: str, **kwargs) -> Task:
    """Build a task by name (``"copy"``, ``"repeat_copy"``, ...)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a task name string, got {type(name).__name__}")
    try:
        cls = TASKS[name]
    except KeyError:
        raise ValueError(
            f"unknown task name {name!r}; known tasks: {', '.join(TASKS)}"
        ) from None
    return cls(**kwargs)


# --------------------------------------------------------------------------
# Curriculum and Keras dataset
# --------------------------------------------------------------------------

class Curriculum:
    """Grow the maximum training length as the error falls.

    Short sequences teach the memory loop slowly, long ones are hard at
    first; lengthening them once the model copes is a common fix (see
    Collier & Beel 2018). Not part of the original paper.

    Args:
        start_max_length: the first maximum length.
        final_max_length: the length it never exceeds.
        step: how much it grows per successful update.
        threshold: grow when the bit errors per sequence are below this.

    ``log`` lists ``(update_count, max_length)``, starting with
    ``(0, start_max_length)`` and one entry per change.
    """

    def __init__(self, start_max_length: int, final_max_length: int,
                 step: int = 1, threshold: float = 0.5):
        self.start_max_length = _check_int(start_max_length, "start_max_length")
        self.final_max_length = _check_int(final_max_length, "final_max_length")
        if self.start_max_length > self.final_max_length:
            raise ValueError(
                f"start_max_length ({self.start_max_length}) must not be greater "
                f"than final_max_length ({self.final_max_length})"
            )
        self.step = _check_int(step, "step")
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise TypeError(f"threshold must be a number, got {threshold!r}")
        if not math.isfinite(threshold) or threshold <= 0:
            raise ValueError(f"threshold must be a positive finite number, got {threshold}")
        self.threshold = float(threshold)
        self.max_length = self.start_max_length
        self.updates = 0
        self.log: list[tuple[int, int]] = [(0, self.max_length)]

    @property
    def done(self) -> bool:
        """True once the final length is reached."""
        return self.max_length >= self.final_max_length

    def update(self, bit_errors_per_sequence) -> bool:
        """Report the latest error (a number, or an array that is averaged).

        Returns True when the maximum length changed. A NaN error never grows it.
        """
        err = float(np.mean(np.asarray(bit_errors_per_sequence, np.float64)))
        if err < 0:
            raise ValueError(
                f"bit_errors_per_sequence must be >= 0, got {err}"
            )
        self.updates += 1
        if err < self.threshold and not self.done:
            self.max_length = min(self.max_length + self.step, self.final_max_length)
            self.log.append((self.updates, self.max_length))
            return True
        return False

    def __repr__(self) -> str:
        return (f"Curriculum(max_length={self.max_length}, "
                f"final_max_length={self.final_max_length}, step={self.step}, "
                f"threshold={self.threshold})")


class TaskDataset(keras.utils.PyDataset):
    """A Keras ``PyDataset`` of task batches for ``model.fit``.

    ``dataset[i]`` is ``(x, y, mask)``; Keras uses the (B, T) mask as
    ``sample_weight``, so padded and input-only steps are not trained on.

    Batch ``i`` of epoch ``e`` is drawn from ``default_rng([seed, e, i])``, so
    it depends only on ``(seed, e, i)`` (and the curriculum's current max
    length), whatever order or worker asks for it. ``on_epoch_end`` moves to
    the next epoch.

    With ``pad_to=None`` every batch is padded to
    ``task.padded_steps(current max_length)``: the time axis only changes when
    the curriculum moves, so an XLA-compiled step recompiles rarely.

    Args:
        task: a :class:`Task`.
        batch_size, batches_per_epoch: positive ints.
        seed: non-negative int.
        min_length, max_length: length range (default ``task.train_lengths``);
            ``max_length`` is ignored when a ``curriculum`` is given.
        pad_to: fixed number of steps, or None (see above).
        curriculum: optional :class:`Curriculum` whose ``max_length`` is read
            for every batch.
        task_kwargs: extra arguments for ``task.sample`` (e.g.
            ``{"max_repeats": 5}`` for repeat copy).
        **kwargs: passed to ``PyDataset`` (``workers``, ``use_multiprocessing``,
            ``max_queue_size``).
    """

    def __init__(self, task: Task, batch_size: int, batches_per_epoch: int,
                 seed: int, min_length=None, max_length=None, pad_to=None,
                 curriculum: Curriculum | None = None,
                 task_kwargs: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(task, Task):
            raise TypeError(f"task must be a Task instance, got {type(task).__name__}")
        if curriculum is not None and not isinstance(curriculum, Curriculum):
            raise TypeError(
                f"curriculum must be a Curriculum or None, got {type(curriculum).__name__}"
            )
        self.task = task
        self.batch_size = _check_int(batch_size, "batch_size")
        self.batches_per_epoch = _check_int(batches_per_epoch, "batches_per_epoch")
        self.seed = _check_int(seed, "seed", minimum=0)
        self.pad_to = None if pad_to is None else _check_int(pad_to, "pad_to")
        self.curriculum = curriculum
        self.task_kwargs = dict(task_kwargs or {})
        self.min_length = min_length
        self.max_length = max_length
        self.epoch = 0
        # Fail now, not inside fit(), on a bad range or a pad_to that is too short.
        lo, hi = self.current_length_range()
        if curriculum is not None:
            task._length_range(lo, curriculum.final_max_length)
        needed = task.padded_steps(
            hi if curriculum is None else curriculum.final_max_length,
            **self.task_kwargs)
        if self.pad_to is not None and needed > self.pad_to:
            longest = hi if curriculum is None else curriculum.final_max_length
            raise ValueError(
                f"pad_to={self.pad_to} is too short: max_length {longest} needs "
                f"{needed} steps"
            )

    def current_length_range(self) -> tuple[int, int]:
        """The (min, max) length used for the next batch."""
        hi = self.max_length if self.curriculum is None else self.curriculum.max_length
        return self.task._length_range(self.min_length, hi)

    def current_steps(self) -> int:
        """Number of time steps ``T`` of the next batch."""
        if self.pad_to is not None:
            return self.pad_to
        return self.task.padded_steps(self.current_length_range()[1],
                                      **self.task_kwargs)

    def __len__(self) -> int:
        return self.batches_per_epoch

    def __getitem__(self, index):
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"index must be an integer, got {type(index).__name__}")
        if not 0 <= index < self.batches_per_epoch:
            raise IndexError(
                f"index {index} out of range for {self.batches_per_epoch} batches"
            )
        lo, hi = self.current_length_range()
        rng = np.random.default_rng([self.seed, self.epoch, int(index)])
        batch = self.task.sample(self.batch_size, rng, min_length=lo,
                                 max_length=hi, pad_to=self.current_steps(),
                                 **self.task_kwargs)
        return batch.x, batch.y, batch.mask

    def on_epoch_end(self):
        self.epoch += 1
