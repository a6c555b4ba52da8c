"""Automatic checks for the exercises of notebooks 02-04.

Every check takes the student's function (or answer), runs it on a few cases
and prints a short report:

* ✅ when every case agrees with the expected values,
* ❌ with what went wrong (shape, values on a hand-worked case, the batch
  axis, a NaN, ...) and, when the answer matches a classic mistake, a hint,
* ⏳ "not done yet" while the starter code still raises ``NotImplementedError``
  or returns ``None``.

It also returns a :class:`CheckResult` (truthy when passed), and it never
raises: a notebook with unfilled exercises still runs top to bottom.

The expected values are worked out here independently of the rest of
``ntm_core``: small hand-worked cases whose answers are written out as numbers,
and short NumPy formulas for random cases. Shapes follow ``ntm_core``: a
leading batch axis ``B`` on everything (memory ``(B, N, M)``, weightings
``(B, N)``, vectors ``(B, M)``, scalars per sequence ``(B, 1)``).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CheckResult",
    "PASSED",
    "FAILED",
    "NOT_DONE",
    "check_read",
    "check_write",
    "check_overwrite",
    "check_cosine",
    "check_content_weights",
    "check_interpolate",
    "check_shift",
    "check_sharpen",
    "check_address",
    "check_head_parameter_count",
    "check_head_activations",
]

PASSED, FAILED, NOT_DONE = "passed", "failed", "not done"
_ICONS = {PASSED: "✅", FAILED: "❌", NOT_DONE: "⏳"}
# Students may compute in float32; the references are float64.
_RTOL, _ATOL = 1e-4, 1e-6


class CheckResult:
    """The outcome of one check.

    Attributes:
        exercise: what was checked, e.g. ``"Exercise 2.1 (my_read)"``.
        status: ``PASSED``, ``FAILED`` or ``NOT_DONE``.
        message: the report (the text the check printed).

    ``bool(result)`` is True only when the check passed. The check prints its
    report itself; shown as a cell's value right after, the result stays
    quiet (so the report does not appear twice), and shows the report again
    when displayed later.
    """

    def __init__(self, exercise, status, message):
        self.exercise = exercise
        self.status = status
        self.message = message
        self._just_printed = False

    @property
    def passed(self):
        return self.status == PASSED

    @property
    def not_done(self):
        return self.status == NOT_DONE

    def __bool__(self):
        return self.passed

    def report(self):
        return f"{_ICONS[self.status]} {self.exercise}: {self.message}"

    def __str__(self):
        return self.report()

    def __repr__(self):
        return f"<CheckResult {self.exercise}: {self.status}>"

    def _ipython_display_(self):
        if self._just_printed:
            self._just_printed = False
            return
        print(self.report())


def _finish(exercise, status, message, verbose=True):
    result = CheckResult(exercise, status, message)
    if verbose:
        print(result.report())
        result._just_printed = True
    return result


# --------------------------------------------------------------------------
# running the student's code safely
# --------------------------------------------------------------------------

class _NotDone(Exception):
    pass


class _Failed(Exception):
    pass


def _as_array(value, what="your function"):
    """The student's result as a float64 NumPy array (backend tensors too)."""
    if value is None or value is Ellipsis:
        raise _NotDone()
    try:
        array = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 -- e.g. a tensor on a device, or a list of tensors
        try:
            from keras import ops

            array = np.asarray(ops.convert_to_numpy(value), dtype=np.float64)
        except Exception as err:  # noqa: BLE001
            raise _Failed(f"{what} returned a {type(value).__name__}, which is not an array of numbers ({err}).")
    return array


def _call(fn, args):
    """Call the student's function on copies of ``args``.

    Returns (output, mutated) where ``mutated`` names inputs changed in place.
    Raises _NotDone for a stub and _Failed for any other exception.
    """
    if fn is None or fn is Ellipsis:
        raise _NotDone()
    if not callable(fn):
        raise _Failed(f"expected a function, got a {type(fn).__name__}.")
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    try:
        out = fn(*copies)
    except NotImplementedError:
        raise _NotDone()
    except Exception as err:  # noqa: BLE001 -- the student's code may raise anything
        raise _Failed(f"your function raised {type(err).__name__}: {err}")
    mutated = [i for i, (a, c) in enumerate(zip(args, copies))
               if isinstance(a, np.ndarray) and (c.shape != a.shape or not np.array_equal(a, c, equal_nan=True))]
    return out, mutated


def _fmt(a, decimals=3):
    a = np.asarray(a, dtype=np.float64)
    with np.printoptions(precision=decimals, suppress=True, linewidth=100):
        return np.array2string(np.round(a, decimals), separator=", ")


class _Case:
    """One test case: arguments, expected output and a description."""

    def __init__(self, label, args, expected, hint=None):
        self.label = label
        self.args = [np.asarray(a, dtype=np.float64) if not np.isscalar(a) else a for a in args]
        self.expected = np.asarray(expected, dtype=np.float64)
        self.hint = hint


