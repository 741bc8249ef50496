"""A battery of checks for a custom Keras layer, in the spirit of Keras's own `run_layer_test`
(keras/src/testing/test_case.py).

Each `check_*` function checks one property and raises an AssertionError that names the layer,
what it did and what was expected; `run_layer_test` runs them all. Kata tests call the single
checks from separate test functions (so a learner sees which property fails), or the whole
battery at once. Any kind of layer can be tested (dense, convolution, embedding, a layer with
`training=` or other call arguments):

    layer_cls, init_kwargs      how to make a fresh layer: layer_cls(**init_kwargs)
    input_shape                 a concrete shape, batch included, e.g. (2, 5, 3): random inputs
                                (standard normal floats; integers in [0, 10) for an int dtype)
    input_data                  or the inputs themselves (then `expected_output` can be checked)
    call_kwargs                 extra arguments of every call, e.g. {"training": True}

As in Keras, passing both `input_shape` and `input_data`, both `expected_output_shape` and
`expected_output`, or `expected_output` without `input_data` is a ValueError (a mistake in the
test, not in the layer).
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
    """Inputs of a concrete shape from a seeded generator: standard normal floats, or integers
    in [0, 10) (token ids, class ids) for an integer dtype."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(0, 10, size=tuple(input_shape)).astype(dtype)
    return rng.standard_normal(tuple(input_shape)).astype(dtype)


def validate_arguments(
    *,
    input_shape: Sequence[int] | None = None,
    input_data: Any = None,
    expected_output_shape: Sequence[int | None] | None = None,
    expected_output: Any = None,
) -> None:
    """Keras's argument checks of run_layer_test: one source of inputs, one expectation of the
    output, and an expected output only for given inputs. A ValueError names the mistake."""
    if input_shape is not None and input_data is not None:
        raise ValueError("input_shape and input_data cannot be passed at the same time")
    if input_shape is None and input_data is None:
        raise ValueError("pass input_shape or input_data")
    if expected_output_shape is not None and expected_output is not None:
        raise ValueError(
            "expected_output_shape and expected_output cannot be passed at the same time"
        )
    if expected_output is not None and input_data is None:
        raise ValueError("in order to use expected_output, input_data must be provided")
    if input_shape is not None and (
        not isinstance(input_shape, tuple | list)
        or not input_shape
        or any(isinstance(d, bool) or not isinstance(d, int) or d <= 0 for d in input_shape)
    ):
        raise ValueError(
            f"input_shape must be a concrete shape of positive ints, batch included, got "
            f"{input_shape!r}"
        )


def layer_inputs(
    input_shape: Sequence[int] | None = None,
    input_data: Any = None,
    dtype: str = "float32",
    seed: int = 0,
) -> np.ndarray:
    """The inputs a check calls the layer on: `input_data` as given, else random inputs of
    `input_shape` (see random_inputs)."""
    validate_arguments(input_shape=input_shape, input_data=input_data)
    if input_data is not None:
        return to_numpy(input_data)
    return random_inputs(input_shape, dtype, seed)


def _symbolic_input(data: np.ndarray) -> Any:
    import keras

    return keras.Input(batch_shape=(None, *data.shape[1:]), dtype=str(data.dtype))


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


def _same_outputs(
    original: Any, revived: Any, data: np.ndarray, who: str, how: str, call_kwargs: dict
) -> None:
    """Build `revived`, give it `original`'s weights, and compare their outputs on `data`."""
    expected = original(data, **call_kwargs)
    revived(data, **call_kwargs)
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
        revived(data, **call_kwargs),
        expected,
        call=f"{who} rebuilt by {how}, called with the original's weights",
        rtol=1e-6,
        atol=1e-6,
        what="the original layer's output (the config lost a setting?)",
    )


def check_config_round_trip(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int] | None = None,
    seed: int = 0,
    *,
    input_data: Any = None,
    call_kwargs: dict[str, Any] | None = None,
) -> None:
    """get_config() is JSON-serializable; from_config(get_config()) gives a layer of the same
    class with the same config that, given the same weights, computes the same outputs; the
    same holds through keras.saving.serialize_keras_object / deserialize_keras_object (which
    finds the class by its registered name)."""
    import keras

    who = describe(layer_cls, init_kwargs)
    data = layer_inputs(input_shape, input_data, seed=seed)
    call_kwargs = call_kwargs or {}
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
    _same_outputs(layer, revived, data, who, "from_config(get_config())", call_kwargs)

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
    _same_outputs(layer, deserialized, data, who, "serialize/deserialize_keras_object", call_kwargs)


