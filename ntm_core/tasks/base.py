"""What every task shares: :class:`Batch`, the :class:`Task` base and its sampling.

Pure NumPy (no Keras): a task is data, not a model. Every generator is
seeded, so the same seed always gives the same batch. A batch is a
:class:`Batch` with

* ``x``       float32 ``(B, T, task.input_size)``  -- the input sequence,
* ``y``       float32 ``(B, T, task.output_size)`` -- the target sequence,
* ``mask``    float32 ``(B, T)`` -- 1 on the steps that are scored, else 0,
* ``lengths`` int64 ``(B,)`` -- the task's "length" parameter per sequence.

Each sequence draws its own length uniformly from ``[min_length, max_length]``.
Shorter sequences are padded with zeros *at the end*, after their target
steps, and the mask is 0 on the padding, so a padded step is never scored.
``pad_to`` fixes ``T`` so that a compiled (XLA) model sees only a few shapes;
``task.steps_for_length(max_length)`` picks it.
"""

from __future__ import annotations

import dataclasses
import numbers
from typing import Any

import numpy as np

from ntm_core.validation import check_int, describe


def as_rng(rng: Any) -> np.random.Generator:
    """``rng`` itself if it is a ``numpy.random.Generator``, else a new one seeded with the int ``rng``.

    None is refused on purpose: an unseeded batch cannot be reproduced.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"`rng` must be a numpy.random.Generator or an integer seed >= 0, got {describe(rng)}.")
    return np.random.default_rng(check_int("rng", rng, minimum=0))


def check_bits(name: str, values) -> np.ndarray:
    """``values`` as a float32 array if every entry is 0 or 1."""
    array = np.asarray(values)
    if array.dtype == object or not np.all((array == 0) | (array == 1)):
        raise ValueError(f"`{name}` must hold only 0 and 1 values, got {describe(values)}.")
    return array.astype(np.float32)


def random_bits(rng: np.random.Generator, shape) -> np.ndarray:
    """Bernoulli(0.5) bits as float32, the paper's random vectors."""
    return rng.integers(0, 2, size=shape).astype(np.float32)


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

        :func:`ntm_core.evaluate` tests on it, so a model trained on
        altered data (e.g. copy's ``blank_share``) is still measured on the
        paper's.
        """
        return self

    def padded_steps(self, max_length: int, **sample_kwargs) -> int:
        """Time steps that fit every sequence of a batch drawn with ``max_length``.

        ``TaskDataset`` uses this to keep ``T`` fixed until the curriculum moves.
        """
        return self.steps_for_length(check_int("max_length", max_length, minimum=1))

    def _length_range(self, min_length, max_length) -> tuple[int, int]:
        lo = self.train_lengths[0] if min_length is None else min_length
        hi = self.train_lengths[1] if max_length is None else max_length
        lo = check_int("min_length", lo, minimum=self.min_supported_length)
        hi = check_int("max_length", hi, minimum=1)
        if lo > hi:
            raise ValueError(f"`min_length` must be <= max_length ({hi}), got {lo}.")
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
        batch_size = check_int("batch_size", batch_size, minimum=1)
        rng = as_rng(rng)
        lo, hi = self._length_range(min_length, max_length)
        if pad_to is not None:
            pad_to = check_int("pad_to", pad_to, minimum=1)

        lengths = rng.integers(lo, hi + 1, size=batch_size).astype(np.int64)
        params = self._draw_params(lengths, rng, **kwargs)
        per_seq = [{k: v[i] for k, v in params.items()} for i in range(batch_size)]
        steps = [self._steps(int(n), **p) for n, p in zip(lengths, per_seq)]
        longest = max(steps)
        if pad_to is None:
            total = longest
        elif longest > pad_to:
            raise ValueError(
                f"`pad_to` must be >= {longest} (a sequence of length {int(lengths[int(np.argmax(steps))])} "
                f"needs {longest} steps; task.steps_for_length gives it), got {pad_to}."
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
