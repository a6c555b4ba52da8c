"""What the heads do with the controller's output (Graves et al. 2014, sections 3.1-3.4).

The controller emits one flat vector per step; :func:`split_head_parameters`
cuts it into each head's parameters and puts each in its range, and
:func:`access_memory` addresses, writes and reads with them. :class:`NTMCell`
runs the controller and these two; they are plain functions of tensors so a
notebook can call them on a hand-made head (shapes: batch B, N slots of width
M, shift offsets S = 2R+1).
"""

from keras import ops

from ntm_core import addressing, memory


def head_parameter_sizes(memory_width, shift_range, is_write):
    """Widths of one head's parameters, in the order the controller emits them.

    Returns a list of (name, width): key M, beta 1, g 1, shift 2R+1, gamma 1,
    and for a write head erase M and add M.
    """
    sizes = [("key", memory_width), ("beta", 1), ("g", 1), ("shift", shift_range), ("gamma", 1)]
    if is_write:
        sizes += [("erase", memory_width), ("add", memory_width)]
    return sizes


def split_head_parameters(params, head_sizes, key_activation="linear"):
    """Cut the controller's head parameters into named, range-limited ones.

    Args:
        params: (B, P), every head's raw parameters side by side.
        head_sizes: one :func:`head_parameter_sizes` list per head, in the
            order of ``params`` (write heads first in :class:`NTMCell`).
        key_activation: ``"linear"`` or ``"tanh"`` for the keys.

    Returns:
        one dict per head: key (B, M); beta >= 0, g in (0, 1) and gamma >= 1,
        each (B, 1); shift (B, S), a distribution over offsets; a write head
        also erase in (0, 1) and add in (-1, 1), (B, M) each.
    """
    heads, start = [], 0
    for sizes in head_sizes:
        head = {}
        for name, width in sizes:
            head[name] = params[:, start : start + width]
            start += width
        head["key"] = ops.tanh(head["key"]) if key_activation == "tanh" else head["key"]
        head["beta"] = ops.softplus(head["beta"])  # eq. 5 needs beta >= 0
        head["g"] = ops.sigmoid(head["g"])  # eq. 7: g in (0, 1)
        head["shift"] = ops.softmax(head["shift"], axis=-1)  # eq. 8: a distribution
        head["gamma"] = 1.0 + ops.softplus(head["gamma"])  # eq. 9: gamma >= 1
        if "erase" in head:
            head["erase"] = ops.sigmoid(head["erase"])  # eq. 3: e in (0, 1)
            head["add"] = ops.tanh(head["add"])
        heads.append(head)
    return heads


def _address(mem, prev_w, head):
    return addressing.address_stages(mem, prev_w, head["key"], head["beta"], head["g"], head["shift"], head["gamma"])


def access_memory(mem, prev_w, heads, write_heads):
    """Address, write and read: everything of one step after the controller.

    Write heads address M_{t-1} (eq. 5-9); every erase precedes every add
    (eq. 3-4), so the adds commute; read heads then address and read the
    updated memory (eq. 2 reads M_t).

    Args:
        mem: (B, N, M) memory M_{t-1}.
        prev_w: (B, heads, N) weightings w_{t-1}, write heads first.
        heads: every head's parameters, as :func:`split_head_parameters` makes them.
        write_heads: how many of ``heads`` (the first ones) write.

    Returns:
        (M_t, [w_t per head], [r_t per read head], [addressing stages per head]).
    """
    stages = [_address(mem, prev_w[:, i], head) for i, head in enumerate(heads[:write_heads])]
    weights = [st["weights"] for st in stages]
    for w, head in zip(weights, heads[:write_heads]):
        mem = memory.erase(mem, w, head["erase"])
    for w, head in zip(weights, heads[:write_heads]):
        mem = memory.add(mem, w, head["add"])
    reads = []
    for i, head in enumerate(heads[write_heads:], start=write_heads):
        st = _address(mem, prev_w[:, i], head)
        stages.append(st)
        weights.append(st["weights"])
        reads.append(memory.read(mem, st["weights"]))
    return mem, weights, reads, stages
