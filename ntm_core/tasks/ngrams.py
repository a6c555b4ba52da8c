"""Dynamic n-grams (Graves et al. 2014, section 4.4) and the paper's Bayes-optimal predictor.

Pure NumPy; the predictor's cost in bits uses :func:`ntm_core.metrics.bits_per_sequence`.
"""

from __future__ import annotations

import numpy as np

from ntm_core.metrics import bits_per_sequence
from ntm_core.tasks.base import Batch, Task, check_bits
from ntm_core.validation import check_int, check_shape


class NGramTask(Task):
    """Dynamic n-grams (section 4.4): predict the next bit of a stream drawn
    from a random (context+1)-gram table that is new for every sequence.

    For each of the ``2**context`` contexts, ``P(next bit = 1 | last context
    bits)`` is drawn from Beta(1/2, 1/2); ``sequence_length`` (200) bits are
    then drawn from that table. The context index reads the last ``context``
    bits as a binary number, oldest bit most significant.

    The first bits of a stream have no full context to look up. The paper
    (section 4.4, footnote 4) counts them in its 200 bits: the first 5 are
    drawn Bernoulli(0.5) and the other 195 from the table. This package
    instead draws ``context`` seed bits Bernoulli(0.5) *before* ``L`` table
    bits (``L`` = the task's "length", default 200) and scores only the
    table bits. Every scored bit then comes from the table with a full
    context, so a cost measures what the task is about (inferring the table)
    and is not diluted by coin flips that no predictor can beat. Costs are
    therefore over 200 table bits, close to but not exactly the paper's
    (:func:`ntm_core.teaching.task_analysis.ngram_paper_setup_cost` prices
    the paper's set-up on the same sequences). With the stream ``s`` = seed
    bits + table bits and ``T = context + L - 1`` steps:

    * ``x`` (T, 1): ``x[t] = s[t]`` (the bits seen so far),
    * ``y`` (T, 1): ``y[t] = s[t + 1]`` (the next bit),
    * ``mask``: 1 for ``t >= context - 1``, i.e. exactly the ``L`` table bits
      are scored; the seed bits are input only, never predicted.

    ``batch.extras["tables"]`` (B, 2**context) holds each sequence's table.
    Lengths default to 200 for training and testing; other lengths work.
    """

    name = "ngrams"

    def __init__(self, context: int = 5, sequence_length: int = 200):
        self.context = check_int("context", context, minimum=1, maximum=20)  # a table of 2**context
        self.sequence_length = check_int("sequence_length", sequence_length, minimum=1)
        self.input_size = 1
        self.output_size = 1
        self.train_lengths = (self.sequence_length, self.sequence_length)
        self.eval_lengths = (self.sequence_length,)

    def steps_for_length(self, length: int) -> int:
        return self.context + check_int("length", length, minimum=1) - 1

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
    context = check_int("context", context, minimum=1)
    shape = np.shape(x_bits)
    if len(shape) not in (1, 2) and not (len(shape) == 3 and shape[2] == 1):
        raise ValueError(f"`x_bits` must have shape (T,), (B, T) or (B, T, 1), got shape {shape}.")
    seqs = check_bits("x_bits", x_bits).reshape((-1, shape[-2] if len(shape) == 3 else shape[-1]))
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
    array: the paper's "optimal" reference curve (Figure 13).
    """
    x = np.asarray(x)
    check_shape("x", x, (None, None, 1), "(B, T, 1)")
    probs = ngram_bayes_optimal(x, context=context)
    return bits_per_sequence(y, probs, mask, reduce=reduce)
