"""A battery of checks for a custom Keras layer, in the spirit of Keras's own `run_layer_test`
(keras/src/testing/test_case.py).

Each `check_*` function checks one property and raises an AssertionError that names the layer,
what it did and what was expected; `run_layer_test` runs them all. Kata tests call the single
checks from separate test functions (so a learner sees which property fails), or the whole
battery at once.

    layer_cls, init_kwargs      how to make a fresh layer: layer_cls(**init_kwargs)
    input_shape                 a concrete shape, batch included, e.g. (2, 5, 3)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kata_testing.assertions import assert_close, fmt, to_numpy


def describe(layer_cls: type, init_kwargs: dict[str, Any]) -> str:
    """`Dense(units=3, activation='relu')`: how the layer under test was made."""
    args = ", ".join(
        f"{k}={fmt(v) if not isinstance(v, str) else repr(v)}" for k, v in init_kwargs.items()
    )
    return f"{getattr(layer_cls, '__name__', layer_cls)}({args})"


def random_inputs(input_shape: Sequence[int], dtype: str = "float32", seed: int = 0) -> np.ndarray:
    """Standard normal inputs of a concrete shape, from a seeded generator."""
    return np.random.default_rng(seed).standard_normal(tuple(input_shape)).astype(dtype)


def _json(config: Any) -> str:
    """Keras's `to_json_with_tuples`: JSON with tuples kept apart from lists, keys sorted."""

    def encode(obj: Any) -> Any:
        if isinstance(obj, tuple):
            return {"__class__": "tuple", "__value__": [encode(e) for e in obj]}
        if isinstance(obj, list):
            return [encode(e) for e in obj]
        if isinstance(obj, dict):
            return {key: encode(value) for key, value in obj.items()}
        return obj

    return json.dumps(encode(config), sort_keys=True, indent=1)


def _config_json(layer: Any, who: str) -> str:
    config = layer.get_config()
    if not isinstance(config, dict):
        raise AssertionError(
            f"{who}.get_config() returned {type(config).__name__}; expected a dict"
        )
    try:
        return _json(config)
    except TypeError as exc:
        raise AssertionError(
            f"{who}.get_config() is not JSON-serializable ({exc}); serialize objects such as "
            "activations and initializers (keras.activations.serialize, "
            "keras.initializers.serialize)"
        ) from None


def _same_outputs(original: Any, revived: Any, data: np.ndarray, who: str, how: str) -> None:
    """Build `revived`, give it `original`'s weights, and compare their outputs on `data`."""
    expected = original(data)
    revived(data)
    original_weights = original.get_weights()
    revived_weights = revived.get_weights()
    if [w.shape for w in revived_weights] != [w.shape for w in original_weights]:
        raise AssertionError(
            f"{who}: the layer rebuilt by {how} has weights of shapes "
            f"{[list(w.shape) for w in revived_weights]}; the original has "
            f"{[list(w.shape) for w in original_weights]}"
        )
    revived.set_weights(original_weights)
    assert_close(
        revived(data),
        expected,
        call=f"{who} rebuilt by {how}, called with the original's weights",
        rtol=1e-6,
        atol=1e-6,
        what="the original layer's output (the config lost a setting?)",
    )


def check_config_round_trip(
    layer_cls: type, init_kwargs: dict[str, Any], input_shape: Sequence[int], seed: int = 0
) -> None:
    """get_config() is JSON-serializable; from_config(get_config()) gives a layer of the same
    class with the same config that, given the same weights, computes the same outputs; the
    same holds through keras.saving.serialize_keras_object / deserialize_keras_object (which
    finds the class by its registered name)."""
    import keras

    who = describe(layer_cls, init_kwargs)
    data = random_inputs(input_shape, seed=seed)
    layer = layer_cls(**init_kwargs)
    config_json = _config_json(layer, who)
    revived = layer_cls.from_config(layer.get_config())
    if type(revived) is not layer_cls:
        raise AssertionError(
            f"{who}: from_config returned a {type(revived).__name__}; expected {layer_cls.__name__}"
        )
    revived_json = _config_json(revived, f"{who} rebuilt by from_config")
    if revived_json != config_json:
        raise AssertionError(
            f"{who}: from_config(get_config()).get_config() differs from get_config():\n"
            f"  original {json.loads(config_json)}\n  revived  {json.loads(revived_json)}"
        )
    _same_outputs(layer, revived, data, who, "from_config(get_config())")

    serialized = keras.saving.serialize_keras_object(layer)
    try:
        serialized = json.loads(json.dumps(serialized))
    except TypeError as exc:
        raise AssertionError(
            f"{who}: keras.saving.serialize_keras_object(layer) is not JSON-serializable: {exc}"
        ) from None
    deserialized = keras.saving.deserialize_keras_object(serialized)
    if type(deserialized) is not layer_cls:
        raise AssertionError(
            f"{who}: keras.saving.deserialize_keras_object gave a {type(deserialized).__name__}; "
            f"expected {layer_cls.__name__} (is the class registered with "
            "@keras.saving.register_keras_serializable?)"
        )
    _same_outputs(layer, deserialized, data, who, "serialize/deserialize_keras_object")


