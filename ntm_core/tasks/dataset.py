"""Task batches as a Keras dataset for ``model.fit``: the one tasks module that imports Keras."""

from __future__ import annotations

import numbers

import keras
import numpy as np

from ntm_core.tasks.base import Task
from ntm_core.tasks.curriculum import Curriculum
from ntm_core.validation import check_int, describe


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
            raise TypeError(f"`task` must be a Task instance, got {describe(task)}.")
        if curriculum is not None and not isinstance(curriculum, Curriculum):
            raise TypeError(f"`curriculum` must be a Curriculum or None, got {describe(curriculum)}.")
        self.task = task
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.batches_per_epoch = check_int("batches_per_epoch", batches_per_epoch, minimum=1)
        self.seed = check_int("seed", seed, minimum=0)
        self.pad_to = None if pad_to is None else check_int("pad_to", pad_to, minimum=1)
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
            raise ValueError(f"`pad_to` must be >= {needed} (max_length {longest} needs that many steps), got {self.pad_to}.")

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
            raise TypeError(f"`index` must be an integer, got {describe(index)}.")
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
