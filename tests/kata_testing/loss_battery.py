"""A battery for `keras.losses.Loss` subclasses, checked against a Keras loss that computes the
same thing: per-sample values, every reduction with sample weights, config and serialization round
trips, use in `compile`/`fit` on ragged batches, and a model saved to `.keras` and loaded back.

Each check raises an AssertionError that names the loss, the call and what Keras gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from kata_testing.assertions import assert_close, assert_tensor, call_str

# Every reduction Keras 3 accepts ("mean" is an alias of "sum_over_batch_size").
REDUCTIONS = ["sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight"]


def check_loss_matches_keras(
    loss_cls: type,
    keras_cls: type,
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    reduction: Any = "sum_over_batch_size",
    rtol: float = 1e-5,
    atol: float = 1e-5,
) -> None:
    """`loss_cls(reduction=...)(y_true, y_pred, sample_weight)` equals Keras's, shape and dtype
    included."""
    import tensorflow as tf

    ours = loss_cls(reduction=reduction)
    theirs = keras_cls(reduction=reduction)
    call = call_str(
        f"{loss_cls.__name__}(reduction={reduction!r})", y_true, y_pred, sample_weight=sample_weight
    )
    result = ours(y_true, y_pred, sample_weight=sample_weight)
    expected = theirs(y_true, y_pred, sample_weight=sample_weight)
    assert_tensor(result, call=call, shape=expected.shape, dtype=tf.float32)
    assert_close(
        result, expected, call=call, rtol=rtol, atol=atol, what=f"keras.losses.{keras_cls.__name__}"
    )


def _config_json(obj: Any, who: str) -> str:
    config = obj.get_config()
    try:
        return json.dumps(config, sort_keys=True)
    except TypeError as exc:
        raise AssertionError(f"{who}.get_config() is not JSON-serializable: {exc}") from None


def check_loss_config_round_trip(
    loss_cls: type, init_kwargs: dict[str, Any], *, registered_name: str
) -> None:
    """get_config keeps name and reduction (Keras's own losses leave dtype out); from_config and Keras's serialize/deserialize
    rebuild the same class with the same config; the class is registered as `registered_name`."""
    import keras

    who = f"{loss_cls.__name__}({', '.join(f'{k}={v!r}' for k, v in init_kwargs.items())})"
    loss = loss_cls(**init_kwargs)
    config = loss.get_config()
    for key, value in init_kwargs.items():
        if config.get(key) != value:
            raise AssertionError(
                f"{who}.get_config()[{key!r}] is {config.get(key)!r}; expected {value!r}: pass "
                "name and reduction on to keras.losses.Loss.__init__"
            )
    config_json = _config_json(loss, who)
    revived = loss_cls.from_config(config)
    if type(revived) is not loss_cls or _config_json(revived, who) != config_json:
        raise AssertionError(
            f"{who}: from_config(get_config()) gave {type(revived).__name__} with config "
            f"{revived.get_config()}; expected {config}"
        )
    got = keras.saving.get_registered_name(loss_cls)
    if got != registered_name:
        raise AssertionError(
            f"{loss_cls.__name__} is registered as {got!r}; expected {registered_name!r}: decorate "
            "the class with @keras.saving.register_keras_serializable(package="
            f"{registered_name.split('>')[0]!r}), or a saved model cannot load it back"
        )
    y_true, y_pred = np.array([[0.0, 1.0], [2.0, -1.0]]), np.array([[1.0, 1.0], [0.5, 0.0]])
    assert_close(
        revived(y_true, y_pred),
        loss(y_true, y_pred),
        call=f"{who}: from_config(get_config())(y_true, y_pred)",
        what="the original loss's value",
    )
    serialized = json.loads(json.dumps(keras.saving.serialize_keras_object(loss)))
    deserialized = keras.saving.deserialize_keras_object(serialized)
    if type(deserialized) is not loss_cls or _config_json(deserialized, who) != config_json:
        raise AssertionError(
            f"{who}: keras.saving.deserialize_keras_object(serialize_keras_object(loss)) gave "
            f"{type(deserialized).__name__} with config {deserialized.get_config()}; expected "
            f"{loss_cls.__name__} with {config}"
        )


def _regression_model(seed: int, inputs: int, outputs: int) -> Any:
    import keras

    model = keras.Sequential(
        [
            keras.Input((inputs,)),
            keras.layers.Dense(4, activation="tanh"),
            keras.layers.Dense(outputs),
        ]
    )
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(0.0, 0.5, tuple(weight.shape)).astype("float32"))
    return model


def check_loss_in_fit(
    loss_factory: Callable[[], Any],
    keras_factory: Callable[[], Any],
    x: np.ndarray,
    y: np.ndarray,
    *,
    sample_weight: np.ndarray | None = None,
    batch_size: int,
    who: str,
) -> None:
    """`model.compile(loss=...)`: one epoch of fit (ragged last batch, sample weights) reports the
    loss and ends with the weights of the same model compiled with Keras's loss."""
    import keras

    histories, models = [], []
    for factory in (loss_factory, keras_factory):
        model = _regression_model(0, x.shape[1], 1 if y.ndim == 1 else y.shape[1])
        model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=0.05), loss=factory(), run_eagerly=True
        )
        history = model.fit(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            epochs=1,
            shuffle=False,
            verbose=0,
        )
        histories.append(history.history["loss"])
        models.append(model)
    call = (
        f"model.compile(loss={who}); model.fit(x{list(x.shape)}, y{list(y.shape)}, "
        f"batch_size={batch_size}"
        + (", sample_weight=w" if sample_weight is not None else "")
        + ")"
    )
    assert_close(
        histories[0], histories[1], call=call, rtol=1e-5, atol=1e-6, what="Keras's loss's history"
    )
    for ours, theirs in zip(models[0].weights, models[1].weights, strict=True):
        assert_close(
            ours.numpy(),
            theirs.numpy(),
            call=f"{call}: {ours.path}",
            rtol=1e-5,
            atol=1e-6,
            what="the weights fit reaches with Keras's loss",
        )