def check_build(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    expected_trainable: int | None = None,
    expected_non_trainable: int | None = 0,
    expected_weight_shapes: dict[str, Sequence[int]] | None = None,
    input_dtype: str = "float32",
) -> Any:
    """A fresh layer holds no weights; after `build(input_shape)` it is built, with the expected
    numbers of trainable and non-trainable weights, named and shaped as expected. The same
    holds when the layer is built by a symbolic call on keras.Input. A count left None is
    Keras's estimate: whatever build() made, which the symbolic call must match. Returns the
    layer built by build()."""
    import keras

    who = describe(layer_cls, init_kwargs)
    built = layer_cls(**init_kwargs)
    if built.weights:
        raise AssertionError(
            f"{who} holds weights {[w.name for w in built.weights]} before build(); create "
            "weights in build(), when the input size is known"
        )
    built.build(tuple(input_shape))
    if expected_trainable is None:
        expected_trainable = len(built.trainable_weights)
    if expected_non_trainable is None:
        expected_non_trainable = len(built.non_trainable_weights)
    if expected_weight_shapes is None:
        expected_weight_shapes = {w.name: tuple(w.shape) for w in built.weights}
    _check_built(
        built,
        f"{who}.build({tuple(input_shape)})",
        expected_trainable,
        expected_non_trainable,
        expected_weight_shapes,
    )

    layer = layer_cls(**init_kwargs)
    layer(keras.Input(batch_shape=(None, *tuple(input_shape)[1:]), dtype=input_dtype))
    _check_built(
        layer,
        f"{who} called on keras.Input(shape={tuple(input_shape)[1:]})",
        expected_trainable,
        expected_non_trainable,
        expected_weight_shapes,
    )
    return built


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
    input_shape: Sequence[int] | None = None,
    *,
    input_data: Any = None,
    call_kwargs: dict[str, Any] | None = None,
    expected_output_shape: Sequence[int | None] | None = None,
    expected_output: Any = None,
    input_dtype: str = "float32",
    expected_output_dtype: str = "float32",
    rtol: float = 1e-6,
    atol: float = 1e-6,
    seed: int = 0,
) -> Any:
    """Called eagerly on a concrete batch, the layer returns a tensor of the expected shape and
    dtype (and, given input_data, the expected output); called on a symbolic keras.Input it
    gives the same shape (batch None) and dtype; compute_output_shape agrees with both.
    Returns the eager output."""
    validate_arguments(
        input_shape=input_shape,
        input_data=input_data,
        expected_output_shape=expected_output_shape,
        expected_output=expected_output,
    )
    who = describe(layer_cls, init_kwargs)
    data = layer_inputs(input_shape, input_data, input_dtype, seed)
    call_kwargs = call_kwargs or {}
    shape = tuple(data.shape)
    if expected_output is not None:
        expected_output_shape = tuple(to_numpy(expected_output).shape)
    if expected_output_shape is None:
        raise ValueError("pass expected_output_shape or expected_output")
    expected_shape = tuple(expected_output_shape)
    layer = layer_cls(**init_kwargs)
    output = layer(data, **call_kwargs)
    kwargs_text = "".join(f", {k}={v!r}" for k, v in call_kwargs.items())
    call = f"{who} called on a {data.dtype} batch of shape {list(shape)}{kwargs_text}"
    _check_shape_dtype(output, call, expected_shape, expected_output_dtype)
    if expected_output is not None:
        assert_close(output, expected_output, call=call, rtol=rtol, atol=atol)

    symbolic_out = layer_cls(**init_kwargs)(_symbolic_input(data), **call_kwargs)
    _check_shape_dtype(
        symbolic_out,
        f"{who} called on keras.Input(batch_shape={(None, *shape[1:])}){kwargs_text}",
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


def _mask_probe() -> Any:
    """A pass-through layer that records the mask Keras hands it (None when there is none)."""
    import keras

    class MaskProbe(keras.layers.Layer):
        def __init__(self) -> None:
            super().__init__()
            self.supports_masking = True
            self.seen: Any = None

        def call(self, inputs, mask=None):
            self.seen = mask
            return inputs

    return MaskProbe()


def check_masking(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int],
    *,
    supports_masking: bool = True,
    call_kwargs: dict[str, Any] | None = None,
    seed: int = 0,
) -> None:
    """`layer.supports_masking` is as expected; given a sequence shape [B, T >= 2, ...], a layer
    that supports masking passes the mask (made by keras.layers.Masking on a zeroed last step)
    on to the next layer unchanged, eagerly and in a functional model."""
    import keras

    who = describe(layer_cls, init_kwargs)
    call_kwargs = call_kwargs or {}
    layer = layer_cls(**init_kwargs)
    if bool(layer.supports_masking) is not supports_masking:
        hint = " (set self.supports_masking = True in __init__)" if supports_masking else ""
        raise AssertionError(
            f"{who}.supports_masking is {layer.supports_masking!r}; expected {supports_masking}"
            f"{hint}"
        )
    if not supports_masking:
        return
    shape = tuple(input_shape)
    if len(shape) < 3 or shape[1] < 2:
        return  # not a sequence [B, T >= 2, ...]: only the flag can be checked, as Keras does
    data = random_inputs(shape, seed=seed) + 0.5  # no accidental all-zero step
    data[0, -1] = 0.0  # the last step of the first sequence is padding
    expected = np.ones(shape[:2], bool)
    expected[0, -1] = False

    probe = _mask_probe()
    probe(layer(keras.layers.Masking(0.0)(data), **call_kwargs))
    seen = None if probe.seen is None else to_numpy(probe.seen)
    if seen is None or seen.shape != expected.shape or not np.array_equal(seen, expected):
        raise AssertionError(
            f"{who}: called on a masked sequence (mask {expected.tolist()}), it handed the next "
            f"layer the mask {None if seen is None else seen.tolist()}; a layer that supports "
            "masking passes it on unchanged"
        )

    inputs = keras.Input(batch_shape=(None, *shape[1:]))
    probe = _mask_probe()
    model = keras.Model(
        inputs, probe(layer_cls(**init_kwargs)(keras.layers.Masking(0.0)(inputs), **call_kwargs))
    )
    model(data)
    seen = None if probe.seen is None else to_numpy(probe.seen)
    if seen is None or not np.array_equal(seen, expected):
        raise AssertionError(
            f"{who} in a functional model Masking → layer → next: the next layer got the mask "
            f"{None if seen is None else seen.tolist()}; expected {expected.tolist()}"
        )


