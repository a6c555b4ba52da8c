"""Every shipped checkpoint loads with plain Keras and still does what its json claims.

The claims are re-measured on freshly generated sequences (a seed the
checkpoint's own evaluation did not use), so a checkpoint can never drift
from its description.
"""

import json

import keras
import numpy as np
import pytest

import ntm_core
from ntm_core.pretrained import PRETRAINED_DIR, available_pretrained, load_pretrained
from ntm_core.metrics import bit_errors_per_sequence
from ntm_core.tasks import get_task
from ntm_core.evaluation import evaluate

pytestmark = pytest.mark.once

NAMES = available_pretrained()
FRESH_SEED = 2024  # the shipped evaluations use seed 12345
MAX_TESTED_LENGTH = 50  # longer lengths are reported in the json but cost minutes to re-check
# copy_lstm is the paper's own baseline, 3 LSTM layers x 256 units (Table 3): 1.3 million
# float32 weights, 5.3 MB. Rounded to float16 (half the size) its outputs change: beyond
# the training lengths many sit near 0.5, and on its 1,000-sequence evaluation 16 bits
# flipped at length 30 and 204 at length 50. So it stays float32, with a cap of its own.
SIZE_CAPS = {"copy_lstm": 6_000_000}


def _info(name):
    return json.loads((PRETRAINED_DIR / f"{name}.json").read_text())


def test_the_copy_checkpoints_ship():
    assert {"copy_ntm", "copy_lstm"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_json_says_how_it_was_made(name):
    info = _info(name)
    assert info["command"].startswith("python -m ntm_core train ")
    for key in ("seed", "task", "batch_size", "steps"):
        assert key in info["config"], key
    assert info["machine"]["backend"] in ("tensorflow", "jax", "torch")
    assert info["sequences_seen"] > 0 and info["wall_time_s"] > 0
    assert info["evaluation"]["rows"], "no evaluation table"
    assert info["history"], "no learning curve"
    # data/ stays small: a few MB at most in total
    assert (PRETRAINED_DIR / f"{name}.keras").stat().st_size < SIZE_CAPS.get(name, 3_000_000)


@pytest.mark.parametrize("name", NAMES)
def test_loads_with_plain_keras_in_safe_mode(name):
    model = keras.saving.load_model(PRETRAINED_DIR / f"{name}.keras")  # safe_mode=True is the default
    x = np.zeros((1, 5, model.inputs[0].shape[-1]), dtype="float32")
    y = np.asarray(model.predict_on_batch(x))
    assert np.all((y >= 0) & (y <= 1)), "outputs must be probabilities (sigmoid)"


@pytest.mark.parametrize("name", NAMES)
def test_claims_hold_on_fresh_sequences(name):
    model, info = load_pretrained(name)
    task = info["config"]["task"]
    claims = [r for r in info["evaluation"]["rows"] if not isinstance(r["length"], int) or r["length"] <= MAX_TESTED_LENGTH]
    lengths = [r["length"] for r in claims if isinstance(r["length"], int)]
    task_kwargs = info["config"].get("task_kwargs")  # e.g. repeat copy's training counts
    rows = evaluate(model, task, lengths=lengths or None, num_sequences=100, seed=FRESH_SEED, task_kwargs=task_kwargs)
    for claim, row in zip(claims, rows):
        assert row["length"] == claim["length"]
        if claim["perfect"] >= 0.9:
            # Mostly perfect: the mean is set by the one or two sequences that fail
            # (one failure can cost 70 bits), so compare the failure rate instead.
            # Binomial noise over 100 sequences at p = 0.99 is about 0.01.
            assert abs(row["perfect"] - claim["perfect"]) <= 0.06, (name, claim["length"], row, claim)
        else:
            for key in ("bit_errors", "bits_per_seq"):
                # Sampling noise of a mean over 100 sequences stays well inside this band.
                tolerance = 0.25 * claim[key] + 0.3
                assert abs(row[key] - claim[key]) <= tolerance, (name, claim["length"], key, row[key], claim[key])


@pytest.mark.skipif("copy_ntm" not in NAMES, reason="copy_ntm.keras is not shipped")
def test_copy_ntm_copies_and_generalises():
    # The targets: <= 0.05 bit errors per sequence at lengths 10 and 20,
    # <= 1 at length 50. Over 5,000 / 20,000 / 5,000 fresh sequences this
    # checkpoint makes 0.000 / 0.012 / 0.006 (99.98 / 99.92 / 99.88 % perfect).
    # What is left of the means are rare total failures (6 in 20,000 at length 20,
    # about 75 bits each), so 500 sequences cannot pin them down: one failure
    # alone would be 0.15. Held to at most two failures and 99 % perfect.
    model, _ = load_pretrained("copy_ntm")
    rows = {r["length"]: r for r in evaluate(model, "copy", lengths=[10, 20, 50], num_sequences=500, seed=FRESH_SEED + 1)}
    for length in (10, 20, 50):
        assert rows[length]["bit_errors"] <= 0.3 and rows[length]["perfect"] >= 0.99, rows[length]


@pytest.mark.skipif("copy_ntm" not in NAMES, reason="copy_ntm.keras is not shipped")
def test_copy_ntm_is_not_fooled_by_a_blank_vector():
    # An all-zero input vector looks like the recall phase. copy_ntm's last training
    # stage (--blank-share 0.25) taught it otherwise: of 1,000 length-20 sequences with
    # one blank vector, 23 failed totally before that stage and 5-7 after it.
    model, _ = load_pretrained("copy_ntm")
    batch = get_task("copy", blank_share=1.0).sample(1000, FRESH_SEED + 3, min_length=20, max_length=20)
    pred = np.asarray(model.predict(batch.x, batch_size=500, verbose=0))
    errors = bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False)
    assert np.sum(errors >= 5) <= 14


