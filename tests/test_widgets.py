"""Tests for ntm_core.widgets: set the widgets, check what is drawn.

Expected values come from the NumPy reference of eq. 2-9
(ntm_core.teaching.reference), never from ntm_core.addressing /
ntm_core.memory. Every explorer must update its artists in place: the same
objects before and after a change, and the same number of Axes.
"""

import ipywidgets as widgets
import numpy as np
import pytest
from fake_traces import copy_trace
from matplotlib import pyplot as plt

from ntm_core.models import build_ntm
from ntm_core.teaching import reference as ref
from ntm_core.widgets import inspector
from ntm_core.widgets.addressing_explorers import (
    AddressingPipelineExplorer,
    ContentAddressingExplorer,
    InterpolationExplorer,
    SharpenExplorer,
    ShiftExplorer,
)
from ntm_core.widgets.inspector import AttentionInspector
from ntm_core.widgets.memory_explorer import ReadWriteExplorer
from ntm_core.widgets.patterns import copy_input, parse_pattern

TOL = {"rtol": 1e-5, "atol": 1e-6}


# --------------------------------------------------------------------------
# the paper's equations (ntm_core.teaching.reference, NumPy, independent of
# the Keras code the explorers call) for one unbatched sequence, and the
# explorers' inputs written out again
# --------------------------------------------------------------------------

def np_read(M, w):  # eq. 2
    return ref.read(M[None], w[None])[0]


def np_write(M, w, e, a):  # eq. 3 then eq. 4
    return ref.write(M[None], w[None], e[None], a[None])[0]


def np_cosine(M, k):  # eq. 6
    return ref.cosine_similarity(M[None], k[None])[0]


def np_content(M, k, beta):  # eq. 5
    return ref.content_weights(M[None], k[None], [[beta]])[0]


def np_interpolate(wc, wp, g):  # eq. 7
    return ref.interpolate(wc[None], wp[None], [[g]])[0]


def np_shift(w, s):  # eq. 8, offsets -R..R
    return ref.shift(w[None], s[None])[0]


def np_sharpen(w, gamma):  # eq. 9
    return ref.sharpen(w[None], [[gamma]])[0]


def circular_gaussian(n, focus, blur):
    d = np.abs(np.arange(n) - focus)
    d = np.minimum(d, n - d)
    w = (d == 0).astype(float) if blur == 0 else np.exp(-(d**2) / (2 * blur**2))
    return w / w.sum()


def one_hot(n, i):
    w = np.zeros(n)
    w[i] = 1
    return w


def shift_weights(shift, blur):
    return (1 - blur) * one_hot(3, shift + 1) + blur / 3


def values(bars):
    """Bar lengths, whichever way the bars point."""
    horizontal = bars.orientation == "horizontal"
    return np.array([r.get_width() if horizontal else r.get_height() for r in bars])


def snapshot(explorer):
    """The artists and Axes, to check that an update recreated nothing."""
    return dict(explorer.artists), list(explorer.figure.axes)


def assert_same_artists(explorer, before):
    artists, axes = before
    assert explorer.figure.axes == axes
    for name, artist in artists.items():
        assert explorer.artists[name] is artist, name


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == before  # explorer figures never enter pyplot


# --------------------------------------------------------------------------
# the frame every explorer shares
# --------------------------------------------------------------------------

def test_widget_renders_png_and_rerenders_after_a_change():
    ex = SharpenExplorer()
    assert bytes(ex.image.value) == b""  # nothing is rendered before the widget is shown
    box = ex.widget
    assert isinstance(box, widgets.VBox) and ex.image in box.children
    first = bytes(ex.image.value)
    assert first.startswith(b"\x89PNG")
    ex.controls["gamma"].value = 8.0
    assert bytes(ex.image.value).startswith(b"\x89PNG") and bytes(ex.image.value) != first
    assert set(ex.controls) == {"gamma", "blur"}


def test_display_bundle_holds_the_live_widget_and_its_current_figure():
    import base64

    ex = SharpenExplorer()
    ex.controls["gamma"].value = 4.0
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # Jupyter shows the live widget
    png = base64.b64decode(bundle["image/png"])  # a static page shows the figure
    assert png.startswith(b"\x89PNG") and png == bytes(ex.image.value)


def test_hold_redraws_once():
    ex = ShiftExplorer()
    calls = []
    original = ex._update_artists
    ex._update_artists = lambda: (calls.append(1), original())
    with ex.hold():
        ex.controls["focus"].value = 0
        ex.controls["shift"].value = -1
        ex.controls["blur"].value = 0.5
    assert len(calls) == 1