def check_loss_saved_model_round_trip(
    loss_factory: Callable[[], Any], x: np.ndarray, y: np.ndarray, tmp_path: Path, *, who: str
) -> None:
    """A model compiled with the loss, saved to `.keras`, loads back (no custom_objects) with a
    loss of the same class and config that evaluates to the same number."""
    import keras

    model = _regression_model(1, x.shape[1], 1 if y.ndim == 1 else y.shape[1])
    loss = loss_factory()
    model.compile(optimizer="sgd", loss=loss, run_eagerly=True)
    before = model.evaluate(x, y, verbose=0)
    path = Path(tmp_path) / "model_with_loss.keras"
    model.save(path)
    try:
        loaded = keras.saving.load_model(path)
    except Exception as exc:
        raise AssertionError(
            f"model.compile(loss={who}); model.save('model.keras'); keras.saving.load_model(...) "
            f"raised {type(exc).__name__}: {str(exc)[:300]}"
        ) from None
    if type(loaded.loss) is not type(loss) or loaded.loss.get_config() != loss.get_config():
        raise AssertionError(
            f"model.compile(loss={who}) saved and loaded back has loss {loaded.loss!r} with config "
            f"{getattr(loaded.loss, 'get_config', dict)()}; expected {type(loss).__name__} with "
            f"{loss.get_config()}"
        )
    loaded.run_eagerly = True  # eager steps: no graph to trace for two small batches
    after = loaded.evaluate(x, y, verbose=0)
    assert_close(
        after,
        before,
        call=f"keras.saving.load_model(<model compiled with {who}>).evaluate(x, y)",
        rtol=1e-6,
        atol=1e-6,
        what="the saved model's evaluate()",
    )
