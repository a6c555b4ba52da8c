"""Tests for ntm_core.viz: each figure has the expected Axes and draws the data it was given.

The plots only use NumPy and matplotlib (no keras.ops), so the module runs
in the TensorFlow pass only. Traces are built by hand, without a model.
"""

import io
import json
import math

import numpy as np
import pytest
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from fake_traces import copy_trace
from notebook_cells import notebook_helpers

from ntm_core.tasks import CopyTask, NGramTask, PrioritySortTask, RepeatCopyTask
from ntm_core.trace import HeadTrace, Trace
from ntm_core.viz.architecture import plot_architecture
from ntm_core.viz.attention import (
    plot_attention_over_time,
    plot_head_parameters,
    plot_memory_rows,
    plot_priority_writes,
    plot_slot_changes,
    plot_stages_around_focus,
)
from ntm_core.viz.bands import label_band, resolve_slots, slot_band
from ntm_core.viz.curves import plot_curriculum, plot_errors_by, plot_generalisation, plot_learning_curve, plot_sweep
from ntm_core.viz.sequences import plot_batch_mask, plot_copy_example, plot_ngram_example, plot_sequence_example
from ntm_core.viz.style import circular_window
from ntm_core.viz.weightings import plot_addressing_stages, plot_memory, plot_weighting

pytestmark = pytest.mark.once

RNG = np.random.default_rng(0)


def bar_heights(ax, index=0):
    return np.array([rect.get_height() for rect in ax.containers[index]])


def images(ax):
    return [np.asarray(im.get_array()) for im in ax.get_images()]


@pytest.fixture(autouse=True)
def _no_pyplot_leftovers():
    before = set(plt.get_fignums())
    yield
    # Figures made by the plots are detached from pyplot, so the inline
    # backend cannot show them a second time.
    assert set(plt.get_fignums()) == before


def copy_arrays(length=4, bits=3):
    pattern = RNG.integers(0, 2, (length, bits)).astype(np.float32)
    steps = 2 * length + 1
    x = np.zeros((steps, bits + 1), np.float32)
    y = np.zeros((steps, bits), np.float32)
    mask = np.zeros(steps, np.float32)
    x[:length, :bits] = pattern
    x[length, bits] = 1
    y[length + 1 :] = pattern
    mask[length + 1 :] = 1
    return x, y, mask


def test_copy_example_draws_input_target_and_output():
    x, y, mask = copy_arrays()
    prediction = RNG.uniform(size=y.shape)
    fig = plot_copy_example(x, y, prediction, mask)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    (inp,), (tgt,), (out,) = (images(ax) for ax in fig.axes)
    np.testing.assert_array_equal(inp, x.T)
    np.testing.assert_array_equal(tgt, y.T)
    np.testing.assert_allclose(out, prediction.T)
    # Unscored steps (0..L) are greyed over on target and output, not on the input.
    assert len(fig.axes[1].patches) == 1 and len(fig.axes[2].patches) == 1
    assert len(fig.axes[0].patches) == 0
    span = fig.axes[1].patches[0].get_x(), fig.axes[1].patches[0].get_width()
    assert span == (-0.5, 5.0)


def test_copy_example_without_prediction_accepts_a_batch_axis():
    x, y, _ = copy_arrays()
    fig = plot_copy_example(x[None], y[None])
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(images(fig.axes[0])[0], x.T)


def test_copy_example_rejects_mismatched_prediction():
    x, y, _ = copy_arrays()
    with pytest.raises(ValueError, match="prediction"):
        plot_copy_example(x, y, prediction=y[:, :2])


def test_weighting_bars_are_the_weights():
    w = RNG.dirichlet(np.ones(8))
    fig = plot_weighting(w, title="w")
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    np.testing.assert_allclose(bar_heights(ax), w)
    assert ax.get_title() == "w"
    assert ax.get_ylim() == (0.0, 1.0)


def test_weighting_draws_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_weighting(np.array([[0.25, 0.75]]), ax=ax) is fig
    np.testing.assert_allclose(bar_heights(ax), [0.25, 0.75])


