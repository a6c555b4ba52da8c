"""Notebook 04's data-flow picture and its exercises 4.1-4.4 (issue 15).

The expected values here are worked out by hand or by an implementation other
than the one under test: head counts from the parameter list of section 3.3
of the paper, a memory step whose every weighting is one-hot, and the Keras
cell's own memory access for the NumPy solution.
"""

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from ntm_core.teaching import layer_checks, questions
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED
from ntm_core.viz.dataflow import plot_step_dataflow

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "04_building_the_layer.ipynb"


def load_solutions():
    path = REPO / "notebooks" / "solutions" / "solutions_02_04.py"
    spec = importlib.util.spec_from_file_location("solutions_02_04_for_04", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOL = load_solutions()


def texts(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts + [ax.title])


# ------------------------------------------------------------------ the picture
def test_dataflow_builds_and_labels_every_equation():
    before = set(plt.get_fignums())
    fig = plot_step_dataflow()
    assert isinstance(fig, Figure)
    fig.canvas.draw()  # lays out every text, mathtext included: a bad label raises here
    words = texts(fig)
    for number in range(2, 10):  # the paper's eq. 2 (read) to eq. 9 (sharpening)
        assert re.search(rf"eq\. {number}\b", words), f"eq. {number} is not labelled in the diagram"
    for part in ("controller", "head", "addressing", "erase", "add", "read", "output", "x_t", "r_{t-1}"):
        assert part in words, part
    assert r"k, \beta, g, s, \gamma" in words and "e, a" in words  # the head parameters, read and write
    assert set(plt.get_fignums()) == before  # detached: it shows once in a notebook


def test_dataflow_draws_on_the_axes_it_is_given():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_step_dataflow(ax) is fig
    assert len(ax.patches) > 10 and "eq. 2" in texts(fig)


# ------------------------------------------------------------------ Exercise 4.1
def test_head_count_mistakes_by_hand():
    # M = 20, shifts -1, 0, +1: read head k 20 + beta + g + s 3 + gamma = 26; write head 26 + e 20 + a 20 = 66.
    diagnosed = [value for value, _ in layer_checks.head_count_mistakes(20, 3)]
    assert diagnosed == [66, 26, 52, 90, 72]
    assert 92 not in diagnosed  # the right total gets no hint
    # M = 8, five shifts: read 8 + 1 + 1 + 5 + 1 = 16, write 32.
    assert [v for v, _ in layer_checks.head_count_mistakes(8, 5)][:2] == [32, 16]
    for _, hint in layer_checks.head_count_mistakes(20, 3):
        assert "92" not in hint


def test_head_count_prediction_gets_the_hint_for_its_slip():
    questions.forget_predictions()
    mistakes = layer_checks.head_count_mistakes(20, 3)
    questions.predict("Exercise 4.1", 66, verbose=False)
    wrong = questions.check_prediction("Exercise 4.1", 92, mistakes=mistakes, verbose=False)
    assert wrong.status == FAILED and "write head alone" in wrong.message
    questions.predict("Exercise 4.1", 91, verbose=False)
    undiagnosed = questions.check_prediction("Exercise 4.1", 92, mistakes=mistakes, verbose=False)
    assert undiagnosed.status == FAILED and "Hint" not in undiagnosed.message
    questions.predict("Exercise 4.1", SOL.HEAD_PARAMETER_COUNT, verbose=False)
    assert questions.check_prediction("Exercise 4.1", 92, mistakes=mistakes, verbose=False).passed
    questions.forget_predictions()


# ------------------------------------------------------------------ Exercise 4.3
# For each wrong choice, words its hint must print: what that choice overlooks.
GROWTH_HINTS = {"a": "How long is a read vector", "c": "see every slot", "d": "that is the start state"}


def test_controller_growth_choice():
    def check(answer):
        return questions.check_question("Exercise 4.3", answer, verbose=False)

    assert SOL.CONTROLLER_GROWTH_ANSWER == "b"
    assert check(SOL.CONTROLLER_GROWTH_ANSWER).status == PASSED
    assert check(" (B) ").status == PASSED
    assert check(...).status == NOT_DONE
    for wrong, words in GROWTH_HINTS.items():
        result = check(wrong)
        assert result.status == FAILED and "Hint:" in result.message and words in result.message, wrong
        hint = result.message.split("Hint:", 1)[1]
        assert "(b)" not in hint and "none" not in hint.lower()  # a hint never names the answer
    assert check("z").status == FAILED


def test_notebook_shows_the_growth_choices_and_checks_the_answer(capsys):
    cells = notebook_cells()
    asked = [src for kind, src in cells if kind == "code" and 'check_question("Exercise 4.3", my_answer)' in src]
    assert len(asked) == 1 and 'show_choices("Exercise 4.3")' in asked[0]
    assert "my_answer = ...  # YOUR ANSWER" in asked[0]  # shipped unanswered
    namespace = {"show_choices": questions.show_choices, "check_question": questions.check_question}
    exec(asked[0], namespace)
    shown = capsys.readouterr().out
    assert "(a) about twice as many" in shown and "(d) N × M more" in shown and "⏳ Exercise 4.3" in shown
    exec(asked[0].replace("my_answer = ...", "my_answer = 'b'"), namespace)
    assert "✅ Exercise 4.3" in capsys.readouterr().out
    # One source of truth: the markdown no longer lists the choices a second time.
    markdown = "\n".join(src for kind, src in cells if kind == "markdown")
    assert "twice as large" not in markdown and "(b) none" not in markdown


def test_a_larger_memory_adds_no_controller_weights():
    """What makes (b) right: only the start state grows with N, by N x M + heads x N."""
    from ntm_core import NTMCell

    def sizes(n):
        cell = NTMCell(5, memory_size=n, memory_width=6, controller="lstm", controller_units=7, read_heads=2,
                       preset="paper", seed=0)
        cell.build((None, 4))
        count = lambda ws: sum(int(np.prod(w.shape)) for w in ws)  # noqa: E731
        layers = [count(layer.weights) for layer in (cell.controller, cell.head_layer, cell.output_layer)]
        return layers, count(cell.weights) - sum(layers)

    (layers_16, state_16), (layers_32, state_32) = sizes(16), sizes(32)
    assert layers_16 == layers_32
    # 16 more slots: 16 x 6 memory numbers and 16 weighting logits for each of the 3 heads.
    assert state_32 - state_16 == 16 * 6 + 3 * 16


# ------------------------------------------------------------------ Exercise 4.4
def one_hot_step_case():
    """Every weighting one-hot (g = 0, shifts given): the step can be worked out by hand."""
    memory = np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]])
    w_prev = np.array([[[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]])
    common = {"key": np.array([[1.0, 0.0]]), "beta": np.array([[1.0]]), "g": np.array([[0.0]]),
              "gamma": np.array([[1.0]])}
    write = dict(common, shift=np.array([[0.0, 1.0, 0.0]]), erase=np.array([[1.0, 1.0]]),
                 add=np.array([[0.5, 0.5]]))
    stay = dict(common, shift=np.array([[0.0, 1.0, 0.0]]))
    forward = dict(common, shift=np.array([[0.0, 0.0, 1.0]]))
    return memory, w_prev, [write, stay, forward]


def test_memory_step_solution_on_a_hand_worked_case():
    memory, w_prev, heads = one_hot_step_case()
    new, w, reads = SOL.my_memory_step(memory, w_prev, heads)
    # Slot 1 is erased (e = 1) and gets a = (0.5, 0.5); the first read head stays on slot 1 and reads the
    # new value, the second moves one slot forward to slot 2.
    np.testing.assert_allclose(new, [[[1.0, 0.0], [0.5, 0.5], [-1.0, 0.0]]], atol=1e-12)
    np.testing.assert_allclose(w, [[[0, 1, 0], [0, 1, 0], [0, 0, 1]]], atol=1e-12)
    np.testing.assert_allclose(reads, [[[0.5, 0.5], [-1.0, 0.0]]], atol=1e-12)
    np.testing.assert_array_equal(memory, one_hot_step_case()[0])  # not changed in place


def test_memory_step_solution_matches_the_keras_cell():
    import keras

    from ntm_core import NTMCell

    cell = NTMCell(3, memory_size=7, memory_width=4, controller="dense", controller_units=6, read_heads=2,
                   write_heads=1, clip_value=None)
    cell.build((None, 2))
    rng = np.random.default_rng(3)
    raw = rng.normal(size=(2, cell.head_parameter_count)).astype("float32") * 2
    heads = [{k: np.asarray(keras.ops.convert_to_numpy(v), "float64") for k, v in head.items()}
             for head in cell._split_heads(keras.ops.convert_to_tensor(raw))]
    memory = rng.normal(size=(2, 7, 4)).astype("float32")
    w_prev = rng.dirichlet(np.ones(7), size=(2, 3)).astype("float32")
    keras_heads = [{k: keras.ops.convert_to_tensor(v.astype("float32")) for k, v in h.items()} for h in heads]
    new, weights, reads, _ = cell._access_memory(keras.ops.convert_to_tensor(memory),
                                                 keras.ops.convert_to_tensor(w_prev), keras_heads)
    ours = SOL.my_memory_step(memory.astype("float64"), w_prev.astype("float64"), heads)
    as_np = lambda t: np.asarray(keras.ops.convert_to_numpy(t))  # noqa: E731
    np.testing.assert_allclose(ours[0], as_np(new), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours[1], np.stack([as_np(w) for w in weights], axis=1), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours[2], np.stack([as_np(r) for r in reads], axis=1), rtol=1e-4, atol=1e-5)


def test_memory_step_check_accepts_the_solutions():
    assert layer_checks.check_memory_step(SOL.my_memory_step, verbose=False).status == PASSED

    # The route the notebook suggests: ntm_core's float32 keras.ops functions.
    from keras import ops

    from ntm_core import addressing, memory

    def with_ntm_core(M_prev, w_prev, heads):
        write = heads[0]
        w_write = addressing.address(M_prev, w_prev[:, 0], write["key"], write["beta"], write["g"],
                                     write["shift"], write["gamma"])
        new = memory.add(memory.erase(M_prev, w_write, write["erase"]), w_write, write["add"])
        ws, reads = [w_write], []
        for i, head in enumerate(heads[1:], start=1):
            w = addressing.address(new, w_prev[:, i], head["key"], head["beta"], head["g"], head["shift"],
                                   head["gamma"])
            ws.append(w)
            reads.append(memory.read(new, w))
        return new, ops.stack(ws, axis=1), ops.stack(reads, axis=1)

    result = layer_checks.check_memory_step(with_ntm_core, verbose=False)
    assert result.status == PASSED, result.message


def variant(**slip):
    return lambda m, w, h: layer_checks._memory_step(m, w, h, **slip)


@pytest.mark.parametrize("slip,words", [
    (dict(read_on="old", read_from="old"), "address and read the memory from before"),
    (dict(read_on="old"), "address M_{t-1}"),
    (dict(read_from="old"), "come from the old memory"),
    (dict(order="add-erase"), "add before you erase"),
    (dict(order="add-only"), "missing the erase"),
    (dict(write_prev=1), "wrong previous weighting"),
], ids=["reads-old-memory", "addresses-old-memory", "reads-from-old", "add-first", "no-erase", "swapped-w"])
def test_memory_step_check_names_each_slip(slip, words):
    result = layer_checks.check_memory_step(variant(**slip), verbose=False)
    assert result.status == FAILED
    assert words in result.message and "tolerance" in result.message, result.message


def test_memory_step_check_rejects_in_place_changes_and_bad_returns():
    def in_place(M_prev, w_prev, heads):
        new, w, reads = SOL.my_memory_step(M_prev, w_prev, heads)
        M_prev[...] = new
        return M_prev, w, reads

    assert "in place" in layer_checks.check_memory_step(in_place, verbose=False).message

    def stub(M_prev, w_prev, heads):
        raise NotImplementedError

    assert layer_checks.check_memory_step(stub, verbose=False).status == NOT_DONE
    two = layer_checks.check_memory_step(lambda m, w, h: SOL.my_memory_step(m, w, h)[:2], verbose=False)
    assert two.status == FAILED and "three" in two.message
    flat = layer_checks.check_memory_step(
        lambda m, w, h: (*SOL.my_memory_step(m, w, h)[:2], SOL.my_memory_step(m, w, h)[2].reshape(m.shape[0], -1)),
        verbose=False)
    assert flat.status == FAILED and "shape" in flat.message
    undiagnosed = layer_checks.check_memory_step(
        lambda m, w, h: tuple(x * 1.01 for x in SOL.my_memory_step(m, w, h)), verbose=False)
    assert undiagnosed.status == FAILED and "Hint" not in undiagnosed.message


# ------------------------------------------------------------------ the notebook
def notebook_cells():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in nb["cells"]]