@pytest.mark.skipif("copy_lstm" not in NAMES, reason="copy_lstm.keras is not shipped")
def test_copy_lstm_fits_the_training_lengths_and_fails_beyond_them():
    # The paper's baseline result (section 4.1, Figure 5): an LSTM trained on lengths
    # 1-20 copies them almost perfectly and breaks down on longer sequences. The targets:
    # under 1 wrong bit per sequence at lengths 10 and 20; at length 50 (400 scored bits,
    # of which guessing gets 200 wrong) more than a quarter of the bits wrong and not a
    # single perfect copy. On 1,000 fresh sequences this checkpoint makes 0.000 / 0.024
    # wrong bits at 10 / 20 (2.4 % of the length-20 copies have a bit wrong) and 171 at 50,
    # so 200 sequences decide each claim with a wide margin.
    lstm, info = load_pretrained("copy_lstm")
    assert info["config"]["max_length"] == 20
    rows = {r["length"]: r for r in evaluate(lstm, "copy", lengths=[10, 20, 50], num_sequences=200, seed=FRESH_SEED + 4)}
    for length in (10, 20):
        assert rows[length]["bit_errors"] < 1 and rows[length]["perfect"] >= 0.9, rows[length]
    assert rows[50]["bit_errors"] > 0.25 * 50 * 8 and rows[50]["perfect"] == 0, rows[50]


@pytest.mark.skipif(not {"copy_ntm", "copy_lstm"} <= set(NAMES), reason="a copy checkpoint is not shipped")
def test_lstm_baseline_fails_to_generalise_where_the_ntm_does_not():
    # The paper's central comparison (Figures 4-5), measured on our own checkpoints:
    # both fit length 20, and at length 30 only the NTM still copies.
    ntm, _ = load_pretrained("copy_ntm")
    lstm, _ = load_pretrained("copy_lstm")
    ntm_rows = evaluate(ntm, "copy", lengths=[30], num_sequences=50, seed=FRESH_SEED + 2)
    lstm_rows = evaluate(lstm, "copy", lengths=[30], num_sequences=50, seed=FRESH_SEED + 2)
    assert ntm_rows[0]["bit_errors"] < 2 < 20 < lstm_rows[0]["bit_errors"]


@pytest.mark.parametrize("name", ["ngrams_ntm", "ngrams_lstm"])
def test_ngram_models_learn_the_context_and_cannot_beat_the_optimum(name):
    # Section 4.4 / Figure 13, on fresh sequences: a model that has learned that the
    # next bit depends on the last five costs less than counting ones regardless of
    # the context, and no model beats the Bayes-optimal counts on average. Both
    # references are NumPy (ntm_core.teaching.task_analysis), scored on the same
    # sequences, so the paired differences are free of the table-to-table spread.
    if name not in NAMES:
        pytest.skip(f"{name}.keras is not shipped")
    from ntm_core.metrics import bits_per_sequence
    from ntm_core.teaching.task_analysis import ngram_costs

    model, info = load_pretrained(name)
    assert info["config"]["task"] == "ngrams"
    batch = get_task("ngrams").sample(400, FRESH_SEED + 5)
    pred = np.asarray(model.predict(batch.x, batch_size=200, verbose=0))
    cost = bits_per_sequence(batch.y, pred, batch.mask, reduce=False)
    references = ngram_costs(batch)
    above_optimum = cost - references["Bayes-optimal (5-bit contexts)"]
    below_blind = references["counts ignoring the context"] - cost
    margin = 3 * above_optimum.std() / np.sqrt(len(cost))
    assert above_optimum.mean() > margin, (name, above_optimum.mean(), margin)
    assert below_blind.mean() > 5, (name, below_blind.mean())


def test_unknown_checkpoint_names_the_choices():
    with pytest.raises(ValueError, match="available"):
        ntm_core.load_pretrained("no_such_model")
