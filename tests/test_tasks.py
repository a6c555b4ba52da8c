"""Tests for ntm_core.tasks: exact formats, invariants, determinism, errors.

Expected values are built by hand or recomputed independently from the raw
inputs, never by calling the generator a second way.
"""

import math

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_core.metrics import BitsPerSequence, bits_per_sequence
from ntm_core.tasks import (
    TASKS,
    AssociativeRecallTask,
    Batch,
    CopyTask,
    Curriculum,
    NGramTask,
    PrioritySortTask,
    RepeatCopyTask,
    TaskDataset,
    as_task,
    copy_batch,
    copy_sequence,
    get_task,
    list_tasks,
    ngram_bayes_optimal,
    ngram_bayes_optimal_cost,
)

ALL_NAMES = ["copy", "repeat_copy", "associative_recall", "ngrams", "priority_sort"]


def small_task(name):
    """Cheap instances so the generic tests stay fast."""
    return {
        "copy": CopyTask(),
        "repeat_copy": RepeatCopyTask(),
        "associative_recall": AssociativeRecallTask(),
        "ngrams": NGramTask(sequence_length=30),
        "priority_sort": PrioritySortTask(),
    }[name]


# ------------------------------------------------------------ registry ----

def test_registry_lists_the_five_paper_tasks_in_order():
    assert list_tasks() == ALL_NAMES
    assert set(TASKS) == set(ALL_NAMES)
    for name in ALL_NAMES:
        task = get_task(name)
        assert isinstance(task, TASKS[name]) and task.name == name


def test_get_task_passes_kwargs():
    task = get_task("copy", bits=4)
    assert (task.input_size, task.output_size) == (5, 4)


def test_as_task_takes_a_name_or_a_task():
    task = RepeatCopyTask(train_repeats=(2, 3))
    assert as_task(task) is task
    built = as_task("repeat_copy", {"train_repeats": (2, 3)})
    assert isinstance(built, RepeatCopyTask) and built.train_repeats == (2, 3)
    with pytest.raises(TypeError, match="`task` must be a task name or a Task, got 3"):
        as_task(3)


def test_unknown_task_name_lists_known_names():
    with pytest.raises(ValueError) as info:
        get_task("sorting")
    message = str(info.value)
    assert "sorting" in message
    for name in ALL_NAMES:
        assert name in message
    with pytest.raises(TypeError, match="name"):
        get_task(3)


def test_sizes_match_the_paper_set_ups():
    assert (CopyTask().input_size, CopyTask().output_size) == (9, 8)
    assert CopyTask().train_lengths == (1, 20)
    assert CopyTask().eval_lengths == (10, 20, 30, 50, 80, 120)
    rc = RepeatCopyTask()
    assert (rc.input_size, rc.output_size, rc.train_lengths) == (10, 9, (1, 10))
    assert {"length": 20, "repeats": 10} in rc.eval_settings
    assert {"length": 10, "repeats": 20} in rc.eval_settings
    ar = AssociativeRecallTask()
    assert (ar.input_size, ar.output_size, ar.train_lengths) == (8, 6, (2, 6))
    assert 12 in ar.eval_lengths and 15 in ar.eval_lengths
    ng = NGramTask()
    assert (ng.input_size, ng.output_size, ng.train_lengths) == (1, 1, (200, 200))
    ps = PrioritySortTask()
    assert (ps.input_size, ps.output_size, ps.train_lengths) == (10, 8, (20, 20))


# ------------------------------------------------------- generic checks ----