def test_notebook_opens_with_the_picture_and_asks_before_it_tells():
    cells = notebook_cells()
    first_section = next(i for i, (kind, src) in enumerate(cells) if src.startswith("## 1."))
    assert "plot_step_dataflow()" in cells[first_section + 1][1]
    predict_at = next(i for i, (_, src) in enumerate(cells) if 'predict("Exercise 4.1", my_prediction)' in src)
    assert "my_prediction = ...  " in cells[predict_at][1]  # shipped unanswered
    table_at = next(i for i, (_, src) in enumerate(cells) if "head_total = start" in src)
    check_at = next(i for i, (_, src) in enumerate(cells) if 'check_prediction("Exercise 4.1"' in src)
    assert predict_at < table_at < check_at
    # No code cell before the prediction adds up the head parameters.
    assert not any("head_parameter_sizes(" in src for kind, src in cells[:predict_at] if kind == "code")


def test_notebook_exercises_in_order_and_appendix_last():
    cells = notebook_cells()
    markdown = "\n".join(src for kind, src in cells if kind == "markdown")
    numbers = re.findall(r"Exercise (4\.\d)", markdown)
    assert numbers == sorted(numbers) and set(numbers) == {"4.1", "4.2", "4.3", "4.4"}
    headings = re.findall(r"^## (\d+)\. .*\*\((core|going deeper)\)\*", markdown, flags=re.M)
    kinds = [kind for _, kind in headings]
    assert kinds == sorted(kinds, key=lambda k: k == "going deeper") and "going deeper" in kinds
    assert markdown.rstrip().splitlines()[-1].startswith("**Next:**")
    assert "200 units" not in markdown.replace("not one layer of 200 units", "")


