"""The exercise checks of notebook 04: the controller's output and the heads' activations."""

import numpy as np

from ntm_core.teaching import reference as ref
from ntm_core.teaching.checking import (
    ATOL,
    FAILED,
    NOT_DONE,
    PASSED,
    RTOL,
    Failed,
    NotDone,
    as_array,
    call_student,
    finish,
    fmt,
    seeded,
    verdict,
)

__all__ = ["check_head_activations", "check_head_parameter_count"]

def check_head_parameter_count(answer, verbose=True):
    """Exercise 4.1: how many numbers the controller emits per step for the paper's copy NTM.

    Memory width M = 20, shifts -1, 0, +1, one write head and one read head.
    """
    exercise = "Exercise 4.1 (head parameter count)"
    m, shifts = 20, 3
    read_head = m + 1 + 1 + shifts + 1
    write_head = read_head + 2 * m
    if answer is None or answer is Ellipsis:
        return finish(exercise, NOT_DONE, "not done yet: set `answer` to a number and run the cell.", verbose)
    try:
        value = float(answer)
    except Exception:  # noqa: BLE001
        return finish(exercise, FAILED, f"the answer must be a number, got {answer!r}.", verbose)
    if value == read_head + write_head:
        return finish(exercise, PASSED, f"correct! {write_head} for the write head (k, β, g, s, γ, e, a) + "
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
    return finish(exercise, FAILED, f"{answer} is not right: {hint}", verbose)


def _softplus(z):
    return np.logaddexp(0.0, z)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


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
        "shift": ref.softmax(s),
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
    rng = seeded(42)
    cases = [
        (np.array([[0.5, -0.5, 1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0]]), 4, 3),
        (rng.normal(size=(1, 4 + 3 + 3)) * 3, 4, 3),
        (rng.normal(size=(3, 6 + 5 + 3)) * 3, 6, 5),
    ]
    labels = ["a hand-worked raw vector with M = 4 and 3 shifts", "a random raw vector (M = 4, 3 shifts)",
              "a batch of 3 (M = 6, 5 shifts)"]

    def body():
        for (raw, m, shifts), label in zip(cases, labels):
            out, _ = call_student(my_head_activations, [raw, m, shifts])
            if out is None:
                raise NotDone()
            if not isinstance(out, dict):
                raise Failed(f"return a dict with keys {list(_ACTIVATION_HINTS)}, got a {type(out).__name__}.")
            want = _reference_activations(raw, m, shifts)
            missing = [k for k in want if k not in out]
            if missing:
                raise Failed(f"the dict is missing {missing}; it needs {list(want)}.")
            for name, expected in want.items():
                got = as_array(out[name], name)
                if got.shape != expected.shape:
                    extra = " Keep a trailing axis of size 1 with raw[:, i:i+1]." if expected.shape[1] == 1 \
                        and got.shape == expected.shape[:1] else ""
                    raise Failed(f"on {label}, {name} has shape {got.shape} but should be {expected.shape}.{extra}")
                if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
                    raise Failed(f"on {label}, {name} is {fmt(got)} but should be {fmt(expected)}.\n"
                                  f"  Hint: {_ACTIVATION_HINTS[name]}")

    return verdict(exercise, body, "correct! Every parameter is cut from its place and kept in its range.", verbose)
