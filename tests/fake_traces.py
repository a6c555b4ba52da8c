"""Hand-built traces with a known program, for tests that need no model."""

import numpy as np

from ntm_core.trace import HeadTrace, Trace


def one_hot_rows(slots, n):
    w = np.zeros((len(slots), n))
    w[np.arange(len(slots)), slots] = 1.0
    return w


def fake_head(kind, weights, g=0.5, beta=1.0, expected_shift=1, m=4):
    steps, n = weights.shape
    shift = np.zeros((1, steps, 3))
    shift[0, :, expected_shift + 1] = 1.0
    w = weights[None]
    return HeadTrace(
        kind=kind, index=0, content=w, interpolated=w, shifted=w, weights=w,
        key=np.zeros((1, steps, m)), beta=np.full((1, steps), beta), g=np.full((1, steps), g),
        shift=shift, gamma=np.full((1, steps), 2.0),
        erase=np.zeros((1, steps, m)) if kind == "write" else None,
        add=np.zeros((1, steps, m)) if kind == "write" else None,
        read=np.zeros((1, steps, m)) if kind == "read" else None,
    )


def copy_trace(length=6, n=16, offset=1, misread_at=None):
    """Write head: slot t at step t (input and delimiter), then follows on.
    Read head: slot 0 during the input, then at recall step i the slot of
    input step i + offset (one wrong slot at recall step ``misread_at``)."""
    steps = 2 * length + 1
    write_slots = [t % n for t in range(steps)]
    recall = [(i + offset) % n for i in range(length)]
    if misread_at is not None:
        recall[misread_at] = (recall[misread_at] + 5) % n
    read_slots = [0] * (length + 1) + recall
    heads = [fake_head("write", one_hot_rows(write_slots, n), g=0.1, beta=0.5, expected_shift=1),
             fake_head("read", one_hot_rows(read_slots, n), g=0.95, beta=8.0, expected_shift=0)]
    return Trace(inputs=np.zeros((1, steps, 9)), outputs=np.zeros((1, steps, 8)),
                 initial_memory=np.zeros((1, n, 4)), memory=np.zeros((1, steps, n, 4)),
                 controller_output=np.zeros((1, steps, 3)), heads=heads)
