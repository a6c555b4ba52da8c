"""The exercise checks of notebook 03: addressing (eq. 5-9).

Expected values are small hand-worked cases written out as numbers, and
:mod:`ntm_core.teaching.reference` for random cases. Shapes follow
``ntm_core``: memory (B, N, M), weightings (B, N), keys (B, M), one scalar
per sequence (B, 1), shift weightings (B, 2R + 1).

A failed check names the case, the inputs' shapes when the student's code
raised, and the largest difference with the tolerance when values differ.
The numerically hard cases the notebook teaches run in float32: beta = 100
(a plain exp overflows), exact zeros and a large gamma before sharpening
(a plain power underflows), zero keys and zero memory rows (0/0). A hint is
printed only when the student's output confirms its diagnosis; inputs
changed in place are rejected (:mod:`ntm_core.teaching.cases` runs
the cases). The predict-then-run questions of the
notebook are here too, with the mistakes each wrong prediction reveals (its
multiple-choice question, 3.7, is in :mod:`ntm_core.teaching.question_bank`),
and the hand-programming check of section 7 is
:func:`ntm_core.teaching.hand_program.check_program`.
"""

import numpy as np

from ntm_core.teaching import questions
from ntm_core.teaching import reference as ref
from ntm_core.teaching.cases import Case, check_cases, matches, nan_at, right_in_float64
from ntm_core.teaching.checking import random_weighting, seeded, verdict
from ntm_core.teaching.hand_program import check_program

__all__ = ["check_address", "check_content_weights", "check_cosine", "check_interpolate", "check_program",
           "check_sharpen", "check_shift", "question_beta_zero", "question_shift_peak"]


_COS_MEMORY = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]])
_NAN_HINT = ("a zero memory row or a zero key makes the cosine 0/0. Add a small epsilon to the"
             " denominator (e.g. 1e-8), as ntm_core.addressing.cosine_similarity does.")


def _cosine_with_epsilon(memory, key, eps, form):
    dot = (memory * key[:, None, :]).sum(-1)
    m2, k2 = (memory**2).sum(-1), (key**2).sum(-1, keepdims=True)
    if form == "root":
        return dot / (np.sqrt(m2 + eps) * np.sqrt(k2 + eps))
    if form == "norm":
        return dot / ((np.sqrt(m2) + eps) * (np.sqrt(k2) + eps))
    return dot / (np.sqrt(m2) * np.sqrt(k2) + eps)


def _too_large_epsilon(got, case, fn):
    memory, key = (np.asarray(a, float) for a in case.args)
    return any(matches(got, _cosine_with_epsilon(memory, key, 10.0**-p, form))
               for p in range(1, 8) for form in ("root", "norm", "product"))


def check_cosine(my_cosine, verbose=True):
    """Exercise 3.2: ``my_cosine(memory (B, N, M), key (B, M)) -> (B, N)``, eq. 6, finite at zero vectors."""
    rng = seeded(31)
    mem3, key3 = rng.normal(size=(3, 6, 4)), rng.normal(size=(3, 4))
    r = 1.0 / np.sqrt(2.0)
    eps_hint = (_too_large_epsilon, "your epsilon is too large: it changes the similarity of ordinary rows"
                " by more than the tolerance. About 1e-8 keeps zero vectors safe and changes nothing else.")
    cases = [
        Case("a hand-worked case (rows [1,0], [0,1], [1,1], [-1,0] and key [2,0] give [1, 0, 0.707, -1])",
             [_COS_MEMORY, [[2.0, 0.0]]], [[1.0, 0.0, r, -1.0]], diagnoses=[eps_hint]),
        Case("the same rows with the key [0.5, 0] (the length of the key must not matter)",
             [_COS_MEMORY, [[0.5, 0.0]]], [[1.0, 0.0, r, -1.0]], diagnoses=[eps_hint]),
        Case("a memory with an all-zero row (its similarity must be 0, not NaN)",
             [[[[0.0, 0.0], [2.0, 0.0]]], [[1.0, 0.0]]], [[0.0, 1.0]], "float32", [(nan_at((0, 0)), _NAN_HINT)]),
        Case("an all-zero key (every similarity must be 0, not NaN)",
             [_COS_MEMORY, [[0.0, 0.0]]], [[0.0, 0.0, 0.0, 0.0]], "float32", [(nan_at(0), _NAN_HINT)]),
        Case("a batch of 3 random memories and keys", [mem3, key3], ref.cosine_similarity(mem3, key3),
             diagnoses=[eps_hint]),
    ]
    mistakes = [
        (lambda m, k: (m * k[:, None, :]).sum(-1), "this is the dot product k · M(i) alone: divide by ‖k‖ ‖M(i)‖."),
        (lambda m, k: (m * k[:, None, :]).sum(-1) / (np.sqrt((k**2).sum(-1, keepdims=True)) + 1e-8),
         "divide by the norm of each row ‖M(i)‖ as well as by ‖k‖."),
        (lambda m, k: (m * k[:, None, :]).sum(-1) / (np.sqrt((m**2).sum(-1)) + 1e-8),
         "divide by the norm of the key ‖k‖ as well as by ‖M(i)‖."),
    ]
    return verdict("Exercise 3.2 (my_cosine)", lambda: check_cases(my_cosine, cases, ["memory", "key"], mistakes),
                   "correct, and safe: zero rows and zero keys give 0 instead of NaN.", verbose)


