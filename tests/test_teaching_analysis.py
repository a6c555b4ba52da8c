"""ntm_core.notebook_helpers: the figures and small computations of notebooks 05-09.

Mostly NumPy on synthetic traces whose answers are known by construction, so
the module is marked ``once`` (TensorFlow pass only); the two helpers that run
a model use a tiny untrained NTM.
"""

import math

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import ntm_core
from ntm_core import notebook_helpers as nh
from ntm_core.exercises import FAILED, NOT_DONE, PASSED
from ntm_core.tasks import CopyTask, NGramTask, PrioritySortTask, RepeatCopyTask, copy_batch
from ntm_core.trace import HeadTrace, Trace

pytestmark = pytest.mark.once


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    matplotlib.pyplot.close("all")


# --------------------------------------------------------------------------
# a synthetic copy trace with a known program
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# check_answer
# --------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [None, ..., "", "   "])
def test_check_answer_unanswered_is_not_done(answer):
    result = nh.check_answer("Q", answer, 3)
    assert result.status == NOT_DONE and not result
    assert "not done" in result.report()


def test_check_answer_right_wrong_and_tolerance():
    assert nh.check_answer("Q", 3, 3).status == PASSED
    assert nh.check_answer("Q", "3", 3).status == PASSED
    assert nh.check_answer("Q", 0.52, 0.5, tolerance=0.05).status == PASSED
    wrong = nh.check_answer("Q", 4, 3, hint="look again")
    assert wrong.status == FAILED and "look again" in wrong.message


@pytest.mark.parametrize("answer", ["abc", [1, 2], object(), float("nan"), True])
def test_check_answer_never_raises_on_odd_answers(answer):
    assert nh.check_answer("Q", answer, 3).status == FAILED


def test_check_answer_without_expected_value_judges_nothing():
    assert nh.check_answer("Q", 5, None).status == NOT_DONE


# --------------------------------------------------------------------------
# the copy program
# --------------------------------------------------------------------------

def test_describe_copy_attention_recovers_the_program():
    f = nh.describe_copy_attention(copy_trace(length=6, offset=1), 6)
    assert list(f["written_to"]) == [0, 1, 2, 3, 4, 5]
    assert f["typical_write_move"] == 1 and f["typical_read_move"] == 1
    assert f["read_offset"] == 1 and f["read_offset_match"] == 1.0
    assert f["first_misread"] is None
    assert f["read_start_step"] == 6  # the read head sits on slot 0 at the delimiter
    assert f["focus_strength"] == {"write": 1.0, "read": 1.0}


def test_describe_copy_attention_finds_the_first_misread():
    f = nh.describe_copy_attention(copy_trace(length=8, offset=0, misread_at=5), 8)
    assert f["read_offset"] == 0
    assert f["first_misread"] == 5


def test_describe_copy_attention_wraps_around_the_ring():
    f = nh.describe_copy_attention(copy_trace(length=10, n=8), 10)
    assert f["typical_write_move"] == 1  # 7 -> 0 is a move of +1 on 8 slots


def test_describe_copy_attention_rejects_a_short_trace():
    with pytest.raises(ValueError):
        nh.describe_copy_attention(copy_trace(length=3), 5)


def test_phase_summary_and_explanation():
    tr = copy_trace(length=6)
    rows = nh.phase_summary(tr, 6)
    assert len(rows) == 2 * 3
    write_input = next(r for r in rows if r["head"] == "write head 0" and r["phase"] == "input")
    assert write_input["g"] == pytest.approx(0.1) and write_input["shift"] == pytest.approx(1.0)
    assert "recall" in nh.format_phase_summary(rows)
    text = nh.explain_copy_attention(tr, 6)
    assert "location-based" in text and "content-based" in text
    assert "+1 slot per step in 5 of 5 steps" in text


def test_explain_copy_attention_on_a_tiny_sequence_does_not_fail():
    assert "too short" in nh.explain_copy_attention(copy_trace(length=1), 1)


# --------------------------------------------------------------------------
# computations
# --------------------------------------------------------------------------

def test_dnc_temporal_links_of_one_hot_writes():
    links, precedence = nh.dnc_temporal_links(one_hot_rows([0, 1, 2], 5))
    expected = np.zeros((5, 5))
    expected[1, 0] = expected[2, 1] = 1.0
    np.testing.assert_allclose(links, expected)
    np.testing.assert_allclose(precedence, [0, 0, 1, 0, 0])


