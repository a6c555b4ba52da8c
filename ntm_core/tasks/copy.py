"""Copy (Graves et al. 2014, section 4.1). Pure NumPy."""

from __future__ import annotations

import numpy as np

from ntm_core.tasks.base import Batch, Task, check_bits, random_bits
from ntm_core.validation import check_int, check_number, check_rank


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
    section 7). ``blank_rate`` raises the paper's own rate instead: each
    vector is all zeros with that probability, so a sequence can hold several
    blank vectors, runs of them included. :meth:`test_task` drops both
    settings: tests use the paper's data.
    """

    name = "copy"

    def __init__(self, bits: int = 8, blank_share: float = 0.0, blank_rate: float = 0.0):
        self.bits = check_int("bits", bits, minimum=1)
        self.blank_share = check_number("blank_share", blank_share, minimum=0.0, maximum=1.0)
        self.blank_rate = check_number("blank_rate", blank_rate, minimum=0.0, maximum=1.0)
        self.input_size = self.bits + 1
        self.output_size = self.bits
        self.train_lengths = (1, 20)
        self.eval_lengths = (10, 20, 30, 50, 80, 120)

    def test_task(self) -> "CopyTask":
        return CopyTask(self.bits) if self.blank_share or self.blank_rate else self

    def steps_for_length(self, length: int) -> int:
        return 2 * check_int("length", length, minimum=1) + 1

    def _sequence(self, length, rng):
        pattern = random_bits(rng, (length, self.bits))
        # Draw nothing extra at blank_share and blank_rate 0, so the paper's
        # data stays the same sequence for sequence under a given seed.
        if self.blank_share and rng.random() < self.blank_share:
            pattern[rng.integers(length)] = 0.0
        if self.blank_rate:
            pattern[rng.random(length) < self.blank_rate] = 0.0
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
    p = check_bits("pattern", pattern)
    length, bits = check_rank("pattern", p, 2, "(length, bits)")
    if length < 1 or bits < 1:
        raise ValueError(f"`pattern` must hold at least one vector of at least one bit, got shape {p.shape}.")
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