def check_mixed_precision(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int] | None = None,
    *,
    input_data: Any = None,
    call_kwargs: dict[str, Any] | None = None,
) -> None:
    """Under the "mixed_float16" dtype policy, the layer computes in float16 (its output is
    float16) and keeps its float weights in float32."""
    import keras

    kwargs = {**init_kwargs, "dtype": "mixed_float16"}
    who = describe(layer_cls, kwargs)
    layer = layer_cls(**kwargs)
    output = layer(layer_inputs(input_shape, input_data), **(call_kwargs or {}))
    _check_shape_dtype(output, who, tuple(output.shape), "float16")
    for weight in layer.weights:
        dtype = keras.backend.standardize_dtype(weight.dtype)
        if keras.backend.is_float_dtype(dtype) and dtype != "float32":
            raise AssertionError(f"{who}: weight {weight.name!r} is {dtype}; expected float32")


def _model_of(layer: Any, data: np.ndarray, call_kwargs: dict[str, Any]) -> Any:
    """A functional model input → layer(input, **call_kwargs)."""
    import keras

    inputs = _symbolic_input(data)
    return keras.Model(inputs, layer(inputs, **call_kwargs))


def check_training_step(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Sequence[int] | None = None,
    *,
    input_data: Any = None,
    call_kwargs: dict[str, Any] | None = None,
    expect_change: bool = True,
    seed: int = 0,
) -> None:
    """The layer trains inside a model: one `fit` step (SGD, loss = sum of the outputs) runs,
    changes the trainable weights (when `expect_change`) and leaves the non-trainable ones."""
    import keras

    who = describe(layer_cls, init_kwargs)
    x = layer_inputs(input_shape, input_data, seed=seed)
    layer = layer_cls(**init_kwargs)
    model = _model_of(layer, x, call_kwargs or {})
    y = np.zeros(tuple(model(x).shape), "float32")
    before_t = [to_numpy(w).copy() for w in layer.trainable_weights]
    before_n = [to_numpy(w).copy() for w in layer.non_trainable_weights]
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1),
        loss=lambda y_true, y_pred: keras.ops.sum(y_pred),
    )
    model.fit(x, y, batch_size=x.shape[0], epochs=1, verbose=0, shuffle=False)
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
    input_shape: Sequence[int] | None,
    tmp_path: Path,
    *,
    who: str = "the layer",
    seed: int = 0,
    input_data: Any = None,
    call_kwargs: dict[str, Any] | None = None,
) -> None:
    """A model holding the layer saves to a `.keras` file; `keras.saving.load_model` (with no
    custom_objects) loads it back with a layer of the same class and identical outputs."""
    import keras

    x = layer_inputs(input_shape, input_data, seed=seed)
    layer = make_layer()
    model = _model_of(layer, x, call_kwargs or {})
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
    input_shape: Sequence[int] | None = None,
    *,
    input_data: Any = None,
    input_dtype: str = "float32",
    call_kwargs: dict[str, Any] | None = None,
    expected_output_shape: Sequence[int | None] | None = None,
    expected_output: Any = None,
    expected_trainable: int | None = None,
    expected_non_trainable: int | None = None,
    expected_weight_shapes: dict[str, Sequence[int]] | None = None,
    expected_output_dtype: str = "float32",
    supports_masking: bool | None = None,
    run_training_check: bool = True,
    run_mixed_precision_check: bool = True,
    tmp_path: Path | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-6,
) -> None:
    """The whole battery: config round trip, built state, output shapes and dtypes (eager,
    symbolic, compute_output_shape) or the expected output itself, masking (when
    `supports_masking` is given), a one-step fit, mixed precision, and (given `tmp_path`) a
    `.keras` save and load. Counts of weights left None are estimated from a built layer, as in
    Keras's run_layer_test."""
    validate_arguments(
        input_shape=input_shape,
        input_data=input_data,
        expected_output_shape=expected_output_shape,
        expected_output=expected_output,
    )
    if expected_output_shape is None and expected_output is None:
        raise ValueError("pass expected_output_shape or expected_output")
    data = layer_inputs(input_shape, input_data, input_dtype)
    source = {"input_data": data}
    check_config_round_trip(layer_cls, init_kwargs, call_kwargs=call_kwargs, **source)
    check_build(
        layer_cls,
        init_kwargs,
        data.shape,
        expected_trainable=expected_trainable,
        expected_non_trainable=expected_non_trainable,
        expected_weight_shapes=expected_weight_shapes,
        input_dtype=str(data.dtype),
    )
    check_output(
        layer_cls,
        init_kwargs,
        call_kwargs=call_kwargs,
        expected_output_shape=expected_output_shape,
        expected_output=expected_output,
        input_dtype=str(data.dtype),
        expected_output_dtype=expected_output_dtype,
        rtol=rtol,
        atol=atol,
        **source,
    )
    if supports_masking is not None:
        check_masking(
            layer_cls,
            init_kwargs,
            data.shape,
            supports_masking=supports_masking,
            call_kwargs=call_kwargs,
        )
    if run_training_check:
        check_training_step(layer_cls, init_kwargs, call_kwargs=call_kwargs, **source)
    if run_mixed_precision_check:
        check_mixed_precision(layer_cls, init_kwargs, call_kwargs=call_kwargs, **source)
    if tmp_path is not None:
        check_saved_model_round_trip(
            lambda: layer_cls(**init_kwargs),
            None,
            tmp_path,
            who=describe(layer_cls, init_kwargs),
            call_kwargs=call_kwargs,
            **source,
        )
