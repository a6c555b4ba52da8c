"""Write notebooks 01-04 of ntm-notebooks from the cells below.

    .venv/bin/python tools/make_notebooks_01_04.py          # writes notebooks/0[1-4]_*.ipynb
    .venv/bin/python tools/make_notebooks_01_04.py --check  # exit 1 if a notebook differs

The notebooks are written clean (no outputs, no execution counts, no widget
state) with deterministic cell ids, so regenerating them gives no diff unless
a cell changed. Edit the cells here, not in Jupyter.

Conventions (the project's rules): right after the title cell, a code cell
tagged "parameters" with only literal assignments, then a cell that reads
NTM_QUICK from the environment; exercise starter cells are tagged "exercise"
and their check cells "check" (tests/test_exercises.py runs them).
"""

import argparse
import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
QUICK_CELL = 'import os\n\nQUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")'


def md(text):
    return new_markdown_cell(dedent(text).strip("\n"))


def code(text, tags=None):
    cell = new_code_cell(dedent(text).strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def parameters(text):
    return code(text, tags=["parameters"])


def exercise(text):
    return code(text, tags=["exercise"])


def check(text):
    return code(text, tags=["check"])


def notebook(prefix, cells):
    nb = new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC)})
    for i, cell in enumerate(nb.cells):
        cell.id = f"{prefix}-{i:03d}"
    nbformat.validate(nb)
    return nb


# =====================================================================================
# 01 · the paper
# =====================================================================================

def nb01():
    cells = [
        md(r"""
        # 01 · Neural Turing Machines: the paper

        *Graves, Wayne & Danihelka (2014), "Neural Turing Machines", [arXiv:1410.5401](https://arxiv.org/abs/1410.5401)*

        A Neural Turing Machine (NTM) is a recurrent neural network with a
        **memory it can read and write**, like a computer's RAM, where every
        read and write is a smooth, differentiable operation, so the whole
        machine learns from examples by gradient descent.

        This first notebook is the map. You will

        1. watch a trained NTM copy a sequence **longer** than any it was trained on,
        2. see why a network may want an external memory at all,
        3. meet the parts: controller, read and write heads, memory,
        4. understand the key idea, *blurry* reads and writes,
        5. get to know the five tasks of the paper.

        You should know what an LSTM is. Nothing here trains a network; the
        notebook runs in well under a minute.
        """),
        parameters("""
        SEED = 0
        HOOK_LENGTH = 50
        QUICK = False
        """),
        code(QUICK_CELL),
        md(r"""
        `HOOK_LENGTH` is the length of the test sequence below, `SEED` picks
        its random bits. `QUICK` (or the environment variable `NTM_QUICK=1`)
        uses fewer sequences in the one place where several are run.
        """),
        code("""
        import matplotlib.pyplot as plt
        import numpy as np

        import ntm_core
        from ntm_core import explorers, memory, metrics, plots, tasks
        from ntm_core.train import format_table

        NUM_SEQUENCES = 4 if QUICK else 32
        """),
        # ------------------------------------------------------------------ hook
        md(r"""
        ## 1 · A teaser: copying a sequence it has never seen

        The **copy task** is the first experiment of the paper. The network
        sees $L$ random 8-bit vectors, then a delimiter bit; after that it
        gets no more input and must output the same $L$ vectors, in order.

        The network below was trained on sequences of length 1 to 20 only.
        We give it a much longer one than it has ever seen (`HOOK_LENGTH`, 50).
        """),
        code("""
        model, info = ntm_core.load_pretrained("copy_ntm")

        config = info.get("config", {})
        print("controller:", config.get("controller"), "| trained on lengths",
              config.get("min_length"), "to", config.get("max_length"))
        print("training:", info.get("sequences_seen"), "sequences,",
              round(info.get("wall_time_s", 0) / 60), "minutes on a", info.get("machine", {}).get("cpu_count"), "core CPU")
        """),
        code("""
        batch = tasks.copy_batch(1, HOOK_LENGTH, rng=SEED)  # one new sequence of HOOK_LENGTH random vectors
        prediction = np.asarray(model.predict_on_batch(batch.x))

        errors = metrics.bit_errors_per_sequence(batch.y, prediction, batch.mask)
        wrong_per_vector = ((prediction > 0.5) != (batch.y > 0.5)).sum(axis=-1)[0][batch.mask[0] > 0]
        print(f"length {HOOK_LENGTH}: {errors:.0f} wrong bits out of {HOOK_LENGTH * 8}; "
              f"{(wrong_per_vector == 0).sum()} of {HOOK_LENGTH} vectors copied perfectly")
        print(f"(guessing would get about {HOOK_LENGTH * 4} bits wrong)")
        """),
        md(r"""
        Input on top, then the target, then what the network wrote. Time runs
        to the right; each column is one time step, each row one bit (black =
        1). The shaded first half of the target and output is not scored:
        while the input arrives, nothing is expected.
        """),
        code("""
        plots.plot_copy_example(batch.x, batch.y, prediction, batch.mask)
        """),
        md(r"""
        How does it do it, with no more input after the delimiter? The trained
        NTM runs something like a small program:

        > write each input vector to the next memory slot;
        > at the delimiter, go back to the first slot;
        > read the slots one after another, in the same order.

        Such a program does not care how long the sequence is, as long as the
        memory has room (here 128 slots). We can watch it run: `ntm_core.trace`
        records everything the NTM does at every step.
        """),
        code("""
        run = ntm_core.trace(model, batch.x)
        plots.plot_attention_over_time(run)  # all 128 slots; the heads use a band of them
        """),
        md(r"""
        The bottom row shows where the heads look: one column per time step,
        one row per memory slot, black = all attention on that slot. The
        **write head** (left) starts at slot 0 and moves one slot per step
        while the input arrives: 0, 1, 2, ... (Other seeds learn to move
        *backwards*, 0, 127, 126, ...: the shift wraps around the ends of the
        memory, so that works just as well.) The
        **read head** (right) waits at slot 0 during the input; after the
        delimiter it walks the same slots in the same order, one per step: that
        is the copy. (The write head keeps moving during the recall, into slots
        that are never read.) The middle row
        shows what is written ($a_t$) and what is read ($r_t$). This is the
        paper's Figure 6; notebooks 05 onward come back to it in detail.

        Where the output has wrong bits, look at the read weighting at the same
        time steps: a wrong bit in the output usually means the read head
        blurred or slipped a slot.

        ### How far does it generalise?

        One sequence may be lucky, or unlucky. A few more of the same length:
        """),
        code("""
        more = tasks.copy_batch(NUM_SEQUENCES, HOOK_LENGTH, rng=SEED + 1)
        per_sequence = metrics.bit_errors_per_sequence(
            more.y, np.asarray(model.predict_on_batch(more.x)), more.mask, reduce=False)
        print(f"{NUM_SEQUENCES} sequences of length {HOOK_LENGTH}: bit errors", per_sequence.astype(int))
        print(f"mean {per_sequence.mean():.1f} wrong bits of {HOOK_LENGTH * 8}; {(per_sequence == 0).mean():.0%} perfect")
        """),
        md(r"""
        The checkpoint also stores its evaluation on 200 fresh sequences per
        length, up to lengths far beyond 20 (the dashed line):
        """),
        code("""
        rows = info["evaluation"]["rows"]
        print(format_table(rows))
        plots.plot_generalisation({"NTM": rows}, train_max_length=config.get("max_length", 20))
        """),
        md(r"""
        Two things to notice:

        * **Far beyond length 20 it still works.** A network that had only
          memorised its training lengths would be near chance there, half the
          bits wrong. The Keras NTM project this one descends from measured
          exactly that for its 3-layer LSTM: 50 % bit accuracy at lengths 40
          and 80; the paper's Figure 4 shows the same for its LSTMs, and
          notebook 07 shows it for ours. The NTM learned a *procedure* (move
          one slot, write; go back; move one slot, read) that does not depend
          on the length, so it carries over, up to the 128 slots of memory.
        * **It is not quite perfect.** About 1 sequence in 100 has a wrong
          vector or two, at any length: the read head occasionally blurs over
          two slots. The paper's NTM, trained for far longer, has the same kind
          of rare error at length 120. Not every training run finds this
          procedure either: notebook 07 shows a seed sweep, how often it does.

        The rest of this notebook explains the ideas behind the figures above;
        notebooks 02-04 build them one equation at a time.
        """),
        # ------------------------------------------------------------------ why
        md(r"""
        ## 2 · Why an external memory?

        An LSTM keeps everything it remembers in its hidden state $h_t$ and
        cell state $c_t$: a vector of, say, 256 numbers that is rewritten at
        every step by the same weight matrices. That has three consequences:

        * **Capacity is tied to the size of the network.** Remembering twice as
          much needs a state twice as large, which needs four times as many
          recurrent weights.
        * **Storage and computation are entangled.** The same numbers hold the
          data *and* the progress of the computation, so an LSTM has no clean way
          to "store vector 37 and come back to it later".
        * **What it learns is tied to the lengths it saw.** Nothing in an LSTM
          says "repeat the same step for every item", so it often learns
          something that works up to length 20 and not beyond.

        Computers solve this by separating a **processor** from a **memory**
        that it addresses. Psychology talks of **working memory**: a small store
        of facts that is manipulated by rules. The NTM borrows both ideas: a
        neural network (the *controller*) plays the processor, and a matrix of
        $N$ slots of $M$ numbers plays the memory. The memory can be made larger
        without adding a single weight, and "put this here, fetch that later"
        becomes easy to express.

        The catch: a computer addresses memory with integers ("slot 37"), and
        an integer choice has no gradient. The NTM makes addressing
        *differentiable*; section 4 shows how.
        """),
        # ------------------------------------------------------------------ architecture
        md(r"""
        ## 3 · The architecture

        The paper's Figure 1, redrawn:
        """),
        code("""
        plots.plot_architecture()
        """),
        md(r"""
        At every time step $t$:

        1. The **controller** (an LSTM or a plain feed-forward layer) receives
           the external input $x_t$ *and* what the read heads read at the
           previous step, $r_{t-1}$.
        2. From its output it computes the parameters of every **head**: where
           to look ($k, \beta, g, s, \gamma$, notebook 03) and, for write heads,
           what to erase and add ($e, a$, notebook 02).
        3. The **write heads** change the **memory matrix** $M_t$ ($N$ rows or
           *slots*, each $M$ numbers wide).
        4. The **read heads** read a vector $r_t$ from the memory.
        5. The controller's output and the reads give the external output $y_t$.

        The controller never sees the whole memory, only what its heads read.
        That is what makes the memory *external*: its size is independent of
        the controller, and the same trained controller can be given a larger
        memory.

        The pretrained model above is exactly this, with the paper's sizes:
        """),
        code("""
        cell = model.get_layer("ntm").cell
        print("memory:", cell.memory_size, "slots x", cell.memory_width, "numbers")
        print("heads:", cell.read_heads, "read,", cell.write_heads, "write | shifts:", cell.shift_range)
        print("controller:", cell.controller_kind, "with", cell.controller_units, "units")
        """),
        # ------------------------------------------------------------------ blurry
        md(r"""
        ## 4 · Blurry reads and writes

        Here is the central trick. A head does not choose *one* slot; it puts
        a **weighting** $w_t$ over all $N$ slots: non-negative numbers that sum
        to 1, like a softmax. A read returns the weighted sum of all rows,

        $$\mathbf{r}_t = \sum_i w_t(i)\,\mathbf{M}_t(i) \qquad \text{(eq. 2)}$$

        If all the weight is on slot 3, that is an ordinary read of slot 3.
        If the weight is spread out, the read is a blend of neighbouring slots,
        a *blurry* read. Let us try both on a small memory of 8 slots.
        """),
        code("""
        rng = np.random.default_rng(SEED)
        M = np.round(rng.uniform(-1, 1, (8, 6)), 1)   # 8 slots of 6 numbers

        sharp = explorers.focused_weighting(8, focus=3, blur=0.0)    # all weight on slot 3
        blurry = explorers.focused_weighting(8, focus=3, blur=1.0)   # spread around slot 3

        fig, axes = plt.subplots(1, 3, figsize=(12, 2.8), layout="constrained")
        plots.plot_memory(M, ax=axes[0], title="memory: 8 slots x 6 numbers")
        plots.plot_weighting(sharp, ax=axes[1], title="a sharp weighting")
        plots.plot_weighting(blurry, ax=axes[2], title="a blurry weighting")
        plt.show()
        """),
        code("""
        print("slot 3 of the memory:", M[3])
        print("sharp read          :", np.asarray(memory.read(M[None], sharp[None]))[0].round(2))
        print("blurry read         :", np.asarray(memory.read(M[None], blurry[None]))[0].round(2))
        """),
        md(r"""
        Why bother with blur? Because the read is a **smooth function of the
        weighting**: nudge $w_t(i)$ a little and $\mathbf{r}_t$ moves a little,
        by $\mathbf{M}_t(i)$ times the nudge. So the gradient of the loss tells the
        controller *in which direction to move its attention*. With an integer
        address there would be no such signal. Writes are blurry in the same
        way: every slot is changed in proportion to its weight (eq. 3-4,
        notebook 02).

        Training usually makes the weightings nearly sharp anyway (look at the
        crisp diagonals above), but it gets there through blurry ones.

        **How does a head choose its weighting?** Two ways, combined in four
        stages (the paper's Figure 2, notebook 03):

        | stage | what it does | parameter |
        |---|---|---|
        | content addressing (eq. 5-6) | look for slots whose content resembles a key | key $\mathbf{k}_t$, strength $\beta_t$ |
        | interpolation (eq. 7) | choose between that and last step's weighting | gate $g_t$ |
        | convolutional shift (eq. 8) | move the focus by $-1$, $0$ or $+1$ slots | shift weighting $\mathbf{s}_t$ |
        | sharpening (eq. 9) | undo the blur that shifting adds | $\gamma_t \ge 1$ |

        Content addressing is how the NTM finds "the slot holding this";
        the shift is how it walks "to the next slot", as in the copy task.
        """),
        # ------------------------------------------------------------------ tasks
        md(r"""
        ## 5 · The five tasks of the paper

        Each task is a small algorithm that a network must learn from
        input/output examples alone (section 4 of the paper). All inputs and
        targets are bit vectors; the score is the cross-entropy in **bits per
        sequence** (0 is perfect).

        | task (section) | input | target | what it takes | training range | the paper's result |
        |---|---|---|---|---|---|
        | **copy** (4.1) | $L$ random 8-bit vectors, then a delimiter | the same $L$ vectors | store and recall a sequence | $L$ = 1-20 | NTM near-perfect to about $L$ = 50; LSTM fails beyond 20 |
        | **repeat copy** (4.2) | a sequence and a number of repeats | the sequence that many times, then an end marker | a loop with a counter | $L$ = 1-10, 1-10 repeats | NTM generalises to longer sequences and more repeats (miscounts beyond about 11) |
        | **associative recall** (4.3) | items of three 6-bit vectors, then one of them as a query | the item that followed the query | find by content, then step to the next | 2-6 items | NTM near 0 bits in about 30,000 episodes; LSTM not after a million |
        | **dynamic n-grams** (4.4) | 200 bits from a random 6-gram distribution | the next bit, at every step | count what followed each context | 200 bits | NTM about 133 bits per sequence against 136 for the LSTM (optimal about 131) |
        | **priority sort** (4.5) | 20 vectors, each with a priority in $[-1, 1]$ | the 16 of highest priority, sorted | write each vector where its priority says | 20 in, 16 out | NTM about 10-20 bits against about 50 for the LSTM |

        `ntm_core.tasks` generates all five; their sizes:
        """),
        code("""
        for name in tasks.list_tasks():
            task = tasks.get_task(name)
            print(f"{name:>20}: input width {task.input_size:2d}, output width {task.output_size:2d}, "
                  f"training lengths {task.train_lengths}")
        """),
        md(r"""
        ## What's next

        * **02 · Reading and writing**: equations 2-4 on a memory you can see whole.
        * **03 · Addressing**: equations 5-9, one mechanism at a time, with widgets.
        * **04 · Building the layer**: the controller, one step of the cell by hand,
          and the finished Keras layer on TensorFlow, JAX and PyTorch.
        * **05 onward**: training NTMs on the paper's tasks, comparing them with
          LSTMs, and looking inside what they learned.

        **Try it:** change `HOOK_LENGTH` in the parameters cell to 20, 40 or 60
        (and `SEED` for other sequences) and run the notebook again. Where do
        the first wrong bits appear, and what does the read head do at those
        time steps?
        """),
    ]
    return notebook("nb01", cells)