def _shape_message(case, got):
    want = case.expected.shape
    msg = f"on {case.label}, the result has shape {got.shape}, but it should be {want}."
    if want and got.shape == want[1:]:
        msg += (" The batch axis is missing: the inputs carry a leading batch axis B,"
                " and the output must keep it.")
    elif got.ndim == len(want) + 1 and want and got.shape[0] == want[0] and got.shape[1] == want[0]:
        msg += (" It has an extra axis of size B: a matrix product such as w @ memory mixes"
                " every sequence of the batch with every other; keep each sequence to itself"
                " (broadcasting or np.einsum).")
    elif got.size == case.expected.size:
        msg += " It holds the right number of values in the wrong arrangement (a transpose or a reshape?)."
    elif want and got.ndim == len(want) and got.shape[0] == want[0]:
        msg += " Check which axis you sum or reduce over."
    return msg


def _run_cases(fn, cases, mistakes=(), batch_note=True):
    """Run every case; raise _Failed with a helpful message at the first bad one.

    ``mistakes``: (function, hint) pairs; when the student's output matches a
    classic mistake's output, its hint is added. Returns a list of notes
    (e.g. an input changed in place) for a passing answer.
    """
    notes = []
    passed_single = False
    for case in cases:
        out, mutated = _call(fn, case.args)
        got = _as_array(out)
        if got.shape != case.expected.shape:
            raise _Failed(_shape_message(case, got))
        if not np.all(np.isfinite(got)):
            msg = f"on {case.label}, the result contains NaN or inf: {_fmt(got)}."
            raise _Failed(msg + (f" {case.hint}" if case.hint else ""))
        if not np.allclose(got, case.expected, rtol=_RTOL, atol=_ATOL):
            msg = f"on {case.label}, expected\n    {_fmt(case.expected)}\n  but got\n    {_fmt(got)}."
            for mistake, hint in mistakes:
                try:
                    wrong = np.asarray(mistake(*case.args), dtype=np.float64)
                except Exception:  # noqa: BLE001
                    continue
                if wrong.shape == got.shape and np.allclose(got, wrong, rtol=_RTOL, atol=_ATOL):
                    msg += f"\n  Hint: {hint}"
                    break
            else:
                if case.hint:
                    msg += f"\n  Hint: {case.hint}"
                elif batch_note and passed_single and case.expected.ndim and case.expected.shape[0] > 1:
                    msg += ("\n  Hint: your function is right for one sequence but not for a batch:"
                            " item b of the batch must use only its own inputs (memory[b], w[b], ...).")
            raise _Failed(msg)
        if case.expected.ndim and case.expected.shape[0] == 1:
            passed_single = True
        for i in mutated:
            note = (f"note: your function changed its input argument {i + 1} in place. It is better to"
                    " return a new array: the old value is still needed (by gradients, by other heads).")
            if note not in notes:
                notes.append(note)
    return notes


def _check(exercise, fn, cases, success, mistakes=(), verbose=True):
    try:
        notes = _run_cases(fn, cases, mistakes)
    except _NotDone:
        return _finish(exercise, NOT_DONE,
                       "not done yet: fill in the function above (it still raises NotImplementedError"
                       " or returns None), run its cell, then run this check again.", verbose)
    except _Failed as err:
        return _finish(exercise, FAILED, str(err), verbose)
    except Exception as err:  # noqa: BLE001 -- a check must never raise
        return _finish(exercise, FAILED, f"could not check your answer ({type(err).__name__}: {err}).", verbose)
    message = success + "".join(f"\n  {n}" for n in notes)
    return _finish(exercise, PASSED, message, verbose)


def _rng(seed):
    return np.random.default_rng(seed)


def _random_weighting(rng, batch, n):
    w = rng.random((batch, n)) ** 3
    return w / w.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------
# independent NumPy references (the notebooks' equations, written out)
# --------------------------------------------------------------------------

def _read(memory, w):  # eq. 2
    return (w[:, :, None] * memory).sum(axis=1)


def _erase(memory, w, e):  # eq. 3
    return memory * (1.0 - w[:, :, None] * e[:, None, :])


def _write(memory, w, e, a):  # eq. 3 then eq. 4
    return _erase(memory, w, e) + w[:, :, None] * a[:, None, :]


def _cosine(memory, key, eps=1e-8):  # eq. 6, safe at zero vectors
    dot = (memory * key[:, None, :]).sum(axis=-1)
    return dot / (np.sqrt((memory**2).sum(-1) + eps) * np.sqrt((key**2).sum(-1, keepdims=True) + eps))


def _softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _content(memory, key, beta):  # eq. 5
    return _softmax(beta * _cosine(memory, key))


def _interpolate(wc, wp, g):  # eq. 7
    return g * wc + (1.0 - g) * wp


def _shift(w, s):  # eq. 8: w~(i) = sum_j w(i - j) s(j), j = -R..R
    radius = s.shape[1] // 2
    return sum(np.roll(w, j, axis=1) * s[:, j + radius][:, None] for j in range(-radius, radius + 1))


