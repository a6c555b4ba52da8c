"""Program the NTM by hand (notebook 03, section 7): head parameters written by a person, no training.

The task is the copy task in miniature. ``LENGTH`` vectors of width ``WIDTH``
arrive one per step (steps 0 to LENGTH - 1); the write head must store
vector t in slot t of a memory of ``N_SLOTS`` slots. For LENGTH more steps
no input arrives and the read head must read the vectors back in order: at
step LENGTH + j it reads slot j. The memory starts full of what an earlier
sequence left behind, so a write must erase before it adds (eq. 3-4); both
heads start focused on slot ``START_SLOT``.

A *program* is a function ``program(t, x)`` of the step ``t`` and the input
vector ``x`` (zeros in the read phase) that returns the head parameters the
controller would emit::

    {"write": {"k": ..., "beta": ..., "g": ..., "s": ..., "gamma": ..., "e": ..., "a": ...},
     "read":  {"k": ..., "beta": ..., "g": ..., "s": ..., "gamma": ...}}

with ``k``, ``e``, ``a`` vectors of width WIDTH, ``s`` the weights of the
offsets (-1, 0, +1) and ``beta``, ``g``, ``gamma`` numbers. :func:`run_program`
executes it with the package's own functions in the order of
:class:`ntm_core.cell.NTMCell`: the write head addresses the previous memory
(eq. 5-9) and writes (eq. 3-4), then the read head addresses the new memory
and reads it (eq. 2). :func:`check_program` says at which step and which
head a program goes wrong; its hints are printed only when the run confirms
the diagnosis.
"""

import numpy as np
from keras import ops

from ntm_core import addressing, memory
from ntm_core.teaching.checking import Failed, NotDone, fmt, verdict
from ntm_core.validation import check_int
from ntm_core.viz.style import MEMORY_CMAP, image_over_time, memory_image, new_figure

__all__ = ["LENGTH", "N_SLOTS", "START_SLOT", "TOLERANCE", "WIDTH", "ProgramRun", "check_program",
           "copy_sequence", "old_memory", "plot_program", "run_program"]

N_SLOTS, WIDTH, LENGTH = 8, 6, 5
START_SLOT = 0
# A memory row or a read vector counts as right within TOLERANCE of the
# target (largest difference); a weighting "points at" a slot when that slot
# holds at least SHARP of its weight, so a neighbour gets at most 1 - SHARP.
TOLERANCE, SHARP = 0.1, 0.9
READ_PARAMETERS = ("k", "beta", "g", "s", "gamma")
WRITE_PARAMETERS = READ_PARAMETERS + ("e", "a")
OFFSETS = "(−1, 0, +1)"


def copy_sequence(seed=0):
    """LENGTH distinct, non-zero binary vectors of width WIDTH, float32 (LENGTH, WIDTH)."""
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    codes = rng.choice(np.arange(1, 2**WIDTH), size=LENGTH, replace=False)  # 0 would be an all-zero vector
    return (((codes[:, None] >> np.arange(WIDTH)) & 1)).astype("float32")


def old_memory(seed=0):
    """What an earlier sequence left in the memory: (N_SLOTS, WIDTH) values in [-1, 1], float32."""
    return np.random.default_rng(check_int("seed", seed, minimum=0) + 1000).uniform(-1.0, 1.0, (N_SLOTS, WIDTH)).astype("float32")


class ProgramRun:
    """What happened at every step of a run (T = 2 LENGTH steps).

    Attributes: ``inputs`` (T, WIDTH); ``targets`` (LENGTH, WIDTH), the
    sequence; ``memories`` (T + 1, N, WIDTH), the memory before step 0 and
    after each step; ``weightings[head]`` (T, N) and ``stages[head]`` (a list
    of T dicts of the four addressing stages) for ``head`` in ("write",
    "read"); ``reads`` (T, WIDTH); ``parameters[head]``, the T dicts the
    program returned, as arrays; ``steps``, how many steps ran.
    """

    def __init__(self, sequence, start_memory):
        self.targets = np.asarray(sequence, "float32")
        self.inputs = np.concatenate([self.targets, np.zeros_like(self.targets)])
        self.memories = [np.asarray(start_memory, "float32")]
        self.weightings = {"write": [], "read": []}
        self.stages = {"write": [], "read": []}
        self.parameters = {"write": [], "read": []}
        self.reads = []
        self.steps = 0

    def previous_weighting(self, head, t):
        """The head's weighting before step t (the start focus before step 0)."""
        if t == 0:
            return np.eye(N_SLOTS, dtype="float32")[START_SLOT]
        return self.weightings[head][t - 1]