_OVERFLOW_HINT = ("in float32, exp(β K) overflows at β = 100: e^100 ≈ 2.7e43 is above float32's largest number"
                  " (3.4e38), and inf / inf is NaN. Subtract each sequence's largest β K(i) before the exp:"
                  " it cancels in the fraction (the softmax is unchanged) and the largest exp is then 1.")


def check_content_weights(my_content_weights, verbose=True):
    """Exercise 3.3: ``my_content_weights(memory, key, beta (B, 1)) -> (B, N)``, eq. 5."""
    rng = seeded(32)
    mem3, key3 = rng.normal(size=(3, 6, 4)), rng.normal(size=(3, 4))
    beta3 = np.array([[0.5], [3.0], [20.0]])
    sims = np.array([1.0, 0.0, 1.0 / np.sqrt(2.0), -1.0])
    by_hand = np.exp(2.0 * sims) / np.exp(2.0 * sims).sum()
    big = [[[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]], [[1.0, 0.0]], [[100.0]]]
    cases = [
        Case("β = 0 (every row must get the same weight, 1/4)", [_COS_MEMORY, [[1.0, 0.0]], [[0.0]]], [[0.25] * 4]),
        Case("a hand-worked case: similarities [1, 0, 0.707, -1] with β = 2 give exp(2 K) / Σ exp(2 K)",
             [_COS_MEMORY, [[1.0, 0.0]], [[2.0]]], by_hand[None]),
        Case("β = 100 in float32 (the most similar row must take almost all the weight, without overflow)",
             big, ref.content_weights(*big), "float32", [(right_in_float64, _OVERFLOW_HINT)]),
        Case("a memory with an all-zero row", [[[[0.0, 0.0], [2.0, 0.0]]], [[1.0, 0.0]], [[1.0]]],
             ref.softmax(np.array([[0.0, 1.0]])), "float32", [(nan_at(0), _NAN_HINT)]),
        Case("a batch of 3 with β = 0.5, 3 and 20", [mem3, key3, beta3], ref.content_weights(mem3, key3, beta3)),
    ]
    mistakes = [
        (lambda m, k, b: ref.softmax(ref.cosine_similarity(m, k)), "multiply the similarities by β before the softmax."),
        (lambda m, k, b: b * ref.softmax(ref.cosine_similarity(m, k)),
         "β goes inside the softmax: softmax(β K), not β · softmax(K)."),
        (lambda m, k, b: np.exp(b * ref.cosine_similarity(m, k)),
         "normalise over the N slots: divide exp(β K(i)) by Σⱼ exp(β K(j)), the sum along the last axis,"
         " so the weights of each sequence sum to 1 (not a sum over the batch)."),
        (lambda m, k, b: ref.softmax(b * ref.cosine_similarity(m, k), axis=0),
         "normalise over the N slots (the last axis), not over the batch."),
    ]
    return verdict("Exercise 3.3 (my_content_weights)",
                   lambda: check_cases(my_content_weights, cases, ["memory", "key", "beta"], mistakes),
                   "correct! softmax(β K) over the slots: β = 0 is uniform, large β picks the best row, "
                   "and β = 100 in float32 does not overflow.", verbose)