def _sharpen(w, gamma):  # eq. 9
    p = w**gamma
    return p / p.sum(axis=1, keepdims=True)


def _softplus(z):
    return np.logaddexp(0.0, z)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------
# notebook 02: reading and writing (eq. 2-4)
# --------------------------------------------------------------------------

# A 3 x 2 memory small enough to work out on paper.
_HAND_MEMORY = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])


def check_read(my_read, verbose=True):
    """Exercise 2.1: ``my_read(memory (B, N, M), w (B, N)) -> (B, M)``, eq. 2."""
    rng = _rng(21)
    mem3 = rng.normal(size=(3, 5, 4))
    w3 = _random_weighting(rng, 3, 5)
    cases = [
        _Case("a hand-worked case (w = [0, 1, 0] must return row 1 = [3, 4])",
              [_HAND_MEMORY, [[0.0, 1.0, 0.0]]], [[3.0, 4.0]]),
        _Case("a hand-worked case (w = [0.5, 0.5, 0] must return the average of rows 0 and 1 = [2, 3])",
              [_HAND_MEMORY, [[0.5, 0.5, 0.0]]], [[2.0, 3.0]]),
        _Case("a random 5 x 4 memory", [mem3[:1], w3[:1]], _read(mem3[:1], w3[:1])),
        _Case("a batch of 3 different memories and weightings", [mem3, w3], _read(mem3, w3)),
    ]
    mistakes = [
        (lambda m, w: m.mean(axis=1), "this is the plain average of the rows: weigh each row M(i) by w(i)."),
        (lambda m, w: (w[:, :, None] * m).sum(axis=1) / m.shape[1],
         "you divided by N: the weights already sum to 1, so the weighted sum needs no division."),
        (lambda m, w: np.broadcast_to(_read(m[:1], w[:1]), (m.shape[0], m.shape[2])),
         "every sequence got the read of sequence 0: use memory[b] and w[b] for item b of the batch."),
    ]
    return _check("Exercise 2.1 (my_read)", my_read, cases,
                  "correct! r = Σᵢ w(i) M(i) for every sequence of the batch.", mistakes, verbose)


def check_write(my_write, verbose=True):
    """Exercise 2.2: ``my_write(memory, w, e, a) -> (B, N, M)``: erase (eq. 3), then add (eq. 4)."""
    rng = _rng(22)
    mem3 = rng.normal(size=(3, 5, 4))
    w3 = _random_weighting(rng, 3, 5)
    e3 = rng.random((3, 4))
    a3 = rng.uniform(-1, 1, (3, 4))
    cases = [
        _Case("a hand-worked case (w = [0, 1, 0], e = [1, 0], a = [10, 20]: row 1 becomes "
              "[3·(1−1)+10, 4·(1−0)+20] = [10, 24], rows 0 and 2 stay)",
              [_HAND_MEMORY, [[0.0, 1.0, 0.0]], [[1.0, 0.0]], [[10.0, 20.0]]],
              [[[1.0, 2.0], [10.0, 24.0], [5.0, 6.0]]]),
        _Case("a hand-worked case (w = [0.5, 0.5, 0], e = [1, 1], a = [2, 2]: row 0 becomes "
              "[1·0.5+1, 2·0.5+1] = [1.5, 2], row 1 [2.5, 3])",
              [_HAND_MEMORY, [[0.5, 0.5, 0.0]], [[1.0, 1.0]], [[2.0, 2.0]]],
              [[[1.5, 2.0], [2.5, 3.0], [5.0, 6.0]]]),
        _Case("a random 5 x 4 memory", [mem3[:1], w3[:1], e3[:1], a3[:1]],
              _write(mem3[:1], w3[:1], e3[:1], a3[:1])),
        _Case("a batch of 3 different memories", [mem3, w3, e3, a3], _write(mem3, w3, e3, a3)),
    ]
    mistakes = [
        (lambda m, w, e, a: _erase(m + w[:, :, None] * a[:, None, :], w, e),
         "you added before erasing: erase first (eq. 3), then add (eq. 4) -- otherwise the erase "
         "removes part of what you just wrote."),
        (lambda m, w, e, a: m * (1.0 - e[:, None, :]) + w[:, :, None] * a[:, None, :],
         "the erase must be weighted too: M(i) · (1 − w(i) e). Without w(i) every row is erased."),
        (lambda m, w, e, a: m * (1.0 - w[:, :, None] * e[:, None, :]) + a[:, None, :],
         "the add must be weighted too: + w(i) a. Without w(i) every row gets the whole of a."),
        (lambda m, w, e, a: m * (1.0 - w[:, :, None] * e[:, None, :]),
         "you only erased: add w(i) a after the erase (eq. 4)."),
        (lambda m, w, e, a: m * w[:, :, None] * e[:, None, :] + w[:, :, None] * a[:, None, :],
         "the erase keeps M(i) · (1 − w(i) e): you multiplied by w(i) e instead of 1 − w(i) e."),
    ]
    return _check("Exercise 2.2 (my_write)", my_write, cases,
                  "correct! Erase M(i)(1 − w(i)e), then add w(i)a, for every sequence of the batch.",
                  mistakes, verbose)