def _head_parameters(params, head, names, t):
    """The program's parameters for one head as (1, ...) float32 arrays, checked for shape and range."""
    where = f"step {t}, {head} head"
    if not isinstance(params, dict):
        raise Failed(f"{where}: expected a dict of parameters, got {type(params).__name__}.")
    missing = [n for n in names if n not in params]
    if missing:
        raise Failed(f"{where}: the parameters lack {', '.join(missing)} (a {head} head needs {', '.join(names)}).")
    out = {}
    sizes = {"k": WIDTH, "e": WIDTH, "a": WIDTH, "s": 3, "beta": 1, "g": 1, "gamma": 1}
    for name in names:
        try:
            value = np.asarray(params[name], dtype="float32").reshape(-1)
        except (TypeError, ValueError) as err:
            raise Failed(f"{where}: {name} is not numbers ({err}).")
        if value.size != sizes[name]:
            raise Failed(f"{where}: {name} has {value.size} values, it needs {sizes[name]}.")
        if not np.all(np.isfinite(value)):
            raise Failed(f"{where}: {name} = {fmt(value)} is not finite.")
        out[name] = value[None, :]
    ranges = [("beta", 0.0, np.inf, "β ≥ 0 (softplus)"), ("g", 0.0, 1.0, "0 ≤ g ≤ 1 (sigmoid)"),
              ("gamma", 1.0, np.inf, "γ ≥ 1 (1 + softplus)"), ("s", 0.0, 1.0, "each s(j) in [0, 1] (softmax)"),
              ("e", 0.0, 1.0, "each e(j) in [0, 1] (sigmoid)")]
    for name, low, high, rule in ranges:
        if name in out and (np.any(out[name] < low - 1e-6) or np.any(out[name] > high + 1e-6)):
            raise Failed(f"{where}: {name} = {fmt(out[name][0])} is out of range: the controller's "
                         f"activation guarantees {rule} (section 5).")
    if abs(float(out["s"].sum()) - 1.0) > 1e-3:
        raise Failed(f"{where}: s = {fmt(out['s'][0])} sums to {float(out['s'].sum()):.3f}; it is a "
                     f"distribution over the offsets {OFFSETS} and must sum to 1.")
    return out


def _call_program(program, t, x):
    if program is None or program is Ellipsis:
        raise NotDone()
    try:
        result = program(t, x.copy())
    except NotImplementedError:
        raise NotDone()
    except Exception as err:  # noqa: BLE001 -- the student's code may raise anything
        raise Failed(f"step {t}: your program raised {type(err).__name__}: {err}")
    if result is None:
        raise NotDone()
    if not isinstance(result, dict) or set(result) != {"write", "read"}:
        raise Failed(f"step {t}: a program returns a dict with the keys 'write' and 'read', got {result!r:.80}.")
    return result


def _numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def run_program(program, seed=0, steps=None):
    """Execute ``program`` step by step on a real memory with ntm_core's functions.

    Args:
        program: ``program(t, x) -> {"write": {...}, "read": {...}}`` (module docstring).
        seed: which sequence (:func:`copy_sequence`) and old memory (:func:`old_memory`).
        steps: run only the first ``steps`` steps (default all, 2 LENGTH).

    Returns:
        a :class:`ProgramRun`. Raises :class:`~ntm_core.teaching.checking.NotDone`
        for an unfilled program and :class:`~ntm_core.teaching.checking.Failed`
        for parameters of the wrong shape or range.
    """
    run = ProgramRun(copy_sequence(seed), old_memory(seed))
    steps = check_int("steps", steps, minimum=0, maximum=len(run.inputs), allow_none=True)
    mem = run.memories[0][None]
    for t in range(len(run.inputs) if steps is None else steps):
        result = _call_program(program, t, run.inputs[t])
        heads = {"write": _head_parameters(result["write"], "write", WRITE_PARAMETERS, t),
                 "read": _head_parameters(result["read"], "read", READ_PARAMETERS, t)}
        for head in ("write", "read"):
            p = heads[head]
            # As in NTMCell: the write head addresses M_{t-1}; the read head the memory after the write.
            stages = addressing.address_stages(mem, run.previous_weighting(head, t)[None], p["k"], p["beta"],
                                               p["g"], p["s"], p["gamma"])
            stages = {name: _numpy(w)[0] for name, w in stages.items()}
            if head == "write":
                mem = _numpy(memory.write(mem, stages["weights"][None], p["e"], p["a"]))
            else:
                run.reads.append(_numpy(memory.read(mem, stages["weights"][None]))[0])
            run.stages[head].append(stages)
            run.weightings[head].append(stages["weights"])
            run.parameters[head].append({name: v[0] for name, v in p.items()})
        run.memories.append(mem[0])
        run.steps = t + 1
    return run