def check_interpolate(my_interpolate, verbose=True):
    """Exercise 3.4: ``my_interpolate(w_content, w_prev, g (B, 1)) -> (B, N)``, eq. 7."""
    rng = seeded(33)
    wc3, wp3 = random_weighting(rng, 3, 6), random_weighting(rng, 3, 6)
    g3 = np.array([[0.1], [0.5], [0.9]])
    wc, wp = [[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]]
    cases = [
        Case("g = 1 (must return the content weighting [1, 0, 0])", [wc, wp, [[1.0]]], [[1.0, 0.0, 0.0]]),
        Case("g = 0 (must return the previous weighting [0, 0, 1])", [wc, wp, [[0.0]]], [[0.0, 0.0, 1.0]]),
        Case("g = 0.25 (0.25 · [1, 0, 0] + 0.75 · [0, 0, 1] = [0.25, 0, 0.75])", [wc, wp, [[0.25]]], [[0.25, 0.0, 0.75]]),
        Case("a batch of 3 with g = 0.1, 0.5, 0.9", [wc3, wp3, g3], ref.interpolate(wc3, wp3, g3)),
    ]
    mistakes = [
        (lambda c, p, g: ref.interpolate(p, c, g),
         "g and 1 − g are swapped: g weighs the new content weighting, 1 − g the previous one."),
        (lambda c, p, g: g * c + p, "the previous weighting is weighed by (1 − g)."),
    ]
    return verdict("Exercise 3.4 (my_interpolate)",
                   lambda: check_cases(my_interpolate, cases, ["w_content", "w_prev", "g"], mistakes),
                   "correct! g = 1 uses content only, g = 0 keeps the previous focus.", verbose)


def _onehot(n, i):
    w = np.zeros((1, n))
    w[0, i] = 1.0
    return w


def _noncircular_shift(w, s):
    radius, n = s.shape[1] // 2, w.shape[1]
    padded = np.pad(w, ((0, 0), (radius, radius)))
    return sum(padded[:, radius - j: radius - j + n] * s[:, j + radius][:, None] for j in range(-radius, radius + 1))


def check_shift(my_shift, verbose=True):
    """Exercise 3.6: ``my_shift(w (B, N), s (B, 2R+1)) -> (B, N)``, eq. 8.

    ``s`` holds the weights of the offsets -R, ..., 0, ..., +R in that order;
    +1 moves the focus one slot forward (slot i to slot i + 1), circularly.
    """
    rng = seeded(34)
    w3 = random_weighting(rng, 3, 7)
    s3, s5 = ref.softmax(rng.normal(size=(3, 3)) * 2), ref.softmax(rng.normal(size=(3, 5)) * 2)
    wide = "s can have any odd width 2R + 1 (R = s.shape[1] // 2), not only 3."
    three_only = (lambda got, case, fn: matches(got, ref.shift(case.args[0], case.args[1][:, 1:-1])), wide)
    cases = [
        Case("s = [0, 0, 1] (offset +1) on a focus at slot 2 of 5 (the focus must move to slot 3)",
             [_onehot(5, 2), [[0.0, 0.0, 1.0]]], _onehot(5, 3)),
        Case("s = [1, 0, 0] (offset −1) on a focus at slot 2 of 5 (the focus must move to slot 1)",
             [_onehot(5, 2), [[1.0, 0.0, 0.0]]], _onehot(5, 1)),
        Case("s = [0, 1, 0] (offset 0): the weighting must not move",
             [[[0.1, 0.2, 0.3, 0.4, 0.0]], [[0.0, 1.0, 0.0]]], [[0.1, 0.2, 0.3, 0.4, 0.0]]),
        Case("offset +1 on a focus at the last slot, 4 of 5 (the shift is circular: it wraps to slot 0)",
             [_onehot(5, 4), [[0.0, 0.0, 1.0]]], _onehot(5, 0)),
        Case("a blurred shift s = [0.25, 0.5, 0.25] on slot 2 of 5 (gives [0, 0.25, 0.5, 0.25, 0])",
             [_onehot(5, 2), [[0.25, 0.5, 0.25]]], [[0.0, 0.25, 0.5, 0.25, 0.0]]),
        Case("an uneven shift s = [0.1, 0.3, 0.6] on w = [0.5, 0.5, 0, 0, 0] (gives [0.2, 0.45, 0.3, 0, 0.05])",
             [[[0.5, 0.5, 0.0, 0.0, 0.0]], [[0.1, 0.3, 0.6]]], [[0.2, 0.45, 0.3, 0.0, 0.05]]),
        Case("a batch of 3 random weightings and shifts", [w3, s3], ref.shift(w3, s3)),
        Case("s with 5 offsets (−2 … +2): s = [0, 0, 0, 0, 1] moves slot 1 of 7 to slot 3",
             [_onehot(7, 1), [[0.0, 0.0, 0.0, 0.0, 1.0]]], _onehot(7, 3), diagnoses=[three_only]),
        Case("a batch of 3 with 5 offsets", [w3, s5], ref.shift(w3, s5), diagnoses=[three_only]),
    ]
    mistakes = [
        (lambda w, s: ref.shift(w, s[:, ::-1]),
         "the shift goes the wrong way: s[j] is the weight of offset j − R, and offset +1 must move the"
         " focus from slot i to slot i + 1 (w~(i) = Σⱼ w(i − j) s(j))."),
        (_noncircular_shift, "the shift must be circular: what leaves one end comes back at the other (indices modulo N)."),
    ]
    return verdict("Exercise 3.6 (my_shift)", lambda: check_cases(my_shift, cases, ["w", "s"], mistakes),
                   "correct! A circular convolution, in the right direction, for any 2R + 1 offsets.", verbose)


