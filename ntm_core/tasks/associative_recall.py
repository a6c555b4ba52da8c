"""Associative recall (Graves et al. 2014, section 4.3). Pure NumPy."""

from __future__ import annotations

import numpy as np

from ntm_core.tasks.base import Task, random_bits
from ntm_core.validation import check_int


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
        self.bits = check_int("bits", bits, minimum=1)
        self.item_length = check_int("item_length", item_length, minimum=1)
        self.input_size = self.bits + 2
        self.output_size = self.bits
        self.train_lengths = (2, 6)
        self.eval_lengths = (6, 10, 12, 15, 20)

    def steps_for_length(self, length: int) -> int:
        length = check_int("length", length, minimum=2)  # items; the last has no successor
        return (length + 2) * (self.item_length + 1)

    def _distinct_items(self, n, rng):
        n_bits = self.bits * self.item_length
        if n_bits < 63 and n > 2 ** n_bits:
            raise ValueError(
                f"`max_length` must be <= {2 ** n_bits}, the number of distinct items of "
                f"{self.item_length} x {self.bits} bits (raise bits or item_length), got {n}."
            )
        while True:
            items = random_bits(rng, (n, self.item_length, self.bits))
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