@pytest.mark.parametrize("name", ALL_NAMES)
def test_shapes_dtypes_and_mask_values(name):
    task = small_task(name)
    batch = task.sample(6, 0)
    assert isinstance(batch, Batch)
    b, t = batch.mask.shape
    assert b == 6
    assert batch.x.shape == (6, t, task.input_size)
    assert batch.y.shape == (6, t, task.output_size)
    assert batch.lengths.shape == (6,)
    for arr in (batch.x, batch.y, batch.mask):
        assert arr.dtype == np.float32
    assert np.issubdtype(batch.lengths.dtype, np.integer)
    assert set(np.unique(batch.mask)) <= {0.0, 1.0}
    assert batch.steps == t
    x, y, mask = batch.as_tuple()
    assert x is batch.x and y is batch.y and mask is batch.mask
    # Targets come last, so the batch is as long as its latest scored step.
    last_scored = [np.flatnonzero(row).max() + 1 for row in batch.mask]
    assert t == max(last_scored)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_same_seed_same_batch_different_seed_different_batch(name):
    task = small_task(name)
    a = task.sample(4, 123)
    b = task.sample(4, np.random.default_rng(123))
    c = task.sample(4, 124)
    for field in ("x", "y", "mask", "lengths"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert a.x.shape != c.x.shape or not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_padding_is_at_the_end_and_unscored(name):
    task = small_task(name)
    lo, hi = task.train_lengths
    if lo == hi:
        lo = max(task.min_supported_length, hi // 2)
    batch = task.sample(16, 5, min_length=lo, max_length=hi)
    for i, n in enumerate(batch.lengths):
        if name == "repeat_copy":
            steps = task.steps_for_length(int(n), int(batch.extras["repeats"][i]))
        else:
            steps = task.steps_for_length(int(n))
        assert not batch.x[i, steps:].any()
        assert not batch.y[i, steps:].any()
        assert not batch.mask[i, steps:].any()
        # Every sequence ends with a scored step: its targets come last.
        assert batch.mask[i, steps - 1] == 1


@pytest.mark.parametrize("name", ALL_NAMES)
def test_pad_to_fixes_the_time_axis(name):
    task = small_task(name)
    hi = task.train_lengths[1]
    steps = task.steps_for_length(hi)
    batch = task.sample(3, 1, pad_to=steps + 7)
    assert batch.x.shape[1] == batch.mask.shape[1] == steps + 7
    # steps_for_length gives repeat copy's longest case, all 10 repeats.
    longest = {"min_repeats": 10} if name == "repeat_copy" else {}
    full = task.sample(3, 1, min_length=hi, max_length=hi, pad_to=steps, **longest)
    assert full.mask[:, -1].all()
    with pytest.raises(ValueError, match="pad_to"):
        task.sample(3, 1, min_length=hi, max_length=hi, pad_to=steps - 1,
                    **longest)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_bad_arguments_raise_with_the_argument_name(name):
    task = small_task(name)
    for bad in (0, -3):
        with pytest.raises(ValueError, match="batch_size"):
            task.sample(bad, 0)
    for bad in (2.0, True, "4"):
        with pytest.raises(TypeError, match="batch_size"):
            task.sample(bad, 0)
    with pytest.raises(ValueError, match="min_length"):
        task.sample(2, 0, min_length=5, max_length=4)
    with pytest.raises(ValueError, match="min_length"):
        task.sample(2, 0, min_length=0, max_length=4)
    with pytest.raises(ValueError, match="max_length"):
        task.sample(2, 0, min_length=None, max_length=-1)
    with pytest.raises(ValueError, match="pad_to"):
        task.sample(2, 0, pad_to=0)
    with pytest.raises(TypeError, match="rng"):
        task.sample(2, None)
    with pytest.raises(TypeError, match="rng"):
        task.sample(2, 1.5)
    with pytest.raises(ValueError, match="rng"):
        task.sample(2, -1)
    with pytest.raises(ValueError, match="length"):
        task.steps_for_length(0)


def test_constructor_arguments_are_validated():
    with pytest.raises(ValueError, match="bits"):
        CopyTask(bits=0)
    with pytest.raises(ValueError, match="max_repeats"):
        RepeatCopyTask(max_repeats=0)
    with pytest.raises(ValueError, match="item_length"):
        AssociativeRecallTask(item_length=0)
    with pytest.raises(ValueError, match="sequence_length"):
        NGramTask(sequence_length=0)
    with pytest.raises(ValueError, match="num_outputs"):
        PrioritySortTask(num_inputs=4, num_outputs=5)


@settings(max_examples=25, deadline=None)
@given(lo=st.integers(1, 12), extra=st.integers(0, 8), batch=st.integers(1, 9),
       seed=st.integers(0, 2**32 - 1))
def test_copy_lengths_stay_in_range_and_match_the_data(lo, extra, batch, seed):
    hi = lo + extra
    out = CopyTask().sample(batch, seed, min_length=lo, max_length=hi)
    assert np.all((out.lengths >= lo) & (out.lengths <= hi))
    assert out.x.shape[1] == 2 * out.lengths.max() + 1
    # The delimiter sits right after each sequence and the mask counts its length.
    for i, n in enumerate(out.lengths):
        assert np.flatnonzero(out.x[i, :, 8]).tolist() == [n]
        assert out.mask[i].sum() == n


def test_lengths_vary_within_a_batch():
    batch = CopyTask().sample(64, 9, min_length=1, max_length=20)
    assert len(np.unique(batch.lengths)) > 5
    assert batch.lengths.min() >= 1 and batch.lengths.max() <= 20


# ----------------------------------------------------------------- copy ----

def test_copy_sequence_exact_arrays_for_a_hand_built_pattern():
    pattern = [[1, 0, 1, 1, 0, 0, 1, 0],
               [0, 1, 1, 0, 1, 0, 0, 1]]
    x, y, mask = copy_sequence(pattern)
    expected_x = np.array([
        [1, 0, 1, 1, 0, 0, 1, 0, 0],
        [0, 1, 1, 0, 1, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ], np.float32)
    expected_y = np.array([
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0],
        [1, 0, 1, 1, 0, 0, 1, 0],
        [0, 1, 1, 0, 1, 0, 0, 1],
    ], np.float32)
    np.testing.assert_array_equal(x, expected_x)
    np.testing.assert_array_equal(y, expected_y)
    np.testing.assert_array_equal(mask, [0, 0, 0, 1, 1])
    assert x.dtype == y.dtype == mask.dtype == np.float32


def test_copy_sequence_rejects_bad_patterns():
    with pytest.raises(ValueError, match="pattern"):
        copy_sequence([1, 0, 1])
    with pytest.raises(ValueError, match="pattern"):
        copy_sequence(np.zeros((0, 8)))
    with pytest.raises(ValueError, match="pattern"):
        copy_sequence([[0, 2, 1]])


def test_copy_batch_fixed_length_format():
    batch = copy_batch(5, 7, rng=3)
    assert batch.x.shape == (5, 15, 9) and batch.y.shape == (5, 15, 8)
    np.testing.assert_array_equal(batch.lengths, [7] * 5)
    np.testing.assert_array_equal(batch.y[:, 8:], batch.x[:, :7, :8])
    assert not batch.y[:, :8].any() and not batch.x[:, 8:].any()
    assert not batch.x[:, :7, 8].any()
    np.testing.assert_array_equal(batch.x[:, 7], np.eye(9)[[8] * 5])
    np.testing.assert_array_equal(batch.mask, np.tile([0] * 8 + [1] * 7, (5, 1)))
    # Bernoulli(0.5) bits: about half of many bits are ones.
    big = copy_batch(50, 20, rng=0)
    assert 0.45 < big.x[:, :20, :8].mean() < 0.55
    np.testing.assert_array_equal(copy_batch(2, 3, rng=1).x, copy_batch(2, 3, rng=1).x)


def test_copy_blank_share_puts_one_blank_vector_into_that_share():
    # 32 bits: a blank vector of the paper's own data (probability 2**-32) never turns up,
    # so every all-zero vector seen here was put there by blank_share.
    plain = CopyTask(bits=32).sample(400, 0, min_length=6, max_length=6)
    mixed = CopyTask(bits=32, blank_share=0.25).sample(400, 0, min_length=6, max_length=6)
    for batch in (plain, mixed):
        # still a copy task: the recall steps repeat the (altered) inputs
        np.testing.assert_array_equal(batch.y[:, 7:], batch.x[:, :6, :32])
    blanks = (~mixed.x[:, :6, :32].any(axis=-1)).sum(axis=1)
    assert set(np.unique(blanks)) == {0, 1}
    assert 0.19 < blanks.mean() < 0.31  # 100 of 400 expected; sd about 9
    assert not (~plain.x[:, :6, :32].any(axis=-1)).any()
    everywhere = CopyTask(bits=32, blank_share=1.0).sample(300, 1, min_length=1, max_length=9)
    positions = []
    for x, n in zip(everywhere.x, everywhere.lengths):
        blank = np.flatnonzero(~x[:n, :32].any(axis=-1))
        assert len(blank) == 1, (n, blank)
        positions.append(blank[0] / max(n - 1, 1))
    assert 0.4 < np.mean(positions) < 0.6  # anywhere in the sequence, not always at one end


def test_copy_blank_share_zero_is_the_papers_data_and_tests_drop_it():
    # The default draws no extra random numbers, so a seed gives the sequences the shipped
    # checkpoints were trained on: all lengths first, then each sequence's bits in turn.
    batch = CopyTask(blank_share=0.0).sample(20, 5, min_length=1, max_length=20)
    rng = np.random.default_rng(5)
    lengths = rng.integers(1, 21, size=20)
    np.testing.assert_array_equal(batch.lengths, lengths)
    for x, n in zip(batch.x, lengths):
        np.testing.assert_array_equal(x[:n, :8], rng.integers(0, 2, size=(n, 8)))
    test = CopyTask(bits=6, blank_share=0.5).test_task()
    assert test.blank_share == 0.0 and test.bits == 6
    for bad, err in ((-0.1, ValueError), (1.5, ValueError), ("half", TypeError), (True, TypeError)):
        with pytest.raises(err, match="blank_share"):
            CopyTask(blank_share=bad)


def test_copy_blank_rate_blanks_each_vector_independently():
    # 32 bits again, so every all-zero vector is one that blank_rate made.
    batch = CopyTask(bits=32, blank_rate=0.2).sample(500, 2, min_length=10, max_length=10)
    np.testing.assert_array_equal(batch.y[:, 11:], batch.x[:, :10, :32])  # still a copy task
    blank = ~batch.x[:, :10, :32].any(axis=-1)  # (500, 10)
    assert 0.18 < blank.mean() < 0.22  # 1,000 of 5,000 expected; sd about 28
    per_sequence = blank.sum(axis=1)  # Binomial(10, 0.2): P(0) = 0.107, P(>= 2) = 0.624
    assert 0.07 < (per_sequence == 0).mean() < 0.15 and 0.55 < (per_sequence >= 2).mean() < 0.70
    runs = (blank[:, 1:] & blank[:, :-1]).sum()
    assert 140 < runs < 220  # 9 neighbour pairs x 500 x 0.04 = 180 blank pairs in a row
    columns = blank.mean(axis=0)
    assert columns.min() > 0.13 and columns.max() < 0.27  # every position, not one end
    test = CopyTask(bits=6, blank_share=0.1, blank_rate=0.3).test_task()
    assert (test.blank_share, test.blank_rate, test.bits) == (0.0, 0.0, 6)
    # blank_rate 0 draws nothing: the paper's data, sequence for sequence
    np.testing.assert_array_equal(CopyTask(blank_rate=0.0).sample(30, 7).x, CopyTask().sample(30, 7).x)
    for bad, err in ((-0.1, ValueError), (1.5, ValueError), ("often", TypeError)):
        with pytest.raises(err, match="blank_rate"):
            CopyTask(blank_rate=bad)


# ---------------------------------------------------------- repeat copy ----

def test_repeat_copy_exact_layout():
    task = RepeatCopyTask()
    batch = task.sample(8, 4, min_length=3, max_length=3,
                        min_repeats=2, max_repeats=2)
    # L=3, R=2: 1 start + 3 vectors + 1 count + 6 copies + 1 end = 12 steps.
    assert batch.x.shape == (8, 12, 10) and batch.y.shape == (8, 12, 9)
    for i in range(8):
        x, y, m = batch.x[i], batch.y[i], batch.mask[i]
        pattern = x[1:4, :8]
        np.testing.assert_array_equal(x[0], np.eye(10)[8])
        assert x[4, 9] == pytest.approx(2 / 10)
        assert not x[4, :9].any() and not x[5:].any()
        np.testing.assert_array_equal(y[5:8, :8], pattern)
        np.testing.assert_array_equal(y[8:11, :8], pattern)
        np.testing.assert_array_equal(y[11], np.eye(9)[8])
        assert not y[:5].any() and not y[:11, 8].any()
        np.testing.assert_array_equal(m, [0] * 5 + [1] * 7)


def test_repeat_copy_end_marker_and_counts_in_mixed_batches():
    task = RepeatCopyTask()
    batch = task.sample(32, 11)
    repeats = batch.extras["repeats"]
    assert repeats.shape == (32,)
    assert repeats.min() >= 1 and repeats.max() <= 10
    assert batch.lengths.min() >= 1 and batch.lengths.max() <= 10
    for i, (n, r) in enumerate(zip(batch.lengths, repeats)):
        end = n * (r + 1) + 2  # last step of this sequence
        assert np.flatnonzero(batch.y[i, :, 8]).tolist() == [end]
        assert np.flatnonzero(batch.x[i, :, 9]).tolist() == [n + 1]
        assert batch.x[i, n + 1, 9] == pytest.approx(r / 10)
        assert batch.mask[i].sum() == n * r + 1
        copies = batch.y[i, n + 2:end, :8].reshape(r, n, 8)
        for k in range(r):
            np.testing.assert_array_equal(copies[k], batch.x[i, 1:n + 1, :8])


def test_repeat_copy_eval_settings_and_steps():
    task = RepeatCopyTask()
    assert task.steps_for_length(20, 10) == 20 * 11 + 3
    assert task.steps_for_length(10, 20) == 10 * 21 + 3
    assert task.steps_for_length(4) == 4 * 11 + 3  # default: max_repeats
    for setting in task.eval_settings:
        n, r = setting["length"], setting["repeats"]
        batch = task.sample(2, 0, min_length=n, max_length=n,
                            min_repeats=r, max_repeats=r)
        assert batch.x.shape[1] == n * (r + 1) + 3
        # The normalisation keeps the constructor's max_repeats: 20 -> 2.0.
        assert batch.x[0, n + 1, 9] == pytest.approx(r / 10)
    with pytest.raises(ValueError, match="min_repeats"):
        task.sample(2, 0, min_repeats=5, max_repeats=4)
    with pytest.raises(ValueError, match="max_repeats"):
        task.sample(2, 0, max_repeats=0)
    with pytest.raises(TypeError):
        CopyTask().sample(2, 0, max_repeats=3)


def test_repeat_copy_train_repeats_narrow_the_counts_not_the_normalisation():
    task = RepeatCopyTask(train_repeats=(2, 3))
    batch = task.sample(64, 0, min_length=4, max_length=4)
    counts = batch.extras["repeats"]
    assert set(np.unique(counts)) == {2, 3}
    # The count input is still R / max_repeats (10), as for the paper's task.
    np.testing.assert_allclose(batch.x[:, 5, 9], counts / 10)
    assert batch.x.shape[1] == 4 * (3 + 1) + 3  # padded for the largest training count
    assert task.steps_for_length(4) == 4 * 4 + 3
    assert task.eval_settings[0] == {"length": 10, "repeats": 3}  # the hardest training case
    # The paper's tests still ask for counts outside the training range.
    assert task.sample(1, 0, min_repeats=20, max_repeats=20).extras["repeats"][0] == 20
    with pytest.raises(ValueError, match="train_repeats"):
        RepeatCopyTask(train_repeats=(4, 3))
    with pytest.raises(ValueError, match="train_repeats"):
        RepeatCopyTask(train_repeats=(0, 3))
    with pytest.raises(TypeError, match="train_repeats"):
        RepeatCopyTask(train_repeats=5)


# --------------------------------------------------- associative recall ----

def test_associative_recall_answer_is_the_item_after_the_query():
    task = AssociativeRecallTask()
    batch = task.sample(32, 7)
    queries = batch.extras["query_index"]
    for i, n in enumerate(batch.lengths):
        x, y, m = batch.x[i], batch.y[i], batch.mask[i]
        total = (n + 2) * 4
        # Items: delimiter at 4j, vectors at 4j+1 .. 4j+3.
        assert np.flatnonzero(x[:, 6]).tolist() == [4 * j for j in range(n)]
        assert np.flatnonzero(x[:, 7]).tolist() == [4 * n, 4 * n + 4]
        items = [x[4 * j + 1:4 * j + 4, :6] for j in range(n)]
        query = x[4 * n + 1:4 * n + 4, :6]
        matches = [j for j in range(n) if np.array_equal(items[j], query)]
        assert len(matches) == 1, "items must be distinct"
        j = matches[0]
        assert j == queries[i] and j < n - 1
        np.testing.assert_array_equal(y[total - 3:total], items[j + 1])
        assert not y[:total - 3].any()
        np.testing.assert_array_equal(m[:total], [0] * (total - 3) + [1] * 3)
        assert not x[total - 3:].any()


def test_associative_recall_query_covers_all_but_the_last_item():
    batch = AssociativeRecallTask().sample(200, 1, min_length=3, max_length=3)
    assert set(batch.extras["query_index"].tolist()) == {0, 1}


def test_associative_recall_needs_two_items():
    task = AssociativeRecallTask()
    with pytest.raises(ValueError, match="min_length"):
        task.sample(2, 0, min_length=1, max_length=3)
    with pytest.raises(ValueError, match="length"):
        task.steps_for_length(1)
    assert task.steps_for_length(15) == 17 * 4
    with pytest.raises(ValueError, match="distinct"):
        AssociativeRecallTask(bits=1, item_length=1).sample(1, 0, min_length=3,
                                                             max_length=3)


# -------------------------------------------------------------- n-grams ----

def test_ngram_stream_layout():
    task = NGramTask()
    batch = task.sample(4, 2)
    assert batch.x.shape == (4, 204, 1)
    np.testing.assert_array_equal(batch.x[:, 1:], batch.y[:, :-1])
    np.testing.assert_array_equal(batch.mask, np.tile([0] * 4 + [1] * 200, (4, 1)))
    assert set(np.unique(batch.x)) <= {0.0, 1.0}
    tables = batch.extras["tables"]
    assert tables.shape == (4, 32)
    assert np.all((tables >= 0) & (tables <= 1))
    assert not np.array_equal(tables[0], tables[1])  # a fresh table per sequence


def test_ngram_bits_follow_their_table():
    # context=1: two probabilities, so a long stream estimates both well.
    task = NGramTask(context=1, sequence_length=20000)
    batch = task.sample(1, 8)
    stream = np.concatenate([batch.x[0, :1, 0], batch.y[0, :, 0]]).astype(int)
    table = batch.extras["tables"][0]
    for ctx in (0, 1):
        following = stream[1:][stream[:-1] == ctx]
        if len(following) > 500:
            se = math.sqrt(table[ctx] * (1 - table[ctx]) / len(following))
            assert abs(following.mean() - table[ctx]) < 5 * se + 1e-3


def test_ngram_table_probabilities_look_like_beta_half_half():
    tables = NGramTask(context=5, sequence_length=1).sample(100, 3).extras["tables"]
    values = tables.ravel()  # 3200 draws from Beta(1/2, 1/2)
    # Beta(1/2, 1/2) has mean 1/2, variance 1/8, and mass 1/3 below 1/4 ... by
    # its arcsine CDF (2/pi) asin(sqrt(1/4)) = 1/3.
    assert abs(values.mean() - 0.5) < 0.03
    assert abs(values.var() - 0.125) < 0.01
    assert abs((values < 0.25).mean() - 1 / 3) < 0.03


def test_ngram_bayes_optimal_matches_a_hand_count():
    stream = np.array([0, 1, 1, 0, 1, 1, 1])
    probs = ngram_bayes_optimal(stream, context=2)
    # t=4: context 01 was followed once by 1 -> (1 + .5) / (1 + 1) = .75
    # t=5: context 11 was followed once by 0 -> (0 + .5) / (1 + 1) = .25
    # t=6: context 11 followed by 0 then 1   -> (1 + .5) / (2 + 1) = .5
    np.testing.assert_allclose(probs, [0.5, 0.5, 0.5, 0.5, 0.75, 0.25, 0.5])
    batched = ngram_bayes_optimal(stream[None, :, None].astype(np.float32), context=2)
    assert batched.shape == (1, 7, 1)
    np.testing.assert_allclose(batched[0, :, 0], probs)


def test_ngram_bayes_optimal_cost_hand_case():
    stream = [0, 1, 1, 0, 1, 1, 1]
    x = np.array(stream[:-1], np.float32)[None, :, None]
    y = np.array(stream[1:], np.float32)[None, :, None]
    mask = np.array([[0, 1, 1, 1, 1, 1]], np.float32)
    # Scored: 1/.5, 0/.5, 1/.5, 1/.75, 1/.25 -> 1 + 1 + 1 + log2(4/3) + 2 bits.
    expected = 5 + math.log2(4 / 3)
    assert ngram_bayes_optimal_cost(x, y, mask, context=2) == pytest.approx(expected)
    with pytest.raises(ValueError, match="x"):
        ngram_bayes_optimal_cost(x[..., 0], y, mask, context=2)


def test_ngram_bayes_optimal_rejects_bad_input():
    with pytest.raises(ValueError, match="x_bits"):
        ngram_bayes_optimal(np.zeros((2, 3, 2)))
    with pytest.raises(ValueError, match="x_bits"):
        ngram_bayes_optimal([0, 1, 0.5])
    with pytest.raises(ValueError, match="context"):
        ngram_bayes_optimal([0, 1], context=0)


def test_ngram_bayes_cost_beats_chance_and_loses_to_the_true_table():
    task = NGramTask()
    batch = task.sample(40, 0)
    optimal = task.bayes_optimal_cost(batch, reduce=False)
    assert optimal.shape == (40,)
    # Chance costs 200 bits; the paper reports about 131-133 for this predictor.
    assert 110 < optimal.mean() < 150
    # Knowing the table is better than learning it: the oracle's cost is lower.
    oracle = []
    for i in range(40):
        bits = batch.x[i, :, 0].astype(int)
        cost = 0.0
        for t in range(4, 203 + 1):
            ctx = int("".join(map(str, bits[t - 4:t + 1])), 2)
            p = batch.extras["tables"][i][ctx]
            cost -= math.log2(p if batch.y[i, t, 0] == 1 else 1 - p)
        oracle.append(cost)
    assert np.mean(oracle) < optimal.mean()


# -------------------------------------------------------- priority sort ----

def test_priority_sort_target_is_sorted_by_priority():
    task = PrioritySortTask()
    batch = task.sample(16, 3)
    assert batch.x.shape == (16, 37, 10)
    for i in range(16):
        x, y = batch.x[i], batch.y[i]
        vectors, priorities = x[:20, :8], x[:20, 8]
        assert np.all((priorities >= -1) & (priorities <= 1))
        np.testing.assert_allclose(priorities, batch.extras["priorities"][i])
        ranked = sorted(range(20), key=lambda k: priorities[k], reverse=True)[:16]
        expected = np.array([vectors[k] for k in ranked])
        np.testing.assert_array_equal(y[21:], expected)
        assert not y[:21].any()
        np.testing.assert_array_equal(x[20], np.eye(10)[9])
        assert not x[21:].any() and not x[:20, 9].any()
        np.testing.assert_array_equal(batch.mask[i], [0] * 21 + [1] * 16)


def test_priority_sort_other_lengths():
    task = PrioritySortTask()
    assert task.steps_for_length(20) == 37
    assert task.steps_for_length(10) == 21  # 10 inputs, all 10 sorted
    assert task.steps_for_length(30) == 47  # 30 inputs, top 16
    batch = task.sample(4, 0, min_length=8, max_length=8)
    assert batch.mask.sum(axis=1).tolist() == [8] * 4


# ----------------------------------------------------------- curriculum ----

def test_curriculum_grows_on_low_error_and_stops_at_the_final_length():
    cur = Curriculum(5, 12, step=3, threshold=0.5)
    assert cur.max_length == 5 and not cur.done
    assert cur.update(2.0) is False and cur.max_length == 5
    assert cur.update(0.1) is True and cur.max_length == 8
    assert cur.update(np.array([0.0, 0.4])) is True and cur.max_length == 11
    assert cur.update(0.0) is True and cur.max_length == 12  # capped
    assert cur.done
    for _ in range(5):
        assert cur.update(0.0) is False
        assert cur.max_length == 12
    assert cur.update(float("nan")) is False
    assert cur.log == [(0, 5), (2, 8), (3, 11), (4, 12)]


def test_curriculum_rejects_bad_settings():
    with pytest.raises(ValueError, match="start_max_length"):
        Curriculum(10, 5)
    with pytest.raises(ValueError, match="start_max_length"):
        Curriculum(0, 5)
    with pytest.raises(ValueError, match="step"):
        Curriculum(1, 5, step=0)
    with pytest.raises(ValueError, match="threshold"):
        Curriculum(1, 5, threshold=0)
    with pytest.raises(ValueError, match="bit_errors_per_sequence"):
        Curriculum(1, 5).update(-1)


# ---------------------------------------------------------- TaskDataset ----

def test_dataset_batches_depend_only_on_seed_epoch_and_index():
    make = lambda: TaskDataset(CopyTask(), batch_size=4, batches_per_epoch=3, seed=9)
    forward, backward = make(), make()
    a = [forward[i] for i in range(3)]
    b = [backward[i] for i in reversed(range(3))][::-1]
    for (xa, ya, ma), (xb, yb, mb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(ma, mb)
    assert len(forward) == 3
    assert not np.array_equal(a[0][0], a[1][0])
    forward.on_epoch_end()
    assert not np.array_equal(forward[0][0], a[0][0])
    backward.on_epoch_end()
    np.testing.assert_array_equal(forward[0][0], backward[0][0])
    other_seed = TaskDataset(CopyTask(), batch_size=4, batches_per_epoch=3, seed=10)
    assert not np.array_equal(other_seed[0][0], a[0][0])


def test_dataset_time_axis_is_fixed_by_max_length():
    data = TaskDataset(CopyTask(), 8, 5, seed=0, min_length=1, max_length=20)
    for i in range(5):
        x, y, mask = data[i]
        assert x.shape == (8, 41, 9) and y.shape == (8, 41, 8) and mask.shape == (8, 41)
    fixed = TaskDataset(CopyTask(), 2, 1, seed=0, max_length=5, pad_to=30)
    assert fixed[0][0].shape[1] == 30
    with pytest.raises(ValueError, match="pad_to"):
        TaskDataset(CopyTask(), 2, 1, seed=0, max_length=20, pad_to=30)
    rc = TaskDataset(RepeatCopyTask(), 2, 1, seed=0, task_kwargs={"max_repeats": 3})
    assert rc[0][0].shape[1] == 10 * 4 + 3


def test_dataset_follows_the_curriculum():
    cur = Curriculum(3, 6, step=2, threshold=1.0)
    data = TaskDataset(CopyTask(), 16, 2, seed=1, curriculum=cur)
    x, _, mask = data[0]
    assert x.shape[1] == 7 and mask.sum(axis=1).max() <= 3
    cur.update(0.0)
    x, _, mask = data[0]
    assert x.shape[1] == 11 and mask.sum(axis=1).max() <= 5
    cur.update(0.0)
    cur.update(0.0)
    assert data[1][0].shape[1] == 13 and data.current_length_range() == (1, 6)


def test_dataset_bad_arguments():
    with pytest.raises(ValueError, match="batch_size"):
        TaskDataset(CopyTask(), 0, 1, seed=0)
    with pytest.raises(ValueError, match="batches_per_epoch"):
        TaskDataset(CopyTask(), 1, 0, seed=0)
    with pytest.raises(ValueError, match="seed"):
        TaskDataset(CopyTask(), 1, 1, seed=-1)
    with pytest.raises(TypeError, match="task"):
        TaskDataset("copy", 1, 1, seed=0)
    with pytest.raises(ValueError, match="min_length"):
        TaskDataset(CopyTask(), 1, 1, seed=0, min_length=5, max_length=2)
    data = TaskDataset(CopyTask(), 1, 2, seed=0)
    with pytest.raises(IndexError):
        data[2]


def test_dataset_feeds_keras_evaluate_with_the_mask_as_sample_weight():
    """No training: a fixed random Dense layer is scored on two batches, and
    Keras' result must equal the masked NumPy cost of its own predictions."""
    data = TaskDataset(CopyTask(), 4, 2, seed=3, min_length=2, max_length=5)
    inputs = keras.Input(shape=(None, 9))
    model = keras.Model(inputs, keras.layers.Dense(8, activation="sigmoid")(inputs))
    model.compile(loss="binary_crossentropy", weighted_metrics=[BitsPerSequence()])
    result = model.evaluate(data, verbose=0, return_dict=True)
    costs = [bits_per_sequence(y, model.predict_on_batch(x), m, reduce=False)
             for x, y, m in (data[0], data[1])]
    assert result["bits_per_seq"] == pytest.approx(np.concatenate(costs).mean(),
                                                   rel=1e-5)
