"""custom_metric: a streaming SparseCategoricalAccuracy that agrees with Keras's."""

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming, call_str, float_arrays
from kata_testing.keras_peer import keras_test_cases, run_keras_test_case
from kata_testing.metric_battery import (
    check_metric_config_round_trip,
    check_metric_in_fit,
    check_metric_saved_model_round_trip,
    check_reset_state,
    check_state_variables,
    check_streaming_equals_one_call,
    metric_result,
)

# Keras's own fixture (keras/src/metrics/accuracy_metrics_test.py).
KERAS_Y_TRUE = [[2], [1]]
KERAS_Y_PRED = [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]


_result = metric_result


def test_keras_fixture_without_and_with_sample_weight(kata):
    """Keras's fixture: labels [[2], [1]], predictions [[0.1, 0.6, 0.3], [0.05, 0.95, 0]] → 0.5;
    with sample_weight [0.7, 0.3] → 0.3 (only the second sample, weight 0.3, is right)."""
    metric = kata.SparseCategoricalAccuracy()
    metric.update_state(KERAS_Y_TRUE, KERAS_Y_PRED)
    call = call_str("update_state", KERAS_Y_TRUE, KERAS_Y_PRED) + "; result()"
    assert_close(_result(metric, call), 0.5, call=call)
    metric = kata.SparseCategoricalAccuracy()
    metric.update_state(KERAS_Y_TRUE, KERAS_Y_PRED, sample_weight=[0.7, 0.3])
    call = call_str("update_state", KERAS_Y_TRUE, KERAS_Y_PRED, sample_weight=[0.7, 0.3])
    assert_close(_result(metric, call + "; result()"), 0.3, call=call + "; result()")


def test_result_is_zero_before_any_update(kata):
    """A fresh metric reports 0.0, not NaN (Keras divides with divide_no_nan)."""
    metric = kata.SparseCategoricalAccuracy()
    call = "SparseCategoricalAccuracy().result()"
    assert_close(_result(metric, call), 0.0, call=call)


@st.composite
def streams(draw):
    """A labelled batch split into consecutive chunks, with optional weights (zeros included, as
    [B] or [B, 1]); the scores are continuous or coarse (many tied maxima: the first one wins)."""
    n = draw(st.integers(1, 12), label="N")
    classes = draw(st.integers(1, 4), label="C")
    seed = draw(st.integers(0, 2**16), label="seed")
    rng = np.random.default_rng(seed)
    if draw(st.booleans(), label="tied scores"):
        y_pred = rng.integers(0, 2, size=(n, classes)).astype(np.float32)
    else:
        y_pred = rng.normal(size=(n, classes)).astype(np.float32)
    y_true = rng.integers(0, classes, size=n)
    column = draw(st.booleans(), label="y_true as [B, 1]")
    dtype = draw(st.sampled_from([np.int32, np.int64, np.float32]), label="label dtype")
    y_true = y_true.astype(dtype).reshape((n, 1) if column else (n,))
    weighted = draw(st.booleans(), label="weighted")
    weights = draw(float_arrays(np.float32, (n,), 0, 2), label="weights") if weighted else None
    if weighted and draw(st.booleans(), label="weights as [B, 1]"):
        weights = weights.reshape(n, 1)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=4), label="cuts"))
    bounds = list(zip([0, *cuts], [*cuts, n], strict=True))
    return y_true, y_pred, weights, bounds


@given(stream=streams())
def test_streaming_over_any_split_equals_keras_on_the_whole(kata, stream):
    """Updating batch by batch (any split, empty batches included, with or without weights,
    y_true and sample_weight as [B] or [B, 1], tied scores included) gives Keras's accuracy of the
    concatenated data."""
    y_true, y_pred, weights, bounds = stream
    check_streaming_equals_one_call(
        kata.SparseCategoricalAccuracy,
        keras.metrics.SparseCategoricalAccuracy,
        y_true,
        y_pred,
        weights,
        bounds,
    )


@pytest.mark.parametrize(
    "y_true, y_pred, sample_weight, expected",
    [
        ([1, 0], [[0.5, 0.5], [0.3, 0.7]], None, 0.0),
        ([[2], [1]], KERAS_Y_PRED, [[0.7], [0.3]], 0.3),
        ([0, 1], [[0.5, 0.5], [0.5, 0.5]], [[0.25], [0.75]], 0.25),
    ],
    ids=["tie_is_not_a_hit", "weights_as_column", "tie_and_weights_as_column"],
)
def test_tied_scores_and_column_weights_as_keras(kata, y_true, y_pred, sample_weight, expected):
    """A tie goes to the first highest score (argmax), not to every tied class (in_top_k counts
    label 1 of [0.5, 0.5] as a hit); [B, 1] weights weigh each sample once (not broadcast to
    [B, B]). Keras's metric gives the same numbers."""
    call = call_str("update_state", y_true, y_pred, sample_weight=sample_weight) + "; result()"
    reference = keras.metrics.SparseCategoricalAccuracy()
    reference.update_state(y_true, y_pred, sample_weight=sample_weight)
    assert_close(reference.result(), expected, call="keras.metrics." + call)
    metric = kata.SparseCategoricalAccuracy()
    metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    assert_close(
        _result(metric, call),
        expected,
        call=call,
        what="Keras's metric (argmax's first maximum; one weight per sample)",
    )


