"""Measurements the notebooks make on the other tasks (section 4.2-4.4, notebook 08).

The n-gram task is judged against predictors of known quality (a coin, a
single count, the paper's Bayes-optimal counts per context, an oracle that
knows the table); repeat copy's errors are split into data bits and the end
marker, since the two fail differently as the repeat count grows.
"""

from __future__ import annotations

import numpy as np

from ntm_core.metrics import bits_per_sequence
from ntm_core.tasks import RepeatCopyTask, ngram_bayes_optimal
from ntm_core.validation import check_int

__all__ = ["ngram_costs", "ngram_true_probabilities", "repeat_copy_errors"]


def _context_indices(bits, context):
    """Index (oldest bit most significant) of the last ``context`` bits at every step."""
    seqs = np.asarray(bits).reshape(np.asarray(bits).shape[0], -1).astype(np.int64)
    index = np.zeros_like(seqs)
    mask = 2 ** context - 1
    idx = np.zeros(seqs.shape[0], np.int64)
    for t in range(seqs.shape[1]):
        idx = ((idx << 1) | seqs[:, t]) & mask
        index[:, t] = idx
    return index


def ngram_true_probabilities(x, tables, context=5):
    """P(next bit = 1) under each sequence's own n-gram table: the oracle that
    knows the table the sequence was drawn from (the predictor no learner can
    beat). x (B, T, 1) as in :class:`ntm_core.tasks.NGramTask`; tables (B, 2**context).
    Returns (B, T); steps with fewer than ``context`` bits seen get 0.5."""
    context = check_int("context", context, minimum=1)
    x = np.asarray(x)
    tables = np.asarray(tables)
    idx = _context_indices(x[..., 0], context)
    probs = np.take_along_axis(tables, idx, axis=1)
    probs[:, : context - 1] = 0.5
    return probs


def _unigram_probabilities(x):
    """P(next = 1) from the counts of ones so far, ignoring the context:
    (N1 + 1/2) / (N + 1), the Bayes predictor of a single coin."""
    bits = np.asarray(x)[..., 0].astype(float)
    ones = np.cumsum(bits, axis=1)
    seen = np.arange(1, bits.shape[1] + 1)[None, :]
    return (ones + 0.5) / (seen + 1.0)


def ngram_costs(batch, context=5):
    """Bits per sequence of four predictors on an n-gram batch (section 4.4).

    Returns ``{name: (B,) costs}`` for, from worst to best:
    "always 0.5" (exactly 1 bit per predicted bit), "counts ignoring the
    context" (a single coin), "Bayes-optimal (counts per context)" (the
    paper's optimum, :func:`ntm_core.tasks.ngram_bayes_optimal`) and "oracle
    (knows the table)" (:func:`ngram_true_probabilities`, needs the tables in
    ``batch.extras``).
    """
    x, y, mask = batch.x, batch.y, batch.mask
    predictors = {
        "always 0.5": np.full(y.shape[:2], 0.5),
        "counts ignoring the context": _unigram_probabilities(x),
        f"Bayes-optimal ({context}-bit contexts)": ngram_bayes_optimal(x[..., 0], context=context),
    }
    if "tables" in batch.extras:
        predictors["oracle (knows the table)"] = ngram_true_probabilities(x, batch.extras["tables"], context)
    return {name: bits_per_sequence(y, p[..., None], mask, reduce=False) for name, p in predictors.items()}


def repeat_copy_errors(model, repeats, length=10, num_sequences=20, seed=0, task=None):
    """Where repeat copy goes wrong as the repeat count grows (section 4.2).

    For each repeat count R, draws ``num_sequences`` sequences of ``length``
    vectors repeated R times and counts, per sequence, the wrong data bits and
    the wrong end-marker outputs (the end-marker channel is scored on every
    output step: it must be 0 during the copies and 1 at the very end).

    Returns rows ``{"length", "repeats", "bits_per_seq", "data_bit_errors",
    "end_marker_errors", "early_end_markers", "perfect"}`` (means per
    sequence; ``early_end_markers`` counts end markers emitted before the
    last step).
    """
    length = check_int("length", length, minimum=1)
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    task = task or RepeatCopyTask()
    bits = task.bits
    rows = []
    for r in repeats:
        rng = np.random.default_rng([int(seed), int(r), int(length)])
        batch = task.sample(num_sequences, rng, min_length=length, max_length=length,
                            min_repeats=int(r), max_repeats=int(r))
        pred = np.asarray(model.predict_on_batch(batch.x))
        wrong = ((pred > 0.5) != (batch.y > 0.5)) & (batch.mask[..., None] > 0)
        marker = wrong[..., bits]
        last = batch.mask.shape[1] - 1
        early = (pred[:, :last, bits] > 0.5) & (batch.mask[:, :last] > 0)
        rows.append({
            "length": int(length),
            "repeats": int(r),
            "bits_per_seq": bits_per_sequence(batch.y, pred, batch.mask),
            "data_bit_errors": float(wrong[..., :bits].sum(axis=(1, 2)).mean()),
            "end_marker_errors": float(marker.sum(axis=1).mean()),
            "early_end_markers": float(early.sum(axis=1).mean()),
            "perfect": float((wrong.sum(axis=(1, 2)) == 0).mean()),
        })
    return rows
