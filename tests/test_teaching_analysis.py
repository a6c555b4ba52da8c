"""The analyses of notebooks 05-09: short-answer checks, what a copy NTM's
heads did, task baselines, result files, and the helpers kept in notebook cells.

Mostly NumPy on synthetic traces whose answers are known by construction, so
the module is marked ``once`` (TensorFlow pass only); the two helpers that run
a model use a tiny untrained NTM.
"""

import math

import matplotlib
import numpy as np
import pytest
from fake_traces import copy_trace, one_hot_rows
from matplotlib.figure import Figure
from notebook_cells import notebook_helpers

import ntm_core
from ntm_core.tasks import NGramTask, RepeatCopyTask, copy_batch
from ntm_core.teaching import copy_attention, results, task_analysis
from ntm_core.teaching.demo_data import demo_memory, focused_weighting, shift_distribution

from ntm_core.viz.sequences import plot_outputs_by_length

pytestmark = pytest.mark.once


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    matplotlib.pyplot.close("all")


# Helpers that live in the notebooks' "helpers" cells.
NB05, NB07, NB09 = (notebook_helpers(name) for name in
                    ("05_training_the_copy_task", "07_ntm_vs_lstm", "09_what_came_after"))


# --------------------------------------------------------------------------
# the copy program
# --------------------------------------------------------------------------

def test_describe_copy_attention_recovers_the_program():
    f = copy_attention.describe_copy_attention(copy_trace(length=6, offset=1), 6)
    assert list(f["written_to"]) == [0, 1, 2, 3, 4, 5]
    assert f["typical_write_move"] == 1 and f["typical_read_move"] == 1
    assert f["read_offset"] == 1 and f["read_offset_match"] == 1.0
    assert f["first_misread"] is None
    assert f["read_start_step"] == 6  # the read head sits on slot 0 at the delimiter
    assert f["focus_strength"] == {"write": 1.0, "read": 1.0}


def test_describe_copy_attention_finds_the_first_misread():
    f = copy_attention.describe_copy_attention(copy_trace(length=8, offset=0, misread_at=5), 8)
    assert f["read_offset"] == 0
    assert f["first_misread"] == 5


def test_describe_copy_attention_wraps_around_the_ring():
    f = copy_attention.describe_copy_attention(copy_trace(length=10, n=8), 10)
    assert f["typical_write_move"] == 1  # 7 -> 0 is a move of +1 on 8 slots


def test_describe_copy_attention_rejects_a_short_trace():
    with pytest.raises(ValueError):
        copy_attention.describe_copy_attention(copy_trace(length=3), 5)


def test_phase_summary_and_explanation():
    tr = copy_trace(length=6)
    rows = copy_attention.phase_summary(tr, 6)
    assert len(rows) == 2 * 3
    write_input = next(r for r in rows if r["head"] == "write head 0" and r["phase"] == "input")
    assert write_input["g"] == pytest.approx(0.1) and write_input["shift"] == pytest.approx(1.0)
    assert "recall" in copy_attention.format_phase_summary(rows)
    text = copy_attention.explain_copy_attention(tr, 6)
    assert "location-based" in text and "content-based" in text
    assert "+1 slot per step in 5 of 5 steps" in text


def test_explain_copy_attention_on_a_tiny_sequence_does_not_fail():
    assert "too short" in copy_attention.explain_copy_attention(copy_trace(length=1), 1)


# --------------------------------------------------------------------------
# computations
# --------------------------------------------------------------------------

def test_dnc_temporal_links_of_one_hot_writes():
    links, precedence = NB09["dnc_temporal_links"](one_hot_rows([0, 1, 2], 5))
    expected = np.zeros((5, 5))
    expected[1, 0] = expected[2, 1] = 1.0
    np.testing.assert_allclose(links, expected)
    np.testing.assert_allclose(precedence, [0, 0, 1, 0, 0])


