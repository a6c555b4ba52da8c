"""The exercise checks of notebook 04: the controller's output, the heads' activations, one step.

* Exercise 4.1 (predicted): how many raw numbers the controller emits,
  with :func:`head_count_mistakes` for its hints;
* Exercise 4.2: :func:`check_head_activations`;
* Exercise 4.3 (what a larger memory costs) is multiple choice: its choices,
  answer and hints are in :mod:`~ntm_core.teaching.question_bank`;
* Exercise 4.4: :func:`check_memory_step` (address, write, read: the step
  after the controller, eq. 2-9).
"""

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
    random_weighting,
    seeded,
    verdict,
)

__all__ = [
    "check_head_activations",
    "check_head_parameter_count",
    "check_memory_step",
    "head_count_mistakes",
]


def head_count_mistakes(memory_width=20, shift_range=3):
    """``(diagnosis, hint)`` pairs for a wrong count of one write and one read head's raw numbers.

    Each diagnosis is the count a classic slip gives; the hints name the slip,
    never the count. Shared by :func:`check_head_parameter_count` and the
    prediction of notebook 04 (``check_prediction(..., mistakes=...)``).
    """
    m, shifts = memory_width, shift_range
    read_head = m + 1 + 1 + shifts + 1
    write_head = read_head + 2 * m
    return [
        (write_head, "that is the write head alone: add the read head's parameters."),
        (read_head, "that is the read head alone: add the write head's parameters."),
        (2 * read_head, "the write head also emits an erase vector e and an add vector a, M numbers each."),
        (read_head + write_head - 2, f"the shift weighting s has {shifts} numbers per head (one per offset), not 1."),
        (read_head + write_head - m, "the write head has both e and a, M numbers each."),
    ]