# =====================================================================================
# 02 · reading and writing
# =====================================================================================

def nb02():
    cells = [
        md(r"""
        # 02 · Reading and writing: equations 2-4

        The memory of an NTM is a matrix $\mathbf{M}_t$ of $N$ rows (*slots*), each
        $M$ numbers wide. A head never touches just one slot: it acts on **every
        slot at once, in proportion to a weighting** $w_t$. This notebook works
        through the three equations that read and write with a weighting, on a
        memory small enough to see whole: 8 slots of 6 numbers.

        1. Reading: a weighted sum (eq. 2)
        2. Writing: erase (eq. 3), then add (eq. 4)
        3. An explorer to play with
        4. ✏️ Exercises: your own `read` and `write` in NumPy, checked automatically
        """),
        parameters("""
        SEED = 0
        N_SLOTS = 8
        WIDTH = 6
        QUICK = False
        """),
        code(QUICK_CELL),
        code("""
        import matplotlib.pyplot as plt
        import numpy as np

        from ntm_core import exercises, explorers, memory, plots
        """),
        md(r"""
        **Shapes.** The functions of `ntm_core.memory` work on a whole batch of
        sequences at once, so every argument has a leading batch axis $B$:
        memory `(B, N, M)`, weighting `(B, N)`, vectors `(B, M)`. Here $B = 1$;
        `x[None]` adds the batch axis and `out[0]` removes it. They return
        tensors of the Keras backend; `np.asarray` turns them into NumPy arrays.

        ## The memory

        A random memory with one decimal, so you can read the numbers:
        """),
        code("""
        rng = np.random.default_rng(SEED)
        M_prev = np.round(rng.uniform(-1, 1, (N_SLOTS, WIDTH)), 1).astype("float32")
        print(M_prev)
        plots.plot_memory(M_prev, title="$M_{t-1}$: 8 slots (rows) x 6 numbers")
        """),
        # ------------------------------------------------------------------ read
        md(r"""
        ## 1 · Reading (eq. 2)

        **Why a weighting?** Reading slot `M[i]` with an integer `i` is what a
        computer does, but an integer has no gradient: the network could never
        learn *which* slot to read. The NTM reads with a weighting $w_t$ over
        the slots instead. Its entries obey (eq. 1)

        $$\sum_i w_t(i) = 1, \qquad 0 \le w_t(i) \le 1 .$$

        First a sharp weighting: all the weight on slot 2.
        """),
        code("""
        w = explorers.focused_weighting(N_SLOTS, focus=2, blur=0.0)
        print("w =", w)
        plots.plot_weighting(w, title="a sharp weighting on slot 2")
        """),
        md(r"""
        The read vector is the weighted sum of the rows (eq. 2):

        $$\mathbf{r}_t \longleftarrow \sum_i w_t(i)\,\mathbf{M}_t(i)$$
        """),
        code("""
        r = np.asarray(memory.read(M_prev[None], w[None]))[0]
        print("read :", r.round(3))
        print("M[2] :", M_prev[2])
        """),
        md(r"""
        With all the weight on one slot, eq. 2 is an ordinary read. Now blur
        the weighting: most weight on slot 2, some on its neighbours.
        """),
        code("""
        w_blur = explorers.focused_weighting(N_SLOTS, focus=2, blur=1.0)
        r_blur = np.asarray(memory.read(M_prev[None], w_blur[None]))[0]
        print("w     =", w_blur.round(3))
        print("read  =", r_blur.round(3))
        print("by hand, sum_i w(i) M(i) =", (w_blur[:, None] * M_prev).sum(axis=0).round(3))
        """),
        code("""
        fig, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained", width_ratios=[1, 1.3])
        plots.plot_weighting(w_blur, ax=axes[0], title="a blurry weighting around slot 2")
        plots.plot_memory(M_prev, ax=axes[1], title="the rows it blends")
        plt.show()
        """),
        md(r"""
        The blurry read is a blend of slots 1, 2 and 3 (and a little of 0 and 4).

        **This is what makes the memory trainable.** The read is linear in the
        weighting, so $\partial \mathbf{r}_t / \partial w_t(i) = \mathbf{M}_t(i)$: every
        slot tells the controller how the read would change if it looked there a
        little more. Let us check that numerically: move a little weight,
        $\delta$, from slot 2 to slot 5.
        """),
        code("""
        delta = 0.01
        w_moved = w_blur.copy()
        w_moved[2] -= delta
        w_moved[5] += delta
        r_moved = np.asarray(memory.read(M_prev[None], w_moved[None]))[0]
        print("change of the read / delta:", ((r_moved - r_blur) / delta).round(2))
        print("M[5] - M[2]               :", (M_prev[5] - M_prev[2]).round(2))
        """),
        # ------------------------------------------------------------------ write
        md(r"""
        ## 2 · Writing: erase, then add (eq. 3-4)

        **Why two parts?** Think of an LSTM's forget gate and input gate. A
        write head emits an **erase vector** $\mathbf{e}_t$ (each entry in
        $[0, 1]$: how much of that column to forget) and an **add vector**
        $\mathbf{a}_t$ (what to write). Both are applied to every slot in
        proportion to the same weighting $w_t$.

        Our write head puts its weight on slot 5, a little blurred, erases
        every column completely ($\mathbf{e} = 1$) and adds $+1$ everywhere:
        """),
        code("""
        w_write = explorers.focused_weighting(N_SLOTS, focus=5, blur=0.5)
        e = np.ones(WIDTH, "float32")          # erase everything (where w is 1)
        a = np.ones(WIDTH, "float32")          # then write +1 (where w is 1)
        print("w =", w_write.round(3))
        """),
        md(r"""
        **Erase (eq. 3).** Each slot keeps a fraction $1 - w_t(i)\,e_t(j)$ of each
        number (the product is element-wise; $\mathbf{1}$ is a row of ones):

        $$\tilde{\mathbf{M}}_t(i) \longleftarrow \mathbf{M}_{t-1}(i)\,\big[\mathbf{1} - w_t(i)\,\mathbf{e}_t\big]$$
        """),
        code("""
        M_erased = np.asarray(memory.erase(M_prev[None], w_write[None], e[None]))[0]
        """),
        md(r"""
        **Add (eq. 4).** Then each slot receives the add vector, scaled by its weight:

        $$\mathbf{M}_t(i) \longleftarrow \tilde{\mathbf{M}}_t(i) + w_t(i)\,\mathbf{a}_t$$
        """),
        code("""
        M_new = np.asarray(memory.add(M_erased[None], w_write[None], a[None]))[0]
        """),
        code("""
        fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), layout="constrained", width_ratios=[0.7, 1, 1, 1])
        plots.plot_weighting(w_write, ax=axes[0], title="write weighting $w_t$")
        plots.plot_memory(M_prev, ax=axes[1], title="before, $M_{t-1}$", vmax=1.2, colorbar=False)
        plots.plot_memory(M_erased, ax=axes[2], title=r"erased, $\\tilde M_t$ (eq. 3)", vmax=1.2, colorbar=False)
        plots.plot_memory(M_new, ax=axes[3], title="after the add, $M_t$ (eq. 4)", vmax=1.2)
        plt.show()
        """),
        md(r"""
        Slot 5 has weight 0.79: it keeps only $1 - 0.79 = 21\,\%$ of its old
        content and receives $0.79\,\mathbf{a}$, so it is now mostly $+1$. Its
        neighbours 4 and 6, with weight 0.11, lose a little of their old content
        and get a little of the new: a blurry write. Slots far away are untouched.

        `memory.write` does both steps. With several write heads the layer
        applies every head's erase before any head's add; the adds can then
        come in any order, since addition commutes.
        """),
        code("""
        M_both = np.asarray(memory.write(M_prev[None], w_write[None], e[None], a[None]))[0]
        np.testing.assert_allclose(M_both, M_new, rtol=1e-6)
        print("rows 4-6 before:\\n", M_prev[4:7], "\\nrows 4-6 after:\\n", M_new[4:7].round(2))
        """),
        md(r"""
        **Erasing part of a row.** The erase vector works column by column:
        $\mathbf{e} = (1, 1, 1, 0, 0, 0)$ clears the first three numbers of the
        slot and keeps the last three; $\mathbf{a} = 0$ writes nothing new.
        """),
        code("""
        e_half = np.array([1, 1, 1, 0, 0, 0], "float32")
        sharp5 = explorers.focused_weighting(N_SLOTS, focus=5, blur=0.0)
        M_half = np.asarray(memory.write(M_prev[None], sharp5[None], e_half[None], np.zeros((1, WIDTH), "float32")))[0]
        print("slot 5 before:", M_prev[5], "\\nslot 5 after :", M_half[5])
        """),
        # ------------------------------------------------------------------ explorer
        md(r"""
        ## 3 · Explore

        Move the focus of the head, blur it, change the erase strength and the
        add vector, and watch the memory change. The read vector under the new
        memory is read with the same weighting (eq. 2). Things to try:

        * blur 0, erase 1: slot `focus` becomes exactly the add vector;
        * erase 0: the add vector is *added* on top of the old content;
        * add "zeros (erase only)" and a large blur: a soft erase of a whole region.
        """),
        code("""
        explorers.ReadWriteExplorer(memory_size=N_SLOTS, memory_width=WIDTH, seed=SEED)
        """),
        # ------------------------------------------------------------------ exercises
        md(r"""
        ## 4 · Exercises

        Fill in each function with NumPy, run its cell, then run the check below
        it. The check tries your function on hand-worked cases and on random
        batches and tells you what, if anything, is wrong. All arrays carry the
        batch axis first, as in `ntm_core`.

        ### ✏️ Exercise 2.1 — Read from memory

        Implement eq. 2 for a batch: `memory` has shape `(B, N, M)`, `w` has
        shape `(B, N)`; return the read vectors, shape `(B, M)`. Each sequence
        `b` of the batch reads its own `memory[b]` with its own `w[b]`.

        *Hint:* `w[:, :, None]` has shape `(B, N, 1)` and broadcasts against the memory.
        """),
        exercise('''
        def my_read(memory, w):
            """Eq. 2: memory (B, N, M), w (B, N) -> read vectors (B, M)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_read(my_read)
        """),
        md(r"""
        ### ✏️ Exercise 2.2 — Write to memory

        Implement one write head, eq. 3 then eq. 4: `memory` `(B, N, M)`, `w`
        `(B, N)`, erase vector `e` `(B, M)`, add vector `a` `(B, M)`; return the
        new memory `(B, N, M)`. Do not change `memory` in place: return a new array.

        *Hint:* `w[:, :, None] * e[:, None, :]` is the `(B, N, M)` array of all
        products $w_t(i)\,e_t(j)$.
        """),
        exercise('''
        def my_write(memory, w, e, a):
            """Eq. 3-4: erase memory * (1 - w e), then add w a. Returns (B, N, M)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_write(my_write)
        """),
        md(r"""
        ### ✏️ Exercise 2.3 — Overwrite a slot

        A head focuses sharply on one slot (its weighting is one-hot). Which
        erase and add vectors **replace** that slot by a given vector $\mathbf{v}$,
        whatever it held before? Return them for a batch of vectors `v` `(B, M)`.
        """),
        exercise('''
        def my_overwrite_vectors(v):
            """Return (e, a), each (B, M), that make a one-hot write replace the slot by v."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_overwrite(my_overwrite_vectors)
        """),
        md(r"""
        Once your functions pass, compare them with `ntm_core.memory` on the
        memory of this notebook. (Until then this cell just says so.)
        """),
        code("""
        try:
            mine = my_write(M_prev[None], w_write[None], e[None], a[None])
        except NotImplementedError:
            mine = None
            print("my_write is not written yet")
        except Exception as err:  # written, but not working yet: the check above says why
            mine = None
            print("my_write raised", type(err).__name__, err)
        if mine is not None:
            print("my_write agrees with ntm_core:", np.allclose(mine, M_new[None], atol=1e-5))
        """),
        md(r"""
        Stuck? Reference solutions are in `solutions/solutions_02_04.py` (next to
        this notebook), written to be read.

        ## Summary

        * A read is a weighted sum of all slots (eq. 2); a sharp weighting gives an
          ordinary read, a blurry one a blend, and both have gradients.
        * A write erases (eq. 3) and then adds (eq. 4), each slot in proportion to
          its weight; `e` chooses which numbers to forget, `a` what to write.
        * Everything here is a product or a sum: gradients flow through reads and
          writes to the weightings, and from there to the controller.

        **Next, 03 · Addressing:** where do the weightings come from?
        """),
    ]
    return notebook("nb02", cells)


# =====================================================================================
# 03 · addressing
# =====================================================================================

def nb03():
    cells = [
        md(r"""
        # 03 · Addressing: equations 5-9

        Notebook 02 read and wrote with a weighting $w_t$. Where does it come
        from? Each head computes it afresh at every step, in four stages (the
        paper's Figure 2):

        | stage | equation | parameter from the controller | question it answers |
        |---|---|---|---|
        | 1 · content addressing | 5-6 | key $\mathbf{k}_t$, key strength $\beta_t$ | which slots hold something like $\mathbf{k}_t$? |
        | 2 · interpolation | 7 | gate $g_t$ | use that, or stay with last step's focus? |
        | 3 · convolutional shift | 8 | shift weighting $\mathbf{s}_t$ | move the focus by $-1$, $0$, $+1$ slots? |
        | 4 · sharpening | 9 | $\gamma_t \ge 1$ | undo the blur of the shift |

        Stage 1 is **content-based** addressing ("find the slot that looks like
        this"); stages 2-3 add **location-based** addressing ("the slot after the
        one I used last"), which the copy task needs. We take one stage at a
        time: the equation, the line of `ntm_core.addressing` that computes it,
        a picture, an explorer, and an exercise with an automatic check. Then:
        why every parameter passes through an activation, where NaNs come from,
        and the whole pipeline.
        """),
        parameters("""
        SEED = 0
        QUICK = False
        """),
        code(QUICK_CELL),
        code("""
        import matplotlib.pyplot as plt
        import numpy as np
        from keras import ops

        from ntm_core import addressing, exercises, explorers, plots
        """),
        md(r"""
        As in notebook 02, every function takes a leading batch axis: memory
        `(B, N, M)`, weightings `(B, N)`, key `(B, M)`, the scalars $\beta, g,
        \gamma$ as `(B, 1)`. `x[None]` adds the axis, `out[0]` drops it.
        `scalar(v)` below makes a `(1, 1)` array.
        """),
        code("""
        def scalar(v):
            return np.full((1, 1), v, "float32")


        mem = explorers.demo_memory(8, 6, seed=SEED)  # 8 distinct rows of -1/+1; row 1 = row 0 with its last entry flipped
        print(mem)
        """),
        # ------------------------------------------------------------------ content
        md(r"""
        ## 1 · Content addressing (eq. 5-6)

        The head emits a **key** $\mathbf{k}_t$, a vector as wide as a slot, and
        looks for slots that resemble it. Resemblance is the **cosine
        similarity**, which ignores length and compares direction only
        (eq. 6):

        $$K[\mathbf{u}, \mathbf{v}] = \frac{\mathbf{u}\cdot\mathbf{v}}{\lVert\mathbf{u}\rVert\,\lVert\mathbf{v}\rVert}$$

        Our key: slot 3 with some noise.
        """),
        code("""
        rng = np.random.default_rng(SEED)
        key = (mem[3] + 0.5 * rng.normal(size=6)).astype("float32")
        similarity = np.asarray(addressing.cosine_similarity(mem[None], key[None]))[0]
        print("K[k, M(i)] =", similarity.round(2))
        """),
        md(r"""
        Slot 3 is the most similar, but the others are not zero, and some are
        negative. A softmax turns the similarities into a weighting; the **key
        strength** $\beta_t \ge 0$ decides how sharply it prefers the best match
        (eq. 5):

        $$w^c_t(i) \longleftarrow \frac{\exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(i)]\big)}{\sum_j \exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(j)]\big)}$$
        """),
        code("""
        betas = [0.0, 1.0, 4.0, 20.0]
        content = {b: np.asarray(addressing.content_weights(mem[None], key[None], scalar(b)))[0] for b in betas}
        """),
        code("""
        fig, axes = plt.subplots(1, 4, figsize=(13, 2.6), layout="constrained", sharey=True)
        for ax, b in zip(axes, betas):
            plots.plot_weighting(content[b], ax=ax, title=rf"$\\beta$ = {b:g}")
        plt.show()
        """),
        md(r"""
        $\beta = 0$ gives a uniform weighting (all similarities count the same);
        a large $\beta$ puts almost everything on the best match. The key
        strength matters most when two slots are nearly the same, like slots 0
        and 1 of our memory (they differ in their last number only):
        """),
        code("""
        for b in [1.0, 10.0, 100.0]:
            w_c = np.asarray(addressing.content_weights(mem[None], mem[0][None], scalar(b)))[0]
            print(f"key = slot 0, beta = {b:5.0f}: weight on slot 0 = {w_c[0]:.3f}, on slot 1 = {w_c[1]:.3f}")
        """),
        md(r"""
        Explore: choose which slot the key copies, add noise to it, and change
        $\beta$.
        """),
        code("""
        explorers.ContentAddressingExplorer(memory_size=8, memory_width=6, seed=SEED)
        """),
        md(r"""
        ### A trap: slots full of zeros

        What is the cosine similarity of a key with an **all-zero slot**? Eq. 6
        divides by $\lVert\mathbf{M}_t(i)\rVert = 0$, and the dot product is 0
        too: $0/0$. Memories often contain zero rows (an erased slot, a memory
        that starts at zero), so a naive implementation gives NaN:
        """),
        code("""
        zero_row_memory = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]], "float32")  # slot 0 is all zeros
        k = np.array([1.0, 2.0, 2.0], "float32")

        with np.errstate(invalid="ignore"):  # NumPy would warn: invalid value encountered in divide
            naive = zero_row_memory @ k / (np.linalg.norm(zero_row_memory, axis=1) * np.linalg.norm(k))
        print("naive cosine   :", naive)
        """),
        md(r"""
        One NaN is enough to ruin everything: the softmax of eq. 5 mixes it into
        every weight, the write spreads it over the whole memory, the loss
        becomes NaN and so does every gradient. `ntm_core` adds a tiny
        $\epsilon = 10^{-8}$ under the square roots of the norms,
        $\sqrt{\lVert\mathbf{u}\rVert^2 + \epsilon}$, so a zero slot simply has
        similarity 0:
        """),
        code("""
        print("naive softmax  :", np.exp(naive) / np.exp(naive).sum())
        safe = np.asarray(addressing.cosine_similarity(zero_row_memory[None], k[None]))[0]
        print("ntm_core cosine:", safe)
        print("ntm_core weights:", np.asarray(addressing.content_weights(zero_row_memory[None], k[None], scalar(5.0)))[0])
        """),
        md(r"""
        ### ✏️ Exercise 3.1 — Cosine similarity

        Implement eq. 6 for a batch: `memory` `(B, N, M)`, `key` `(B, M)`;
        return `(B, N)`, the similarity of each slot with the key. It must give
        0, not NaN, for a zero slot or a zero key.
        """),
        exercise('''
        def my_cosine(memory, key):
            """Eq. 6: memory (B, N, M), key (B, M) -> similarities (B, N), finite for zero vectors."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_cosine(my_cosine)
        """),
        md(r"""
        ### ✏️ Exercise 3.2 — Content weights

        Implement eq. 5: `beta` has shape `(B, 1)`. Use your `my_cosine`. The
        softmax runs over the slots. (Subtracting the largest value before
        `np.exp` keeps a large $\beta$ from overflowing.)
        """),
        exercise('''
        def my_content_weights(memory, key, beta):
            """Eq. 5: softmax over the slots of beta * cosine. Returns (B, N)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_content_weights(my_content_weights)
        """),
        # ------------------------------------------------------------------ interpolation
        md(r"""
        ## 2 · Interpolation (eq. 7)

        Content addressing forgets where the head was. To *walk* through the
        memory (slot after slot) the head must be able to start from its
        previous weighting $\mathbf{w}_{t-1}$. The **interpolation gate**
        $g_t \in [0, 1]$ chooses between the two (eq. 7):

        $$\mathbf{w}^g_t \longleftarrow g_t\,\mathbf{w}^c_t + (1 - g_t)\,\mathbf{w}_{t-1}$$
        """),
        code("""
        w_content = content[20.0]                                   # the content weighting from above (beta = 20)
        w_prev = explorers.focused_weighting(8, focus=6, blur=0.0)  # last step the head was on slot 6
        gates = [0.0, 0.5, 1.0]
        gated = {g: np.asarray(addressing.interpolate(w_content[None], w_prev[None], scalar(g)))[0] for g in gates}
        """),
        code("""
        fig, axes = plt.subplots(1, 3, figsize=(11, 2.6), layout="constrained", sharey=True)
        for ax, g in zip(axes, gates):
            plots.plot_weighting(gated[g], ax=ax, title=f"g = {g}", color=plots.STAGE_COLORS["interpolated"])
        plt.show()
        """),
        md(r"""
        $g = 0$ ignores the content and keeps the previous focus (slot 6);
        $g = 1$ uses content only (slot 3); in between, a mixture. The copy
        task uses both: content (or the starting position) once, then $g = 0$
        and a shift at every later step.
        """),
        code("""
        explorers.InterpolationExplorer(memory_size=8)
        """),
        md(r"""
        ### ✏️ Exercise 3.3 — Interpolation

        Implement eq. 7: `w_content` and `w_prev` `(B, N)`, `g` `(B, 1)`; return `(B, N)`.
        """),
        exercise('''
        def my_interpolate(w_content, w_prev, g):
            """Eq. 7: g * w_content + (1 - g) * w_prev. Returns (B, N)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_interpolate(my_interpolate)
        """),
        # ------------------------------------------------------------------ shift
        md(r"""
        ## 3 · Convolutional shift (eq. 8)

        To step to the next slot, the head emits a **shift weighting**
        $\mathbf{s}_t$: a distribution over the allowed offsets, here $-1, 0, +1$.
        The new weighting is the old one rotated by each offset, mixed in
        proportion to $\mathbf{s}_t$, a *circular convolution* (eq. 8; indices
        are taken modulo $N$, so the focus wraps around the ends):

        $$\tilde{w}_t(i) \longleftarrow \sum_{j=0}^{N-1} w^g_t(j)\, s_t(i - j)$$

        Read it as: weight sitting on slot $j$ moves to slot $i$ with the
        probability $s_t(i - j)$ of the offset $i - j$. In `ntm_core`, `s` is
        stored as the vector $(s(-1), s(0), s(+1))$, and offset $+1$ moves the
        focus from slot $i$ to slot $i + 1$.
        """),
        code("""
        w_g = explorers.focused_weighting(8, focus=3, blur=0.0)[None]
        s_forward = np.array([[0.0, 0.0, 1.0]], "float32")   # all probability on offset +1
        s_blurred = np.array([[0.1, 0.2, 0.7]], "float32")   # mostly +1, a bit of 0 and -1
        print("w^g             :", w_g[0])
        print("shift +1        :", np.asarray(addressing.shift(w_g, s_forward))[0])
        print("blurred shift   :", np.asarray(addressing.shift(w_g, s_blurred))[0].round(2))
        last = explorers.focused_weighting(8, focus=7, blur=0.0)[None]
        print("+1 from slot 7  :", np.asarray(addressing.shift(last, s_forward))[0], "(wraps to slot 0)")
        """),
        md(r"""
        A sharp shift moves the focus exactly; a blurred $\mathbf{s}_t$ also
        blurs the weighting. Try it:
        """),
        code("""
        explorers.ShiftExplorer(memory_size=8)
        """),
        md(r"""
        ### ✏️ Exercise 3.4 — Circular shift

        Implement eq. 8: `w` `(B, N)`, `s` `(B, 2R+1)` holding the weights of
        the offsets $-R, \dots, 0, \dots, +R$ in that order (so `s[:, R + j]` is
        the weight of offset $j$). Return `(B, N)`. Make it work for any odd
        width, not only 3. Mind the direction: offset $+1$ must move slot $i$ to
        slot $i + 1$.

        *Hint:* `np.roll(w, j, axis=1)[:, i]` is `w[:, i - j]` (modulo $N$).
        """),
        exercise('''
        def my_shift(w, s):
            """Eq. 8: circular convolution of w (B, N) with the offsets s (B, 2R+1). Returns (B, N)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_shift(my_shift)
        """),
        # ------------------------------------------------------------------ sharpen
        md(r"""
        ## 4 · Sharpening (eq. 9)

        **Why?** Every blurred shift spreads the weighting a little more. Over
        many steps the focus would dissolve. Here a head starts sharply on slot
        0 and shifts by a slightly blurred $+1$ at every step, first without
        sharpening ($\gamma = 1$), then with $\gamma = 3$:
        """),
        code("""
        s = explorers.shift_distribution(shift=1, blur=0.3)[None]   # (0.1, 0.1, 0.8)
        walks = {}
        for gamma in (1.0, 3.0):
            w = explorers.focused_weighting(16, focus=0, blur=0.0)[None]
            steps = []
            for t in range(14):
                w = addressing.sharpen(addressing.shift(w, s), scalar(gamma))
                steps.append(np.asarray(w)[0])
            walks[gamma] = np.stack(steps, axis=1)   # (slots, time)
        """),
        code("""
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", sharey=True)
        for ax, (gamma, image) in zip(axes, walks.items()):
            plots.image_over_time(ax, image)
            ax.set(title=rf"shift +1 (blurred) at every step, $\\gamma$ = {gamma:g}", xlabel="step", ylabel="slot")
        plt.show()
        """),
        md(r"""
        With $\gamma = 1$ the focus smears over many slots; with $\gamma = 3$ it
        stays on one slot as it moves. Sharpening raises every weight to the
        power $\gamma_t \ge 1$ and renormalises (eq. 9), so large weights grow
        relative to small ones:

        $$w_t(i) \longleftarrow \frac{\tilde{w}_t(i)^{\gamma_t}}{\sum_j \tilde{w}_t(j)^{\gamma_t}}$$
        """),
        code("""
        w_tilde = np.array([[0.1, 0.2, 0.4, 0.2, 0.1]], "float32")
        for gamma in (1.0, 2.0, 5.0):
            print(f"gamma = {gamma}:", np.asarray(addressing.sharpen(w_tilde, scalar(gamma)))[0].round(3))
        """),
        code("""
        explorers.SharpenExplorer(memory_size=8)
        """),
        md(r"""
        ### ✏️ Exercise 3.5 — Sharpening

        Implement eq. 9: `w` `(B, N)`, `gamma` `(B, 1)`; return `(B, N)`.
        """),
        exercise('''
        def my_sharpen(w, gamma):
            """Eq. 9: w ** gamma, renormalised over the slots. Returns (B, N)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_sharpen(my_sharpen)
        """),
        # ------------------------------------------------------------------ activations and NaNs
        md(r"""
        ## 5 · Keeping every parameter in range

        The controller is a neural network: its outputs are arbitrary real
        numbers. The equations above only make sense for parameters in certain
        ranges, so each raw output passes through an **activation** that maps
        the real line onto the right range, whatever the weights:

        | parameter | needs | activation | what would go wrong without it |
        |---|---|---|---|
        | key strength $\beta$ | $\ge 0$ | softplus $\log(1 + e^z)$ | $\beta < 0$ would prefer the *least* similar slot |
        | gate $g$ | $[0, 1]$ | sigmoid | $g = 1.5$ gives $1.5\,w^c - 0.5\,w_{t-1}$: negative weights |
        | shift $\mathbf{s}$ | a distribution | softmax | weights that do not sum to 1 would shrink or grow the weighting at every step |
        | sharpening $\gamma$ | $\ge 1$ | $1 + {}$softplus | $\gamma < 1$ *blurs*, $\gamma = 0$ gives a uniform weighting, $\gamma < 0$ inverts it |
        | erase $\mathbf{e}$ | $[0, 1]$ | sigmoid | $e > 1$ flips the sign of memory contents, $e < 0$ amplifies them |
        | add $\mathbf{a}$ | any sign, bounded | tanh | unbounded adds let memory values grow without limit |
        | key $\mathbf{k}$ | any | linear (or tanh) | the cosine ignores the key's length anyway |

        Whatever the raw number, the result is in range:
        """),
        code("""
        raw = np.array([-10.0, -2.0, 0.0, 2.0, 10.0], "float32")
        print("raw controller output  :", raw)
        print("beta  = softplus       :", np.asarray(ops.softplus(raw)).round(3))
        print("g, e  = sigmoid        :", np.asarray(ops.sigmoid(raw)).round(3))
        print("gamma = 1 + softplus   :", (1 + np.asarray(ops.softplus(raw))).round(3))
        print("a     = tanh           :", np.asarray(ops.tanh(raw)).round(3))
        print("s     = softmax of (-2, 0, 2):", np.asarray(ops.softmax(raw[None, 1:4]))[0].round(3))
        """),
        md(r"""
        ### Where NaNs come from

        NTMs have a reputation for training runs that suddenly turn into NaN.
        Besides large learning rates, the usual culprits are three spots where a
        naive implementation divides by zero or takes a logarithm of zero,
        sometimes only in the **gradient**, where you do not see it:

        1. **The cosine of a zero slot or a zero key** (eq. 6): $0/0$ in the
           forward pass, shown above.
        2. **The square root in the norm**: $\frac{d}{dx}\sqrt{x} = \frac{1}{2\sqrt{x}}$
           is infinite at $x = 0$, so even a forward pass that avoids $0/0$ can
           have an infinite gradient at a zero row.
        3. **Sharpening a weighting that contains exact zeros** (eq. 9):
           $\frac{\partial}{\partial\gamma} w^\gamma = w^\gamma \ln w$, and at
           $w = 0$ that is $0 \cdot (-\infty)$ = NaN. Shifts of one-hot
           weightings produce exact zeros all the time.

        The same numbers in NumPy:
        """),
        code("""
        with np.errstate(divide="ignore", invalid="ignore"):
            print("d sqrt(x)/dx at x = 0       :", 1 / (2 * np.sqrt(0.0)))
            print("d (w ** gamma)/d gamma at w=0:", 0.0**2.0 * np.log(0.0))
        """),
        md(r"""
        `ntm_core.addressing` avoids all three: norms are $\sqrt{x + \epsilon}$,
        and sharpening is computed as $\mathrm{softmax}(\gamma \log(w + \epsilon))$,
        which equals eq. 9 up to $\epsilon$ but has finite gradients everywhere
        (and cannot underflow when $\gamma$ is large). The activations help as
        well: $\gamma \ge 1$ by construction. A weighting with exact zeros
        sharpens to tiny positive numbers instead:
        """),
        code("""
        w_zeros = np.array([[0.0, 0.5, 0.5, 0.0]], "float32")
        print(np.asarray(addressing.sharpen(w_zeros, scalar(3.0)))[0])
        """),
        # ------------------------------------------------------------------ pipeline
        md(r"""
        ## 6 · The whole pipeline (Figure 2)

        `addressing.address_stages` runs the four stages in order and returns
        each intermediate weighting. On a memory of 16 slots: a key close to
        slot 9, a strong $\beta$, the gate fully on content, a slightly blurred
        shift by $+1$, and some sharpening.
        """),
        code("""
        mem16 = explorers.demo_memory(16, 6, seed=SEED)
        key16 = mem16[9] + 0.3 * rng.normal(size=6)
        stages = addressing.address_stages(
            mem16[None], explorers.focused_weighting(16, focus=2, blur=0.0)[None], key16[None].astype("float32"),
            beta=scalar(10.0), g=scalar(1.0), s=explorers.shift_distribution(1, 0.3)[None], gamma=scalar(4.0))
        stages = {name: np.asarray(w)[0] for name, w in stages.items()}
        plots.plot_addressing_stages(**stages)
        """),
        md(r"""
        Content finds slot 9 (blue), the gate keeps it (orange), the shift moves
        it to slot 10 and blurs it (green), sharpening focuses it again (red).
        Change one parameter at a time in the explorer below: what does $g = 0$
        do? A shift of $-1$? $\gamma = 1$?
        """),
        code("""
        explorers.AddressingPipelineExplorer(memory_size=16, memory_width=6, seed=SEED)
        """),
        md(r"""
        ### ✏️ Exercise 3.6 — The whole pipeline

        Chain your four functions: content weights, interpolation with the
        previous weighting, shift, sharpening. Arguments: `memory` `(B, N, M)`,
        `w_prev` `(B, N)`, `key` `(B, M)`, `beta`, `g`, `gamma` `(B, 1)`, `s` `(B, 2R+1)`.
        """),
        exercise('''
        def my_address(memory, w_prev, key, beta, g, s, gamma):
            """Eq. 5-9: content -> interpolate -> shift -> sharpen. Returns (B, N)."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_address(my_address)
        """),
        md(r"""
        Stuck? Reference solutions are in `solutions/solutions_02_04.py`.

        ## Summary

        * **Content** (eq. 5-6): cosine similarity to a key, softmax with strength
          $\beta$. Finds slots by what they hold.
        * **Interpolation** (eq. 7): the gate $g$ blends that with the previous
          weighting, so the head can keep its place.
        * **Shift** (eq. 8): a circular convolution moves the focus by a few slots.
        * **Sharpening** (eq. 9): $\gamma \ge 1$ removes the blur the shift adds.
        * Activations keep every parameter in range; small epsilons keep zeros from
          turning into NaN.

        **Next, 04 · Building the layer:** where the controller's output becomes
        $\mathbf{k}, \beta, g, \mathbf{s}, \gamma, \mathbf{e}, \mathbf{a}$, one complete step of the NTM by
        hand, and the finished Keras layer.
        """),
    ]
    return notebook("nb03", cells)


# =====================================================================================
# 04 · building the layer
# =====================================================================================

SUBPROCESS_SCRIPT = '''
import sys

import keras
import numpy as np

import ntm_core  # registers the NTM layers, so load_model needs no custom_objects

model = keras.saving.load_model(sys.argv[1])
y = np.asarray(keras.ops.convert_to_numpy(model(np.load(sys.argv[2]))))
print(f"backend={keras.backend.backend()} checksum={y.sum():.6f}")
'''


def code_with_script(template):
    """A code cell whose ``@@SCRIPT@@`` is replaced by the subprocess script (after dedenting)."""
    text = dedent(template).strip("\n").replace("@@SCRIPT@@", SUBPROCESS_SCRIPT.rstrip("\n"))
    return new_code_cell(text)


def nb04():
    cells = [
        md(r"""
        # 04 · Building the layer

        Notebooks 02 and 03 built the equations. This one assembles them into
        the NTM layer of `ntm_core`, the one the later notebooks train:

        1. The controller and what it sees
        2. How the controller's output becomes head parameters
        3. **One step of the cell by hand**, checked against the real cell
        4. The Keras layer: `NTM` in a model
        5. Parameter counts: ours beside the paper's Tables 1-3
        6. Saving and loading a model
        7. The same model on TensorFlow, JAX and PyTorch
        """),
        parameters("""
        SEED = 0
        QUICK = False
        """),
        code(QUICK_CELL),
        code("""
        import importlib.util
        import subprocess
        import sys
        import tempfile
        from pathlib import Path

        import keras
        import numpy as np
        from keras import ops

        import ntm_core
        from ntm_core import NTM, NTMCell, addressing, exercises, memory, models, tasks
        from ntm_core.cell import controller_input_output_shape, head_parameter_sizes

        keras.utils.set_random_seed(SEED)
        print("Keras", keras.__version__, "on", keras.backend.backend())
        """),
        # ------------------------------------------------------------------ controller
        md(r"""
        ## 1 · The controller

        The controller is an ordinary network: an LSTM (the paper's Table 2) or
        a single feed-forward layer (Table 1). At step $t$ it sees the external
        input $x_t$ **and the vectors its read heads read at step $t-1$**,
        concatenated. That loop is the only way information gets from the
        memory into the network.

        For the paper's copy task: 9 input bits (8 data bits and the
        delimiter), one read head reading 20 numbers, 100 controller units.
        """),
        code("""
        print("controller input, output width:", controller_input_output_shape(
            input_size=9, memory_width=20, read_heads=1, controller_units=100))
        """),
        md(r"""
        With an LSTM controller, the controller's own state ($h$, $c$) is part
        of the NTM's state, next to the memory, the head weightings and the last
        reads. With a feed-forward controller the memory is the *only* state:
        everything the network remembers from one step to the next must be
        written into it.

        ## 2 · From controller output to head parameters

        A dense layer maps the controller output $h_t$ to one long vector of raw
        numbers, which is cut into each head's parameters. The order and
        widths are given by `head_parameter_sizes` (memory width $M$, the number
        of shifts, read or write head):
        """),
        code("""
        ACTIVATIONS = {"key": "linear", "beta": "softplus", "g": "sigmoid", "shift": "softmax",
                       "gamma": "1 + softplus", "erase": "sigmoid", "add": "tanh"}
        RANGES = {"key": "any", "beta": ">= 0", "g": "(0, 1)", "shift": "sums to 1", "gamma": ">= 1",
                  "erase": "(0, 1)", "add": "(-1, 1)"}

        start = 0
        print(f"{'head':6} {'parameter':10} {'columns':>9} {'width':>6}  activation     range")
        for head, is_write in (("write", True), ("read", False)):
            for name, width in head_parameter_sizes(memory_width=20, shift_range=3, is_write=is_write):
                print(f"{head:6} {name:10} {start:>3} - {start + width - 1:<3} {width:>6}  "
                      f"{ACTIVATIONS[name]:14} {RANGES[name]}")
                start += width
        print("total", start)
        """),
        md(r"""
        This is the split of the paper's copy NTM: every step, the controller
        emits these raw numbers; the cell cuts them at these columns and applies
        the activations of notebook 03, section 5.

        ### ✏️ Exercise 4.1 — Count the head parameters

        Without running anything: how many raw numbers does the controller emit
        per step for an NTM with memory width $M = 20$, shifts $-1, 0, +1$, **one
        write head and one read head**? (Then check it against the table above.)
        """),
        exercise("""
        answer = None  # YOUR ANSWER: a number
        """),
        check("""
        exercises.check_head_parameter_count(answer)
        """),
        md(r"""
        ### ✏️ Exercise 4.2 — Cut and activate a read head

        Given the raw numbers of one **read** head, `raw` `(B, M + S + 3)` with
        `S` the number of shifts, return a dict with `key` `(B, M)`, `beta`,
        `g`, `gamma` `(B, 1)` and `shift` `(B, S)`, each cut from its place (the
        order of the table) and passed through its activation.

        *Hint:* slice with `raw[:, i:i + 1]` to keep the trailing axis of size 1;
        softplus is `np.logaddexp(0, z)`.
        """),
        exercise('''
        def my_head_activations(raw, memory_width, shift_range):
            """Split one read head's raw parameters and apply their activations. Returns a dict."""
            # YOUR CODE: replace the next line
            raise NotImplementedError
        '''),
        check("""
        exercises.check_head_activations(my_head_activations)
        """),
        # ------------------------------------------------------------------ one step by hand
        md(r"""
        ## 3 · One step of the cell, by hand

        Now the whole of one time step, on a cell small enough to print: memory
        8 × 4, a feed-forward controller of 8 units, one write head and one read
        head, 5 input bits and 3 outputs. With `preset="paper"` the memory starts
        from learned (here: random) values, which makes content addressing more
        interesting than an all-equal memory.

        We take the cell's weights, compute every step of the paper with the
        equation functions of `ntm_core`, and at the end compare with what the
        cell itself computes.
        """),
        code("""
        N, W = 8, 4  # memory slots and width
        cell = NTMCell(units=3, memory_size=N, memory_width=W, controller="dense", controller_units=8,
                       read_heads=1, write_heads=1, shift_range=3, preset="paper", seed=SEED)
        cell.build((None, 5))
        for weight in cell.weights:
            print(f"{weight.path:40} {str(tuple(weight.shape)):10} trainable={weight.trainable}")
        """),
        md(r"""
        The start state: memory $M_0$, the weightings of both heads from the
        previous step (write head first) and the last read vector, all learned
        values repeated for each sequence of the batch. `keras.layers.RNN`
        wants flat tensors, so we reshape.
        """),
        code("""
        def to_np(t):
            return np.asarray(ops.convert_to_numpy(t))


        states = cell.get_initial_state(batch_size=1)
        M_prev = to_np(states[0]).reshape(1, N, W)
        w_prev = to_np(states[1]).reshape(1, 2, N)  # [write head, read head]
        r_prev = to_np(states[2])
        x = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]], "float32")  # the input at this step
        print("previous weightings:\\n", w_prev[0].round(3))
        """),
        md(r"""
        **Controller.** Input $[x_t, r_{t-1}]$; a dense layer with tanh:
        $h_t = \tanh(W_c\,[x_t, r_{t-1}] + b_c)$.
        """),
        code("""
        controller_in = np.concatenate([x, r_prev], axis=-1)
        h = np.tanh(controller_in @ to_np(cell.controller.kernel) + to_np(cell.controller.bias))
        """),
        md(r"""
        **Head parameters.** A dense layer gives the raw numbers,
        $z_t = W_h\,h_t + b_h$, cut by `head_parameter_sizes`, write head first:
        """),
        code("""
        raw = h @ to_np(cell.head_layer.kernel) + to_np(cell.head_layer.bias)


        def cut(raw, sizes):
            parts, start = {}, 0
            for name, width in sizes:
                parts[name] = raw[:, start:start + width]
                start += width
            return parts, raw[:, start:]


        write_raw, rest = cut(raw, head_parameter_sizes(W, 3, is_write=True))
        read_raw, rest = cut(rest, head_parameter_sizes(W, 3, is_write=False))
        print("raw numbers:", raw.shape[1], "| left over:", rest.shape[1])
        """),
        md(r"""
        **Activations** (notebook 03, section 5): $\beta = \mathrm{softplus}$,
        $g = \sigma$, $\mathbf{s} = \mathrm{softmax}$, $\gamma = 1 + \mathrm{softplus}$,
        $\mathbf{e} = \sigma$, $\mathbf{a} = \tanh$, the key stays linear.
        """),
        code("""
        def activate(p):
            out = {"key": p["key"], "beta": ops.softplus(p["beta"]), "g": ops.sigmoid(p["g"]),
                   "shift": ops.softmax(p["shift"]), "gamma": 1.0 + ops.softplus(p["gamma"])}
            if "erase" in p:
                out["erase"], out["add"] = ops.sigmoid(p["erase"]), ops.tanh(p["add"])
            return {name: to_np(v) for name, v in out.items()}


        write_head, read_head = activate(write_raw), activate(read_raw)
        for name, value in write_head.items():
            print(f"write {name:6}", value[0].round(3))
        """),
        md(r"""
        **Write head addressing** on the old memory $M_{t-1}$, eq. 5 → 7 → 8 → 9:

        $w^c = \mathrm{softmax}(\beta K[\mathbf{k}, M_{t-1}(i)])$,
        $w^g = g\,w^c + (1-g)\,w_{t-1}$,
        $\tilde w(i) = \sum_j w^g(i - j)\,s(j)$,
        $w = \tilde w^\gamma / \sum \tilde w^\gamma$
        """),
        code("""
        wh = write_head
        w_c = addressing.content_weights(M_prev, wh["key"], wh["beta"])   # eq. 5-6
        w_g = addressing.interpolate(w_c, w_prev[:, 0], wh["g"])          # eq. 7
        w_s = addressing.shift(w_g, wh["shift"])                          # eq. 8
        w_write = to_np(addressing.sharpen(w_s, wh["gamma"]))             # eq. 9
        print("write weighting:", w_write[0].round(3))
        """),
        md(r"""
        **Write**: erase, then add (eq. 3-4):
        $\tilde M_t(i) = M_{t-1}(i)\,[\mathbf{1} - w(i)\,\mathbf{e}]$,
        $M_t(i) = \tilde M_t(i) + w(i)\,\mathbf{a}$
        """),
        code("""
        M_erased = memory.erase(M_prev, w_write, wh["erase"])   # eq. 3
        M_new = to_np(memory.add(M_erased, w_write, wh["add"]))  # eq. 4
        """),
        md(r"""
        **Read head**: the same addressing, but on the *new* memory $M_t$ (so a
        read sees what was written at the same step), then the read (eq. 2):
        $\mathbf{r}_t = \sum_i w(i)\,M_t(i)$
        """),
        code("""
        rh = read_head
        w_read = to_np(addressing.address(M_new, w_prev[:, 1], rh["key"], rh["beta"], rh["g"], rh["shift"], rh["gamma"]))
        r = to_np(memory.read(M_new, w_read))   # eq. 2
        print("read weighting:", w_read[0].round(3))
        print("read vector   :", r[0].round(3))
        """),
        md(r"""
        **Output**: a dense layer on $[h_t, \mathbf{r}_t]$ with a sigmoid, one
        probability per output bit: $y_t = \sigma(W_o\,[h_t, \mathbf{r}_t] + b_o)$.
        """),
        code("""
        y = to_np(ops.sigmoid(np.concatenate([h, r], axis=-1) @ to_np(cell.output_layer.kernel)
                              + to_np(cell.output_layer.bias)))
        print("output y_t:", y[0].round(4))
        """),
        md(r"""
        **The check.** `cell.step` is the cell's own step, which also returns
        every intermediate value; `cell(...)` is what `keras.layers.RNN` calls.
        Our hand-made step must agree with both, to float32 precision:
        """),
        code("""
        y_cell, new_states, info = cell.step(ops.convert_to_tensor(x), states)
        close = dict(rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(y, to_np(y_cell), **close)
        np.testing.assert_allclose(M_new.reshape(1, -1), to_np(new_states[0]), **close)
        np.testing.assert_allclose(np.concatenate([w_write, w_read], axis=-1), to_np(new_states[1]), **close)
        np.testing.assert_allclose(r, to_np(new_states[2]), **close)
        np.testing.assert_allclose(h, to_np(info["controller_output"]), **close)

        y_call, _ = cell(ops.convert_to_tensor(x), states)
        np.testing.assert_allclose(y, to_np(y_call), **close)
        print("✅ the step by hand matches cell.step and cell(...)")
        """),
        md(r"""
        That is all an NTM does at one step. The cell adds only bookkeeping:
        several heads (every write head's erase before any add), optional
        clipping of the raw numbers (`preset="stable"` clips them to ±20),
        dropout on the controller, and an LSTM controller's state.

        ## 4 · The Keras layer

        `NTM` wraps the cell in `keras.layers.RNN`, which runs it over the time
        axis: input `(batch, time, features)`, output `(batch, time, units)`
        (`return_sequences=True` by default, since every task maps a sequence
        to a sequence). It is an ordinary Keras layer:
        """),
        code("""
        seq_model = keras.Sequential([
            keras.Input((None, 9)),   # any number of steps, 9 input bits
            NTM(8, memory_size=128, memory_width=20, controller="lstm", controller_units=100),
        ], name="copy_ntm_sequential")
        seq_model.summary()
        """),
        code("""
        batch = tasks.copy_batch(2, 5, rng=SEED)
        print("input", batch.x.shape, "-> output", tuple(seq_model(batch.x).shape))
        """),
        md(r"""
        `Non-trainable params` are the parts of the state that start from a
        fixed value: with the default `preset="stable"` the memory starts at a
        small constant ($10^{-6}$, Collier & Beel 2018) and the LSTM state at
        zero. `models.build_ntm` builds the same thing as a functional model with
        the paper's copy sizes.

        ## 5 · Parameter counts, ours and the paper's

        The paper lists the parameter count of every network in its Tables 1-3;
        `models.PAPER_NTM` and `models.PAPER_LSTM` keep them:
        """),
        code("""
        print(f"{'task':19} {'NTM, feed-forward (Table 1)':>30} {'NTM, LSTM (Table 2)':>30} {'LSTM (Table 3)':>22}")
        for task in models.PAPER_LSTM:
            (h1, u1, _, p1), (h2, u2, _, p2) = models.PAPER_NTM["dense"][task], models.PAPER_NTM["lstm"][task]
            layers, units, _, p3 = models.PAPER_LSTM[task]
            print(f"{task:19} {f'{h1} heads, {u1} units: {p1:,}':>30} {f'{h2} heads, {u2} units: {p2:,}':>30} "
                  f"{f'{layers} x {units}: {p3:,}':>22}")
        """),
        md(r"""
        Our copy models, with both controllers and both presets, beside the
        paper's copy numbers:
        """),
        code("""
        print(f"{'model':32} {'trainable':>10} {'total':>10} {'paper':>10}")
        for controller in ("dense", "lstm"):
            paper_count = models.PAPER_NTM[controller]["copy"][3]
            for preset in ("paper", "stable"):
                counts = models.count_params(models.build_ntm("copy", controller=controller, preset=preset))
                label = f"NTM, {controller} controller, {preset}"
                print(f"{label:32} {counts['trainable']:>10,} {counts['total']:>10,} {paper_count:>10,}")
        layers, units, _, paper_lstm = models.PAPER_LSTM["copy"]
        lstm_counts = models.count_params(models.build_lstm("copy", units=units, layers=layers))
        label = f"LSTM baseline, {layers} x {units}"
        print(f"{label:32} {lstm_counts['trainable']:>10,} {lstm_counts['total']:>10,} {paper_lstm:>10,}")
        """),
        md(r"""
        Where do our numbers come from? The LSTM-controller NTM with the paper
        preset, weight by weight:
        """),
        code("""
        ntm_paper = models.build_ntm("copy", controller="lstm", preset="paper")
        for weight in ntm_paper.get_layer("ntm").weights:
            print(f"{weight.path.split('/', 1)[1]:45} {str(tuple(weight.shape)):12} {int(np.prod(weight.shape)):>7,}")
        """),
        md(r"""
        So: LSTM controller $4 \times (29 + 100 + 1) \times 100 = 52{,}000$; head
        parameters $(100 + 1) \times 92 = 9{,}292$; output $(100 + 20 + 1) \times 8
        = 968$; and the learned start state: memory $128 \times 20 = 2{,}560$,
        weighting logits $2 \times 128$, read vector 20, LSTM state 200.

        **Why not exactly the paper's numbers?** The paper does not say what it
        counts, and several choices change the total:

        * **The learned initial state.** The paper resets the state "to learned
          bias values": a learned 128 × 20 memory alone is 2,560 parameters. The
          `stable` preset does not learn the memory, hence its lower trainable count.
        * **The output layer's inputs.** Ours sees the controller output *and* the
          read vectors; the paper's Figure 1 does not say which it uses.
        * **Biases and peepholes.** Graves' LSTMs usually have peephole
          connections (3 × 100 more weights per layer); whether every layer has a
          bias is not stated.
        * **The LSTM baseline** (Table 3, 3 × 256): we get 1,325,064 against
          1,352,969; independent re-implementations report that the paper's
          numbers cannot be rebuilt exactly from the stated architectures.

        The orders of magnitude are what matter: the NTM has about 65,000
        parameters against 1.3 million for the LSTM baseline, and it generalises
        far better on copy (notebook 01).

        ## 6 · Saving and loading

        `NTMCell` and `NTM` have a `get_config` and are registered with Keras
        (`import ntm_core` registers them), so a whole model saves to a `.keras`
        file and loads back with Keras' default `safe_mode=True`, which refuses
        to run arbitrary code (no pickles, no lambdas). A small copy model:
        """),
        code("""
        small = models.build_ntm("copy", controller="dense", memory_size=16, memory_width=8, controller_units=16)
        workdir = Path(tempfile.mkdtemp(prefix="ntm_nb04_"))
        path = workdir / "small_copy_ntm.keras"
        small.save(path)
        print(path.name, path.stat().st_size, "bytes")

        loaded = keras.saving.load_model(path)  # safe_mode=True is the default
        x_test = tasks.copy_batch(2, 3, rng=SEED).x
        y_before = to_np(small(x_test))
        y_after = to_np(loaded(x_test))
        np.testing.assert_array_equal(y_before, y_after)
        print("✅ identical predictions after a .keras round trip; checksum", f"{y_before.sum():.6f}")
        """),
        md(r"""
        The checkpoints in `data/pretrained/` are such files; notebooks load them
        with `ntm_core.load_pretrained(name)`, which finds them from any folder.

        ## 7 · The same model on TensorFlow, JAX and PyTorch

        `ntm_core` uses only `keras.ops`, so the same code and the same saved
        model run on any Keras 3 backend. Keras picks the backend **once, when it
        is first imported**, from the environment variable `KERAS_BACKEND`
        (default: TensorFlow). Setting it after `import keras` has no effect, so
        choose before Python starts, e.g. `KERAS_BACKEND=jax jupyter lab`, or
        with `os.environ["KERAS_BACKEND"] = "jax"` in the very first cell.

        This notebook has already imported Keras, so to try other backends we
        start a fresh Python for each, with `KERAS_BACKEND` set in its
        environment. Each one loads the file saved above, predicts on the same
        inputs and prints a checksum. Backends whose package is not installed
        are skipped, and so, in quick mode, is the backend of this kernel (the
        round trip of section 6 already ran on it). The processes run side by
        side; each needs a few seconds to import its framework.
        """),
        code_with_script("""
        SCRIPT = '''@@SCRIPT@@'''
        x_path = workdir / "x_test.npy"
        np.save(x_path, x_test)

        running = {}
        for backend in ("tensorflow", "jax", "torch"):
            if QUICK and backend == keras.backend.backend():
                print(f"KERAS_BACKEND={backend:<10} -> skipped in quick mode: section 6 already ran on it")
                continue
            if importlib.util.find_spec(backend) is None:
                print(f"KERAS_BACKEND={backend:<10} -> skipped: {backend} is not installed")
                continue
            env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
            running[backend] = subprocess.Popen([sys.executable, "-c", SCRIPT, str(path), str(x_path)], env=env,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for backend, process in running.items():
            out, err = process.communicate(timeout=600)
            if process.returncode == 0:
                print(f"KERAS_BACKEND={backend:<10} -> {out.strip().splitlines()[-1]}")
            else:
                print(f"KERAS_BACKEND={backend:<10} -> failed:\\n{err[-2000:]}")
        print(f"this notebook's kernel   -> backend={keras.backend.backend()} checksum={y_before.sum():.6f}")
        """),
        md(r"""
        The checksums agree up to float32 rounding in the last digits: the
        backends compute the same model with their own kernels.

        ## Summary

        * The controller sees the input and the last reads; a dense layer turns
          its output into every head's raw parameters, which are cut at fixed
          columns and passed through activations.
        * One step: controller → head parameters → write head addressing on
          $M_{t-1}$ → erase, add → read head addressing on $M_t$ → read → output.
          Our step by hand matched the cell to float32 precision.
        * `NTM` is a Keras layer: it goes into `Sequential` or functional models,
          saves to `.keras` and loads in safe mode, on every backend.
        * Parameter counts come close to the paper's but cannot match exactly,
          because the paper leaves out what it counts.

        **Next:** training the NTM on the copy task.
        """),
    ]
    return notebook("nb04", cells)


BUILDERS = {
    "01_the_paper": nb01,
    "02_reading_and_writing": nb02,
    "03_addressing": nb03,
    "04_building_the_layer": nb04,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a written notebook differs")
    parser.add_argument("--out", default=str(NOTEBOOKS), help="folder to write to (default notebooks/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, build in BUILDERS.items():
        text = nbformat.writes(build(), version=4) + "\n"
        path = out / f"{name}.ipynb"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print("wrote", path)
    if stale:
        print("out of date:", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