def check_build(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    expected_trainable: int,
    expected_non_trainable: int = 0,
    expected_weight_shapes: dict[str, Sequence[int]] | None = None,
) -> Any:
    """A fresh layer holds no weights; after `build(input_shape)` it is built, with the expected
    numbers of trainable and non-trainable weights, named and shaped as expected. The same
    holds when the layer is built by a symbolic call on keras.Input. Returns the built layer."""
    import keras

    who = describe(layer_cls, init_kwargs)
    layer = layer_cls(**init_kwargs)
    if layer.weights:
        raise AssertionError(
            f"{who} holds weights {[w.name for w in layer.weights]} before build(); create "
            "weights in build(), when the input size is known"
        )
    layer.build(tuple(input_shape))
    _check_built(
        layer,
        f"{who}.build({tuple(input_shape)})",
        expected_trainable,
        expected_non_trainable,
        expected_weight_shapes,
    )

    layer = layer_cls(**init_kwargs)
    layer(keras.Input(batch_shape=(None, *tuple(input_shape)[1:])))
    _check_built(
        layer,
        f"{who} called on keras.Input(shape={tuple(input_shape)[1:]})",
        expected_trainable,
        expected_non_trainable,
        expected_weight_shapes,
    )
    return layer


def _check_built(layer, call, expected_trainable, expected_non_trainable, expected_shapes):
    if not layer.built:
        raise AssertionError(f"{call}: layer.built is False afterwards")
    trainable = [w.name for w in layer.trainable_weights]
    non_trainable = [w.name for w in layer.non_trainable_weights]
    if len(trainable) != expected_trainable:
        hint = ""
        if not trainable and expected_trainable:
            hint = " (weights made with tf.Variable are not tracked: use self.add_weight)"
        raise AssertionError(
            f"{call}: the layer has {len(trainable)} trainable weights {trainable}; expected "
            f"{expected_trainable}{hint}"
        )
    if len(non_trainable) != expected_non_trainable:
        raise AssertionError(
            f"{call}: the layer has {len(non_trainable)} non-trainable weights {non_trainable}; "
            f"expected {expected_non_trainable}"
        )
    if expected_shapes is not None:
        got = {w.name: list(w.shape) for w in layer.weights}
        want = {name: list(shape) for name, shape in expected_shapes.items()}
        if got != want:
            raise AssertionError(f"{call}: weights (name: shape) are {got}; expected {want}")


def check_output(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    expected_output_shape: Sequence[int],
    input_dtype: str = "float32",
    expected_output_dtype: str = "float32",
    seed: int = 0,
) -> Any:
    """Called eagerly on a concrete batch, the layer returns a tensor of the expected shape and
    dtype; called on a symbolic keras.Input it gives the same shape (batch None) and dtype;
    compute_output_shape agrees with both. Returns the eager output."""
    import keras

    who = describe(layer_cls, init_kwargs)
    shape = tuple(input_shape)
    expected_shape = tuple(expected_output_shape)
    layer = layer_cls(**init_kwargs)
    output = layer(random_inputs(shape, input_dtype, seed))
    call = f"{who} called on a {input_dtype} batch of shape {list(shape)}"
    _check_shape_dtype(output, call, expected_shape, expected_output_dtype)

    symbolic_in = keras.Input(batch_shape=(None, *shape[1:]), dtype=input_dtype)
    symbolic_out = layer_cls(**init_kwargs)(symbolic_in)
    _check_shape_dtype(
        symbolic_out,
        f"{who} called on keras.Input(batch_shape={(None, *shape[1:])})",
        (None, *expected_shape[1:]),
        expected_output_dtype,
    )

    for query, want in ((shape, expected_shape), ((None, *shape[1:]), (None, *expected_shape[1:]))):
        got = layer.compute_output_shape(query)
        if got is None or tuple(got) != want:
            raise AssertionError(
                f"{who}.compute_output_shape({query}) returned {got}; the layer really returns "
                f"{want}"
            )
    return output


def _check_shape_dtype(output, call, expected_shape, expected_dtype):
    import keras

    shape = tuple(output.shape)
    if len(shape) != len(expected_shape) or any(
        w is not None and g != w for g, w in zip(shape, expected_shape, strict=False)
    ):
        raise AssertionError(f"{call}: output shape {list(shape)}; expected {list(expected_shape)}")
    dtype = keras.backend.standardize_dtype(output.dtype)
    if dtype != expected_dtype:
        raise AssertionError(f"{call}: output dtype {dtype}; expected {expected_dtype}")