def test_memory_step_check_catches_a_cosine_without_epsilon():
    from ntm_core.teaching import reference as ref

    def naive_address(memory, w_prev, key, beta, g, s, gamma):
        dot = np.sum(memory * key[:, None, :], axis=-1)
        cosine = dot / (np.linalg.norm(memory, axis=-1) * np.linalg.norm(key, axis=-1, keepdims=True))
        w_c = ref.softmax(beta * cosine)
        return ref.sharpen(ref.shift(ref.interpolate(w_c, w_prev, g), s), gamma)

    def naive_step(M_prev, w_prev, heads):
        write = heads[0]
        w_write = naive_address(M_prev, w_prev[:, 0], *(write[k] for k in ("key", "beta", "g", "shift", "gamma")))
        new = ref.write(M_prev, w_write, write["erase"], write["add"])
        ws = [w_write] + [naive_address(new, w_prev[:, i], *(h[k] for k in ("key", "beta", "g", "shift", "gamma")))
                          for i, h in enumerate(heads[1:], start=1)]
        return new, np.stack(ws, axis=1), np.stack([ref.read(new, w) for w in ws[1:]], axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        result = layer_checks.check_memory_step(naive_step, verbose=False)
    assert result.status == FAILED and "all zeros" in result.message and "epsilon" in result.message, result.message
