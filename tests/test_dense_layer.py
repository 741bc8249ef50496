"""dense_layer: a Dense layer from scratch, checked against keras.layers.Dense and with the layer
battery of kata_testing.layers (Keras's run_layer_test in spirit)."""

import traceback
import unittest

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming, call_str
from kata_testing.layers import (
    check_build,
    check_config_round_trip,
    check_masking,
    check_mixed_precision,
    check_output,
    check_saved_model_round_trip,
    check_training_step,
    describe,
    random_inputs,
    run_layer_test,
)


def _weights_by_name(layer, expected=("kernel", "bias")):
    """The layer's weights by name; an AssertionError when one of `expected` is missing."""
    weights = {w.name: w for w in layer.weights}
    missing = [name for name in expected if name not in weights]
    if missing:
        raise AssertionError(
            f"the built layer has weights {sorted(weights)}; expected {list(expected)} "
            "(create them in build() with self.add_weight(name=..., ...))"
        )
    return weights


def _copy_from_keras(layer, reference):
    """Give `layer` the weights of the built keras.layers.Dense `reference`, matched by name."""
    theirs = {w.name: w for w in reference.weights}
    mine = _weights_by_name(layer, expected=tuple(theirs))
    if sorted(mine) != sorted(theirs):
        raise AssertionError(
            f"the layer's weights are named {sorted(mine)}; keras.layers.Dense has {sorted(theirs)}"
        )
    for name, weight in theirs.items():
        if tuple(mine[name].shape) != tuple(weight.shape):
            raise AssertionError(
                f"weight {name!r} has shape {list(mine[name].shape)}; keras.layers.Dense's has "
                f"{list(weight.shape)}"
            )
        mine[name].assign(weight)


# ------------------------------------------------------------------ worked example


def test_dense_worked_example_from_keras_tests(kata):
    """Keras's fixture: kernel [[1, −2], [3, −4]], bias [5, −6], ReLU, on [[−1, 2]] gives [[10, 0]].

    x·W + b = [10, −12], and the ReLU clips the −12.
    """
    layer = kata.Dense(2, activation="relu")
    layer.build((1, 2))
    weights = _weights_by_name(layer)
    weights["kernel"].assign([[1.0, -2.0], [3.0, -4.0]])
    weights["bias"].assign([5.0, -6.0])
    x = np.array([[-1.0, 2.0]], "float32")
    expected = keras.activations.relu(x @ np.array([[1, -2], [3, -4]], "float32") + [5, -6])
    call = "Dense(2, activation='relu') with kernel [[1, -2], [3, -4]], bias [5, -6], on [[-1, 2]]"
    assert_close(layer(x), [[10.0, 0.0]], call=call)
    assert_close(layer(x), expected, call=call, what="relu(x·W + b)")


# ------------------------------------------------------------------ against keras.layers.Dense

ACTIVATIONS = [
    pytest.param(None, id="none"),
    pytest.param("relu", id="relu_by_name"),
    pytest.param("tanh", id="tanh_by_name"),
    pytest.param(keras.activations.sigmoid, id="sigmoid_callable"),
    pytest.param(tf.nn.softplus, id="tf_softplus_callable"),
    pytest.param(lambda t: 2.0 * t - 1.0, id="lambda"),
]


