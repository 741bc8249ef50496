"""A battery for `keras.metrics.Metric` subclasses, checked against a Keras metric that computes
the same thing: streaming over any split equals one call on the whole, reset_state, sample
weights, state variables, config and serialization round trips, use in `compile`/`fit`/`evaluate`
(ragged last batches, sample weights), and a model saved to `.keras` and loaded back.

Each check raises an AssertionError that names the metric, the calls and what Keras gives."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kata_testing.assertions import assert_close, call_str


def metric_result(metric: Any, call: str) -> float:
    """`metric.result()` as a Python float; an AssertionError naming the call when it is None."""
    value = metric.result()
    if value is None:
        raise AssertionError(f"{call}: result() returned None; expected a scalar")
    array = np.asarray(value)
    if array.shape != ():
        raise AssertionError(f"{call}: result() has shape {list(array.shape)}; expected a scalar")
    return float(array)


def check_streaming_equals_one_call(
    metric_factory: Callable[[], Any],
    keras_factory: Callable[[], Any],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    sample_weight: np.ndarray | None,
    bounds: Sequence[tuple[int, int]],
    *,
    atol: float = 1e-6,
) -> None:
    """update_state over consecutive slices `bounds` of the data gives what the Keras metric
    gives for one update_state on all of it."""
    metric = metric_factory()
    for start, stop in bounds:
        w = None if sample_weight is None else sample_weight[start:stop]
        metric.update_state(y_true[start:stop], y_pred[start:stop], sample_weight=w)
    reference = keras_factory()
    reference.update_state(y_true, y_pred, sample_weight=sample_weight)
    call = (
        f"update_state over batches {list(bounds)} of "
        + call_str("", y_true, y_pred, sample_weight=sample_weight)[1:-1]
        + "; result()"
    )
    assert_close(
        metric_result(metric, call),
        reference.result(),
        call=call,
        rtol=atol,
        atol=atol,
        what=f"keras.metrics.{type(reference).__name__} on the whole data",
    )


def check_reset_state(
    metric_factory: Callable[[], Any],
    keras_factory: Callable[[], Any],
    batches: Sequence[tuple[Any, Any, Any]],
    after: tuple[Any, Any, Any],
) -> None:
    """After updates on `batches` and reset_state(), the metric reports what a fresh one reports,
    then streams `after` like a fresh Keras metric (every part of the state is reset)."""
    metric = metric_factory()
    for y_true, y_pred, w in batches:
        metric.update_state(y_true, y_pred, sample_weight=w)
    metric.reset_state()
    fresh = metric_factory()
    call = f"update_state(...) × {len(batches)}; reset_state(); result()"
    assert_close(
        metric_result(metric, call), metric_result(fresh, "a fresh metric"), call=call, what="fresh"
    )
    y_true, y_pred, w = after
    metric.update_state(y_true, y_pred, sample_weight=w)
    reference = keras_factory()
    reference.update_state(y_true, y_pred, sample_weight=w)
    call = call.replace("; result()", "; ") + call_str(
        "update_state", y_true, y_pred, sample_weight=w
    )
    assert_close(
        metric_result(metric, call + "; result()"),
        reference.result(),
        call=call + "; result()",
        rtol=1e-6,
        atol=1e-6,
        what="a fresh Keras metric after the same update",
    )


def check_state_variables(metric: Any, y_true: Any, y_pred: Any) -> None:
    """The state is non-trainable Keras variables created in __init__ (zero at first); an
    update_state creates none and changes at least one."""
    variables = list(metric.variables)
    name = type(metric).__name__
    if not variables:
        raise AssertionError(
            f"{name}() has no state variables: create them in __init__ with "
            "self.add_variable(shape=(), initializer='zeros', name=...)"
        )
    for v in variables:
        if v.trainable:
            raise AssertionError(f"state variable {v.path} is trainable; metric state never is")
        assert_close(v.numpy(), np.zeros(v.shape), call=f"{name}(): {v.path}")
    metric.update_state(y_true, y_pred)
    if len(metric.variables) != len(variables):
        raise AssertionError(
            f"update_state created new variables ({len(variables)} → {len(metric.variables)}); "
            "create all state in __init__"
        )
    if not any(np.any(v.numpy() != 0) for v in metric.variables):
        raise AssertionError(
            f"after {call_str('update_state', y_true, y_pred)} every state variable is still zero: "
            "keep the running totals in the variables (variable.assign_add(...))"
        )


def check_metric_config_round_trip(
    metric_cls: type, init_kwargs: dict[str, Any], *, registered_name: str
) -> None:
    """get_config keeps name and dtype; from_config and Keras's serialize/deserialize rebuild the
    same class with the same config; the class is registered as `registered_name`."""
    import keras

    who = f"{metric_cls.__name__}({', '.join(f'{k}={v!r}' for k, v in init_kwargs.items())})"
    metric = metric_cls(**init_kwargs)
    config = metric.get_config()
    for key, value in init_kwargs.items():
        if config.get(key) != value:
            raise AssertionError(
                f"{who}.get_config()[{key!r}] is {config.get(key)!r}; expected {value!r}: pass "
                "name and **kwargs on to keras.metrics.Metric.__init__"
            )
    config_json = json.dumps(config, sort_keys=True)
    revived = metric_cls.from_config(config)
    if type(revived) is not metric_cls or json.dumps(revived.get_config(), sort_keys=True) != (
        config_json
    ):
        raise AssertionError(
            f"{who}: from_config(get_config()) gave {type(revived).__name__} with config "
            f"{revived.get_config()}; expected {config}"
        )
    got = keras.saving.get_registered_name(metric_cls)
    if got != registered_name:
        raise AssertionError(
            f"{metric_cls.__name__} is registered as {got!r}; expected {registered_name!r}: "
            "decorate the class with @keras.saving.register_keras_serializable(package="
            f"{registered_name.split('>')[0]!r}), or a saved model cannot load it back"
        )
    serialized = json.loads(json.dumps(keras.saving.serialize_keras_object(metric)))
    deserialized = keras.saving.deserialize_keras_object(serialized)
    if type(deserialized) is not metric_cls:
        raise AssertionError(
            f"{who}: keras.saving.deserialize_keras_object(serialize_keras_object(metric)) gave "
            f"{type(deserialized).__name__}; expected {metric_cls.__name__}"
        )


def _classifier(seed: int, inputs: int, classes: int) -> Any:
    import keras

    model = keras.Sequential(
        [keras.Input((inputs,)), keras.layers.Dense(classes, activation="softmax")]
    )
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(0.0, 1.0, tuple(weight.shape)).astype("float32"))
    return model


def check_metric_in_fit(
    metric_factory: Callable[[str], Any],
    keras_factory: Callable[[str], Any],
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    *,
    batch_size: int,
) -> None:
    """In model.compile(metrics=[...]) (compiled graphs, reset every epoch, fit's sample weights,
    a ragged last batch) the metric reports what the Keras metric reports, epoch by epoch, in
    validation and in evaluate()."""
    import keras

    model = _classifier(2, x.shape[1], int(max(y.max(), y_val.max())) + 1)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.5),
        loss="sparse_categorical_crossentropy",
        metrics=[metric_factory("ours"), keras_factory("keras")],
        jit_compile=False,
    )
    history = model.fit(
        x,
        y,
        sample_weight=sample_weight,
        batch_size=batch_size,
        epochs=2,
        shuffle=False,
        validation_data=(x_val, y_val),
        verbose=0,
    ).history
    call = f"model.fit(x[{len(x)}], y, sample_weight=w, batch_size={batch_size}, epochs=2)"
    for key in ("ours", "val_ours"):
        other = key.replace("ours", "keras")
        if key not in history:
            raise AssertionError(f"{call}.history has no {key!r}: {sorted(history)}")
        assert_close(
            history[key],
            history[other],
            call=f"{call}.history[{key!r}]",
            rtol=1e-6,
            atol=1e-6,
            what=f"history[{other!r}]",
        )
    results = model.evaluate(x_val, y_val, batch_size=batch_size, verbose=0, return_dict=True)
    call = f"model.evaluate(x_val[{len(x_val)}], y_val, batch_size={batch_size})['ours']"
    assert_close(
        results["ours"], results["keras"], call=call, rtol=1e-6, atol=1e-6, what="['keras']"
    )


def check_metric_saved_model_round_trip(
    metric_factory: Callable[[str], Any], x: np.ndarray, y: np.ndarray, tmp_path: Path
) -> None:
    """A model compiled with the metric, saved to `.keras`, loads back (no custom_objects) and its
    evaluate() reports the same value for the metric."""
    import keras

    model = _classifier(3, x.shape[1], int(y.max()) + 1)
    model.compile(
        optimizer="sgd",
        loss="sparse_categorical_crossentropy",
        metrics=[metric_factory("ours")],
        run_eagerly=True,
    )
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    path = Path(tmp_path) / "model_with_metric.keras"
    model.save(path)
    who = "model.compile(metrics=[the metric]); model.save('model.keras'); keras.saving.load_model"
    try:
        loaded = keras.saving.load_model(path)
    except Exception as exc:
        raise AssertionError(f"{who} raised {type(exc).__name__}: {str(exc)[:300]}") from None
    loaded.run_eagerly = True  # eager steps: no graph to trace for two small batches
    after = loaded.evaluate(x, y, verbose=0, return_dict=True)
    if "ours" not in after:
        raise AssertionError(f"{who}: the loaded model's evaluate() reports {sorted(after)}")
    assert_close(after["ours"], before["ours"], call=f"{who}(...).evaluate(x, y)['ours']")