_UNDERFLOW_HINT = ("in float32, w ** γ underflows to 0 in every slot when γ is large ((1/16) ** 50 ≈ 6e-61 is"
                   " below float32's smallest number, about 1e-45), and 0 / 0 is NaN. Divide w by its largest"
                   " value first, (w / max w) ** γ (the largest slot then gives 1), or compute"
                   " softmax(γ log(w + ε)) as ntm_core does.")


def check_sharpen(my_sharpen, verbose=True):
    """Exercise 3.8: ``my_sharpen(w (B, N), gamma (B, 1)) -> (B, N)``, eq. 9."""
    rng = seeded(35)
    w3 = random_weighting(rng, 3, 6)
    g3 = np.array([[1.0], [2.5], [10.0]])
    flat = (1.0 + 0.02 * np.arange(16))[None]
    flat = flat / flat.sum()
    unchanged = (lambda got, case, fn: matches(got, case.args[0]),
                 "your result is w unchanged: γ must act as an exponent (eq. 9); multiplying w by γ and"
                 " normalising again changes nothing.")
    cases = [
        Case("γ = 1 (must leave w = [0.5, 0.25, 0.25] unchanged)", [[[0.5, 0.25, 0.25]], [[1.0]]], [[0.5, 0.25, 0.25]]),
        Case("γ = 2 on w = [0.5, 0.25, 0.25] ([0.25, 0.0625, 0.0625] / 0.375 = [2/3, 1/6, 1/6])",
             [[[0.5, 0.25, 0.25]], [[2.0]]], [[2 / 3, 1 / 6, 1 / 6]], diagnoses=[unchanged]),
        Case("γ = 3 in float32 on a weighting with exact zeros, [0, 0.5, 0.5, 0] (0 ** γ is 0; the zeros stay)",
             [[[0.0, 0.5, 0.5, 0.0]], [[3.0]]], [[0.0, 0.5, 0.5, 0.0]], "float32"),
        Case("a batch of 3 with γ = 1, 2.5 and 10", [w3, g3], ref.sharpen(w3, g3)),
        Case("γ = 50 in float32 on a nearly flat weighting over 16 slots",
             [flat, [[50.0]]], ref.sharpen(flat, [[50.0]]), "float32", [(right_in_float64, _UNDERFLOW_HINT)]),
    ]
    mistakes = [
        (lambda w, g: w**g, "normalise: divide w(i)^γ by Σⱼ w(j)^γ so the weights sum to 1 again."),
        (lambda w, g: ref.softmax(g * w), "sharpening raises w to the power γ: w(i)^γ / Σⱼ w(j)^γ, not softmax(γ w)."),
        (lambda w, g: (w**g) / (w**g).sum(axis=0, keepdims=True), "normalise over the slots of each sequence (axis 1),"
         " not over the batch."),
    ]
    return verdict("Exercise 3.8 (my_sharpen)", lambda: check_cases(my_sharpen, cases, ["w", "gamma"], mistakes),
                   "correct! w^γ / Σ w^γ: γ = 1 changes nothing, larger γ sharpens, and neither zeros nor a"
                   " large γ in float32 give NaN.", verbose)


