# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 9. What came after the NTM
#
# <!-- course-links -->
# <!-- /course-links -->
#
# The Neural Turing Machine (2014) was one of the first networks to learn to use an
# external memory through **differentiable attention**: reading and writing
# everywhere at once, weighted by how much each slot matters. That idea spread.
# This notebook follows its descendants and shows, with small computations on
# things you now know, how the NTM's pieces reappear in them.

# %% [markdown]
# **After this notebook you can**
# - compute the Differentiable Neural Computer's temporal link matrix from an
#   NTM's write weightings, and follow it to recover the order of the writes;
# - show numerically that scaled dot-product attention on unit vectors is the
#   NTM's content addressing (eq. 5–6), and that self-attention is an NTM read (eq. 2);
# - say what the Transformer kept from the NTM and what it left out;
# - explain why a trained NTM can be given a larger memory without retraining.
#
# *Time: 30 minutes core, 25 more for going deeper. Needs: notebooks 03 and 06.*

# %%
# Set-up: where the course's package is missing (Colab, a fresh kernel), install
# it; where it is installed, this does nothing. The course sets the source once
# with `python tools/stamp_course.py`.
NTM_COURSE_SOURCE = "git+https://github.com/YOUR-COURSE/ntm-notebooks@main"
import importlib, importlib.util, subprocess, sys

if importlib.util.find_spec("ntm_core") is None:
    if "YOUR-COURSE" in NTM_COURSE_SOURCE:
        raise RuntimeError("This notebook needs the ntm_core package: install the course as its README says, "
                           "or ask your lecturer to set the course's source (tools/stamp_course.py).")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", NTM_COURSE_SOURCE], check=True)
    importlib.invalidate_caches()

# %% tags=["parameters"]
QUICK = False
SEED = 0
LENGTH = 20

# %%
import os
QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")
if QUICK:
    LENGTH = 10  # a shorter trace of the copy NTM
print("quick mode" if QUICK else "full mode", f"- copy length {LENGTH}")

# %%
import numpy as np

import ntm_core
from ntm_core import addressing, memory
from ntm_core.teaching.copy_attention import describe_copy_attention
from ntm_core.teaching.questions import check_question, show_choices
from ntm_core.teaching.reference import softmax
from ntm_core.teaching.results import load_result_or_none
from ntm_core.widgets.patterns import copy_input

# %% tags=["helpers"]
import numpy as np
from matplotlib.ticker import MaxNLocator

from ntm_core.viz.style import BIT_CMAP, new_figure, weighting_bars