def check_overwrite(my_overwrite_vectors, verbose=True):
    """Exercise 2.3: ``my_overwrite_vectors(v (B, M)) -> (e, a)``, each (B, M).

    Written with a one-hot weighting on a slot, (e, a) must replace that
    row by ``v`` whatever it held before, and leave the other rows alone.
    """
    exercise = "Exercise 2.3 (my_overwrite_vectors)"
    rng = _rng(23)
    try:
        cases = []
        for batch in (1, 3):
            v = rng.uniform(-1, 1, (batch, 4))
            mem = rng.normal(size=(batch, 5, 4))
            w = np.zeros((batch, 5))
            w[np.arange(batch), rng.integers(0, 5, batch)] = 1.0
            cases.append((v, mem, w))
        for v, mem, w in cases:
            out, _ = _call(my_overwrite_vectors, [v])
            if out is None or out is Ellipsis:
                raise _NotDone()
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise _Failed("return two arrays, e and a: `return e, a`.")
            e, a = _as_array(out[0], "e"), _as_array(out[1], "a")
            for name, x in (("e", e), ("a", a)):
                if x.shape != v.shape:
                    raise _Failed(f"{name} has shape {x.shape} but must have the shape of v, {v.shape}"
                                  " (one vector of width M per sequence of the batch).")
            new = _write(mem, w, e, a)
            slot = w.argmax(axis=1)
            rows = new[np.arange(len(slot)), slot]
            others = (w == 0)[:, :, None]
            if not np.allclose(np.where(others, new, 0), np.where(others, mem, 0)):
                raise _Failed("the other rows changed, but a one-hot w leaves them alone whatever e and a are:"
                              " did you return arrays of the right shape?")
            if not np.allclose(rows, v, rtol=_RTOL, atol=_ATOL):
                hint = ""
                if np.allclose(e, 0):
                    hint = (" With e = 0 nothing is erased, so the old row plus a is left: erase it"
                            " completely first.")
                elif np.allclose(a, 0):
                    hint = " With a = 0 nothing is written after the erase: add v."
                raise _Failed(f"after the write the row holds {_fmt(rows)} instead of v = {_fmt(v)}.{hint}")
    except _NotDone:
        return _finish(exercise, NOT_DONE, "not done yet: fill in the function above and run its cell.", verbose)
    except _Failed as err:
        return _finish(exercise, FAILED, str(err), verbose)
    except Exception as err:  # noqa: BLE001
        return _finish(exercise, FAILED, f"could not check your answer ({type(err).__name__}: {err}).", verbose)
    return _finish(exercise, PASSED, "correct! e = 1 erases the row completely, then a = v writes v into it.",
                   verbose)


# --------------------------------------------------------------------------
# notebook 03: addressing (eq. 5-9)
# --------------------------------------------------------------------------

_COS_MEMORY = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]])
_NAN_HINT = ("a zero memory row or a zero key makes the cosine 0/0. Add a small epsilon to the"
             " denominator (e.g. 1e-8), as ntm_core.addressing.cosine_similarity does.")


def check_cosine(my_cosine, verbose=True):
    """Exercise 3.1: ``my_cosine(memory (B, N, M), key (B, M)) -> (B, N)``, eq. 6, finite at zero vectors."""
    rng = _rng(31)
    mem3 = rng.normal(size=(3, 6, 4))
    key3 = rng.normal(size=(3, 4))
    r = 1.0 / np.sqrt(2.0)
    cases = [
        _Case("a hand-worked case (rows [1,0], [0,1], [1,1], [-1,0] and key [2,0] give [1, 0, 0.707, -1])",
              [_COS_MEMORY, [[2.0, 0.0]]], [[1.0, 0.0, r, -1.0]]),
        _Case("the same rows with the key [0.5, 0] (the length of the key must not matter)",
              [_COS_MEMORY, [[0.5, 0.0]]], [[1.0, 0.0, r, -1.0]]),
        _Case("a memory with an all-zero row (its similarity must be 0, not NaN)",
              [[[[0.0, 0.0], [2.0, 0.0]]], [[1.0, 0.0]]], [[0.0, 1.0]], hint=_NAN_HINT),
        _Case("an all-zero key (every similarity must be 0, not NaN)",
              [_COS_MEMORY, [[0.0, 0.0]]], [[0.0, 0.0, 0.0, 0.0]], hint=_NAN_HINT),
        _Case("a batch of 3 random memories and keys", [mem3, key3], _cosine(mem3, key3)),
    ]
    mistakes = [
        (lambda m, k: (m * k[:, None, :]).sum(-1),
         "this is the dot product k · M(i) alone: divide by ‖k‖ ‖M(i)‖."),
        (lambda m, k: (m * k[:, None, :]).sum(-1) / (np.sqrt((k**2).sum(-1, keepdims=True)) + 1e-8),
         "divide by the norm of each row ‖M(i)‖ as well as by ‖k‖."),
        (lambda m, k: (m * k[:, None, :]).sum(-1) / (np.sqrt((m**2).sum(-1)) + 1e-8),
         "divide by the norm of the key ‖k‖ as well as by ‖M(i)‖."),
    ]
    return _check("Exercise 3.1 (my_cosine)", my_cosine, cases,
                  "correct, and safe: zero rows and zero keys give 0 instead of NaN.", mistakes, verbose)