def check_mixed_precision(
    layer_cls: type, init_kwargs: dict[str, Any], input_shape: Sequence[int]
) -> None:
    """Under the "mixed_float16" dtype policy, the layer computes in float16 (its output is
    float16) and keeps its float weights in float32."""
    import keras

    kwargs = {**init_kwargs, "dtype": "mixed_float16"}
    who = describe(layer_cls, kwargs)
    layer = layer_cls(**kwargs)
    output = layer(random_inputs(input_shape))
    _check_shape_dtype(output, who, tuple(output.shape), "float16")
    for weight in layer.weights:
        dtype = keras.backend.standardize_dtype(weight.dtype)
        if keras.backend.is_float_dtype(dtype) and dtype != "float32":
            raise AssertionError(f"{who}: weight {weight.name!r} is {dtype}; expected float32")


def check_training_step(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    expect_change: bool = True,
    seed: int = 0,
) -> None:
    """The layer trains inside a model: one `fit` step (SGD, loss = sum of the outputs) runs,
    changes the trainable weights (when `expect_change`) and leaves the non-trainable ones."""
    import keras

    who = describe(layer_cls, init_kwargs)
    shape = tuple(input_shape)
    layer = layer_cls(**init_kwargs)
    model = keras.Sequential([keras.Input(shape=shape[1:]), layer])
    x = random_inputs(shape, seed=seed)
    y = np.zeros(tuple(model(x).shape), "float32")
    before_t = [to_numpy(w).copy() for w in layer.trainable_weights]
    before_n = [to_numpy(w).copy() for w in layer.non_trainable_weights]
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1),
        loss=lambda y_true, y_pred: keras.ops.sum(y_pred),
    )
    model.fit(x, y, batch_size=shape[0], epochs=1, verbose=0, shuffle=False)
    after_t = [to_numpy(w) for w in layer.trainable_weights]
    after_n = [to_numpy(w) for w in layer.non_trainable_weights]
    if expect_change and (
        not before_t or all(np.array_equal(a, b) for a, b in zip(after_t, before_t, strict=True))
    ):
        raise AssertionError(
            f"{who}: one fit() step in a model left the trainable weights "
            f"{[w.name for w in layer.trainable_weights]} unchanged; expected SGD to update them"
        )
    if any(not np.array_equal(a, b) for a, b in zip(after_n, before_n, strict=True)):
        raise AssertionError(f"{who}: one fit() step changed a non-trainable weight")


def check_saved_model_round_trip(
    make_layer: Callable[[], Any],
    input_shape: Sequence[int],
    tmp_path: Path,
    *,
    who: str = "the layer",
    seed: int = 0,
) -> None:
    """A model holding the layer saves to a `.keras` file; `keras.saving.load_model` (with no
    custom_objects) loads it back with a layer of the same class and identical outputs."""
    import keras

    shape = tuple(input_shape)
    layer = make_layer()
    model = keras.Sequential([keras.Input(shape=shape[1:]), layer])
    x = random_inputs(shape, seed=seed)
    expected = model(x)
    path = Path(tmp_path) / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    classes = [type(sub_layer) for sub_layer in loaded.layers]
    if type(layer) not in classes:
        raise AssertionError(
            f"{who}: the model loaded from {path.name} holds layers "
            f"{[c.__name__ for c in classes]}, not the class that was saved "
            f"({type(layer).__module__}.{type(layer).__name__}); is the class registered?"
        )
    assert_close(
        loaded(x),
        expected,
        call=f"{who}: model saved to {path.name} and loaded back",
        rtol=0,
        atol=0,
        what="the saved model's output (same weights, same computation: bit-identical)",
    )


def run_layer_test(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    expected_output_shape: Sequence[int],
    expected_trainable: int,
    expected_non_trainable: int = 0,
    expected_weight_shapes: dict[str, Sequence[int]] | None = None,
    expected_output_dtype: str = "float32",
    run_training_check: bool = True,
    run_mixed_precision_check: bool = True,
    tmp_path: Path | None = None,
) -> None:
    """The whole battery: config round trip, built state, output shapes and dtypes (eager,
    symbolic, compute_output_shape), a one-step fit, mixed precision, and (given `tmp_path`) a
    `.keras` save and load."""
    check_config_round_trip(layer_cls, init_kwargs, input_shape)
    check_build(
        layer_cls,
        init_kwargs,
        input_shape,
        expected_trainable=expected_trainable,
        expected_non_trainable=expected_non_trainable,
        expected_weight_shapes=expected_weight_shapes,
    )
    check_output(
        layer_cls,
        init_kwargs,
        input_shape,
        expected_output_shape=expected_output_shape,
        expected_output_dtype=expected_output_dtype,
    )
    if run_training_check:
        check_training_step(layer_cls, init_kwargs, input_shape)
    if run_mixed_precision_check:
        check_mixed_precision(layer_cls, init_kwargs, input_shape)
    if tmp_path is not None:
        check_saved_model_round_trip(
            lambda: layer_cls(**init_kwargs),
            input_shape,
            tmp_path,
            who=describe(layer_cls, init_kwargs),
        )