def test_memory_image_and_symmetric_colour_scale():
    memory = RNG.normal(size=(6, 4))
    fig = plot_memory(memory, title="M")
    assert len(fig.axes) == 2  # the image and its colorbar
    (image,) = fig.axes[0].get_images()
    np.testing.assert_allclose(image.get_array(), memory)
    vmin, vmax = image.get_clim()
    assert vmax == pytest.approx(np.abs(memory).max()) and vmin == -vmax
    assert fig.axes[0].get_title() == "M"
    assert len(plot_memory(memory, colorbar=False, vmax=3.0).axes) == 1


def test_addressing_stages_four_bar_charts_with_equation_titles():
    stages = [RNG.dirichlet(np.ones(5)) for _ in range(4)]
    fig = plot_addressing_stages(*stages)
    assert len(fig.axes) == 4
    for ax, w, eq in zip(fig.axes, stages, ["eq. 5", "eq. 7", "eq. 8", "eq. 9"]):
        np.testing.assert_allclose(bar_heights(ax), w)
        assert eq in ax.get_title()


def test_addressing_stages_reject_different_sizes():
    with pytest.raises(ValueError, match="same number of slots"):
        plot_addressing_stages(np.ones(4) / 4, np.ones(4) / 4, np.ones(4) / 4, np.ones(5) / 5)


def fake_trace(batch=2, steps=7, slots=10, width=4, bits=3):
    """A Trace with random arrays of the right shapes (no model needed)."""

    def head(kind):
        arrays = {name: RNG.uniform(size=(batch, steps, slots)) for name in
                  ("content", "interpolated", "shifted", "weights")}
        return HeadTrace(
            kind=kind, index=0, key=RNG.normal(size=(batch, steps, width)), beta=RNG.uniform(size=(batch, steps)),
            g=RNG.uniform(size=(batch, steps)), shift=RNG.dirichlet(np.ones(3), size=(batch, steps)),
            gamma=1 + RNG.uniform(size=(batch, steps)),
            erase=RNG.uniform(size=(batch, steps, width)) if kind == "write" else None,
            add=RNG.normal(size=(batch, steps, width)) if kind == "write" else None,
            read=RNG.normal(size=(batch, steps, width)) if kind == "read" else None,
            **arrays,
        )

    return Trace(
        inputs=RNG.integers(0, 2, (batch, steps, bits + 1)).astype(np.float32),
        outputs=RNG.uniform(size=(batch, steps, bits)),
        initial_memory=np.zeros((batch, slots, width)),
        memory=RNG.normal(size=(batch, steps, slots, width)),
        controller_output=np.zeros((batch, steps, 5)),
        heads=[head("write"), head("read")],
    )


def test_attention_over_time_is_figure_6():
    tr = fake_trace()
    fig = plot_attention_over_time(tr, batch_index=1)
    assert len(fig.axes) == 6
    write, read = tr.heads
    expected = [tr.inputs[1].T, tr.outputs[1].T, write.add[1].T, read.read[1].T, write.weights[1].T, read.weights[1].T]
    for ax, data in zip(fig.axes, expected):
        (image,) = images(ax)
        np.testing.assert_allclose(image, data)
    titles = [ax.get_title() for ax in fig.axes]
    assert "inputs" in titles[0] and "outputs" in titles[1]
    assert "eq. 4" in titles[2] and "eq. 2" in titles[3]
    assert "write weightings" in titles[4] and "read weightings" in titles[5]


def test_attention_over_time_can_show_a_few_slots():
    tr = fake_trace()
    fig = plot_attention_over_time(tr, slots=(2, 6))
    (image,) = fig.axes[4].get_images()
    np.testing.assert_allclose(image.get_array(), tr.heads[0].weights[0, :, 2:6].T)
    assert tick_labels(fig.axes[4]) == ["2", "3", "4", "5"]  # the ticks name the real slots


def tick_labels(ax, axis="y"):
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def rolled(trace, by):
    """The same trace with every slot i moved to slot i + by (mod N)."""
    for head in trace.heads:
        for stage in ("content", "interpolated", "shifted", "weights"):
            setattr(head, stage, np.roll(getattr(head, stage), by, axis=-1))
    return trace


# --------------------------------------------------------------------------
# the band of slots in use (issue 15: the plots of a trained model show it by
# default). copy_trace(length=12, n=128): the write head visits slots 0..24
# (input, delimiter and recall), the read head slot 0 and then 1..12.
# --------------------------------------------------------------------------