def check_content_weights(my_content_weights, verbose=True):
    """Exercise 3.2: ``my_content_weights(memory, key, beta (B, 1)) -> (B, N)``, eq. 5."""
    rng = _rng(32)
    mem3 = rng.normal(size=(3, 6, 4))
    key3 = rng.normal(size=(3, 4))
    beta3 = np.array([[0.5], [3.0], [20.0]])
    sims = np.array([1.0, 0.0, 1.0 / np.sqrt(2.0), -1.0])
    by_hand = np.exp(2.0 * sims) / np.exp(2.0 * sims).sum()
    cases = [
        _Case("β = 0 (every row must get the same weight, 1/4)",
              [_COS_MEMORY, [[1.0, 0.0]], [[0.0]]], [[0.25, 0.25, 0.25, 0.25]]),
        _Case("a hand-worked case: similarities [1, 0, 0.707, -1] with β = 2 give "
              "exp(2 K) / Σ exp(2 K)", [_COS_MEMORY, [[1.0, 0.0]], [[2.0]]], by_hand[None]),
        _Case("β = 100 (large β: the most similar row must take almost all the weight, without overflow)",
              [[[[1.0, 0.0], [0.0, 1.0]]], [[1.0, 0.0]], [[100.0]]], [[1.0, 0.0]],
              hint="exp(100) is large but fine in float64; subtract the maximum before exp to be safe."),
        _Case("a memory with an all-zero row", [[[[0.0, 0.0], [2.0, 0.0]]], [[1.0, 0.0]], [[1.0]]],
              _softmax(np.array([[0.0, 1.0]])), hint=_NAN_HINT),
        _Case("a batch of 3 with β = 0.5, 3 and 20", [mem3, key3, beta3], _content(mem3, key3, beta3)),
    ]
    mistakes = [
        (lambda m, k, b: _softmax(_cosine(m, k)), "multiply the similarities by β before the softmax."),
        (lambda m, k, b: b * _softmax(_cosine(m, k)),
         "β goes inside the softmax: softmax(β K), not β · softmax(K)."),
        (lambda m, k, b: np.exp(b * _cosine(m, k)),
         "normalise over the N slots: divide exp(β K(i)) by Σⱼ exp(β K(j)), the sum along the last axis,"
         " so the weights of each sequence sum to 1 (not a sum over the batch)."),
        (lambda m, k, b: _softmax(b * _cosine(m, k), axis=0),
         "normalise over the N slots (the last axis), not over the batch."),
    ]
    return _check("Exercise 3.2 (my_content_weights)", my_content_weights, cases,
                  "correct! softmax(β K) over the slots: β = 0 is uniform, large β picks the best row.",
                  mistakes, verbose)


def check_interpolate(my_interpolate, verbose=True):
    """Exercise 3.3: ``my_interpolate(w_content, w_prev, g (B, 1)) -> (B, N)``, eq. 7."""
    rng = _rng(33)
    wc3, wp3 = _random_weighting(rng, 3, 6), _random_weighting(rng, 3, 6)
    g3 = np.array([[0.1], [0.5], [0.9]])
    wc, wp = [[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]]
    cases = [
        _Case("g = 1 (must return the content weighting [1, 0, 0])", [wc, wp, [[1.0]]], [[1.0, 0.0, 0.0]]),
        _Case("g = 0 (must return the previous weighting [0, 0, 1])", [wc, wp, [[0.0]]], [[0.0, 0.0, 1.0]]),
        _Case("g = 0.25 (0.25 · [1, 0, 0] + 0.75 · [0, 0, 1] = [0.25, 0, 0.75])",
              [wc, wp, [[0.25]]], [[0.25, 0.0, 0.75]]),
        _Case("a batch of 3 with g = 0.1, 0.5, 0.9", [wc3, wp3, g3], _interpolate(wc3, wp3, g3)),
    ]
    mistakes = [
        (lambda c, p, g: _interpolate(p, c, g),
         "g and 1 − g are swapped: g weighs the new content weighting, 1 − g the previous one."),
        (lambda c, p, g: g * c + p, "the previous weighting is weighed by (1 − g)."),
    ]
    return _check("Exercise 3.3 (my_interpolate)", my_interpolate, cases,
                  "correct! g = 1 uses content only, g = 0 keeps the previous focus.", mistakes, verbose)


