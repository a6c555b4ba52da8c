"""Measurements and checked exercises of notebook 08 (the other tasks, section 4.2-4.5).

The n-gram task is judged against predictors of known quality (a coin, a
single count, the paper's Bayes-optimal counts per context, an oracle that
knows the table); repeat copy's errors are split into data bits and the end
marker, since the two fail differently as the repeat count grows. The
predict-then-run checks (Exercises 8.1 and 8.3) live here, not in the
notebook, so that a student reading the notebook does not see the answer or
the hints before answering; the multiple-choice ones (8.2, 8.4) are in
:mod:`ntm_core.teaching.question_bank`.
"""

from __future__ import annotations

import numpy as np

from ntm_core.metrics import bits_per_sequence
from ntm_core.tasks import RepeatCopyTask, ngram_bayes_optimal
from ntm_core.teaching.questions import check_prediction
from ntm_core.validation import check_int

__all__ = ["check_exercise_8_1", "check_exercise_8_3",
           "context_counts", "context_stream", "ngram_costs", "ngram_paper_setup_cost",
           "ngram_true_probabilities", "paper_count_input", "repeat_copy_errors"]


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


def ngram_paper_setup_cost(batch, context=5):
    """Bayes-optimal bits per sequence under the paper's set-up, paired with ``batch``.

    The paper's sequences (section 4.4, footnote 4) are ``L`` bits of which
    the first ``context`` are coin flips and the rest come from the table;
    :class:`~ntm_core.tasks.NGramTask` instead scores ``L`` table bits after
    ``context`` unscored seed bits. The seed bits plus the first ``L -
    context`` table bits of each package sequence *are* a paper sequence, so
    its cost is ``context`` bits (a coin flip costs any predictor exactly 1
    bit) plus the Bayes-optimal cost of those table bits. Computing both on
    the same sequences makes their difference precise although each varies
    by tens of bits from table to table.

    Returns a (B,) array.
    """
    context = check_int("context", context, minimum=1)
    mask = np.array(batch.mask, np.float64)
    scored = np.cumsum(mask, axis=1)
    total = scored[:, -1:]
    mask[scored > total - context] = 0.0  # drop each sequence's last `context` table bits
    probs = ngram_bayes_optimal(np.asarray(batch.x)[..., 0], context=context)
    return context + bits_per_sequence(batch.y, probs[..., None], mask, reduce=False)


# --------------------------------------------------------------------------
# Exercises of notebook 08. Expected values come from the notebook's run;
# the mistakes below are the plausible wrong answers, each with its hint.

def paper_count_input(repeats, train_counts=range(1, 11)):
    """The repeat-count input under the paper's encoding (section 4.2):
    normalised to zero mean and unit variance over the training counts
    (equally likely integers; population standard deviation)."""
    counts = np.asarray(list(train_counts), np.float64)
    return (np.asarray(repeats, np.float64) - counts.mean()) / counts.std()


def check_exercise_8_1(actual, repeats=20, max_train=10, verbose=True):
    """Exercise 8.1: the paper's count input for ``repeats``; ``actual`` is
    :func:`paper_count_input` as the notebook computed it."""
    counts = np.arange(1, max_train + 1, dtype=np.float64)
    continuous_std = (max_train - 1) / np.sqrt(12.0)
    return check_prediction(
        "Exercise 8.1", actual, tolerance=0.3,
        mistakes=[(repeats / max_train, "that is this package's encoding, R divided by the largest "
                                        "training count; the paper subtracts a mean first."),
                  ((repeats - counts.mean()) / continuous_std,
                   "you used the variance of a continuous uniform range; the counts are "
                   "equally likely integers, whose variance is (n*n - 1)/12."),
                  (repeats - counts.mean(), "you subtracted the mean but did not divide by the "
                                            "standard deviation."),
                  (lambda p: abs(p) < 1.6, "that lies inside the range the training counts cover; "
                                           "a count twice the largest training count cannot.")],
        explanation="Both encodings put a count of 20 far outside the values seen in training.",
        verbose=verbose)


def context_stream(context_bits=(1, 1, 0, 0, 0), followers=(1, 1, 0, 1)):
    """A bit stream in which ``context_bits`` is followed by each of
    ``followers`` in turn and then appears once more at the end (Exercise
    8.3). Returns an int64 array (T,)."""
    context_bits, followers = list(context_bits), list(followers)
    stream = []
    for bit in followers:
        stream += context_bits + [int(bit)]
    return np.asarray(stream + context_bits, np.int64)


def context_counts(stream, context_bits):
    """(ones, zeros): how often ``context_bits`` occurs in ``stream``
    followed by a 1 and by a 0 (a direct scan, overlaps included)."""
    stream, c = list(np.asarray(stream).ravel()), list(context_bits)
    ones = zeros = 0
    for t in range(len(stream) - len(c)):
        if stream[t:t + len(c)] == c:
            ones += stream[t + len(c)] == 1
            zeros += stream[t + len(c)] == 0
    return int(ones), int(zeros)


def check_exercise_8_3(actual, ones, zeros, verbose=True):
    """Exercise 8.3: the Bayes-optimal P(1) after a context seen followed by
    ``ones`` ones and ``zeros`` zeros; ``actual`` is what the package's
    predictor gave."""
    seen = ones + zeros
    return check_prediction(
        "Exercise 8.3", actual, tolerance=0.01,
        mistakes=[(ones / seen if seen else 0.5, "that is the raw frequency N1/N; the Beta(1/2, 1/2) prior "
                                                 "adds half a count to each outcome."),
                  ((ones + 1) / (seen + 2), "that is Laplace's rule, the estimate of a uniform prior "
                                            "Beta(1, 1); the paper's prior is Beta(1/2, 1/2)."),
                  (0.5, "the predictor ignores nothing it has seen: the counts of this context move "
                        "it away from 0.5."),
                  ((ones + 0.5) / seen if seen else 0.5, "check the denominator: the two half counts add "
                                                          "up to one.")],
        explanation="Half a pseudo-count per outcome keeps the estimate away from 0 and 1 "
                    "after few observations.", verbose=verbose)