def test_band_of_a_copy_trace_holds_every_used_slot_and_is_narrow():
    tr = copy_trace(length=12, n=128)
    band = slot_band(tr)
    # Used: slots 0..24; 3 slots of margin after them, none before slot 0.
    np.testing.assert_array_equal(band, np.arange(28))
    used = {int(s) for h in tr.heads for s in np.flatnonzero(h.weights[0].max(axis=0) > 0.05)}
    assert used <= set(band.tolist()) and len(band) <= 128 // 4
    fig = plot_attention_over_time(tr)  # the band is the default
    for ax, head in ((fig.axes[4], tr.heads[0]), (fig.axes[5], tr.heads[1])):
        (image,) = ax.get_images()
        np.testing.assert_array_equal(image.get_array(), head.weights[0][:, :28].T)
    assert tick_labels(fig.axes[4]) == ["0", "10", "20"]  # at most 5 labels: every 10th slot
    fig = plot_attention_over_time(tr, slots="all")
    for ax, head in ((fig.axes[4], tr.heads[0]), (fig.axes[5], tr.heads[1])):
        np.testing.assert_array_equal(ax.get_images()[0].get_array(), head.weights[0].T)


def test_band_wraps_around_the_ring():
    # Moved to start at slot 120: used 120..127 and 0..16, padded to 117..19.
    band = slot_band(rolled(copy_trace(length=12, n=128), 120))
    np.testing.assert_array_equal(band, np.r_[117:128, 0:20])
    fig, ax = plt.subplots()
    plt.close(fig)
    label_band(ax, band)
    assert tick_labels(ax) == ["120", "125", "0", "5", "10", "15"]
    np.testing.assert_array_equal(ax.get_yticks(), [3, 8, 11, 16, 21, 26])
    # Heads moving backwards from slot 0: used 104..127 and 0.
    backwards = copy_trace(length=12, n=128)
    for head in backwards.heads:
        head.weights[:] = head.weights[..., (-np.arange(128)) % 128]
    np.testing.assert_array_equal(slot_band(backwards), np.r_[101:128, 0:4])
    # The figure draws the wrapped band as one picture, row i = slot band[i].
    fig = plot_attention_over_time(backwards)
    np.testing.assert_array_equal(fig.axes[4].get_images()[0].get_array(),
                                  backwards.heads[0].weights[0][:, np.r_[101:128, 0:4]].T)


def test_band_threshold_margin_and_ties():
    n = 32
    diffuse = np.full((5, n), 1 / n)  # nothing above the threshold: show everything
    np.testing.assert_array_equal(slot_band(diffuse), np.arange(n))
    w = np.zeros((3, n))
    w[0, 10], w[1, 11], w[2, 12] = 0.9, 0.04, 0.06  # 0.04 is below the threshold, but inside the arc
    np.testing.assert_array_equal(slot_band(w, margin=0), [10, 11, 12])
    np.testing.assert_array_equal(slot_band(w, margin=2), np.arange(8, 15))
    np.testing.assert_array_equal(slot_band(w, threshold=0.5, margin=1), [9, 10, 11])
    tie = np.zeros((2, n))
    tie[0, 0], tie[1, 16] = 1.0, 1.0  # two arcs of equal length: the one that does not wrap
    np.testing.assert_array_equal(slot_band(tie, margin=1), np.arange(0, 18))
    ends = np.zeros((2, n))
    ends[0, 1], ends[1, 30] = 1.0, 1.0  # used 30, 31, 0, 1 wraps; padded by 14 it covers the ring
    np.testing.assert_array_equal(slot_band(ends, margin=2), np.r_[28:32, 0:4])
    np.testing.assert_array_equal(slot_band(ends, margin=14), np.arange(n))


def test_resolve_slots_and_its_errors():
    tr = copy_trace(length=6, n=32)
    np.testing.assert_array_equal(resolve_slots("all", tr, 32), np.arange(32))
    np.testing.assert_array_equal(resolve_slots("used", tr, 32), np.arange(16))  # used 0..12, + 3
    np.testing.assert_array_equal(resolve_slots((4, 7), tr, 32), [4, 5, 6])
    np.testing.assert_array_equal(resolve_slots([31, 0, 1], tr, 32), [31, 0, 1])
    with pytest.raises(ValueError, match="`slots`"):
        resolve_slots("some", tr, 32)
    with pytest.raises(ValueError, match=r"`slots\[1\]`"):
        resolve_slots((5, 3), tr, 32)
    with pytest.raises(TypeError, match="`slots`"):
        resolve_slots(1.5, tr, 32)
    with pytest.raises(ValueError, match="`slots`"):
        resolve_slots([0, 40], tr, 32)
    with pytest.raises(TypeError, match="`margin`"):
        slot_band(tr, margin=1.5)