def test_ngram_true_probabilities_and_costs():
    task = NGramTask()
    batch = task.sample(20, 0)
    truth = nh.ngram_true_probabilities(batch.x, batch.extras["tables"], task.context)
    # step t predicts bit t+1 from the last 5 bits seen, oldest most significant
    b, t = 3, 40
    bits = batch.x[b, t - 4:t + 1, 0].astype(int)
    index = int("".join(map(str, bits)), 2)
    assert truth[b, t] == pytest.approx(batch.extras["tables"][b, index])
    costs = nh.ngram_costs(batch, task.context)
    means = {k: float(np.mean(v)) for k, v in costs.items()}
    assert means["always 0.5"] == pytest.approx(200.0)
    bayes = next(v for k, v in means.items() if k.startswith("Bayes"))
    assert means["oracle (knows the table)"] < bayes < means["always 0.5"]
    np.testing.assert_allclose(costs[next(k for k in costs if k.startswith("Bayes"))],
                               task.bayes_optimal_cost(batch, reduce=False))


class ZeroModel:
    def predict_on_batch(self, x):
        return np.zeros(x.shape[:2] + (9,), np.float32)


def test_repeat_copy_errors_counts_data_and_end_marker_errors():
    rows = nh.repeat_copy_errors(ZeroModel(), [2, 3], length=4, num_sequences=5, seed=1)
    assert [r["repeats"] for r in rows] == [2, 3]
    for r in rows:
        # all-zero outputs: every 1 bit of the copies is wrong, and the one end marker
        rng = np.random.default_rng([1, r["repeats"], 4])
        batch = RepeatCopyTask().sample(5, rng, min_length=4, max_length=4,
                                        min_repeats=r["repeats"], max_repeats=r["repeats"])
        assert r["data_bit_errors"] == pytest.approx(batch.y[..., :8].sum(axis=(1, 2)).mean())
        assert r["end_marker_errors"] == 1.0 and r["early_end_markers"] == 0.0 and r["perfect"] == 0.0
        assert math.isfinite(r["bits_per_seq"])


class PerfectCopier:
    def predict_on_batch(self, x):
        length = (x.shape[1] - 1) // 2
        out = np.zeros(x.shape[:2] + (8,), np.float32)
        out[:, length + 1:] = x[:, :length, :8]
        return out


def test_copy_examples_and_their_figure():
    examples = nh.copy_examples({"perfect": PerfectCopier()}, [3, 7], seed=2)
    assert [e["length"] for e in examples] == [3, 7]
    for e in examples:
        assert e["target"].shape == (e["length"], 8)
        np.testing.assert_array_equal(e["outputs"]["perfect"], e["target"])
    fig = nh.plot_outputs_by_length(examples)
    assert isinstance(fig, Figure)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert "perfect (0 wrong)" in labels


def test_slot_changes_on_a_small_ntm():
    model = ntm_core.build_ntm("copy", memory_size=8, memory_width=4, controller_units=8)
    x = copy_batch(1, 3, rng=0).x[0]
    changes = nh.slot_changes(model, x, 1)
    assert changes.shape == (8,) and np.all(changes >= 0)


def test_run_folder_and_missing_files(tmp_path, monkeypatch):
    temporary = nh.run_folder("x", temporary=True)
    assert temporary.is_dir()
    monkeypatch.setattr(nh, "REPO_DIR", tmp_path)
    assert nh.run_folder("abc") == tmp_path / "runs" / "abc" and (tmp_path / "runs" / "abc").is_dir()
    assert nh.pretrained_info("no_such_checkpoint") is None
    assert nh.load_result_or_none("no_such_result") is None


# --------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------

def test_data_figures():
    batch = CopyTask().sample(4, 0, max_length=6)
    assert isinstance(nh.plot_batch_mask(batch), Figure)
    rc = RepeatCopyTask().sample(1, 0, min_length=3, max_length=3, min_repeats=2, max_repeats=2)
    fig = nh.plot_sequence_example(rc.x, rc.y, rc.mask, prediction=rc.y, input_labels={8: "start"},
                                   output_labels={8: "end"})
    assert len(fig.axes) == 3
    ps = PrioritySortTask().sample(1, 0)
    fig = nh.plot_sequence_example(ps.x, ps.y, ps.mask, signed_rows=[8])
    overlay = fig.axes[0].images[1].get_array()
    assert np.ma.count(overlay) == ps.x.shape[1]  # only the priority row is drawn on the signed scale


def test_curriculum_figure():
    from ntm_core.tasks import Curriculum

    cur = Curriculum(5, 20, step=5, threshold=0.5)
    errors = [1.0, 0.2, 0.3, 0.1, 0.1]
    for e in errors:
        cur.update(e)
    fig = nh.plot_curriculum(errors, cur.log, cur.threshold)
    assert len(fig.axes) == 2


