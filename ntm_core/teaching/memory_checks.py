"""The exercise checks of notebook 02: reading and writing (eq. 2-4).

Expected values are small hand-worked cases written out as numbers, and
:mod:`ntm_core.teaching.reference` for random cases. Shapes follow
``ntm_core``: memory (B, N, M), weightings (B, N), vectors (B, M).
"""

import numpy as np

from ntm_core.teaching import reference as ref
from ntm_core.teaching.checking import (
    ATOL,
    RTOL,
    Case,
    Failed,
    NotDone,
    as_array,
    call_student,
    fmt,
    random_weighting,
    run_check,
    verdict,
    seeded,
)

__all__ = ["check_overwrite", "check_read", "check_write"]

# A 3 x 2 memory small enough to work out on paper.
_HAND_MEMORY = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])


def check_read(my_read, verbose=True):
    """Exercise 2.1: ``my_read(memory (B, N, M), w (B, N)) -> (B, M)``, eq. 2."""
    rng = seeded(21)
    mem3 = rng.normal(size=(3, 5, 4))
    w3 = random_weighting(rng, 3, 5)
    cases = [
        Case("a hand-worked case (w = [0, 1, 0] must return row 1 = [3, 4])",
             [_HAND_MEMORY, [[0.0, 1.0, 0.0]]], [[3.0, 4.0]]),
        Case("a hand-worked case (w = [0.5, 0.5, 0] must return the average of rows 0 and 1 = [2, 3])",
             [_HAND_MEMORY, [[0.5, 0.5, 0.0]]], [[2.0, 3.0]]),
        Case("a random 5 x 4 memory", [mem3[:1], w3[:1]], ref.read(mem3[:1], w3[:1])),
        Case("a batch of 3 different memories and weightings", [mem3, w3], ref.read(mem3, w3)),
    ]
    mistakes = [
        (lambda m, w: m.mean(axis=1), "this is the plain average of the rows: weigh each row M(i) by w(i)."),
        (lambda m, w: (w[:, :, None] * m).sum(axis=1) / m.shape[1],
         "you divided by N: the weights already sum to 1, so the weighted sum needs no division."),
        (lambda m, w: np.broadcast_to(ref.read(m[:1], w[:1]), (m.shape[0], m.shape[2])),
         "every sequence got the read of sequence 0: use memory[b] and w[b] for item b of the batch."),
    ]
    return run_check("Exercise 2.1 (my_read)", my_read, cases,
                  "correct! r = Σᵢ w(i) M(i) for every sequence of the batch.", mistakes, verbose)


def check_write(my_write, verbose=True):
    """Exercise 2.2: ``my_write(memory, w, e, a) -> (B, N, M)``: erase (eq. 3), then add (eq. 4)."""
    rng = seeded(22)
    mem3 = rng.normal(size=(3, 5, 4))
    w3 = random_weighting(rng, 3, 5)
    e3 = rng.random((3, 4))
    a3 = rng.uniform(-1, 1, (3, 4))
    cases = [
        Case("a hand-worked case (w = [0, 1, 0], e = [1, 0], a = [10, 20]: row 1 becomes "
             "[3·(1−1)+10, 4·(1−0)+20] = [10, 24], rows 0 and 2 stay)",
             [_HAND_MEMORY, [[0.0, 1.0, 0.0]], [[1.0, 0.0]], [[10.0, 20.0]]],
             [[[1.0, 2.0], [10.0, 24.0], [5.0, 6.0]]]),
        Case("a hand-worked case (w = [0.5, 0.5, 0], e = [1, 1], a = [2, 2]: row 0 becomes "
             "[1·0.5+1, 2·0.5+1] = [1.5, 2], row 1 [2.5, 3])",
             [_HAND_MEMORY, [[0.5, 0.5, 0.0]], [[1.0, 1.0]], [[2.0, 2.0]]],
             [[[1.5, 2.0], [2.5, 3.0], [5.0, 6.0]]]),
        Case("a random 5 x 4 memory", [mem3[:1], w3[:1], e3[:1], a3[:1]],
             ref.write(mem3[:1], w3[:1], e3[:1], a3[:1])),
        Case("a batch of 3 different memories", [mem3, w3, e3, a3], ref.write(mem3, w3, e3, a3)),
    ]
    mistakes = [
        (lambda m, w, e, a: ref.erase(m + w[:, :, None] * a[:, None, :], w, e),
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
    return run_check("Exercise 2.2 (my_write)", my_write, cases,
                  "correct! Erase M(i)(1 − w(i)e), then add w(i)a, for every sequence of the batch.",
                  mistakes, verbose)


def check_overwrite(my_overwrite_vectors, verbose=True):
    """Exercise 2.3: ``my_overwrite_vectors(v (B, M)) -> (e, a)``, each (B, M).

    Written with a one-hot weighting on a slot, (e, a) must replace that
    row by ``v`` whatever it held before, and leave the other rows alone.
    """
    exercise = "Exercise 2.3 (my_overwrite_vectors)"
    rng = seeded(23)

    def body():
        cases = []
        for batch in (1, 3):
            v = rng.uniform(-1, 1, (batch, 4))
            mem = rng.normal(size=(batch, 5, 4))
            w = np.zeros((batch, 5))
            w[np.arange(batch), rng.integers(0, 5, batch)] = 1.0
            cases.append((v, mem, w))
        for v, mem, w in cases:
            out, _ = call_student(my_overwrite_vectors, [v])
            if out is None or out is Ellipsis:
                raise NotDone()
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise Failed("return two arrays, e and a: `return e, a`.")
            e, a = as_array(out[0], "e"), as_array(out[1], "a")
            for name, x in (("e", e), ("a", a)):
                if x.shape != v.shape:
                    raise Failed(f"{name} has shape {x.shape} but must have the shape of v, {v.shape}"
                                  " (one vector of width M per sequence of the batch).")
            new = ref.write(mem, w, e, a)
            slot = w.argmax(axis=1)
            rows = new[np.arange(len(slot)), slot]
            others = (w == 0)[:, :, None]
            if not np.allclose(np.where(others, new, 0), np.where(others, mem, 0)):
                raise Failed("the other rows changed, but a one-hot w leaves them alone whatever e and a are:"
                              " did you return arrays of the right shape?")
            if not np.allclose(rows, v, rtol=RTOL, atol=ATOL):
                hint = ""
                if np.allclose(e, 0):
                    hint = (" With e = 0 nothing is erased, so the old row plus a is left: erase it"
                            " completely first.")
                elif np.allclose(a, 0):
                    hint = " With a = 0 nothing is written after the erase: add v."
                raise Failed(f"after the write the row holds {fmt(rows)} instead of v = {fmt(v)}.{hint}")

    return verdict(exercise, body, "correct! e = 1 erases the row completely, then a = v writes v into it.", verbose)
