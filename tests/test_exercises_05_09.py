"""The checked exercises of notebooks 05 (training) and 09 (what came after).

Each exercise cell (tagged "exercise" in the notebook) is run here as a
student runs it: unanswered, with the right answer, and with the wrong
answers the checks diagnose. The right answers are worked out here
independently of the notebook (the cost of a coin toss, the chance that a
validation set misses a rare sequence, which weights depend on N), and the
facts each hint relies on are checked against the package.
"""

import math
import re

import numpy as np
import pytest
from notebook_cells import tagged_cells

import ntm_core
from ntm_core import metrics, tasks
from ntm_core.teaching.questions import (check_choice, check_prediction, check_question, forget_predictions,
                                         predict, show_choices)
from ntm_core.training import TrainConfig

pytestmark = pytest.mark.once

BITS = 8        # the copy task's vector width (section 4.1)
L_EX = 13       # any length: the notebook prints the one it uses
V_EX = 128      # training's default validation set
Q_EX = 0.01     # exercise 5.3's failure rate: the notebook prints the one it uses


@pytest.fixture(autouse=True)
def fresh_predictions():
    forget_predictions()
    yield
    forget_predictions()


def exercise(name, label):
    """The exercise cells of ``notebooks/<name>`` that mention ``label``, in order."""
    cells = [src for src in tagged_cells(name, "exercise") if label in src]
    assert cells, f"no exercise cell of {name} mentions {label!r}"
    return cells


def answered(source, value):
    """The cell with its first ``name = ...`` placeholder replaced by ``value``."""
    filled, count = re.subn(r"^(\w+) = \.\.\.", lambda m: f"{m.group(1)} = {value!r}", source, count=1,
                            flags=re.M)
    assert count == 1, f"no `name = ...` placeholder in\n{source}"
    return filled


def run(cells, capsys, **namespace):
    """Run the cells in one namespace; what they printed."""
    env = {"np": np, "tasks": tasks, "metrics": metrics, "predict": predict,
           "check_prediction": check_prediction, "check_choice": check_choice,
           "check_question": check_question, "show_choices": show_choices, **namespace}
    for src in cells:
        exec(compile(src, "<exercise cell>", "exec"), env)
    return capsys.readouterr().out


def nb05(label, answer, capsys):
    cells = exercise("05_training_the_copy_task", label)
    if answer is not ...:
        cells = [answered(cells[0], answer)] + cells[1:]
    return run(cells, capsys, SEED=4, L_EX=L_EX, V_EX=V_EX, Q_EX=Q_EX, task=tasks.CopyTask(BITS),
               TrainConfig=TrainConfig)


def nb09(label, answer, capsys):
    cells = exercise("09_what_came_after", label)
    if answer is not ...:
        cells = [answered(cells[0], answer)] + cells[1:]
    return run(cells, capsys)


# ---------------------------------------------------------------- unanswered
@pytest.mark.parametrize("label", ["Exercise 5.1", "Exercise 5.2", "Exercise 5.3"])
def test_notebook_05_runs_unanswered(label, capsys):
    out = nb05(label, ..., capsys)
    assert "⏳" in out and "❌" not in out and "✅" not in out


@pytest.mark.parametrize("label", ["Exercise 9.1", "Exercise 9.2"])
def test_notebook_09_runs_unanswered(label, capsys):
    out = nb09(label, ..., capsys)
    assert "⏳" in out and "❌" not in out


# ---------------------------------------------------------------- 5.1: why only the recall steps
def test_5_1_facts_behind_the_answer():
    # Before the recall phase the targets are all zero and unscored: scoring
    # them would reward outputting zeros, and echoing the input would be wrong there.
    b = tasks.copy_batch(4, 7, rng=0)
    input_steps = slice(0, 7 + 1)
    assert not b.y[:, input_steps].any() and not b.mask[:, input_steps].any()
    assert b.x[:, :7, :BITS].any()  # the input phase does carry the vectors


@pytest.mark.parametrize("wrong, hint", [("a", "output at every step"), ("c", "marked wrong"),
                                         ("b", "multiplies the loss")])
def test_5_1_wrong_choices_get_their_hint(wrong, hint, capsys):
    out = nb05("Exercise 5.1", wrong, capsys)
    assert "❌" in out and hint in out and "(d)" not in out.split("❌", 1)[1]


def test_5_1_right_choice(capsys):
    assert "✅" in nb05("Exercise 5.1", "d", capsys)


# ---------------------------------------------------------------- 5.2: the cost of a coin toss
def test_5_2_right_prediction(capsys):
    # L recall steps of BITS target bits, each costing -log2(1/2) = 1 bit.
    out = nb05("Exercise 5.2", BITS * L_EX, capsys)
    assert "✅" in out and f"{BITS * L_EX:.3f} bits per sequence" in out


@pytest.mark.parametrize("wrong, hint", [
    (L_EX, "several target channels"),
    (BITS * (2 * L_EX + 1), "the mask scores the recall steps only"),
    (BITS * L_EX * math.log(2), "nats"),
    (1, "cost of one target bit"),
    (0, "perfect, confident copy"),
])
def test_5_2_diagnosed_mistakes(wrong, hint, capsys):
    out = nb05("Exercise 5.2", wrong, capsys)
    assert "❌" in out and hint in out