def _onehot(n, i):
    w = np.zeros((1, n))
    w[0, i] = 1.0
    return w


def check_shift(my_shift, verbose=True):
    """Exercise 3.4: ``my_shift(w (B, N), s (B, 2R+1)) -> (B, N)``, eq. 8.

    ``s`` holds the weights of the offsets -R, ..., 0, ..., +R in that order;
    +1 moves the focus one slot forward (slot i to slot i + 1), circularly.
    """
    rng = _rng(34)
    w3 = _random_weighting(rng, 3, 7)
    s3 = _softmax(rng.normal(size=(3, 3)) * 2)
    s5 = _softmax(rng.normal(size=(3, 5)) * 2)
    cases = [
        _Case("s = [0, 0, 1] (offset +1) on a focus at slot 2 of 5 (the focus must move to slot 3)",
              [_onehot(5, 2), [[0.0, 0.0, 1.0]]], _onehot(5, 3)),
        _Case("s = [1, 0, 0] (offset −1) on a focus at slot 2 of 5 (the focus must move to slot 1)",
              [_onehot(5, 2), [[1.0, 0.0, 0.0]]], _onehot(5, 1)),
        _Case("s = [0, 1, 0] (offset 0): the weighting must not move",
              [[[0.1, 0.2, 0.3, 0.4, 0.0]], [[0.0, 1.0, 0.0]]], [[0.1, 0.2, 0.3, 0.4, 0.0]]),
        _Case("offset +1 on a focus at the last slot, 4 of 5 (the shift is circular: it wraps to slot 0)",
              [_onehot(5, 4), [[0.0, 0.0, 1.0]]], _onehot(5, 0),
              hint="the shift is a circular convolution: indices are taken modulo N (np.roll wraps)."),
        _Case("a blurred shift s = [0.25, 0.5, 0.25] on slot 2 of 5 (gives [0, 0.25, 0.5, 0.25, 0])",
              [_onehot(5, 2), [[0.25, 0.5, 0.25]]], [[0.0, 0.25, 0.5, 0.25, 0.0]]),
        _Case("an uneven shift s = [0.1, 0.3, 0.6] on w = [0.5, 0.5, 0, 0, 0] "
              "(gives [0.2, 0.45, 0.3, 0, 0.05])",
              [[[0.5, 0.5, 0.0, 0.0, 0.0]], [[0.1, 0.3, 0.6]]], [[0.2, 0.45, 0.3, 0.0, 0.05]]),
        _Case("a batch of 3 random weightings and shifts", [w3, s3], _shift(w3, s3)),
        _Case("s with 5 offsets (−2 … +2): s = [0, 0, 0, 0, 1] moves slot 1 of 7 to slot 3",
              [_onehot(7, 1), [[0.0, 0.0, 0.0, 0.0, 1.0]]], _onehot(7, 3),
              hint="s can have any odd width 2R + 1 (R = s.shape[1] // 2), not only 3."),
        _Case("a batch of 3 with 5 offsets", [w3, s5], _shift(w3, s5),
              hint="s can have any odd width 2R + 1 (R = s.shape[1] // 2), not only 3."),
    ]
    mistakes = [
        (lambda w, s: _shift(w, s[:, ::-1]),
         "the shift goes the wrong way: s[j] is the weight of offset j − R, and offset +1 must move the"
         " focus from slot i to slot i + 1 (w~(i) = Σⱼ w(i − j) s(j))."),
        (lambda w, s: _noncircular_shift(w, s),
         "the shift must be circular: what leaves one end comes back at the other (indices modulo N)."),
    ]
    return _check("Exercise 3.4 (my_shift)", my_shift, cases,
                  "correct! A circular convolution, in the right direction, for any 2R + 1 offsets.",
                  mistakes, verbose)


def _noncircular_shift(w, s):
    radius, n = s.shape[1] // 2, w.shape[1]
    padded = np.pad(w, ((0, 0), (radius, radius)))
    return sum(padded[:, radius - j: radius - j + n] * s[:, j + radius][:, None] for j in range(-radius, radius + 1))