def history_rows():
    rows = []
    for i in range(6):
        rows.append({"step": i, "sequences": 16 * i, "time": 2.0 * i, "loss": 1.0 / (i + 1),
                     "bits_per_seq": 10.0 / (i + 1), "bit_errors": 3.0 - 0.5 * i,
                     "val_bits_per_seq": 9.0 / (i + 1), "val_bit_errors": 3.0 - 0.5 * i, "max_length": 5})
    rows[2]["val_bit_errors"] = math.nan  # not measured at that step
    rows[3]["val_bit_errors"] = None
    return rows


def test_learning_curve_skips_missing_values():
    fig = plot_learning_curve(history_rows())
    (line,) = fig.axes[0].lines
    np.testing.assert_allclose(line.get_xdata(), [0, 16, 64, 80])
    np.testing.assert_allclose(line.get_ydata(), [3.0, 2.5, 1.0, 0.5])
    assert "sequences" in fig.axes[0].get_xlabel()


def test_learning_curve_from_a_file_with_log_axis_and_label(tmp_path):
    (tmp_path / "history.json").write_text(json.dumps(history_rows()))
    fig = plot_learning_curve(tmp_path, x="step", y="loss", logy=True, label="NTM")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_legend() is not None
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0 / (i + 1) for i in range(6)])
    # A second run drawn into the same Axes.
    plot_learning_curve(tmp_path / "history.json", ax=ax, x="step", y="bits_per_seq", label="other")
    assert len(ax.lines) == 2


def test_generalisation_one_line_per_model_sorted_by_length():
    rows = {
        "NTM": [{"length": 20, "bits_per_seq": 1.0, "bit_errors": 0.1},
                {"length": 10, "bits_per_seq": 0.5, "bit_errors": 0.0}],
        "LSTM": [{"length": 10, "bits_per_seq": 2.0, "bit_errors": 1.0},
                 {"length": 20, "bits_per_seq": 9.0, "bit_errors": 12.0}],
    }
    fig = plot_generalisation(rows, train_max_length=20)
    ax = fig.axes[0]
    ntm, lstm = ax.lines[:2]
    np.testing.assert_allclose(ntm.get_xdata(), [10, 20])
    np.testing.assert_allclose(ntm.get_ydata(), [0.0, 0.1])
    np.testing.assert_allclose(lstm.get_ydata(), [1.0, 12.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["NTM", "LSTM"]
    assert len(ax.lines) == 3  # plus the training-length marker
    fig = plot_generalisation(rows, y="bits_per_seq")
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), [2.0, 9.0])


def test_architecture_diagram_labels():
    fig = plot_architecture()
    assert len(fig.axes) == 1
    text = " ".join(t.get_text() for t in fig.axes[0].texts).lower()
    for label in ("external\ninput", "external\noutput", "controller", "read heads", "write heads",
                  "memory matrix", "read vector"):
        assert label in text
    assert len(fig.axes[0].patches) > 10  # boxes, arrows and the memory grid


def test_figures_render():
    # A smoke test that every figure draws without errors (Agg).
    x, y, mask = copy_arrays()
    for fig in (plot_copy_example(x, y, y, mask), plot_attention_over_time(fake_trace()), plot_architecture()):
        fig.savefig(io.BytesIO(), format="png")


# --------------------------------------------------------------------------
# the figures of notebooks 05-09
# --------------------------------------------------------------------------

# Helpers that live in notebook 09's "helpers" cells.
NB09 = notebook_helpers("09_what_came_after")


def test_data_figures():
    batch = CopyTask().sample(4, 0, max_length=6)
    assert isinstance(plot_batch_mask(batch), Figure)
    rc = RepeatCopyTask().sample(1, 0, min_length=3, max_length=3, min_repeats=2, max_repeats=2)
    fig = plot_sequence_example(rc.x, rc.y, rc.mask, prediction=rc.y, input_labels={8: "start"},
                                   output_labels={8: "end"})
    assert len(fig.axes) == 3
    ps = PrioritySortTask().sample(1, 0)
    fig = plot_sequence_example(ps.x, ps.y, ps.mask, signed_rows=[8])
    overlay = fig.axes[0].images[1].get_array()
    assert np.ma.count(overlay) == ps.x.shape[1]  # only the priority row is drawn on the signed scale