def test_trace_figures():
    tr = copy_trace(length=6)
    fig = nh.plot_head_parameters(tr, length=6)
    assert len(fig.axes) == 4 and len(fig.axes[0].lines) >= 2
    assert isinstance(nh.plot_priority_writes(tr, np.linspace(-1, 1, 6)), Figure)
    links, _ = nh.dnc_temporal_links(tr.write_heads[0].weights[0, :6])
    assert isinstance(nh.plot_link_matrix(links, show=8), Figure)
    fig = nh.plot_slot_changes(np.arange(16.0), 3, width=6)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][:3] == ["12", "13", "14"]
    fig = nh.plot_stages_around_focus(tr.read_heads[0], 8, width=6)
    assert len(fig.axes) == 4 and fig.axes[0].get_xticklabels()[0].get_text() == "15"  # focus 2, wrapped
    fig = nh.plot_memory_rows(np.arange(64.0).reshape(16, 4), [0, 15, 14])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0", "15", "14"]


def test_circular_window_and_used_slot_range():
    np.testing.assert_array_equal(nh.circular_window(8, 0, 4), [6, 7, 0, 1])
    np.testing.assert_array_equal(nh.circular_window(8, 3, 20), [7, 0, 1, 2, 3, 4, 5, 6])
    assert nh.used_slot_range(copy_trace(length=6, n=32), margin=2) == (0, 15)  # slots 0..12 used
    backwards = copy_trace(length=6, n=32)
    for head in backwards.heads:  # mirror: slot i -> -i, so the heads wrap from 0 to 31, 30, ...
        head.weights[:] = head.weights[..., (-np.arange(32)) % 32]
    assert nh.used_slot_range(backwards) is None


def test_other_figures():
    rows = [{"repeats": r, "a": r * 0.5, "b": 1.0} for r in (1, 5, 3)]
    fig = nh.plot_errors_by(rows, "repeats", ["a", "b"], vline=4, vline_label="train")
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 3, 5]
    fig = nh.plot_weight_comparison({"a": np.ones(4) / 4, "b": np.eye(4)[1]}, xlabel="position")
    assert len(fig.axes) == 2 and fig.axes[0].get_xlabel() == "position"
    batch = NGramTask().sample(1, 0)
    fig = nh.plot_ngram_example(batch.y, batch.mask, {"coin": np.full(batch.y.shape[1], 0.5)}, steps=50)
    assert len(fig.axes) == 2
    history = [{"sequences": s, "val_bits_per_seq": 100.0 / s, "val_bit_errors": 1.0} for s in (10, 20, 30)]
    sweep = {"summary": {"seeds": 3, "finished": 2, "converged": 1},
             "runs": [{"seed": 0, "converged_at": 20, "history": history},
                      {"seed": 1, "converged_at": None, "stopped": "steps", "history": history}]}
    fig = nh.plot_sweep(sweep)
    assert "1 of 2 seeds converged" in fig.axes[0].get_title()
    assert fig.axes[0].lines[1].get_linestyle() == ":"


def test_first_stage_keeps_the_first_commands_run_only():
    history = [{"sequences": s, "val_bit_errors": e} for s, e in ((800, 70.0), (1600, 0.05), (2400, 9.0), (3200, 0.0))]
    info = {
        "command": "python -m ntm_core train copy --resume --blank-share 0.25",
        "commands": ["first", "second"],
        "sequences_seen": 3200, "wall_time_s": 30.0, "converged_at_sequences": 3200, "stopped": "steps",
        "evaluation": {"rows": []}, "history": history, "config": {"seed": 4},
        "stages": [
            {"command": "python -m ntm_core train copy", "task_kwargs": {}, "sequences_seen": 1600,
             "wall_time_s": 12.5, "converged_at_sequences": 1600, "stopped": "converged"},
            {"command": "python -m ntm_core train copy --resume --blank-share 0.25", "task_kwargs": {"blank_share": 0.25},
             "sequences_seen": 3200, "wall_time_s": 30.0, "converged_at_sequences": 3200, "stopped": "steps"},
        ],
    }
    first = nh.first_stage(info)
    assert first["command"] == "python -m ntm_core train copy"
    assert (first["sequences_seen"], first["wall_time_s"], first["stopped"]) == (1600, 12.5, "converged")
    assert [r["sequences"] for r in first["history"]] == [800, 1600]
    assert first["config"] == {"seed": 4} and "evaluation" not in first and "stages" not in first
    assert info["history"] is history and len(history) == 4  # the json itself is left alone
    single = {"command": "c", "history": history}
    assert nh.first_stage(single) is single and nh.first_stage(None) is None
