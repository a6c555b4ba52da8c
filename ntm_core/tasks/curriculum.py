"""A curriculum that lengthens the training sequences as the error falls. Pure NumPy."""

from __future__ import annotations

import numpy as np

from ntm_core.validation import check_int, check_number


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
        self.start_max_length = check_int("start_max_length", start_max_length, minimum=1)
        self.final_max_length = check_int("final_max_length", final_max_length, minimum=1)
        if self.start_max_length > self.final_max_length:
            raise ValueError(
                f"`start_max_length` must be <= final_max_length ({self.final_max_length}), "
                f"got {self.start_max_length}."
            )
        self.step = check_int("step", step, minimum=1)
        self.threshold = check_number("threshold", threshold, minimum=0.0, strict_minimum=True)
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
            raise ValueError(f"`bit_errors_per_sequence` must be >= 0 on average, got {err}.")
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
