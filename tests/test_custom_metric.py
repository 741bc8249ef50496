"""custom_metric: a streaming SparseCategoricalAccuracy that agrees with Keras's."""

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming, call_str, float_arrays

# Keras's own fixture (keras/src/metrics/accuracy_metrics_test.py).
KERAS_Y_TRUE = [[2], [1]]
KERAS_Y_PRED = [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]


def _result(metric, call):
    value = metric.result()
    if value is None:
        raise AssertionError(f"{call}: result() returned None; expected a scalar")
    return float(np.asarray(value))


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
    """A labelled batch split into consecutive chunks, with optional weights (zeros included)."""
    n = draw(st.integers(1, 12), label="N")
    classes = draw(st.integers(1, 4), label="C")
    seed = draw(st.integers(0, 2**16), label="seed")
    rng = np.random.default_rng(seed)
    y_pred = rng.normal(size=(n, classes)).astype(np.float32)  # continuous: no ties in argmax
    y_true = rng.integers(0, classes, size=n)
    column = draw(st.booleans(), label="y_true as [B, 1]")
    dtype = draw(st.sampled_from([np.int32, np.int64, np.float32]), label="label dtype")
    y_true = y_true.astype(dtype).reshape((n, 1) if column else (n,))
    weighted = draw(st.booleans(), label="weighted")
    weights = draw(float_arrays(np.float32, (n,), 0, 2), label="weights") if weighted else None
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=4), label="cuts"))
    bounds = list(zip([0, *cuts], [*cuts, n], strict=True))
    return y_true, y_pred, weights, bounds


@given(stream=streams())
def test_streaming_over_any_split_equals_keras_on_the_whole(kata, stream):
    """Updating batch by batch (any split, empty batches included, with or without weights,
    y_true as [B] or [B, 1]) gives Keras's accuracy of the concatenated data."""
    y_true, y_pred, weights, bounds = stream
    metric = kata.SparseCategoricalAccuracy()
    for start, stop in bounds:
        w = None if weights is None else weights[start:stop]
        metric.update_state(y_true[start:stop], y_pred[start:stop], sample_weight=w)
    keras_metric = keras.metrics.SparseCategoricalAccuracy()
    keras_metric.update_state(y_true, y_pred, sample_weight=weights)
    call = (
        f"update_state over batches {bounds} of "
        + call_str("", y_true, y_pred, sample_weight=weights)[1:-1]
        + "; result()"
    )
    assert_close(
        _result(metric, call),
        keras_metric.result(),
        call=call,
        rtol=1e-6,
        atol=1e-6,
        what="keras.metrics.SparseCategoricalAccuracy on the whole data",
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
    metric = kata.SparseCategoricalAccuracy()
    metric.update_state(y_true, y_pred, sample_weight=np.linspace(0.5, 1.5, 6))
    metric.reset_state()
    assert_close(_result(metric, "reset_state(); result()"), 0.0, call="reset_state(); result()")
    metric.update_state(y_true[:3], y_pred[:3])
    keras_metric = keras.metrics.SparseCategoricalAccuracy()
    keras_metric.update_state(y_true[:3], y_pred[:3])
    call = "reset_state(); " + call_str("update_state", y_true[:3], y_pred[:3]) + "; result()"
    assert_close(_result(metric, call), keras_metric.result(), call=call, what="a fresh metric's")


def test_state_lives_in_variables_created_in_init(kata):
    """The state is Keras variables made in __init__ with add_variable (zeros at first, not
    trainable); update_state only updates them, it creates no new ones."""
    metric = kata.SparseCategoricalAccuracy()
    variables = list(metric.variables)
    assert variables, (
        "SparseCategoricalAccuracy() has no state variables: create them in __init__ with "
        "self.add_variable(shape=(), initializer='zeros', name=...)"
    )
    for v in variables:
        assert not v.trainable, f"state variable {v.path} is trainable; metric state never is"
        assert_close(v.numpy(), np.zeros(v.shape), call=f"SparseCategoricalAccuracy(): {v.path}")
    metric.update_state(KERAS_Y_TRUE, KERAS_Y_PRED)
    assert len(metric.variables) == len(variables), (
        f"update_state created new variables ({len(variables)} → {len(metric.variables)}); "
        "create all state in __init__"
    )
    assert any(np.any(v.numpy() != 0) for v in metric.variables), (
        "after update_state on the Keras fixture every state variable is still zero: the running "
        "totals must be kept in the variables (variable.assign_add(...))"
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
    fit) it reports what keras.metrics.SparseCategoricalAccuracy reports, epoch by epoch."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(14, 3)).astype(np.float32)
    y = rng.integers(0, 3, size=14).astype(np.int32)
    w = rng.uniform(0.0, 2.0, size=14).astype(np.float32)
    x_val, y_val = rng.normal(size=(7, 3)).astype(np.float32), rng.integers(0, 3, size=7)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.5),
        loss="sparse_categorical_crossentropy",
        metrics=[
            kata.SparseCategoricalAccuracy(name="ours"),
            keras.metrics.SparseCategoricalAccuracy(name="keras"),
        ],
        jit_compile=False,
    )
    history = model.fit(x, y, sample_weight=w, batch_size=4, epochs=2, shuffle=False, verbose=0)
    call = "model.fit(x, y, sample_weight=w, batch_size=4, epochs=2).history['ours']"
    assert_close(
        history.history["ours"],
        history.history["keras"],
        call=call,
        rtol=1e-6,
        atol=1e-6,
        what="history['keras']",
    )
    results = model.evaluate(x_val, y_val, batch_size=5, verbose=0, return_dict=True)
    call = "model.evaluate(x_val, y_val, batch_size=5)['ours']"
    assert_close(
        results["ours"], results["keras"], call=call, rtol=1e-6, atol=1e-6, what="['keras']"
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
