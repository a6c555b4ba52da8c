"""Priority sort (Graves et al. 2014, section 4.5). Pure NumPy."""

from __future__ import annotations

import numpy as np

from ntm_core.tasks.base import Task, random_bits
from ntm_core.validation import check_int


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
        self.bits = check_int("bits", bits, minimum=1)
        self.num_inputs = check_int("num_inputs", num_inputs, minimum=1)
        self.num_outputs = check_int("num_outputs", num_outputs, minimum=1, maximum=self.num_inputs)
        self.input_size = self.bits + 2
        self.output_size = self.bits
        self.train_lengths = (self.num_inputs, self.num_inputs)
        self.eval_lengths = (self.num_inputs,)

    def steps_for_length(self, length: int) -> int:
        length = check_int("length", length, minimum=1)
        return length + 1 + min(self.num_outputs, length)

    def _sequence(self, length, rng):
        bits = self.bits
        n_out = min(self.num_outputs, length)
        vectors = random_bits(rng, (length, bits))
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