def test_the_result_does_not_depend_on_the_scale_of_the_weights(kata):
    """Weights 1e-33 times smaller give the same accuracy (a ratio of sums), as in Keras: no
    epsilon added to or floor put under the total weight."""
    y_true, y_pred = [1, 0, 1], [[0.2, 0.8], [0.9, 0.1], [0.6, 0.4]]
    for scale in (1e-33, 1e-9):
        weights = (np.array([0.5, 1.5, 2.0]) * scale).astype(np.float32)
        call = (
            f"update_state({y_true}, {y_pred}, sample_weight=[0.5, 1.5, 2.0]·{scale:g}); result()"
        )
        reference = keras.metrics.SparseCategoricalAccuracy()
        reference.update_state(y_true, y_pred, sample_weight=weights)
        assert_close(reference.result(), 0.5, call="keras.metrics." + call, rtol=1e-5)
        metric = kata.SparseCategoricalAccuracy()
        metric.update_state(y_true, y_pred, sample_weight=weights)
        assert_close(
            _result(metric, call),
            0.5,
            call=call,
            rtol=1e-5,
            what="the weighted share of hits, (0.5 + 1.5)·s / (4·s) = 0.5 whatever the scale s",
        )


def test_all_zero_weights_give_zero_not_nan(kata):
    """When every weight is zero there is nothing to average: 0.0, as in Keras, never NaN."""
    metric = kata.SparseCategoricalAccuracy()
    metric.update_state(KERAS_Y_TRUE, KERAS_Y_PRED, sample_weight=[0.0, 0.0])
    call = call_str("update_state", KERAS_Y_TRUE, KERAS_Y_PRED, sample_weight=[0.0, 0.0])
    assert_close(_result(metric, call + "; result()"), 0.0, call=call + "; result()")


def test_reset_state_forgets_everything(kata):
    """After reset_state() the metric reports 0.0 and then streams like a fresh one."""
    rng = np.random.default_rng(1)
    y_pred, y_true = rng.normal(size=(6, 3)).astype(np.float32), rng.integers(0, 3, size=6)
    check_reset_state(
        kata.SparseCategoricalAccuracy,
        keras.metrics.SparseCategoricalAccuracy,
        [(y_true, y_pred, np.linspace(0.5, 1.5, 6)), (y_true[:2], y_pred[:2], None)],
        (y_true[:3], y_pred[:3], None),
    )


def test_state_lives_in_variables_created_in_init(kata):
    """The state is Keras variables made in __init__ with add_variable (zeros at first, not
    trainable); update_state only updates them, it creates no new ones."""
    check_state_variables(kata.SparseCategoricalAccuracy(), KERAS_Y_TRUE, KERAS_Y_PRED)


def test_a_float64_metric_keeps_float64_throughout(kata):
    """SparseCategoricalAccuracy(dtype="float64") keeps its state and result in float64: float64
    weights are not rounded to float32, nor are float64 scores 1e-12 apart (Keras's metric)."""
    y_true = np.array([1, 0, 1, 1])
    y_pred = np.array([[1.0, 1.0 + 1e-12], [0.3, 0.2], [0.5, 0.4], [0.1, 0.9]])
    weights = np.array([0.1, 0.2, 0.3, 0.7])
    call = call_str(
        "SparseCategoricalAccuracy(dtype='float64').update_state",
        y_true,
        y_pred,
        sample_weight=weights,
    )
    metric = kata.SparseCategoricalAccuracy(dtype="float64")
    metric.update_state(y_true, y_pred, sample_weight=weights)
    result = metric.result()
    assert np.asarray(result).dtype == np.float64, (
        f"{call}; result() has dtype {np.asarray(result).dtype}; expected float64 (create the "
        "state with add_variable(..., dtype=self.dtype) and cast to self.dtype)"
    )
    reference = keras.metrics.SparseCategoricalAccuracy(dtype="float64")
    reference.update_state(y_true, y_pred, sample_weight=weights)
    assert_close(
        result,
        reference.result(),
        call=call + "; result()",
        rtol=1e-13,
        atol=1e-13,
        what="keras.metrics.SparseCategoricalAccuracy(dtype='float64')",
    )


