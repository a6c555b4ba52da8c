"""Repeat copy (Graves et al. 2014, section 4.2). Pure NumPy."""

from __future__ import annotations

import numpy as np

from ntm_core.tasks.base import Batch, Task, random_bits
from ntm_core.validation import check_int, describe


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

    The count's encoding differs from the paper's. The paper (section 4.2)
    normalised the count to zero mean and unit variance (over training
    counts 1-10 that maps them to about -1.57..1.57 and the test count 20 to
    about 5.05); here it is ``count / max_repeats`` with the *constructor's*
    ``max_repeats`` (10), so training counts lie in (0, 1] and the test count
    20 is 2.0. Either way a test count beyond the training range is an input
    value the network never saw. Filled in where the paper is silent: the
    position of the delimiter and count steps.

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
        self.bits = check_int("bits", bits, minimum=1)
        self.max_repeats = check_int("max_repeats", max_repeats, minimum=1)
        self.input_size = self.bits + 2
        self.output_size = self.bits + 1
        self.train_lengths = (1, 10)
        if train_repeats is None:
            train_repeats = (1, self.max_repeats)
        if not isinstance(train_repeats, (tuple, list)) or len(train_repeats) != 2:
            raise TypeError(f"`train_repeats` must be a pair (min, max) of repeat counts, got {describe(train_repeats)}.")
        lo = check_int("train_repeats[0]", train_repeats[0], minimum=1)
        hi = check_int("train_repeats[1]", train_repeats[1], minimum=1)
        if lo > hi:
            raise ValueError(f"`train_repeats` must be (min, max) with min <= max, got {tuple(train_repeats)}.")
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
        length = check_int("length", length, minimum=1)
        repeats = self.train_repeats[1] if repeats is None else check_int("repeats", repeats, minimum=1)
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
        lo = self.train_repeats[0] if min_repeats is None else check_int("min_repeats", min_repeats, minimum=1)
        hi = self.train_repeats[1] if max_repeats is None else check_int("max_repeats", max_repeats, minimum=1)
        if lo > hi:
            raise ValueError(f"`min_repeats` must be <= max_repeats ({hi}), got {lo}.")
        return {"repeats": rng.integers(lo, hi + 1, size=len(lengths))}

    def _steps(self, length, repeats):
        return self.steps_for_length(length, int(repeats))

    def _sequence(self, length, rng, repeats):
        repeats = int(repeats)
        bits = self.bits
        total = self.steps_for_length(length, repeats)
        pattern = random_bits(rng, (length, bits))
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