def test_ngram_true_probabilities_and_costs():
    task = NGramTask()
    batch = task.sample(20, 0)
    truth = task_analysis.ngram_true_probabilities(batch.x, batch.extras["tables"], task.context)
    # step t predicts bit t+1 from the last 5 bits seen, oldest most significant
    b, t = 3, 40
    bits = batch.x[b, t - 4:t + 1, 0].astype(int)
    index = int("".join(map(str, bits)), 2)
    assert truth[b, t] == pytest.approx(batch.extras["tables"][b, index])
    costs = task_analysis.ngram_costs(batch, task.context)
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
    rows = task_analysis.repeat_copy_errors(ZeroModel(), [2, 3], length=4, num_sequences=5, seed=1)
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
    examples = NB07["copy_examples"]({"perfect": PerfectCopier()}, [3, 7], seed=2)
    assert [e["length"] for e in examples] == [3, 7]
    for e in examples:
        assert e["target"].shape == (e["length"], 8)
        np.testing.assert_array_equal(e["outputs"]["perfect"], e["target"])
    fig = plot_outputs_by_length(examples)
    assert isinstance(fig, Figure)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert "perfect (0 wrong)" in labels


def test_slot_changes_on_a_small_ntm():
    model = ntm_core.build_ntm("copy", memory_size=8, memory_width=4, controller_units=8)
    x = copy_batch(1, 3, rng=0).x[0]
    changes = copy_attention.slot_changes(model, x, 1)
    assert changes.shape == (8,) and np.all(changes >= 0)


def test_run_folder_and_missing_files(tmp_path, monkeypatch):
    temporary = results.run_folder("x", temporary=True)
    assert temporary.is_dir()
    monkeypatch.setattr(results, "REPO_DIR", tmp_path)
    assert results.run_folder("abc") == tmp_path / "runs" / "abc" and (tmp_path / "runs" / "abc").is_dir()
    assert NB05["pretrained_info"]("no_such_checkpoint") is None
    assert results.load_result_or_none("no_such_result") is None


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
    first = results.first_stage(info)
    assert first["command"] == "python -m ntm_core train copy"
    assert (first["sequences_seen"], first["wall_time_s"], first["stopped"]) == (1600, 12.5, "converged")
    assert [r["sequences"] for r in first["history"]] == [800, 1600]
    assert first["config"] == {"seed": 4} and "evaluation" not in first and "stages" not in first
    assert info["history"] is history and len(history) == 4  # the json itself is left alone
    single = {"command": "c", "history": history}
    assert results.first_stage(single) is single and results.first_stage(None) is None


# --------------------------------------------------------------------------
# demo data
# --------------------------------------------------------------------------

def test_focused_weighting_and_shift_distribution_by_hand():
    np.testing.assert_array_equal(focused_weighting(5, 7, 0.0), [0, 0, 1, 0, 0])  # focus taken mod N
    w = focused_weighting(8, 0, 1.0)
    d = np.array([0, 1, 2, 3, 4, 3, 2, 1])  # circular distance to slot 0
    np.testing.assert_allclose(w, np.exp(-d**2 / 2) / np.exp(-d**2 / 2).sum(), rtol=1e-6)
    np.testing.assert_allclose(shift_distribution(1, 0.3), [0.1, 0.1, 0.8], rtol=1e-6)
    np.testing.assert_allclose(shift_distribution(-2, 0.0, radius=2), [1, 0, 0, 0, 0])


def test_demo_memory_has_a_near_twin_and_distinct_rows():
    m = demo_memory(8, 6, seed=3)
    assert m.shape == (8, 6) and set(np.unique(m)) == {-1.0, 1.0}
    assert np.sum(m[0] != m[1]) == 1 and m[0, -1] == -m[1, -1]
    assert len({tuple(r) for r in m}) == 8


def test_demo_data_names_a_bad_argument():
    with pytest.raises(ValueError, match="`blur`"):
        focused_weighting(8, 3, -1.0)
    with pytest.raises(ValueError, match="`shift`"):
        shift_distribution(2, 0.0)
    with pytest.raises(TypeError, match="`n`"):
        demo_memory(8.0, 6)