# ---------------------------------------------------------------- the check
def _signed_offset(frm, to):
    d = (to - frm) % N_SLOTS
    return d - N_SLOTS if d > N_SLOTS // 2 else d


def _where_wrong(run, head, t, expected):
    """Why the head's weighting at step t is not a sharp peak on ``expected``: the diagnoses the run confirms."""
    w, p = run.weightings[head][t], run.parameters[head][t]
    stages, prev = run.stages[head][t], run.previous_weighting(head, t)
    peak, prev_peak = int(np.argmax(w)), int(np.argmax(prev))
    g, gamma, s = float(p["g"][0]), float(p["gamma"][0]), p["s"]
    before = f"the head started on slot {prev_peak}" if t == 0 else f"the previous step's was at slot {prev_peak}"
    message = (f"step {t}, {head} head: the weighting's peak is at slot {peak} ({w[peak]:.2f} of the weight), "
               f"{before}; it should be at slot {expected}"
               f"{'' if peak != expected else f' with at least {SHARP}'}.")
    hints = []
    content_peak = int(np.argmax(stages["content"]))
    if g >= 0.5 and content_peak != expected:
        hints.append(f"the gate g = {g:g} lets content decide (eq. 7), and your key k is most similar to "
                     f"slot {content_peak}, not slot {expected}.")
    elif g < 0.5 and peak != expected:
        needed, moved = _signed_offset(prev_peak, expected), _signed_offset(prev_peak, int(np.argmax(stages["shifted"])))
        if abs(needed) <= 1 and moved != needed:
            went = "did not move the focus" if moved == 0 else f"moved the focus by {moved:+d}"
            need = tuple(int(j == needed) for j in (-1, 0, 1))
            if needed:
                hints.append(f"from slot {prev_peak} to slot {expected} is a shift of {needed:+d}, and your s = "
                             f"{fmt(s, 2)} {went}: a shift of {needed:+d} needs s = {need} in the order {OFFSETS}"
                             " (eq. 8).")
            else:
                hints.append(f"the head must stay on slot {expected}, and your s = {fmt(s, 2)} {went}: staying "
                             f"needs s = {need} in the order {OFFSETS} (eq. 8).")
        elif abs(needed) > 1:
            hints.append(f"the {head} head was at slot {prev_peak} after step {t - 1}, and one shift moves it "
                         f"at most one slot (offsets {OFFSETS}). Did it move on an earlier step where it should "
                         "have stayed?")
    if peak == expected:
        if max(s) < 0.99 and gamma < 1.5:
            hints.append(f"your s = {fmt(s, 2)} spreads the weight over several offsets, and γ = {gamma:g} "
                         "hardly sharpens it (eq. 9).")
        if 0.01 < g < 0.99 and int(np.argmax(prev)) != content_peak:
            hints.append(f"g = {g:g} mixes the content weighting with the previous weighting (eq. 7).")
        if g >= 0.5 and stages["content"][expected] < SHARP and gamma < 1.5:
            hints.append(f"β = {float(p['beta'][0]):g} leaves the content weighting spread "
                         f"({stages['content'][expected]:.2f} on slot {expected}, eq. 5).")
    return message + "".join(f"\n  Hint: {h}" for h in hints)


def _row_wrong(run, t, slot, target, read_phase=False):
    row, old = run.memories[t + 1][slot], run.memories[t][slot]
    p, w = run.parameters["write"][t], float(run.weightings["write"][t][slot])
    message = (f"step {t}, write head: after the write, slot {slot} holds {fmt(row, 2)}, but it should hold "
               f"{fmt(target, 2)} (largest difference {np.max(np.abs(row - target)):.2f}, tolerance {TOLERANCE}).")
    hints = []
    left = old * (1.0 - w * p["e"])  # what eq. 3 leaves of the old contents
    if np.max(np.abs(left)) > TOLERANCE / 2:
        hints.append(f"the erase vector e = {fmt(p['e'], 2)} leaves part of the slot's old contents "
                     f"{fmt(old, 2)}: eq. 3 multiplies element j by 1 − w(i) e(j).")
    if read_phase:
        hints = [f"in the read phase the write head must leave the stored vectors as they are; this write put "
                 f"{w:.2f} of its weight on slot {slot} with e = {fmt(p['e'], 2)} and a = {fmt(p['a'], 2)}. A write "
                 "with e = 0 and a = 0 changes nothing, whatever its weighting (eq. 3-4)."]
    elif np.max(np.abs(w * p["a"] - target)) > TOLERANCE / 2:
        hints.append(f"the write adds w(i) a = {fmt(w * p['a'], 2)} to the erased slot (eq. 4), which does not "
                     f"make {fmt(target, 2)}.")
    return message + "".join(f"\n  Hint: {h}" for h in hints)


