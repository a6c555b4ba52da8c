"""evaluate() against metrics worked out by hand, test settings, and checkpoint files."""

import json

import keras
import numpy as np
import pytest

import ntm_core
from ntm_core import metrics, tasks
from ntm_core.evaluation import evaluate, format_table
from ntm_core.training import load_checkpoint, save_for_inference, train

pytestmark = pytest.mark.once

TOY = dict(memory_size=8, memory_width=4, controller_units=16, max_length=3, jit_compile=False, tensorboard=False, verbose=0)


@pytest.fixture(scope="module")
def toy_model():
    return train("copy", steps=10, eval_every=10, batch_size=4, seed=3, **TOY).model


def test_evaluate_rows_match_metrics_by_hand(toy_model):
    rows = evaluate(toy_model, "copy", lengths=[2], num_sequences=6, batch_size=3, seed=7)
    # Recompute the same sequences independently: evaluate draws them from default_rng([seed, length]).
    rng = np.random.default_rng([7, 2])
    bits, errors = [], []
    for _ in range(2):
        batch = tasks.CopyTask().sample(3, rng, min_length=2, max_length=2)
        pred = np.asarray(toy_model.predict_on_batch(batch.x))
        bits.append(metrics.bits_per_sequence(batch.y, pred, batch.mask, reduce=False))
        errors.append(metrics.bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False))
    errors = np.concatenate(errors)
    assert rows[0]["length"] == 2
    assert rows[0]["bits_per_seq"] == pytest.approx(np.concatenate(bits).mean(), rel=1e-5)
    assert rows[0]["bit_errors"] == pytest.approx(errors.mean())
    assert rows[0]["perfect"] == pytest.approx((errors == 0).mean())
    table = format_table(rows).splitlines()
    assert table[0].split() == ["length", "bits/seq", "bit", "errors", "perfect"]
    assert table[1].split()[0] == "2" and table[1].split()[2] == f"{errors.mean():.3f}"


def test_evaluate_uses_repeat_copy_test_settings():
    # The hardest training case, then the paper's tests: length 20 x 10 repeats and length 10 x 20 repeats.
    model = ntm_core.build_ntm("repeat_copy", memory_size=8, memory_width=4, controller_units=8)
    rows = evaluate(model, "repeat_copy", num_sequences=2)
    assert [r["length"] for r in rows] == ["length=10xrepeats=10", "length=20xrepeats=10", "length=10xrepeats=20"]
    narrowed = evaluate(model, "repeat_copy", num_sequences=2, task_kwargs={"train_repeats": [1, 5]})
    assert narrowed[0]["length"] == "length=10xrepeats=5"
    # 20 x 10 copies of 8 bits plus the end-marker channel: chance makes hundreds of errors
    assert all(r["bit_errors"] > 100 for r in rows)
    with pytest.raises(ValueError, match="lengths"):
        evaluate(model, "repeat_copy", lengths=[2.5], num_sequences=2)


def test_mismatched_checkpoint_is_refused(tmp_path, toy_model):
    path = tmp_path / "copy.keras"
    toy_model.save(path)
    model, info = load_checkpoint(path)
    assert info == {}
    with pytest.raises(ValueError, match="does not match"):
        evaluate(model, "associative_recall", num_sequences=2)
    with pytest.raises(ValueError, match=r"\.keras"):
        (tmp_path / "weights.h5").write_text("x")
        load_checkpoint(tmp_path / "weights.h5")


def test_a_checkpoint_for_inference_predicts_alike_without_the_optimizer(tmp_path, toy_model):
    path = save_for_inference(toy_model, tmp_path / "toy.keras")
    (tmp_path / "toy.json").write_text('{"config": {"task": "copy"}}')
    model, info = load_checkpoint(path)
    assert info == {"config": {"task": "copy"}}
    x = tasks.CopyTask().sample(2, np.random.default_rng(0), min_length=3, max_length=3).x
    for saved, trained in zip(model.get_weights(), toy_model.get_weights()):
        np.testing.assert_array_equal(saved, trained)
    # Called the same way (eagerly: a compiled predict may round differently in the last bit).
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(model(x, training=False)),
                                  keras.ops.convert_to_numpy(toy_model(x, training=False)))
    assert getattr(keras.saving.load_model(path), "optimizer", None) is None  # no optimizer state stored


class _BlankBlindCopier:
    """A copier that fails as the NTM's rare failures do: every bit wrong when the input holds a blank vector.

    It also gets one bit wrong, at recall step 5, when the first vector starts 1, 1, 1.
    """

    def predict_on_batch(self, x):
        length = (x.shape[1] - 1) // 2
        pred = np.zeros(x.shape[:2] + (8,), "float32")
        pred[:, length + 1:] = x[:, :length, :8]
        for i in range(len(x)):
            if not x[i, :length, :8].any(-1).all():
                pred[i, length + 1:] = 1.0 - pred[i, length + 1:]
            elif x[i, 0, :3].all():
                pred[i, length + 1 + 5, 0] = 1.0 - pred[i, length + 1 + 5, 0]
        return pred


def test_failures_lists_the_wrong_sequences_with_their_blank_vectors():
    # The same sequences evaluate() draws, recounted independently from default_rng([seed, length]).
    length, n, seed = 8, 400, 11
    rng = np.random.default_rng([seed, length])
    x = np.concatenate([tasks.CopyTask().sample(50, rng, min_length=length, max_length=length).x for _ in range(8)])
    blank = [np.flatnonzero(~x[i, :length, :8].any(-1)).tolist() for i in range(n)]
    one_bit = [i for i in range(n) if not blank[i] and x[i, 0, :3].all()]
    assert any(blank) and one_bit  # the draw holds both kinds

    found = ntm_core.evaluation.failures(_BlankBlindCopier(), "copy", length=length, num_sequences=n, seed=seed)
    total = [r for r in found if r["bit_errors"] == 8 * length]
    assert sorted(r["index"] for r in total) == [i for i in range(n) if blank[i]]
    assert all(r["blank_vectors"] == blank[r["index"]] and r["first_wrong"] == 0 for r in total)
    single = found[len(total):]  # worst first
    assert sorted(r["index"] for r in single) == one_bit
    assert all(r["bit_errors"] == 1 and r["first_wrong"] == 5 and r["blank_vectors"] == [] for r in single)
    # evaluate() scored the same sequences
    row = evaluate(_BlankBlindCopier(), "copy", lengths=[length], num_sequences=n, seed=seed)[0]
    assert row["bit_errors"] == pytest.approx((8 * length * len(total) + len(single)) / n)


def test_evaluate_failures_on_the_command_line(tmp_path, toy_model, capsys):
    from ntm_core.__main__ import main

    path = save_for_inference(toy_model, tmp_path / "toy.keras")
    out = tmp_path / "failures.json"
    assert main(["evaluate", str(path), "--task", "copy", "--lengths", "3", "--sequences", "6", "--seed", "5",
                 "--failures", "--json", str(out)]) == 0
    listed = json.loads(out.read_text())["failures"]["3"]
    expected = ntm_core.evaluation.failures(toy_model, "copy", length=3, num_sequences=6, seed=5)
    assert listed == expected and len(expected) > 0  # a 10-step toy model still makes mistakes
    assert f"length 3: {len(expected)} of 6 sequences with a wrong bit" in capsys.readouterr().out