def test_default_and_custom_names(kata):
    """The name defaults to "sparse_categorical_accuracy"; name= is passed to the base class."""
    assert kata.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy", (
        f"SparseCategoricalAccuracy().name is {kata.SparseCategoricalAccuracy().name!r}"
    )
    assert kata.SparseCategoricalAccuracy(name="acc").name == "acc", (
        "SparseCategoricalAccuracy(name='acc').name is "
        f"{kata.SparseCategoricalAccuracy(name='acc').name!r}"
    )


def test_works_in_compile_fit_and_evaluate(kata):
    """In model.compile(metrics=[...]) (compiled graphs, reset every epoch, sample weights from
    fit, a ragged last batch, validation) it reports what keras.metrics.SparseCategoricalAccuracy
    reports, epoch by epoch."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(14, 3)).astype(np.float32)
    y = rng.integers(0, 3, size=14).astype(np.int32)
    w = rng.uniform(0.0, 2.0, size=14).astype(np.float32)
    x_val, y_val = rng.normal(size=(7, 3)).astype(np.float32), rng.integers(0, 3, size=7)
    check_metric_in_fit(
        lambda name: kata.SparseCategoricalAccuracy(name=name),
        lambda name: keras.metrics.SparseCategoricalAccuracy(name=name),
        x,
        y,
        w,
        x_val,
        y_val,
        batch_size=4,
    )


def test_config_round_trips_and_the_class_is_registered(kata):
    """get_config keeps name and dtype; from_config and Keras's serialization rebuild it; the
    class is registered as "tfkata>SparseCategoricalAccuracy"."""
    check_metric_config_round_trip(
        kata.SparseCategoricalAccuracy,
        {"name": "acc", "dtype": "float64"},
        registered_name="tfkata>SparseCategoricalAccuracy",
    )


def test_model_with_the_metric_saves_to_a_keras_file_and_loads_back(kata, tmp_path):
    """A model compiled with the metric saves to .keras and loads back without custom_objects;
    the loaded model's evaluate() reports the same accuracy."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(9, 3)).astype(np.float32)
    y = rng.integers(0, 3, size=9).astype(np.int32)
    check_metric_saved_model_round_trip(
        lambda name: kata.SparseCategoricalAccuracy(name=name), x, y, tmp_path
    )


KERAS_ACCURACY_TESTS = ("keras.src.metrics.accuracy_metrics_test", "SparseCategoricalAccuracyTest")
# Keras cases outside the kata's contract, left out of the run (not skipped), with the reason.
# Keras's cases outside the kata's contract: left out of the run (not skipped), with why.
KERAS_ACCURACY_OUT_OF_SCOPE = {
    "test_reshape_matches": "rank-3 predictions [1, 2, 3] are outside the contract (y_pred is [B, C])",
    "test_config": (
        "counts Keras's two state variables, a layout the contract leaves open; name, dtype and "
        "from_config are test_config_round_trips_and_the_class_is_registered"
    ),
}


@pytest.mark.parametrize(
    "method", keras_test_cases(*KERAS_ACCURACY_TESTS, exclude=KERAS_ACCURACY_OUT_OF_SCOPE)
)
def test_keras_own_sparse_categorical_accuracy_tests_pass(kata, method):
    """Keras's own SparseCategoricalAccuracyTest (keras/src/metrics/accuracy_metrics_test.py)
    passes with the kata's SparseCategoricalAccuracy in place of Keras's."""
    kata.SparseCategoricalAccuracy().update_state([0], [[1.0, 0.0]])  # a metric that cannot update
    run_keras_test_case(
        *KERAS_ACCURACY_TESTS,
        method,
        module_global="accuracy_metrics",
        swap={"SparseCategoricalAccuracy": kata.SparseCategoricalAccuracy},
    )


@pytest.mark.parametrize(
    "argument, y_true, y_pred, sample_weight",
    [
        ("y_pred", [1, 0], [0.3, 0.7], None),
        ("y_true", [1, 0, 1], [[0.3, 0.7], [0.6, 0.4]], None),
        ("sample_weight", [1, 0], [[0.3, 0.7], [0.6, 0.4]], [1.0, 1.0, 1.0]),
    ],
    ids=["y_pred_not_2d", "batch_mismatch", "weights_mismatch"],
)
def test_update_state_rejects_shapes_that_do_not_fit(kata, argument, y_true, y_pred, sample_weight):
    """Shapes that do not fit are a ValueError naming the argument."""
    metric = kata.SparseCategoricalAccuracy()
    assert_raises_naming(
        ValueError,
        argument,
        metric.update_state,
        y_true,
        y_pred,
        sample_weight=sample_weight,
        call=call_str("update_state", y_true, y_pred, sample_weight=sample_weight),
    )