def check_sharpen(my_sharpen, verbose=True):
    """Exercise 3.5: ``my_sharpen(w (B, N), gamma (B, 1)) -> (B, N)``, eq. 9."""
    rng = _rng(35)
    w3 = _random_weighting(rng, 3, 6)
    g3 = np.array([[1.0], [2.5], [10.0]])
    cases = [
        _Case("γ = 1 (must leave w = [0.5, 0.25, 0.25] unchanged)",
              [[[0.5, 0.25, 0.25]], [[1.0]]], [[0.5, 0.25, 0.25]]),
        _Case("γ = 2 on w = [0.5, 0.25, 0.25] ([0.25, 0.0625, 0.0625] / 0.375 = [2/3, 1/6, 1/6])",
              [[[0.5, 0.25, 0.25]], [[2.0]]], [[2 / 3, 1 / 6, 1 / 6]]),
        _Case("γ = 3 on a weighting with zeros, [0, 0.5, 0.5, 0]",
              [[[0.0, 0.5, 0.5, 0.0]], [[3.0]]], [[0.0, 0.5, 0.5, 0.0]]),
        _Case("a batch of 3 with γ = 1, 2.5 and 10", [w3, g3], _sharpen(w3, g3)),
    ]
    mistakes = [
        (lambda w, g: w**g, "normalise: divide w(i)^γ by Σⱼ w(j)^γ so the weights sum to 1 again."),
        (lambda w, g: _softmax(g * w), "sharpening raises w to the power γ: w(i)^γ / Σⱼ w(j)^γ, not softmax(γ w)."),
        (lambda w, g: w * g / (w * g).sum(axis=1, keepdims=True),
         "γ is an exponent (w ** gamma), not a factor: multiplying by γ and normalising changes nothing."),
        (lambda w, g: (w**g) / (w**g).sum(axis=0, keepdims=True),
         "normalise over the slots of each sequence (axis 1), not over the batch."),
    ]
    return _check("Exercise 3.5 (my_sharpen)", my_sharpen, cases,
                  "correct! w^γ / Σ w^γ: γ = 1 changes nothing, larger γ sharpens.", mistakes, verbose)


def check_address(my_address, verbose=True):
    """Exercise 3.6: ``my_address(memory, w_prev, key, beta, g, s, gamma) -> (B, N)``, eq. 5-9."""
    rng = _rng(36)
    mem = rng.normal(size=(3, 8, 5))
    w_prev = _random_weighting(rng, 3, 8)
    key = mem[np.arange(3), [2, 5, 7]] + 0.1 * rng.normal(size=(3, 5))
    beta = np.array([[0.0], [5.0], [30.0]])
    g = np.array([[1.0], [0.5], [0.0]])
    s = _softmax(rng.normal(size=(3, 3)) * 2)
    gamma = np.array([[1.0], [2.0], [8.0]])

    def pipeline(m, wp, k, b, gg, ss, ga):
        return _sharpen(_shift(_interpolate(_content(m, k, b), wp, gg), ss), ga)

    hand_mem = np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]])
    cases = [
        _Case("content only, then a shift by +1: a key equal to row 0 with β = 50, g = 1, s = +1, γ = 1"
              " must focus on slot 1",
              [hand_mem, [[0.0, 0.0, 0.0, 1.0]], [[1.0, 0.0]], [[50.0]], [[1.0]], [[0.0, 0.0, 1.0]], [[1.0]]],
              pipeline(hand_mem, np.array([[0.0, 0.0, 0.0, 1.0]]), np.array([[1.0, 0.0]]), np.array([[50.0]]),
                       np.array([[1.0]]), np.array([[0.0, 0.0, 1.0]]), np.array([[1.0]]))),
        _Case("location only: g = 0 keeps the previous focus (slot 3) and s = +1 moves it to slot 0",
              [hand_mem, [[0.0, 0.0, 0.0, 1.0]], [[1.0, 0.0]], [[50.0]], [[0.0]], [[0.0, 0.0, 1.0]], [[1.0]]],
              [[1.0, 0.0, 0.0, 0.0]]),
        _Case("a batch of 3 with every stage active", [mem, w_prev, key, beta, g, s, gamma],
              pipeline(mem, w_prev, key, beta, g, s, gamma)),
    ]
    mistakes = [
        (lambda m, wp, k, b, gg, ss, ga: _shift(_sharpen(_interpolate(_content(m, k, b), wp, gg), ga), ss),
         "the order is content → interpolate → shift → sharpen: sharpen last, to undo the shift's blur."),
        (lambda m, wp, k, b, gg, ss, ga: _sharpen(_shift(_content(m, k, b), ss), ga),
         "you skipped the interpolation with the previous weighting (eq. 7)."),
        (lambda m, wp, k, b, gg, ss, ga: _sharpen(_shift(_interpolate(wp, _content(m, k, b), gg), ss), ga),
         "interpolate(w_content, w_prev, g): the content weighting comes first, g weighs it."),
    ]
    return _check("Exercise 3.6 (my_address)", my_address, cases,
                  "correct! Your four functions together are the whole addressing of Figure 2.",
                  mistakes, verbose)


# --------------------------------------------------------------------------
# notebook 04: the controller's output
# --------------------------------------------------------------------------