@pytest.mark.parametrize("activation", ACTIVATIONS)
# Each example builds two layers and calls them eagerly (~10 ms): a handful per activation is
# enough to cover ranks 2-4, sizes and both use_bias values.
@settings(max_examples=8)
@given(
    shape=st.lists(st.integers(1, 5), min_size=2, max_size=4).map(tuple),
    units=st.integers(1, 6),
    use_bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_dense_matches_keras_dense(kata, activation, shape, units, use_bias, seed):
    """Given keras.layers.Dense's weights, the layer computes what keras.layers.Dense computes.

    Inputs of rank 2, 3 and 4, with and without bias, activation by name or as a callable.
    """
    layer = kata.Dense(units, activation=activation, use_bias=use_bias)
    layer.build(shape)
    reference = keras.layers.Dense(
        units, activation=activation, use_bias=use_bias, bias_initializer="random_normal"
    )
    x = random_inputs(shape, seed=seed)
    expected = reference(x)
    _copy_from_keras(layer, reference)
    call = call_str("Dense", units, activation=activation, use_bias=use_bias) + f" on {list(shape)}"
    # Same ops in float32 on values of order 1; 1e-5 leaves room for a different contraction
    # order (tensordot, einsum) than keras.layers.Dense's matmul.
    assert_close(layer(x), expected, call=call, what="keras.layers.Dense's output")


def test_dense_default_activation_is_linear(kata):
    """Without an activation the layer is affine: x·kernel + bias, negative values kept."""
    layer = kata.Dense(3, bias_initializer="random_normal")
    x = random_inputs((4, 5), seed=3)
    output = layer(x)
    w = _weights_by_name(layer)
    expected = x.astype(np.float64) @ w["kernel"].numpy() + w["bias"].numpy()
    assert_close(output, expected, call="Dense(3)(x[4, 5])", what="x·kernel + bias")
    assert np.any(expected < 0), "the example should have negative outputs to be meaningful"


@pytest.mark.parametrize(
    "kernel_initializer, bias_initializer, kernel_value, bias_value",
    [
        ("ones", "zeros", 1.0, 0.0),
        ("zeros", "ones", 0.0, 1.0),
        (keras.initializers.Constant(0.5), keras.initializers.Constant(-2.0), 0.5, -2.0),
    ],
    ids=["ones_zeros_by_name", "zeros_ones_by_name", "constant_objects"],
)
def test_dense_uses_the_initializers(
    kata, kernel_initializer, bias_initializer, kernel_value, bias_value
):
    """kernel_initializer and bias_initializer (by name or as objects) fill the weights."""
    layer = kata.Dense(4, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer)
    layer.build((2, 3))
    w = _weights_by_name(layer)
    call = describe(
        kata.Dense,
        {
            "units": 4,
            "kernel_initializer": kernel_initializer,
            "bias_initializer": bias_initializer,
        },
    )
    assert_close(w["kernel"], np.full((3, 4), kernel_value), call=call + ".kernel")
    assert_close(w["bias"], np.full((4,), bias_value), call=call + ".bias")


# ------------------------------------------------------------------ the layer battery


@pytest.mark.parametrize("use_bias", [True, False], ids=["with_bias", "without_bias"])
def test_dense_builds_kernel_and_bias_with_add_weight(kata, use_bias):
    """build() creates trainable `kernel` [input_dim, units] and, with use_bias, `bias` [units].

    No weight exists before build, and none is non-trainable.
    """
    shapes = {"kernel": (7, 3), "bias": (3,)} if use_bias else {"kernel": (7, 3)}
    layer = check_build(
        kata.Dense,
        {"units": 3, "use_bias": use_bias},
        (2, 7),
        expected_trainable=len(shapes),
        expected_non_trainable=0,
        expected_weight_shapes=shapes,
    )
    # As in keras.layers.Dense: layer.kernel and layer.bias, the bias None without use_bias.
    bias = getattr(layer, "bias", "missing")
    if getattr(layer, "kernel", None) is not _weights_by_name(layer, ("kernel",))["kernel"]:
        raise AssertionError("layer.kernel is not the layer's `kernel` weight")
    if use_bias and bias is not _weights_by_name(layer)["bias"]:
        raise AssertionError("layer.bias is not the layer's `bias` weight")
    if not use_bias and bias is not None:
        raise AssertionError(f"Dense(3, use_bias=False).bias is {bias!r}; expected None")


@pytest.mark.parametrize(
    "input_shape", [(4, 6), (2, 5, 6), (2, 3, 4, 6)], ids=["rank2", "rank3", "rank4"]
)
def test_dense_output_shape_for_any_rank(kata, input_shape):
    """Only the last axis changes, d → units, for inputs of rank 2, 3 and 4.

    Eager calls, symbolic calls and compute_output_shape agree.
    """
    check_output(
        kata.Dense,
        {"units": 5, "activation": "relu"},
        input_shape,
        expected_output_shape=(*input_shape[:-1], 5),
    )


@pytest.mark.parametrize(
    "layer_dtype, input_dtype, output_dtype",
    [
        (None, "float32", "float32"),
        (None, "float64", "float32"),
        ("float64", "float32", "float64"),
    ],
    ids=["float32", "float64_input_autocast", "float64_layer"],
)
def test_dense_output_dtype_follows_the_layer_dtype(kata, layer_dtype, input_dtype, output_dtype):
    """The output has the layer's compute dtype (float32 by default; float64 with dtype=...)."""
    kwargs = {"units": 2} if layer_dtype is None else {"units": 2, "dtype": layer_dtype}
    check_output(
        kata.Dense,
        kwargs,
        (3, 4),
        input_dtype=input_dtype,
        expected_output_shape=(3, 2),
        expected_output_dtype=output_dtype,
    )


def test_dense_under_mixed_precision(kata):
    """With dtype="mixed_float16" the layer computes in float16 and keeps float32 weights."""
    check_mixed_precision(kata.Dense, {"units": 3, "activation": "relu"}, (2, 4))


def test_dense_trains_in_a_model(kata):
    """One fit() step of a model holding the layer updates its kernel and bias."""
    check_training_step(kata.Dense, {"units": 3}, (4, 5))


@pytest.mark.parametrize(
    "init_kwargs",
    [
        {"units": 3, "activation": "relu"},
        {"units": 2, "activation": "tanh", "use_bias": False, "kernel_initializer": "he_normal"},
        {"units": 4, "bias_initializer": keras.initializers.Constant(0.25), "name": "my_dense"},
    ],
    ids=["relu", "tanh_no_bias_he_normal", "constant_bias_named"],
)
def test_dense_config_round_trip(kata, init_kwargs):
    """get_config() → from_config() rebuilds an equivalent layer (same config, name, outputs).

    Also through keras.saving.serialize_keras_object / deserialize_keras_object.
    """
    check_config_round_trip(kata.Dense, init_kwargs, (3, 4))
    layer = kata.Dense(**init_kwargs)
    config = layer.get_config()
    # the base layer's keys (super().get_config()) and every constructor argument
    keys = ("name", "dtype", "trainable", "units", "activation", "use_bias")
    for key in (*keys, "kernel_initializer", "bias_initializer"):
        if key not in config:
            raise AssertionError(
                f"{describe(kata.Dense, init_kwargs)}.get_config() has no {key!r}: {config}"
            )
    assert config["units"] == init_kwargs["units"], f"get_config()['units'] is {config['units']!r}"
    revived = kata.Dense.from_config(config)
    if revived.name != layer.name:
        raise AssertionError(
            f"Dense.from_config(get_config()) is named {revived.name!r}; the original "
            f"{layer.name!r} (start get_config from super().get_config())"
        )


def test_dense_saves_to_a_keras_file_and_loads_back(kata, tmp_path):
    """A model holding the layer saves to .keras and loads back with identical outputs.

    No custom_objects are passed: the class is registered as "tfkata>Dense".
    """
    kata.Dense(1)
    registered = keras.saving.get_registered_name(kata.Dense)
    assert registered == "tfkata>Dense", (
        f"Dense is registered as {registered!r}; expected 'tfkata>Dense' "
        '(@keras.saving.register_keras_serializable(package="tfkata"))'
    )
    check_saved_model_round_trip(
        lambda: kata.Dense(3, activation="tanh", bias_initializer="random_normal"),
        (2, 4, 5),
        tmp_path,
        who="Dense(3, activation='tanh')",
    )


def test_dense_passes_the_whole_layer_battery(kata, tmp_path):
    """The whole layer battery passes on a rank-3 input.

    Config, build, shapes, dtypes, masking, one fit step, mixed precision, save and load.
    """
    run_layer_test(
        kata.Dense,
        {"units": 4, "activation": "sigmoid"},
        (2, 3, 5),
        expected_output_shape=(2, 3, 4),
        expected_trainable=2,
        expected_weight_shapes={"kernel": (5, 4), "bias": (4,)},
        supports_masking=True,
        tmp_path=tmp_path,
    )


def test_dense_battery_on_given_inputs_and_outputs(kata):
    """With constant initializers the battery checks the output itself: kernel 0.5, bias −1,
    ReLU on [[1, 2], [−3, 0]] gives [[0.5, 0.5], [0, 0]]."""
    run_layer_test(
        kata.Dense,
        {
            "units": 2,
            "activation": "relu",
            "kernel_initializer": keras.initializers.Constant(0.5),
            "bias_initializer": keras.initializers.Constant(-1.0),
        },
        input_data=np.array([[1.0, 2.0], [-3.0, 0.0]], "float32"),
        expected_output=[[0.5, 0.5], [0.0, 0.0]],
        expected_trainable=2,
        run_mixed_precision_check=False,
    )


# ------------------------------------------------------------------ masking


def test_dense_passes_a_mask_through(kata):
    """A Dense after Embedding(mask_zero=True) keeps the mask: the padded steps stay masked, so
    a GlobalAveragePooling1D after it averages the real steps only (as with keras.layers.Dense)."""
    ids = np.array([[3, 1, 0, 0], [2, 2, 4, 0]])
    embedding = keras.layers.Embedding(5, 3, mask_zero=True)
    dense = kata.Dense(2, kernel_initializer="ones", bias_initializer="ones")
    pooled = keras.layers.GlobalAveragePooling1D()(dense(embedding(ids)))
    vectors = embedding.embeddings.numpy()[ids].astype(np.float64) @ np.ones((3, 2)) + 1.0
    real = (ids != 0)[..., None]
    expected = (vectors * real).sum(axis=1) / real.sum(axis=1)
    call = "GlobalAveragePooling1D()(Dense(2)(Embedding(5, 3, mask_zero=True)(ids)))"
    assert_close(
        pooled, expected, call=call, what="the mean over the unpadded steps (the mask was lost?)"
    )
    check_masking(kata.Dense, {"units": 3}, (2, 4, 5), supports_masking=True)


# ------------------------------------------------------------------ Keras's own Dense tests


class _LayersWithDense:
    """keras.src.layers with Dense replaced by the kata's."""

    def __init__(self, dense: type) -> None:
        import keras.src.layers

        self._layers = keras.src.layers
        self.Dense = dense

    def __getattr__(self, name: str):
        return getattr(self._layers, name)


@pytest.fixture
def keras_dense_tests(kata, monkeypatch, request):
    """Keras's own keras/src/layers/core/dense_test.py, with the kata's Dense swapped in for
    keras.layers.Dense; Keras's TestCase switches off traceback filtering, restored after."""
    # Keras's test module uses a marker of its own: make it known, under --strict-markers
    request.config.addinivalue_line("markers", "requires_trainable_backend: Keras's own marker")
    try:
        from keras.src.layers.core import dense_test
    except ImportError as exc:  # an older or a slimmed Keras
        pytest.skip(f"this Keras ships no keras/src/layers/core/dense_test.py ({exc})")
    monkeypatch.setattr(dense_test, "layers", _LayersWithDense(kata.Dense))
    filtering = keras.config.is_traceback_filtering_enabled()
    yield dense_test
    if filtering:
        keras.config.enable_traceback_filtering()


class _KeepExceptions(unittest.TestResult):
    """A unittest result that keeps the exceptions themselves, not only their tracebacks."""

    def __init__(self) -> None:
        super().__init__()
        self.raised: list[BaseException] = []

    def addError(self, test, err) -> None:
        super().addError(test, err)
        self.raised.append(err[1])

    def addFailure(self, test, err) -> None:
        super().addFailure(test, err)
        self.raised.append(err[1])


# Keras's other DenseTest cases are left out, for these reasons (LoRA and quantization too: they
# are Keras's own machinery, not a Dense layer's job):
KERAS_OUT_OF_SCOPE = {
    "test_dense_invalid_units_raises": "asserts Keras's wording ('positive integer'); "
    "test_dense_rejects_units_that_are_not_positive_ints checks the ValueError naming units",
    "test_dense_errors": "asserts the wording of Keras's InputSpec error, which the kata does not ask for",
    "test_dense_without_activation_set": "sets layer.activation = None after construction; the "
    "kata resolves the activation once, in __init__ (None -> linear)",
    "test_dense_constraints": "kernel_constraint / bias_constraint are not in the kata's signature",
    "test_dense_sparse": "sparse inputs are outside the kata",
}


@pytest.mark.parametrize(
    "name",
    [
        "test_dense_correctness",
        "test_dense_no_activation",
        "test_dense_with_activation",
    ],
)
def test_dense_passes_keras_own_dense_test(kata, keras_dense_tests, name):
    """Keras's own DenseTest cases pass with the kata's Dense in place of keras.layers.Dense."""
    result = _KeepExceptions()
    keras_dense_tests.DenseTest(name).run(result)
    if result.raised:
        exc = result.raised[0]
        if isinstance(exc, NotImplementedError):
            raise exc  # the stub's: reported as "not implemented yet"
        text = "".join(traceback.format_exception(exc)).strip().splitlines()[-6:]
        raise AssertionError(
            f"Keras's own DenseTest.{name}, run on the kata's Dense, fails:\n  " + "\n  ".join(text)
        )
    if result.testsRun != 1 or result.skipped:
        raise AssertionError(f"Keras's DenseTest.{name} did not run: {result.skipped}")


@pytest.mark.parametrize(
    "init_kwargs, input_shape, trainable",
    [
        (
            {
                "units": 4,
                "activation": "relu",
                "kernel_initializer": "random_uniform",
                "bias_initializer": "ones",
                "use_bias": False,
            },
            (2, 3),
            1,
        ),
        ({"units": 5, "activation": "sigmoid"}, (2, 3, 4), 2),
    ],
    ids=["2d_no_bias", "3d_sigmoid"],
)
@pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")
def test_dense_passes_keras_run_layer_test(
    kata, keras_dense_tests, init_kwargs, input_shape, trainable
):
    """Keras's test_dense_basics: its run_layer_test (serialization, built state, shapes,
    supports_masking, one fit step, mixed precision) passes on the kata's Dense; its
    regularizer arguments, outside the kata's signature, are left out."""
    case = keras_dense_tests.DenseTest("test_dense_basics")
    case.setUp()
    output_shape = (*input_shape[:-1], init_kwargs["units"])
    try:
        case.run_layer_test(
            kata.Dense,
            init_kwargs=init_kwargs,
            input_shape=input_shape,
            expected_output_shape=output_shape,
            expected_num_trainable_weights=trainable,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=True,
        )
    except AssertionError as exc:
        raise AssertionError(
            f"Keras's run_layer_test({describe(kata.Dense, init_kwargs)}, input_shape="
            f"{input_shape}, supports_masking=True) fails: {str(exc).strip()[:600]}"
        ) from None


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("units", [0, -3, 2.5, None, "64"], ids=repr)
def test_dense_rejects_units_that_are_not_positive_ints(kata, units):
    """units must be a positive int: 0, −3, 2.5, None and "64" are ValueErrors naming units."""
    assert_raises_naming(ValueError, "units", kata.Dense, units, call=f"Dense(units={units!r})")