def test_curriculum_figure():
    from ntm_core.tasks import Curriculum

    cur = Curriculum(5, 20, step=5, threshold=0.5)
    errors = [1.0, 0.2, 0.3, 0.1, 0.1]
    for e in errors:
        cur.update(e)
    fig = plot_curriculum(errors, cur.log, cur.threshold)
    assert len(fig.axes) == 2


def test_trace_figures():
    tr = copy_trace(length=6)
    fig = plot_head_parameters(tr, length=6)
    assert len(fig.axes) == 4 and len(fig.axes[0].lines) >= 2
    assert isinstance(plot_priority_writes(tr, np.linspace(-1, 1, 6)), Figure)
    links, _ = NB09["dnc_temporal_links"](tr.write_heads[0].weights[0, :6])
    assert isinstance(NB09["plot_link_matrix"](links, show=8), Figure)
    fig = plot_slot_changes(np.arange(16.0), 3, width=6)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][:3] == ["12", "13", "14"]
    fig = plot_stages_around_focus(tr.read_heads[0], 8, width=6)
    assert len(fig.axes) == 4  # slots 15, 0, 1, 2, 3, 4: focus 2, wrapped; round labels every 2nd slot
    assert tick_labels(fig.axes[0], "x") == ["0", "2", "4"]
    np.testing.assert_array_equal(fig.axes[0].get_xticks(), [1, 3, 5])
    np.testing.assert_allclose(bar_heights(fig.axes[0]), tr.read_heads[0].content[0, 8, [15, 0, 1, 2, 3, 4]])
    # By default the band this head used: the read head visits slots 0..6 (+ 3).
    read = tr.read_heads[0]
    fig = plot_stages_around_focus(read, 8)
    for ax, stage in zip(fig.axes, ("content", "interpolated", "shifted", "weights")):
        np.testing.assert_allclose(bar_heights(ax), getattr(read, stage)[0, 8, :10])
    fig = plot_stages_around_focus(read, 8, slots="all")
    assert len(fig.axes[3].containers[0]) == 16
    fig = plot_memory_rows(np.arange(64.0).reshape(16, 4), [0, 15, 14])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0", "15", "14"]


def test_circular_window():
    np.testing.assert_array_equal(circular_window(8, 0, 4), [6, 7, 0, 1])
    np.testing.assert_array_equal(circular_window(8, 3, 20), [7, 0, 1, 2, 3, 4, 5, 6])


def test_other_figures():
    rows = [{"repeats": r, "a": r * 0.5, "b": 1.0} for r in (1, 5, 3)]
    fig = plot_errors_by(rows, "repeats", ["a", "b"], vline=4, vline_label="train")
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 3, 5]
    fig = NB09["plot_weight_comparison"]({"a": np.ones(4) / 4, "b": np.eye(4)[1]}, xlabel="position")
    assert len(fig.axes) == 2 and fig.axes[0].get_xlabel() == "position"
    batch = NGramTask().sample(1, 0)
    fig = plot_ngram_example(batch.y, batch.mask, {"coin": np.full(batch.y.shape[1], 0.5)}, steps=50)
    assert len(fig.axes) == 2
    history = [{"sequences": s, "val_bits_per_seq": 100.0 / s, "val_bit_errors": 1.0} for s in (10, 20, 30)]
    sweep = {"summary": {"seeds": 3, "finished": 2, "converged": 1},
             "runs": [{"seed": 0, "converged_at": 20, "history": history},
                      {"seed": 1, "converged_at": None, "stopped": "steps", "history": history}]}
    fig = plot_sweep(sweep)
    assert "1 of 2 seeds converged" in fig.axes[0].get_title()
    assert fig.axes[0].lines[1].get_linestyle() == ":"


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="`width`"):
        circular_window(8, 0, 0)
    with pytest.raises(ValueError, match="`t`"):
        plot_stages_around_focus(copy_trace(length=3).read_heads[0], 99)