def check_head_parameter_count(answer, verbose=True):
    """Exercise 4.1: how many numbers the controller emits per step for the paper's copy NTM.

    Memory width M = 20, shifts -1, 0, +1, one write head and one read head.
    """
    exercise = "Exercise 4.1 (head parameter count)"
    m, shifts = 20, 3
    read_head = m + 1 + 1 + shifts + 1
    write_head = read_head + 2 * m
    if answer is None or answer is Ellipsis:
        return _finish(exercise, NOT_DONE, "not done yet: set `answer` to a number and run the cell.", verbose)
    try:
        value = float(answer)
    except Exception:  # noqa: BLE001
        return _finish(exercise, FAILED, f"the answer must be a number, got {answer!r}.", verbose)
    if value == read_head + write_head:
        return _finish(exercise, PASSED, f"correct! {write_head} for the write head (k, β, g, s, γ, e, a) + "
                       f"{read_head} for the read head (k, β, g, s, γ) = {read_head + write_head}.", verbose)
    hints = {
        write_head: "that is the write head alone: add the read head's parameters.",
        read_head: "that is the read head alone: add the write head's parameters.",
        2 * read_head: "the write head also emits an erase vector e and an add vector a, M numbers each.",
        read_head + write_head - 2: "the shift weighting s has 3 numbers per head (offsets −1, 0, +1), not 1.",
        read_head + write_head - m: "the write head has both e and a, M numbers each.",
    }
    hint = hints.get(value, "count per head: key k (M), β (1), g (1), s (3), γ (1); a write head adds e (M) "
                            "and a (M).")
    return _finish(exercise, FAILED, f"{answer} is not right: {hint}", verbose)


def _reference_activations(raw, memory_width, shift_range):
    m = memory_width
    key = raw[:, :m]
    beta = raw[:, m: m + 1]
    g = raw[:, m + 1: m + 2]
    s = raw[:, m + 2: m + 2 + shift_range]
    gamma = raw[:, m + 2 + shift_range: m + 3 + shift_range]
    return {
        "key": key,
        "beta": _softplus(beta),
        "g": _sigmoid(g),
        "shift": _softmax(s),
        "gamma": 1.0 + _softplus(gamma),
    }


_ACTIVATION_HINTS = {
    "key": "the key is the raw slice itself (a linear activation): raw[:, :M].",
    "beta": "β = softplus(raw) = log(1 + exp(raw)): positive, any size. Check your slice too: β is raw[:, M].",
    "g": "g = sigmoid(raw) = 1 / (1 + exp(−raw)), a gate between 0 and 1; its slice is raw[:, M+1].",
    "shift": "s = softmax over its 2R + 1 numbers (per sequence, along the last axis), so it is a distribution.",
    "gamma": "γ = 1 + softplus(raw): at least 1, so sharpening never blurs. It is the last number.",
}


def check_head_activations(my_head_activations, verbose=True):
    """Exercise 4.2: ``my_head_activations(raw (B, M+S+3), memory_width, shift_range) -> dict``.

    The dict holds ``key`` (B, M), ``beta`` (B, 1), ``g`` (B, 1),
    ``shift`` (B, S) and ``gamma`` (B, 1) of one read head, in that order in
    ``raw``, with the activations of ``ntm_core.NTMCell``.
    """
    exercise = "Exercise 4.2 (my_head_activations)"
    rng = _rng(42)
    cases = [
        (np.array([[0.5, -0.5, 1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0]]), 4, 3),
        (rng.normal(size=(1, 4 + 3 + 3)) * 3, 4, 3),
        (rng.normal(size=(3, 6 + 5 + 3)) * 3, 6, 5),
    ]
    labels = ["a hand-worked raw vector with M = 4 and 3 shifts", "a random raw vector (M = 4, 3 shifts)",
              "a batch of 3 (M = 6, 5 shifts)"]
    try:
        for (raw, m, shifts), label in zip(cases, labels):
            out, _ = _call(my_head_activations, [raw, m, shifts])
            if out is None:
                raise _NotDone()
            if not isinstance(out, dict):
                raise _Failed(f"return a dict with keys {list(_ACTIVATION_HINTS)}, got a {type(out).__name__}.")
            want = _reference_activations(raw, m, shifts)
            missing = [k for k in want if k not in out]
            if missing:
                raise _Failed(f"the dict is missing {missing}; it needs {list(want)}.")
            for name, expected in want.items():
                got = _as_array(out[name], name)
                if got.shape != expected.shape:
                    extra = " Keep a trailing axis of size 1 with raw[:, i:i+1]." if expected.shape[1] == 1 \
                        and got.shape == expected.shape[:1] else ""
                    raise _Failed(f"on {label}, {name} has shape {got.shape} but should be {expected.shape}.{extra}")
                if not np.allclose(got, expected, rtol=_RTOL, atol=_ATOL):
                    raise _Failed(f"on {label}, {name} is {_fmt(got)} but should be {_fmt(expected)}.\n"
                                  f"  Hint: {_ACTIVATION_HINTS[name]}")
    except _NotDone:
        return _finish(exercise, NOT_DONE, "not done yet: fill in the function above and run its cell.", verbose)
    except _Failed as err:
        return _finish(exercise, FAILED, str(err), verbose)
    except Exception as err:  # noqa: BLE001
        return _finish(exercise, FAILED, f"could not check your answer ({type(err).__name__}: {err}).", verbose)
    return _finish(exercise, PASSED, "correct! Every parameter is cut from its place and kept in its range.",
                   verbose)