def check_head_parameter_count(answer, verbose=True):
    """Exercise 4.1 as a typed answer: how many numbers the controller emits per step for the paper's copy NTM.

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
    hint = next((h for wrong, h in head_count_mistakes(m, shifts) if value == wrong),
                "count per head: key k (M), β (1), g (1), s (3), γ (1); a write head adds e (M) and a (M).")
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


# --------------------------------------------------------------------------- Exercise 4.4
def _head_weightings(memory, w_prev, heads, start):
    return [ref.address(memory, w_prev[:, start + i], h["key"], h["beta"], h["g"], h["shift"], h["gamma"])
            for i, h in enumerate(heads)]


def _memory_step(memory, w_prev, heads, read_on="new", read_from="new", order="erase-add", write_prev=0):
    """The reference step (one write head, then read heads), and the variants a classic slip gives."""
    write, readers = heads[0], heads[1:]
    h = write
    w_write = ref.address(memory, w_prev[:, write_prev], h["key"], h["beta"], h["g"], h["shift"], h["gamma"])
    if order == "erase-add":
        new = ref.add(ref.erase(memory, w_write, h["erase"]), w_write, h["add"])
    elif order == "add-erase":
        new = ref.erase(ref.add(memory, w_write, h["add"]), w_write, h["erase"])
    else:  # add only, no erase
        new = ref.add(memory, w_write, h["add"])
    w_read = _head_weightings(new if read_on == "new" else memory, w_prev, readers, 1)
    source = new if read_from == "new" else memory
    reads = np.stack([ref.read(source, w) for w in w_read], axis=1)
    return new, np.stack([w_write] + w_read, axis=1), reads


_STEP_MISTAKES = [
    (dict(read_on="old", read_from="old"), "your read heads address and read the memory from before this step's "
     "write. In the NTM the write comes first: a read head addresses and reads M_t, so it can read what was "
     "written at the same step."),
    (dict(read_on="old"), "your read heads address M_{t-1} (the memory before the write) but read M_t: the "
     "content addressing of a read head must also see the new memory."),
    (dict(read_from="old"), "your read weightings are right, but the read vectors come from the old memory: "
     "read M_t with them (eq. 2)."),
    (dict(order="add-erase"), "you add before you erase: the erase (eq. 3) would then remove part of what was "
     "just added. Erase first, then add (eq. 4)."),
    (dict(order="add-only"), "the memory is missing the erase (eq. 3): each slot is first scaled by "
     "1 − w(i) e, then the add vector is added."),
    (dict(write_prev=1), "the write head interpolates with the wrong previous weighting: w_prev[:, 0] belongs "
     "to the write head, w_prev[:, 1:] to the read heads, in the order of `heads`."),
]


def _random_head(rng, batch, m, shifts, write):
    head = {"key": rng.normal(size=(batch, m)), "beta": rng.uniform(0.5, 8.0, (batch, 1)),
            "g": rng.uniform(0.05, 0.95, (batch, 1)), "shift": ref.softmax(rng.normal(size=(batch, shifts)) * 2),
            "gamma": rng.uniform(1.0, 3.0, (batch, 1))}
    if write:
        head["erase"], head["add"] = rng.uniform(0.2, 1.0, (batch, m)), np.tanh(rng.normal(size=(batch, m)) * 2)
    return head


def _step_cases():
    rng = seeded(404)
    # A hand-made case: the write head overwrites slot 1 with a = (1, -1, 1); the read head's key points at
    # that new content, so reading the old memory instead finds a different slot.
    memory = np.array([[[0.5, 0.5, 0.5], [-0.9, 0.9, -0.9], [0.1, 0.2, 0.3], [0.3, -0.2, 0.1]]])
    w_prev = np.array([[[0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]]])
    write = {"key": np.array([[-1.0, 1.0, -1.0]]), "beta": np.array([[50.0]]), "g": np.array([[1.0]]),
             "shift": np.array([[0.0, 1.0, 0.0]]), "gamma": np.array([[1.0]]),
             "erase": np.ones((1, 3)), "add": np.array([[1.0, -1.0, 1.0]])}
    read = {"key": np.array([[1.0, -1.0, 1.0]]), "beta": np.array([[20.0]]), "g": np.array([[1.0]]),
            "shift": np.array([[0.0, 1.0, 0.0]]), "gamma": np.array([[2.0]])}
    cases = [("a hand-made memory of 4 slots (the write head overwrites slot 1; the read head looks for it)",
              memory, w_prev, [write, read])]
    # The write head clears slot 1 (e = 1, a = 0): M_t has a row of exact zeros, which a read head with a
    # large β must address without 0/0 (the epsilon of eq. 6) or overflow (the softmax's max subtraction).
    clear = dict(write, add=np.zeros((1, 3)))
    sharp = dict(read, beta=np.array([[100.0]]))
    cases.append(("a write that leaves slot 1 all zeros, read with β = 100", memory, w_prev, [clear, sharp]))
    for batch, n, m, shifts, readers in ((2, 6, 3, 3, 2), (3, 7, 4, 5, 1)):
        mem = rng.normal(size=(batch, n, m))
        w = np.stack([random_weighting(rng, batch, n) for _ in range(1 + readers)], axis=1)
        heads = [_random_head(rng, batch, m, shifts, True)] + [
            _random_head(rng, batch, m, shifts, False) for _ in range(readers)]
        cases.append((f"a random batch of {batch} (N = {n}, M = {m}, {shifts} shifts, {readers} read "
                      f"head{'s' if readers > 1 else ''})", mem, w, heads))
    return cases


def check_memory_step(my_memory_step, verbose=True):
    """Exercise 4.4: ``my_memory_step(memory (B, N, M), w_prev (B, 1 + R, N), heads) -> (M_t, w_t, r_t)``.

    ``heads`` is a list of dicts, the write head first (``key, beta, g,
    shift, gamma, erase, add``), then R read heads (``key, beta, g, shift,
    gamma``), already activated. Returns the new memory (B, N, M), every
    head's weighting (B, 1 + R, N) in the order of ``heads``, and the read
    vectors (B, R, M): the write head addresses M_{t-1} (eq. 5-9), erases
    then adds (eq. 3-4); each read head addresses M_t and reads it (eq. 2).
    The memory passed in must not be changed in place.
    """
    exercise = "Exercise 4.4 (my_memory_step)"
    names = ("the values of the new memory M_t", "the weightings w_t", "the read vectors r_t")

    def matches(got, want):
        return all(np.allclose(g, w, rtol=RTOL, atol=ATOL) for g, w in zip(got, want))

    def body():
        cases, outputs = _step_cases(), []
        for label, memory, w_prev, heads in cases:
            out, mutated = call_student(my_memory_step, [memory, w_prev, heads])
            if out is None:
                raise NotDone()
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                raise Failed("return three things: (new memory, weightings, read vectors).")
            if 0 in mutated:
                raise Failed(f"on {label}, your function changed the memory it was given in place. M_{{t-1}} "
                             "must stay as it was (gradients and the other heads still need it): "
                             "compute a new array instead of assigning into `memory`.")
            got = [as_array(part, name) for part, name in zip(out, names)]
            for name, g, w in zip(names, got, _memory_step(memory, w_prev, heads)):
                if g.shape != w.shape:
                    raise Failed(f"on {label}, {name}: shape {g.shape}, but it should be {w.shape}.")
            outputs.append(got)
        for (label, memory, w_prev, heads), got in zip(cases, outputs):
            want = _memory_step(memory, w_prev, heads)
            if matches(got, want):
                continue
            name, g, w = next((n, g, w) for n, g, w in zip(names, got, want)
                              if not np.allclose(g, w, rtol=RTOL, atol=ATOL))
            if not np.all(np.isfinite(g)):
                raise Failed(f"on {label}, {name} contain NaN or inf. A memory row of zeros needs the epsilon "
                             "of the cosine (eq. 6), and a large β needs a softmax that subtracts the maximum "
                             "first (notebook 03).")
            msg = (f"on {label}, {name} are off by up to {np.max(np.abs(g - w)):.3g} "
                   f"(tolerance {ATOL:g} + {RTOL:g} × |expected|).")
            # A hint only for a slip that reproduces the answer on every case.
            for variant, hint in _STEP_MISTAKES:
                if all(matches(o, _memory_step(*c[1:], **variant)) for c, o in zip(cases, outputs)):
                    msg += f"\n  Hint: {hint}"
                    break
            raise Failed(msg)

    return verdict(exercise, body, "correct! Write head on M_{t-1}, erase before add, read heads on M_t: "
                                   "the order of one step of the cell.", verbose)