# --------------------------------------------------------------------------
# 1. read and write (eq. 2-4)
# --------------------------------------------------------------------------

def test_read_write_explorer():
    ex = ReadWriteExplorer(memory_size=8, memory_width=6, seed=0)
    assert set(ex.controls) == {"focus", "blur", "erase", "add_pattern"}
    M = ex.memory_before.astype(float)
    assert M.shape == (8, 6)
    before = snapshot(ex)

    def check(focus, blur, erase, add):
        w = circular_gaussian(8, focus, blur)
        e = np.full(6, erase)
        after = np_write(M, w, e, add)
        np.testing.assert_allclose(values(ex.artists["weighting"]), w, **TOL)
        np.testing.assert_allclose(ex.artists["memory_before"].get_array(), M, **TOL)
        np.testing.assert_allclose(ex.artists["memory_after"].get_array(), after, **TOL)
        np.testing.assert_allclose(values(ex.artists["erase"]), e, **TOL)
        np.testing.assert_allclose(values(ex.artists["add"]), add, **TOL)
        np.testing.assert_allclose(values(ex.artists["read"]), np_read(after, w), **TOL)
        np.testing.assert_allclose(ex.weighting(), w, **TOL)
        np.testing.assert_allclose(ex.memory_after(), after, **TOL)
        np.testing.assert_allclose(ex.read_vector(), np_read(after, w), **TOL)

    check(4, 0.0, 1.0, np.ones(6))  # the defaults: a sharp write replaces row 4 by a
    np.testing.assert_allclose(ex.memory_after()[4], np.ones(6), **TOL)
    ex.controls["focus"].value = 7
    ex.controls["blur"].value = 1.2  # the blur wraps around to slot 0
    ex.controls["erase"].value = 0.4
    ex.controls["add_pattern"].value = "alternating"
    check(7, 1.2, 0.4, np.array([1, -1, 1, -1, 1, -1.0]))
    ex.controls["add_pattern"].value = "zeros"
    ex.controls["erase"].value = 0.0  # nothing erased, nothing added
    np.testing.assert_allclose(ex.artists["memory_after"].get_array(), M, **TOL)
    assert_same_artists(ex, before)


# --------------------------------------------------------------------------
# 2-6. addressing (eq. 5-9)
# --------------------------------------------------------------------------