def plot_link_matrix(links, show=None, title=None):
    """A DNC temporal link matrix L (N x N) as an image: entry (i, j) is dark
    when slot i was written right after slot j. Only the first ``show`` slots are drawn."""
    links = np.asarray(links, float)
    show = links.shape[0] if show is None else min(int(show), links.shape[0])
    fig, ax = new_figure((4.6, 4.0))
    im = ax.imshow(links[:show, :show], cmap=BIT_CMAP, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xlabel("slot $j$ (written first)")
    ax.set_ylabel("slot $i$ (written next)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.colorbar(im, ax=ax, shrink=0.85, label="$L[i, j]$")
    ax.set_title(title or "temporal link matrix $L$", fontsize="medium")
    return fig


def plot_weight_comparison(weightings, title=None, labels=None, xlabel=None):
    """Several weightings ``{name: (N,) array}`` over the same slots, as bar charts
    side by side; ``labels`` names the slots (x ticks)."""
    names = list(weightings)
    n = len(np.asarray(weightings[names[0]]))
    fig, axes = new_figure((3.2 * len(names) + 0.6, 2.8), ncols=len(names), sharey=True, squeeze=False)
    top = max(float(np.max(w)) for w in weightings.values())
    for i, (ax, name) in enumerate(zip(axes[0], names)):
        weighting_bars(ax, np.asarray(weightings[name], float), color=f"C{i}", limit=max(1.0, top))
        ax.set_title(name, fontsize="medium")
        if labels is not None:
            ax.set_xticks(np.arange(n), labels, fontsize="small")
        if xlabel is not None:
            ax.set_xlabel(xlabel)
    axes[0][0].set_ylabel("weight")
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


# %% [markdown]
# ## 1. The Differentiable Neural Computer (Graves et al. 2016) *(core)*
#
# Two years after the NTM, the same group published the DNC ("Hybrid computing
# using a neural network with dynamic external memory", *Nature* 2016). It keeps
# the memory matrix, the read and write heads and content addressing (eq. 5–6), and
# replaces the NTM's **location** addressing — interpolation, circular shift,
# sharpening (eq. 7–9) — with two mechanisms that do not depend on where things
# sit in memory.
#
# **Dynamic allocation.** A *usage* $u_t(i) \in [0, 1]$ per slot rises when a slot
# is written and falls when a read head says it is done with it (*free gates*
# $f^r_t$):
#
# $$u_t = \big(u_{t-1} + w^w_{t-1} - u_{t-1}\circ w^w_{t-1}\big)\circ \prod_r \big(1 - f^r_t\, w^{r}_{t-1}\big).$$

# %% [markdown]
# The *allocation weighting* $a_t$ points at the least-used slots, and the write
# weighting mixes it with a content lookup: $w^w_t = g^w_t\big(g^a_t\,a_t + (1-g^a_t)\,c^w_t\big)$.
# The NTM can only write "one slot further" (by shifting); the DNC can write to
# *any free* slot, and reuse memory.
#
# **Temporal links.** A matrix $L_t$ records the order of writes: $L_t[i, j]$ is near 1
# when slot $i$ was written right after slot $j$. With the *precedence* $p_t$ (where
# the last write went),
#
# $$p_t = \Big(1 - \sum_i w^w_t(i)\Big)\,p_{t-1} + w^w_t, \qquad
# L_t[i,j] = \big(1 - w^w_t(i) - w^w_t(j)\big)\,L_{t-1}[i,j] + w^w_t(i)\,p_{t-1}(j),$$
#
# and a read head can then move **forwards** in time, $f_t = L_t\, w^r_{t-1}$, or
# backwards, $b_t = L_t^{\top} w^r_{t-1}$, whatever slots the writes happened to use.

# %% [markdown]
# Let us compute $L$ from the write weightings of our trained copy NTM (notebook
# 06) during the input phase. The two updates above, written out:

# %% tags=["helpers"]
import numpy as np


def dnc_temporal_links(write_weights):
    """The DNC's temporal link matrix from a sequence of write weightings
    (Graves et al. 2016, Methods, "Temporal memory linkage").

    Args:
        write_weights: (T, N) write weightings (e.g. of a copy NTM's trace).

    Returns:
        (L, p): the (N, N) link matrix, with L[i, i] = 0, and the (N,)
        precedence after the last step.
    """
    w_all = np.asarray(write_weights, float)
    if w_all.ndim != 2:
        raise ValueError(f"`write_weights` must have shape (T, N), got {w_all.shape}.")
    n = w_all.shape[1]
    links = np.zeros((n, n))
    precedence = np.zeros(n)
    for w in w_all:
        # L uses the precedence of the step before, so it is updated first.
        links = (1.0 - w[:, None] - w[None, :]) * links + w[:, None] * precedence[None, :]
        np.fill_diagonal(links, 0.0)
        precedence = (1.0 - w.sum()) * precedence + w
    return links, precedence


# %%
if "copy_ntm" in ntm_core.available_pretrained():
    model, info = ntm_core.load_pretrained("copy_ntm")
else:
    model, info = ntm_core.build_ntm("copy"), None
    print("WARNING: no shipped copy_ntm: an untrained model stands in, the links below are noise.")
x, y, mask = copy_input(LENGTH, SEED)
tr = ntm_core.trace(model, x[None])
links, precedence = dnc_temporal_links(tr.write_heads[0].weights[0, :LENGTH])
plot_link_matrix(links, show=LENGTH + 3, title=f"links from the copy NTM's {LENGTH} input writes")

# %% [markdown]
# **What you should see.** Each dark cell says "slot $i$ was written right after
# slot $j$": a band next to the diagonal when the writes move one slot at a time
# (a cell in a corner where they wrap around from the last slot to slot 0). A
# blurred band means the writes were spread over neighbouring slots.
#
# Now *follow the links*: start a read weighting on the slot of the first write
# and apply $f = L\,w$ repeatedly. No key, no shift, no counting by the
# controller: the order is stored in $L$ itself, so allocated slots need not be
# neighbours.

# %%
facts = describe_copy_attention(tr, LENGTH)
w = np.zeros(links.shape[0])
w[facts["written_to"][0]] = 1.0
path = [int(w.argmax())]
for _ in range(LENGTH - 1):
    w = links @ w
    w = w / max(w.sum(), 1e-12)  # keep it a weighting
    path.append(int(w.argmax()))
written = [int(s) for s in facts["written_to"]]
print("slots written, in order:", written)
print("slots visited by links: ", path)
print("same order:", path == written)

# %% [markdown]
# **What you should see.** The two lists agree (`same order: True`): the links
# alone replay the writes in order. If they differ, the model wrote two vectors to
# the same slot, and the link from it points to whichever came last.
#
# The DNC also added a *read mode* per read head, a softmax over {backward,
# content, forward} — three ways of addressing instead of the NTM's one pipeline —
# and was shown on graph tasks (shortest paths on the London Underground, family
# trees) and puzzles that the NTM could not handle.

# %% [markdown]
# ## 2. Attention in Transformers: content addressing by another name *(core)*
#
# In the same year as the NTM, Bahdanau, Cho and Bengio introduced *soft attention*
# for translation. Vaswani et al. (2017) built the Transformer entirely from it, with
# **scaled dot-product attention**:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\Big(\frac{QK^{\top}}{\sqrt{d}}\Big)\,V.$$
#
# Put it next to the NTM's content addressing (eq. 5–6) and read (eq. 2):
#
# $$w(i) = \mathrm{softmax}_i\big(\beta\,\cos(k, M_i)\big), \qquad r = \sum_i w(i)\,M_i.$$
#
# The query $q$ plays the key $k$; the keys $K$ are the memory rows; the values
# $V$ are the memory rows again; $1/\sqrt{d}$ plays $\beta$; and the cosine is a dot
# product of unit vectors. A numeric comparison on one small memory:

# %%
rng = np.random.default_rng(SEED)
N, d = 8, 16
M = rng.normal(size=(N, d))                 # N memory rows (or: N keys)
target_row = 3
k = M[target_row] + 0.8 * rng.normal(size=d)  # a noisy copy of one row (or: the query)
beta = 5.0

w_ntm = np.asarray(addressing.content_weights(M[None], k[None], np.array([[beta]])))[0]  # eq. 5-6
w_attn = softmax(M @ k / np.sqrt(d))                                                  # Transformer
print(f"the key is a noisy copy of row {target_row}; beta = {beta}, d = {d}")
print("NTM  softmax(beta cos):  ", w_ntm.round(3))
print("attn softmax(q.k/sqrt d):", w_attn.round(3))
plot_weight_comparison({r"NTM: softmax($\beta\,\cos(k, M_i)$)": w_ntm,
                        r"Transformer: softmax($q \cdot k_i / \sqrt{d}$)": w_attn},
                       title="the same question, two scores: which row is the key most like?")

# %% [markdown]
# **What you should see.** Both put most weight on the row the key was copied
# from; they differ in how sharp they are. The dot product grows with the *length*
# of a row, so a long row can win without being similar; the cosine ignores length
# and leaves the sharpness to $\beta$, which the NTM's controller chooses at every
# step. Normalise the vectors and the two become the same computation: with unit
# keys $\hat k_i$ and the query $q = \beta\sqrt{d}\,\hat k$, scaled dot-product
# attention *is* eq. 5.

# %%
unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)
q = beta * np.sqrt(d) * unit(k)
w_attn_unit = softmax(unit(M) @ q / np.sqrt(d))
print("max |difference| to the NTM's weighting:", float(np.abs(w_attn_unit - w_ntm).max()))

# and the read: eq. 2 with the NTM's memory.read equals attention's weighted sum of values
r_ntm = np.asarray(memory.read(M[None], w_ntm[None]))[0]
print("read r = sum_i w(i) M_i equals w @ V:", np.allclose(r_ntm, w_ntm @ M, atol=1e-5))

# %% [markdown]
# **What you should see.** A difference of the order of rounding errors, and
# `True`: the NTM's content read and attention on unit vectors are one computation.
#
# **Self-attention reads a memory of the sequence itself.** In a Transformer layer
# the "memory" is the sequence: every position $s$ writes one row — a key
# $K_s = x_s W_K$ and a value $V_s = x_s W_V$ — and every position $t$ reads it with
# its own query $Q_t = x_t W_Q$. Row $t$ of the output is exactly an NTM read (eq. 2)
# of the memory $V$ with the weighting $A_t = \mathrm{softmax}(Q_t K^{\top}/\sqrt{d})$:

# %%
T, d_model, d = 6, 8, 4
X = rng.normal(size=(T, d_model))                          # a sequence of T vectors
W_Q, W_K, W_V = (rng.normal(size=(d_model, d)) / np.sqrt(d_model) for _ in range(3))
Q, K, V = X @ W_Q, X @ W_K, X @ W_V
A = softmax(Q @ K.T / np.sqrt(d))                          # (T, T): one weighting per position
out = A @ V                                                # self-attention
reads = np.stack([np.asarray(memory.read(V[None], A[t][None]))[0] for t in range(T)])
print("each output row is an NTM read of the memory V:", np.allclose(out, reads, atol=1e-5))
plot_weight_comparison({f"position {t} reads": A[t] for t in (0, T // 2, T - 1)},
                       xlabel="position $s$ (a memory row)",
                       title="self-attention: the weighting each position puts on the sequence's rows")

# %% [markdown]
# **What you should see.** `True`, and one weighting per position, each summing
# to 1 over the sequence's rows: three different reads of the same memory.
#
# ### Exercise 9.1 — what did the Transformer leave out?
#
# Of the NTM's ingredients below, which one has **no** counterpart in a
# Transformer's self-attention layer?

# %% tags=["exercise"]
show_choices("Exercise 9.1")
answer_9_1 = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 9.1", answer_9_1)

# %% [markdown]
# What the Transformer left out is as telling as what it kept. There are **no
# writes** after the fact: the memory is the layer's input, written once. There is
# **no location addressing**: a position knows "where" only through positional
# encodings mixed into its vector — and, like many networks, Transformers often
# fail on sequences longer than those they were trained on, an active research
# topic. And there is **no recurrence** over time: all positions read in parallel,
# which is why Transformers train so much faster on GPUs than an NTM or an LSTM.

# %% [markdown]
# ## 3. A memory you can enlarge *(core)*
#
# An NTM's memory is *state*, wiped at the start of every sequence, not a weight.
# So a trained NTM can be handed more slots than it was trained with, if its
# weights do not depend on the number of slots $N$.
#
# ### Exercise 9.2 — which weights depend on the number of slots?
#
# You build the copy NTM once with $N = 64$ slots and once with $N = 512$. Which of
# its weights change shape?

# %% tags=["exercise"]
show_choices("Exercise 9.2")
answer_9_2 = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 9.2", answer_9_2)

# %%
small = ntm_core.build_ntm("copy", memory_size=64)
large = ntm_core.build_ntm("copy", memory_size=512)
for a, b in zip(small.weights, large.weights):
    if tuple(a.shape) != tuple(b.shape):
        print(f"depends on N: {a.path:55} {tuple(a.shape)} vs {tuple(b.shape)}")
print("all other", sum(tuple(a.shape) == tuple(b.shape) for a, b in zip(small.weights, large.weights)),
      "weights are the same shape for any N")

# %% [markdown]
# **What you should see.** Only the starting values with one entry per slot (the
# initial memory is stored flat, `N × M` numbers) depend on $N$. Everything that
# was learned about *how* to copy carries over, which is why
# `ntm_core.load_pretrained("copy_ntm", memory_size=512)` gives the trained model
# more slots without retraining: trained on sequences of at most 20 vectors, it
# then copies sequences that would never fit in its original memory (notebook 07
# shows it).

# %% [markdown]
# ## 4. Memory networks (Weston et al. 2014) and end-to-end memory networks (Sukhbaatar et al. 2015) *(going deeper)*
#
# Published the same autumn as the NTM, *memory networks* store each input sentence
# (a "fact") as a memory row and answer a question by retrieving the relevant rows.
# The original version picked rows with a hard `argmax` and needed supervision of
# which facts support the answer. **End-to-end memory networks** made the retrieval
# soft, so that it trains from question–answer pairs alone: with the question
# embedded as $u$, every fact embedded twice, as a key $m_i$ and a value $c_i$,
#
# $$p_i = \mathrm{softmax}_i\big(u^{\top} m_i\big), \qquad o = \sum_i p_i\, c_i, \qquad u' = u + o,$$
#
# repeated for several **hops** (each hop can look up something the previous one
# found).

# %% [markdown]
# Compared with the NTM: the memory is *written* by embedding the inputs, not by
# learned write heads; reading is content addressing with a dot product, and with
# separate keys and values — a *key–value memory*, the form attention takes in
# Transformers.

# %% [markdown]
# ## 5. Neural GPUs (Kaiser & Sutskever 2015) *(going deeper)*
#
# The NTM reads and writes a few places per step, through heads; that is
# sequential and hard to train. The **Neural GPU** drops the heads: its whole state
# is a 2-D grid ("the memory"), and every step applies the same convolutional gated
# recurrent unit to *all of it in parallel*. Information moves by local
# convolutions instead of addressing. Trained on binary addition and multiplication
# of 20-bit numbers, it was reported to generalise to numbers of 2,000 bits. The
# lesson: the *inductive bias* — here, locality and weight sharing across
# positions — decides whether a network learns an algorithm that generalises.

# %% [markdown]
# ## 6. Other descendants, briefly *(going deeper)*
#
# * **Pointer networks** (Vinyals et al. 2015): attention weights used directly as
#   the output, pointing at input positions (sorting, convex hulls).
# * **Neural stacks, queues and deques** (Grefenstette et al. 2015; Joulin & Mikolov
#   2015): memories with a fixed, differentiable access discipline instead of free
#   addressing.
# * **Memory-augmented networks for one-shot learning** (Santoro et al. 2016): an NTM
#   variant with least-recently-used writes that binds new classes after one example.
# * **Sparse access memory** (Rae et al. 2016): NTM/DNC-style memories with sparse
#   reads and writes, so a read does not cost time proportional to the whole memory.
# * **Key–value memory networks** (Miller et al. 2016) and, much later,
#   retrieval-augmented language models: the external memory becomes a large store
#   of text that is searched by content.

# %% [markdown]
# ## 7. Open questions *(core)*
#
# * **Learning algorithms versus shortcuts.** Two copy NTMs trained for this course
#   learned different programs: one copies far beyond its training lengths, the
#   other breaks down soon after them. They differ in more than the seed (the
#   next cell prints how), so they cannot say what decided it. When does training
#   find the general program — does the seed alone decide, or the recipe — and how
#   can an architecture or a curriculum steer it there? The same question is open
#   for Transformers on arithmetic.

# %%
runs = {"shipped copy_ntm": info, "an earlier copy NTM": load_result_or_none("copy_ntm_seed0")}
print(f"{'':22}{'seed':>5}{'batch':>6}{'commands':>9}{'blank vectors':>14}{'sequences':>10}   bit errors @ length")
for label, rec in runs.items():
    if not rec:
        print(f"{label:22} (no record)")
        continue
    cfg = rec["config"]
    stages = rec.get("stages") or [rec]
    blanks = any((s.get("task_kwargs") or {}).get("blank_share") for s in stages + [cfg])
    errors = ", ".join(f"{r['bit_errors']:.2f} @ {r['length']}" for r in rec["evaluation"]["rows"])
    print(f"{label:22}{cfg['seed']:>5}{cfg['batch_size']:>6}{len(stages):>9}{'yes' if blanks else 'no':>14}"
          f"{rec['sequences_seen']:>10,}   {errors}")

# %% [markdown]
# **What you should see.** Different seeds, batch sizes and amounts of training,
# and very different errors beyond length 20. (How each was trained is in the
# [instructor's notes](../docs/instructor.md).)
#
# * **Reliable training.** Memory-augmented networks are sensitive to the seed, the
#   initialisation and the optimiser (notebook 05); the "stable" preset is an
#   empirical fix, not an explanation.
# * **Scaling memory.** Soft attention over $N$ slots costs $O(N)$ per read; sparse
#   and approximate schemes trade exactness for size.
# * **Writing.** Learned, selective writing and erasing — the NTM's most distinctive
#   feature — is mostly absent from today's large models. Is it needed, and for what?

# %% [markdown]
# ## 8. Ideas for projects *(going deeper)*
#
# Each comes with a first step in this course's package.
#
# 1. **Content or location?** Train a copy NTM with a curriculum to longer
#    sequences and test whether it generalises further. *First step:*
#    `ntm_core.train("copy", max_length=40, curriculum=True)`, then open the model
#    in notebook 06.
# 2. **DNC links as a read mode.** Add a "forward" mode $f = L\,w^r_{t-1}$ to the read
#    heads of `ntm_core/cell.py`. *First step:* the link matrix above, computed by
#    `dnc_temporal_links` (section 1) from a trace.
# 3. **A Transformer baseline on copy.** *First step:* a Keras model with
#    `keras.layers.MultiHeadAttention`, a causal mask and position embeddings,
#    mapping `(batch, time, 9)` to `(batch, time, 8)` sigmoids, compiled with
#    `ntm_core.training.compile_model` and scored with `ntm_core.evaluate(model, "copy")`.
#    How far beyond the training lengths does it copy?

# %% [markdown]
# 4. **Which recipe converges more often?** *First step:* train a few seeds with
#    `ntm_core.train("copy", seed=s, preset="paper", optimizer="rmsprop")` and
#    compare them with the same seeds of the default recipe, each judged on fresh
#    sequences as in notebook 05.
# 5. **A controller without a memory of its own.** *First step:*
#    `ntm_core.train("copy", controller="dense")`, then open its model in notebook 06.
#    With no hidden state, everything it remembers must go through the memory.
# 6. **Backends.** *First step:* `python -m ntm_core bench`, then the same with
#    `KERAS_BACKEND=jax` and `KERAS_BACKEND=torch`: which runs the NTM fastest on your
#    machine, and why does the answer differ from an LSTM's?

# %% [markdown]
# ## Summary
#
# - The DNC kept the NTM's memory and content addressing and replaced its
#   location addressing by allocation of free slots and temporal links that
#   replay the order of the writes.
# - Scaled dot-product attention on unit vectors is the NTM's content
#   addressing, and every row of self-attention is an NTM read of a memory
#   built from the sequence.
# - Transformers kept content-addressed reading and left out writing after the
#   fact, location addressing and recurrence.
# - An NTM's memory is state, so a trained NTM can be given more slots; only the
#   starting values with one entry per slot depend on $N$.
#
# This is the last notebook: the references below lead on.

# %% [markdown]
# ## References
#
# * A. Graves, G. Wayne, I. Danihelka (2014). Neural Turing Machines. arXiv:1410.5401.
# * A. Graves, G. Wayne, M. Reynolds et al. (2016). Hybrid computing using a neural
#   network with dynamic external memory. *Nature* 538.
# * J. Weston, S. Chopra, A. Bordes (2014). Memory Networks. arXiv:1410.3916.
# * S. Sukhbaatar, A. Szlam, J. Weston, R. Fergus (2015). End-To-End Memory Networks. NeurIPS.
# * Ł. Kaiser, I. Sutskever (2015). Neural GPUs Learn Algorithms. arXiv:1511.08228.
# * D. Bahdanau, K. Cho, Y. Bengio (2014). Neural Machine Translation by Jointly
#   Learning to Align and Translate. arXiv:1409.0473.
# * A. Vaswani et al. (2017). Attention Is All You Need. NeurIPS.
# * M. Collier, J. Beel (2018). Implementing Neural Turing Machines. ICANN.