def check_address(my_address, verbose=True):
    """Exercise 3.9: ``my_address(memory, w_prev, key, beta, g, s, gamma) -> (B, N)``, eq. 5-9."""
    rng = seeded(36)
    mem = rng.normal(size=(3, 8, 5))
    w_prev = random_weighting(rng, 3, 8)
    key = mem[np.arange(3), [2, 5, 7]] + 0.1 * rng.normal(size=(3, 5))
    beta, g = np.array([[0.0], [5.0], [30.0]]), np.array([[1.0], [0.5], [0.0]])
    s = ref.softmax(rng.normal(size=(3, 3)) * 2)
    gamma = np.array([[1.0], [2.0], [8.0]])
    hand = np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]])
    last = [[0.0, 0.0, 0.0, 1.0]]
    blurred = [hand, last, [[1.0, 0.0]], [[50.0]], [[1.0]], [[0.1, 0.1, 0.8]], [[3.0]]]
    cases = [
        Case("content only, then a shift by +1: a key equal to row 0 with β = 50, g = 1, s = +1, γ = 1"
             " must focus on slot 1",
             [hand, last, [[1.0, 0.0]], [[50.0]], [[1.0]], [[0.0, 0.0, 1.0]], [[1.0]]],
             ref.address(hand, last, [[1.0, 0.0]], [[50.0]], [[1.0]], [[0.0, 0.0, 1.0]], [[1.0]])),
        Case("location only: g = 0 keeps the previous focus (slot 3) and s = +1 moves it to slot 0",
             [hand, last, [[1.0, 0.0]], [[50.0]], [[0.0]], [[0.0, 0.0, 1.0]], [[1.0]]], [[1.0, 0.0, 0.0, 0.0]]),
        Case("the same key with a blurred shift s = [0.1, 0.1, 0.8] and γ = 3", blurred, ref.address(*blurred)),
        Case("a batch of 3 with every stage active", [mem, w_prev, key, beta, g, s, gamma],
             ref.address(mem, w_prev, key, beta, g, s, gamma)),
    ]
    content = ref.content_weights
    mistakes = [
        (lambda m, wp, k, b, gg, ss, ga: ref.shift(ref.sharpen(ref.interpolate(content(m, k, b), wp, gg), ga), ss),
         "the order is content → interpolate → shift → sharpen: sharpen last, to undo the shift's blur."),
        (lambda m, wp, k, b, gg, ss, ga: ref.shift(ref.interpolate(content(m, k, b), wp, gg), ss),
         "you skipped the sharpening (eq. 9): with γ > 1 the shift's blur must be undone."),
        (lambda m, wp, k, b, gg, ss, ga: ref.sharpen(ref.shift(content(m, k, b), ss), ga),
         "you skipped the interpolation with the previous weighting (eq. 7)."),
        (lambda m, wp, k, b, gg, ss, ga: ref.sharpen(ref.shift(ref.interpolate(wp, content(m, k, b), gg), ss), ga),
         "interpolate(w_content, w_prev, g): the content weighting comes first, g weighs it."),
    ]
    names = ["memory", "w_prev", "key", "beta", "g", "s", "gamma"]
    return verdict("Exercise 3.9 (my_address)", lambda: check_cases(my_address, cases, names, mistakes),
                   "correct! Your four functions together are the whole addressing of Figure 2.", verbose)


# ---------------------------------------------------------------- predict-then-run and conceptual questions
def question_beta_zero(actual, verbose=True):
    """Exercise 3.1: the weight on the best-matching of 8 slots when β = 0 (``actual``: what eq. 5 gave)."""
    return questions.check_prediction(
        "Exercise 3.1", actual, tolerance=0.01, verbose=verbose,
        mistakes=[(lambda p: p >= 0.5, "β = 0 does not pick the best match: every β K(i) is 0, whatever the"
                                       " similarities, and the softmax of equal numbers is equal."),
                  (lambda p: p <= 0.01, "exp(0) is 1, not 0: no slot's weight vanishes at β = 0."),
                  (lambda p: 0.01 < p < 0.5, "the weights of the softmax always sum to 1 over the slots: count the"
                                             " slots of this memory.")],
        explanation="β = 0 makes every β K(i) equal, so the softmax is uniform: content is ignored.")


def question_shift_peak(actual, start, verbose=True):
    """Exercise 3.5: the slot holding most weight after s = (0.1, 0, 0.9) shifts a one-hot at ``start``."""
    return questions.check_prediction(
        "Exercise 3.5", actual, verbose=verbose,
        mistakes=[(start - 1, "you shifted backwards: s lists the offsets in the order (−1, 0, +1), so 0.9 is the"
                              " weight of offset +1, which moves weight from slot i to slot i + 1."),
                  (start, "s(0) = 0 here: no weight stays where it was.")],
        explanation="s(+1) = 0.9 moves most of the weight one slot forward and s(−1) = 0.1 a little back.")