def test_content_addressing_explorer():
    ex = ContentAddressingExplorer(memory_size=8, memory_width=6, seed=0)
    assert set(ex.controls) == {"key_row", "noise", "beta"}
    M = ex.memory.astype(float)
    assert len({tuple(r) for r in M}) == 8  # distinct rows
    assert np.sum(M[0] != M[1]) == 1  # rows 0 and 1 are near twins
    before = snapshot(ex)
    for row, noise, beta in [(0, 0.0, 5.0), (3, 0.5, 20.0), (5, 1.0, 0.0)]:
        with ex.hold():
            ex.controls["key_row"].value = row
            ex.controls["noise"].value = noise
            ex.controls["beta"].value = beta
        k = M[row] + noise * ex.noise_direction
        np.testing.assert_allclose(ex.artists["key"].get_array(), k[None], **TOL)
        np.testing.assert_allclose(values(ex.artists["similarity"]), np_cosine(M, k), rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(values(ex.artists["weighting"]), np_content(M, k, beta), rtol=1e-4, atol=1e-5)
    # beta = 0 is uniform whatever the key (eq. 5).
    np.testing.assert_allclose(values(ex.artists["weighting"]), np.full(8, 1 / 8), **TOL)
    assert_same_artists(ex, before)


def test_interpolation_explorer():
    ex = InterpolationExplorer(memory_size=8)
    assert set(ex.controls) == {"g", "content_focus", "prev_focus"}
    before = snapshot(ex)
    for g, cf, pf in [(0.5, 2, 5), (1.0, 0, 7), (0.0, 6, 1), (0.3, 7, 7)]:
        with ex.hold():
            ex.controls["g"].value = g
            ex.controls["content_focus"].value = cf
            ex.controls["prev_focus"].value = pf
        wc, wp = circular_gaussian(8, cf, 1.0), one_hot(8, pf)
        np.testing.assert_allclose(values(ex.artists["content"]), wc, **TOL)
        np.testing.assert_allclose(values(ex.artists["previous"]), wp, **TOL)
        np.testing.assert_allclose(values(ex.artists["interpolated"]), np_interpolate(wc, wp, g), **TOL)
    assert "0.30" in ex.artists["title"].get_text()
    assert_same_artists(ex, before)


def test_shift_explorer_wraps_around():
    ex = ShiftExplorer(memory_size=8)
    assert set(ex.controls) == {"focus", "shift", "blur"}
    before = snapshot(ex)
    # Defaults: focus on the last slot, shift +1: the focus wraps to slot 0.
    np.testing.assert_allclose(values(ex.artists["after"]), one_hot(8, 0), **TOL)
    assert "wraps around" in ex.artists["title"].get_text()
    for focus, shift, blur in [(0, -1, 0.0), (3, 1, 0.3), (0, 0, 1.0), (5, -1, 0.6)]:
        with ex.hold():
            ex.controls["focus"].value = focus
            ex.controls["shift"].value = shift
            ex.controls["blur"].value = blur
        w, s = one_hot(8, focus), shift_weights(shift, blur)
        np.testing.assert_allclose(values(ex.artists["s"]), s, **TOL)
        np.testing.assert_allclose(values(ex.artists["before"]), w, **TOL)
        np.testing.assert_allclose(values(ex.artists["before_outline"]), w, **TOL)
        np.testing.assert_allclose(values(ex.artists["after"]), np_shift(w, s), **TOL)
    assert "wraps" not in ex.artists["title"].get_text()  # 5 - 1 = 4 stays inside
    assert_same_artists(ex, before)


def test_sharpen_explorer():
    ex = SharpenExplorer(memory_size=8)
    before = snapshot(ex)

    def blurred(blur):
        return 0.65 * circular_gaussian(8, 2, blur) + 0.35 * circular_gaussian(8, 5, blur)

    # gamma = 1 changes nothing (eq. 9).
    np.testing.assert_allclose(values(ex.artists["after"]), values(ex.artists["before"]), **TOL)
    for gamma, blur in [(5.0, 1.0), (20.0, 2.5), (1.5, 0.3)]:
        with ex.hold():
            ex.controls["gamma"].value = gamma
            ex.controls["blur"].value = blur
        w = blurred(blur)
        np.testing.assert_allclose(values(ex.artists["before"]), w, **TOL)
        np.testing.assert_allclose(values(ex.artists["after"]), np_sharpen(w, gamma), rtol=1e-4, atol=1e-6)
    assert "1.5" in ex.artists["title"].get_text()
    assert_same_artists(ex, before)


def test_addressing_pipeline_explorer():
    ex = AddressingPipelineExplorer(memory_size=16, memory_width=6, seed=0)
    assert set(ex.controls) == {"key_row", "beta", "g", "shift", "blur", "gamma", "prev_focus"}
    M = ex.memory.astype(float)
    before = snapshot(ex)
    settings = [
        dict(key_row=3, beta=10.0, g=1.0, shift=1, blur=0.0, gamma=1.0, prev_focus=0),
        dict(key_row=9, beta=2.0, g=0.4, shift=-1, blur=0.3, gamma=3.0, prev_focus=15),
        dict(key_row=0, beta=50.0, g=0.0, shift=1, blur=0.6, gamma=20.0, prev_focus=15),
    ]
    for c in settings:
        with ex.hold():
            for name, value in c.items():
                ex.controls[name].value = value
        wc = np_content(M, M[c["key_row"]], c["beta"])
        wp = one_hot(16, c["prev_focus"])
        wg = np_interpolate(wc, wp, c["g"])
        ws = np_shift(wg, shift_weights(c["shift"], c["blur"]))
        w = np_sharpen(ws, c["gamma"])
        for name, expected in [("content", wc), ("interpolated", wg), ("shifted", ws), ("weights", w)]:
            np.testing.assert_allclose(values(ex.artists[name]), expected, rtol=1e-4, atol=1e-6, err_msg=name)
        np.testing.assert_allclose(values(ex.artists["previous_outline"]), wp, **TOL)
        assert ex.artists["key_marker"].get_ydata()[0] == c["key_row"]
    assert_same_artists(ex, before)


# --------------------------------------------------------------------------
# 7. the attention inspector
#
# The inspector only indexes the NumPy arrays of a trace, so its tests are
# backend-independent (`once`): how trace() itself behaves on each backend
# is the layer tests' business. Under JAX the first trace alone compiles
# every operation of a step, which would double this file's time.
# --------------------------------------------------------------------------

def copy_format(pattern):
    """The copy task's (x, y) for a pattern, written out by hand (section 4.1)."""
    length, bits = pattern.shape
    x = np.zeros((2 * length + 1, bits + 1))
    y = np.zeros((2 * length + 1, bits))
    x[:length, :bits] = pattern
    x[length, bits] = 1
    y[length + 1 :] = pattern
    return x, y


@pytest.mark.once
def test_parse_pattern_and_copy_input():
    p = parse_pattern("101 011,\n110")
    np.testing.assert_array_equal(p, [[1, 0, 1], [0, 1, 1], [1, 1, 0]])
    for bad, message in [("", "at least one row"), ("10a", "only hold 0 and 1"), ("10 101", "same number"),
                         ("101 011", "needs 4 bits")]:
        with pytest.raises(ValueError, match=message):
            parse_pattern(bad, bits=4 if bad == "101 011" else None)
    x, y, mask = copy_input(pattern="1100 0011", bits=4)
    ex, ey = copy_format(np.array([[1, 1, 0, 0], [0, 0, 1, 1]]))
    np.testing.assert_array_equal(x, ex)
    np.testing.assert_array_equal(y, ey)
    np.testing.assert_array_equal(mask, [0, 0, 0, 1, 1])
    x, y, mask = copy_input(length=3, seed=1, bits=4)
    assert x.shape == (7, 5)
    np.testing.assert_array_equal(y[4:], x[:3, :4])
    np.testing.assert_array_equal(x, copy_input(length=3, seed=1, bits=4)[0])  # seeded
    with pytest.raises(ValueError):
        copy_input(bits=4)


@pytest.fixture(scope="module")
def model():
    # A feed-forward controller: the inspector does not care which, and under
    # JAX every new operation compiles on first use, so fewer is faster.
    return build_ntm("copy", controller="dense", memory_size=16, memory_width=6, controller_units=16)


@pytest.fixture
def count_traces(monkeypatch):
    calls = []
    original = inspector.record_trace

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(inspector, "record_trace", counting)
    return calls


@pytest.mark.once
def test_inspector_draws_the_trace_at_t_without_tracing_again(model, count_traces):
    ex = AttentionInspector(model, length=4, seed=3)
    assert len(count_traces) == 1
    assert set(ex.controls) == {"t", "head", "slots", "length", "seed", "pattern", "run"}
    tr = ex.trace
    x = tr.inputs[0]
    assert x.shape == (9, 9) and ex.controls["t"].max == 8
    ex_x, ex_y = copy_format(x[:4, :8])
    np.testing.assert_array_equal(x, ex_x)
    labels = [label for label, _ in ex.controls["head"].options]
    assert labels == ["write head 0", "read head 0"]
    before = snapshot(ex)
    used = {int(i) for h in tr.heads for i in np.flatnonzero(h.weights[0].max(axis=0) > 0.05)}
    assert used <= set(ex.band.tolist())  # the band holds every slot a head used

    for t, h, slots in [(5, 1, "all"), (0, 0, "all"), (8, 0, "used"), (2, 1, "used")]:
        ex.controls["t"].value = t
        ex.controls["head"].value = h
        ex.controls["slots"].value = slots
        head = tr.heads[h]
        band = np.arange(16) if slots == "all" else ex.band
        for stage in ("content", "interpolated", "shifted", "weights"):
            drawn = values(ex.artists[stage])
            np.testing.assert_allclose(drawn[:len(band)], getattr(head, stage)[0, t, band], **TOL)
            assert not drawn[len(band):].any()  # bars past the band stay at 0, out of sight
        np.testing.assert_allclose(ex.artists["memory"].get_array(), tr.memory[0, t][band], **TOL)
        np.testing.assert_allclose(ex.artists["weights_over_time"].get_array(), head.weights[0][:, band].T, **TOL)
        assert all(line.get_xdata()[0] == t for line in ex.artists["time_lines"])
        focus = int(np.argmax(head.weights[0, t]))
        assert band[int(ex.artists["memory_marker"].get_ydata()[0])] == focus
        text = ex.artists["text"].get_text()
        assert f"{head.label}, t = {t}" in text
        assert f"β = {head.beta[0, t]:.2f}" in text and f"γ = {head.gamma[0, t]:.2f}" in text
        assert ("erase" in text) == (head.kind == "write")
    np.testing.assert_allclose(ex.artists["input"].get_array(), x.T, **TOL)
    np.testing.assert_allclose(ex.artists["target"].get_array(), ex_y.T, **TOL)
    np.testing.assert_allclose(ex.artists["output"].get_array(), tr.outputs[0].T, **TOL)
    assert len(count_traces) == 1  # moving t and head only indexed the trace
    assert ex.trace is tr
    assert_same_artists(ex, before)


@pytest.mark.once
def test_inspector_shows_the_band_in_use_and_all_slots_on_request(model, monkeypatch):
    # A hand-built copy trace on 128 slots stands in for the model's: the
    # write head visits slots 0..8, the read head 0..4 (fake_traces.copy_trace).
    monkeypatch.setattr(inspector, "record_trace", lambda m, x: copy_trace(length=(x.shape[1] - 1) // 2, n=128))
    ex = AttentionInspector(model, length=4, seed=0)
    before = snapshot(ex)
    assert ex.controls["slots"].value == "used"
    assert [label for label, _ in ex.controls["slots"].options] == ["in use", "all 128"]
    np.testing.assert_array_equal(ex.band, np.arange(12))  # slots 0..8 and 3 of margin
    write = ex.trace.heads[0]
    ex.controls["t"].value = 6
    ax_time, ax_mem = ex.artists["weights_over_time"].axes, ex.artists["memory"].axes
    np.testing.assert_array_equal(ex.artists["weights_over_time"].get_array(), write.weights[0][:, :12].T)
    assert ex.artists["memory"].get_array().shape == (12, 4)
    drawn = values(ex.artists["weights"])
    np.testing.assert_array_equal(drawn[:12], write.weights[0, 6, :12])
    assert not drawn[12:].any()
    assert ax_time.get_ylim() == (11.5, -0.5) and ax_mem.get_ylim() == (11.5, -0.5)
    assert ex.artists["memory_marker"].get_ydata()[0] == 6 and ex.artists["focus_marker"].get_ydata()[0] == 6
    assert [t.get_text() for t in ax_time.get_yticklabels()] == ["0", "2", "4", "6", "8", "10"]

    ex.controls["slots"].value = "all"
    np.testing.assert_array_equal(ex.band, np.arange(128))
    np.testing.assert_array_equal(ex.artists["weights_over_time"].get_array(), write.weights[0].T)
    assert ex.artists["memory"].get_array().shape == (128, 4)
    np.testing.assert_array_equal(values(ex.artists["weights"]), write.weights[0, 6])
    assert ax_time.get_ylim() == (127.5, -0.5)
    assert_same_artists(ex, before)
    with pytest.raises(ValueError, match="`slots`"):
        AttentionInspector(model, length=4, slots="band")


@pytest.mark.once
def test_inspector_typed_pattern_and_bad_pattern(model, count_traces):
    ex = AttentionInspector(model, length=3, seed=0)
    before = snapshot(ex)
    old = ex.trace
    ex.controls["t"].value = 6
    ex.controls["pattern"].value = "10110010 0110011x"
    ex.controls["run"].click()
    assert ex.trace is old and len(count_traces) == 1
    assert "Cannot use this pattern" in ex.message.value and "0 and 1" in ex.message.value
    ex.controls["pattern"].value = "101 010"
    ex.controls["run"].click()
    assert ex.trace is old and "8 bits" in ex.message.value

    typed = "10110010 01100110"
    ex.controls["pattern"].value = typed
    ex.controls["run"].click()
    assert len(count_traces) == 2
    pattern = np.array([[1, 0, 1, 1, 0, 0, 1, 0], [0, 1, 1, 0, 0, 1, 1, 0]])
    ex_x, ex_y = copy_format(pattern)
    np.testing.assert_array_equal(ex.trace.inputs[0], ex_x)
    # The time axis shrank to the new 5 steps; t was clamped to the last one.
    assert ex.controls["t"].max == 4 and ex.controls["t"].value == 4
    np.testing.assert_allclose(ex.artists["input"].get_array(), ex_x.T, **TOL)
    np.testing.assert_allclose(ex.artists["target"].get_array(), ex_y.T, **TOL)
    band = ex.band
    np.testing.assert_allclose(ex.artists["memory"].get_array(), ex.trace.memory[0, 4][band], **TOL)
    np.testing.assert_allclose(values(ex.artists["weights"])[:len(band)], ex.trace.heads[0].weights[0, 4, band],
                               **TOL)
    assert "typed pattern" in ex.message.value
    assert_same_artists(ex, before)


@pytest.mark.once
def test_inspector_length_change_traces_a_new_random_sequence(model, count_traces):
    ex = AttentionInspector(model, length=2, seed=0, pattern=np.array([[1, 0, 0, 0, 0, 0, 0, 1]]))
    np.testing.assert_array_equal(ex.trace.inputs[0, 0], [1, 0, 0, 0, 0, 0, 0, 1, 0])
    assert ex.controls["pattern"].value == "10000001"
    ex.controls["length"].value = 3
    assert len(count_traces) == 2
    assert ex.trace.inputs.shape == (1, 7, 9) and ex.controls["t"].max == 6
    assert ex.artists["input"].get_array().shape == (9, 7)
    assert ex.figure.axes[0].get_xlim() == (-0.5, 6.5)
    ex.controls["t"].value = 5
    ex.controls["head"].value = 1
    assert len(count_traces) == 2