def _damaged(run, t, rows):
    """The first of ``rows`` whose content after step t is not its vector, or None."""
    for j in rows:
        if np.max(np.abs(run.memories[t + 1][j] - run.targets[j])) > TOLERANCE:
            return j
    return None


def judge(run):
    """Raise Failed naming the first step and head where ``run`` goes wrong; return nothing if none does."""
    for t in range(run.steps):
        if t < LENGTH:  # the write phase: vector t goes to slot t
            w = run.weightings["write"][t]
            if int(np.argmax(w)) != t or w[t] < SHARP:
                raise Failed(_where_wrong(run, "write", t, t))
            if _damaged(run, t, [t]) is not None:
                raise Failed(_row_wrong(run, t, t, run.targets[t]))
            j = _damaged(run, t, range(t))
            if j is not None:
                raise Failed(_row_wrong(run, t, j, run.targets[j]))
            continue
        j = _damaged(run, t, range(LENGTH))  # the read phase: slot t - LENGTH is read
        if j is not None:
            raise Failed(_row_wrong(run, t, j, run.targets[j], read_phase=True))
        slot, w = t - LENGTH, run.weightings["read"][t]
        if int(np.argmax(w)) != slot or w[slot] < SHARP:
            raise Failed(_where_wrong(run, "read", t, slot))
        diff = np.max(np.abs(run.reads[t] - run.targets[slot]))
        if diff > TOLERANCE:
            raise Failed(f"step {t}, read head: it read {fmt(run.reads[t], 2)}, but slot {slot} holds vector "
                         f"{slot}, {fmt(run.targets[slot], 2)} (largest difference {diff:.2f}, tolerance "
                         f"{TOLERANCE}).")


def check_program(program, verbose=True):
    """Exercise: run ``program`` on the notebook's sequence and on a second one; report the first wrong step.

    A program that hard-codes the notebook's vectors instead of writing its
    input ``x`` passes the first sequence and fails the second.
    """
    def body():
        judge(run_program(program, seed=0))
        try:
            judge(run_program(program, seed=1))
        except Failed as err:
            raise Failed(f"your program copies the notebook's sequence but not another one (seed 1): {err}\n"
                         "  Does it use the input x it is given rather than the notebook's vectors?")
        return []

    return verdict("Exercise 3.10 (my_program)", body,
                   "correct! Five vectors written to consecutive slots and read back in order, by "
                   "ntm_core's own addressing and memory functions: the program a trained NTM finds for copy.",
                   verbose)


# ---------------------------------------------------------------- the picture
def plot_program(program, seed=0):
    """Run ``program`` and draw its run: inputs, write and read weightings, reads over time, final memory.

    Returns the Figure, or None (with a printed line) when the program is
    not filled in yet or its parameters cannot run; then
    :func:`check_program` says why.
    """
    try:
        run = run_program(program, seed=seed)
    except NotDone:
        print("⏳ nothing to draw yet: fill in the program above.")
        return None
    except Failed as err:
        print(f"❌ cannot run it: {err}")
        return None
    fig, axes = new_figure((14, 3.2), ncols=5, gridspec_kw={"width_ratios": [1, 1, 1, 1, 0.9]})
    steps = len(run.inputs)
    panels = [("inputs x", run.inputs.T, "element"), ("write weighting", np.stack(run.weightings["write"], 1), "slot"),
              ("read weighting", np.stack(run.weightings["read"], 1), "slot"), ("reads r", np.stack(run.reads, 1), "element")]
    for ax, (title, data, ylabel) in zip(axes, panels):
        # Values share the memory's signed colours (old contents can be negative); weightings are grey.
        values = ylabel == "element"
        image_over_time(ax, data, **(dict(cmap=MEMORY_CMAP, vmin=-1.0, vmax=1.0) if values else {}))
        ax.axvline(LENGTH - 0.5, color="tab:orange", lw=1.5, ls="--")
        ax.set(title=title, xlabel="step t", ylabel=ylabel, xticks=range(0, steps, 2))
    memory_image(axes[4], run.memories[-1], vmax=1.0)
    axes[4].set_title("memory after the last step")
    return fig