def test_5_2_undiagnosed_mistake_gets_no_hint(capsys):
    out = nb05("Exercise 5.2", BITS * L_EX + 7, capsys)
    assert "❌" in out and "Hint" not in out


# ---------------------------------------------------------------- 5.3: what a validation set misses
P_MISS = (1 - Q_EX) ** V_EX  # each of V_EX independent sequences copied, with probability 1 - Q_EX


def test_5_3_right_prediction_and_simulation(capsys):
    out = nb05("Exercise 5.3", round(P_MISS, 2), capsys)
    assert "✅" in out
    analytic, simulated = map(float, re.search(r": (\d\.\d+) \(simulated: (\d\.\d+)\)", out).groups())
    assert analytic == pytest.approx(P_MISS, abs=5e-4)
    # 20,000 simulated sets: the standard error of the share is about 0.0032.
    assert simulated == pytest.approx(P_MISS, abs=0.015)
    assert round(P_MISS, 3) == 0.276  # (0.99)**128 worked by hand: exp(128 * ln 0.99) = exp(-1.2864)


@pytest.mark.parametrize("wrong, hint", [
    (V_EX * Q_EX, "expected number"),
    (1 - P_MISS, "at least one"),
    (1 - Q_EX, "for a single sequence"),
    (Q_EX, "one sequence is a failure"),
])
def test_5_3_diagnosed_mistakes(wrong, hint, capsys):
    out = nb05("Exercise 5.3", wrong, capsys)
    assert "❌" in out and hint in out


# ---------------------------------------------------------------- 9.1: what the Transformer left out
def test_9_1_right_and_wrong(capsys):
    assert "✅" in nb09("Exercise 9.1", "d", capsys)
    for wrong, hint in (("a", "similarity"), ("b", "memory.read"), ("c", "softmax over the rows")):
        out = nb09("Exercise 9.1", wrong, capsys)
        assert "❌" in out and hint in out and "(d)" not in out.split("❌", 1)[1]


# ---------------------------------------------------------------- 9.2: weights that depend on N
def test_9_2_facts_behind_the_answer():
    # Built independently of the notebook: the weights whose shape changes with
    # N are exactly the starting values with one entry per slot.
    small = ntm_core.build_ntm("copy", memory_size=8, memory_width=4)
    large = ntm_core.build_ntm("copy", memory_size=24, memory_width=4)
    changed = {a.path.rsplit("/", 1)[-1]: (tuple(a.shape), tuple(b.shape))
               for a, b in zip(small.weights, large.weights) if tuple(a.shape) != tuple(b.shape)}
    assert set(changed) == {"initial_memory", "initial_weight_logits"}
    assert changed["initial_memory"] == ((8 * 4,), (24 * 4,))
    assert changed["initial_weight_logits"][0][-1] == 8 and changed["initial_weight_logits"][1][-1] == 24


def test_9_2_right_and_wrong(capsys):
    assert "✅" in nb09("Exercise 9.2", "b", capsys)
    for wrong, hint in (("a", "one row-sized vector"), ("c", "per column"), ("d", "starting values")):
        out = nb09("Exercise 9.2", wrong, capsys)
        assert "❌" in out and hint in out and "(b)" not in out.split("❌", 1)[1]


# ---------------------------------------------------------------- notebook 05's recipe is the one its record measured
def test_notebook_05_trains_with_the_recipe_its_sweep_record_measured():
    params = {}
    for src in tagged_cells("05_training_the_copy_task", "parameters"):
        exec(compile(src, "<parameters>", "exec"), params)
    record = ntm_core.load_result("copy_fresh_blank50_patience0")
    kwargs = record["train_kwargs"]
    assert kwargs["task_kwargs"] == {"blank_share": params["BLANK_SHARE"]}
    assert (kwargs["patience"], kwargs["validate_on"]) == (params["PATIENCE"], params["VALIDATE_ON"])
    assert (kwargs["steps"], kwargs["batch_size"]) == (params["TRAIN_STEPS"], params["BATCH_SIZE"])
    assert (kwargs["memory_size"], kwargs["memory_width"], kwargs["controller_units"]) == (
        params["MEMORY_SIZE"], params["MEMORY_WIDTH"], params["CONTROLLER_UNITS"])
    assert kwargs["learning_rate"] in (None, params["LEARNING_RATE"])  # None: the recipe's, Adam's 1e-3
    assert ntm_core.training.RECIPES["adam"]["learning_rate"] == params["LEARNING_RATE"]
    assert (kwargs["eval_every"], kwargs["val_sequences"]) == (params["EVAL_EVERY"], params["VAL_SEQUENCES"])
    # 20 seeds, each judged on 1,000 fresh sequences
    assert [r["seed"] for r in record["runs"]] == list(range(1, 21))
    assert all(r["fresh"]["sequences"] == 1000 for r in record["runs"])
