"""model_apis: the same MLP with the Sequential, functional and subclassing APIs, checked against
the closed-form parameter count, a NumPy forward pass, and each other."""

import itertools
import math
from collections import Counter

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming
from kata_testing.models import (
    check_weight_shapes,
    copy_weights_by_shape,
    dense_chain_shapes,
    numpy_mlp,
    randomize_weights,
)

APIS = ["sequential", "functional", "subclassed"]


@st.composite
def mlp_specs(draw):
    """(input_shape, hidden_units, num_classes), with all layer widths distinct so that every
    weight has its own shape (weights are matched by shape)."""
    input_shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    hidden = draw(st.lists(st.integers(1, 12), max_size=3, unique=True))
    num_classes = draw(st.integers(2, 6).filter(lambda c: c not in hidden))
    return input_shape, hidden, num_classes


def _build(kata, api, input_shape, hidden_units, num_classes, batch=2):
    """Build the model with the given API (a subclassed model is built by one call)."""
    if api == "sequential":
        return kata.build_sequential_mlp(input_shape, hidden_units, num_classes)
    if api == "functional":
        return kata.build_functional_mlp(input_shape, hidden_units, num_classes)
    model = kata.SubclassedMLP(hidden_units, num_classes)
    model(np.zeros((batch, *input_shape), "float32"))
    return model


def _who(api, input_shape, hidden_units, num_classes):
    if api == "subclassed":
        return f"SubclassedMLP({hidden_units}, {num_classes}) called on [B, *{input_shape}]"
    return f"build_{api}_mlp({input_shape}, {hidden_units}, {num_classes})"


def _expected_count(input_shape, hidden_units, num_classes):
    sizes = [math.prod(input_shape), *hidden_units, num_classes]
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


def _check_model_type(model, api, who):
    if not isinstance(model, keras.Model):
        raise AssertionError(f"{who} returned {type(model).__name__}; expected a keras.Model")
    if api == "sequential" and not isinstance(model, keras.Sequential):
        raise AssertionError(f"{who} returned a {type(model).__name__}; expected keras.Sequential")
    if api == "functional" and isinstance(model, keras.Sequential):
        raise AssertionError(
            f"{who} returned a keras.Sequential; expected a functional keras.Model(inputs, outputs)"
        )


# Every example builds Keras models (~50-250 ms each, a subclassed model being the slowest), so
# these properties run a few examples each; the draws still cover rank-1 to rank-3 inputs and 0
# to 3 hidden layers.
FEW = settings(max_examples=6)


@FEW
@given(spec=mlp_specs(), seed=st.integers(0, 2**16))
def test_the_three_apis_agree_on_parameters_and_outputs(kata, spec, seed):
    """The three APIs hold Σ (fan_in·fan_out + fan_out) parameters and agree given equal weights.

    The functional and subclassed models get the Sequential model's weights, matched by shape.
    """
    input_shape, hidden, num_classes = spec
    expected_count = _expected_count(input_shape, hidden, num_classes)
    models = {}
    for api in APIS:
        who = _who(api, input_shape, hidden, num_classes)
        models[api] = model = _build(kata, api, input_shape, hidden, num_classes)
        _check_model_type(model, api, who)
        if model.count_params() != expected_count:
            raise AssertionError(
                f"{who}.count_params() is {model.count_params()}; expected {expected_count} "
                f"(Dense layers {[math.prod(input_shape), *hidden, num_classes]})"
            )
    randomize_weights(models["sequential"], seed)
    x = np.random.default_rng(seed).normal(size=(3, *input_shape)).astype("float32")
    expected = models["sequential"](x)
    for api in ("functional", "subclassed"):
        who = _who(api, input_shape, hidden, num_classes)
        copy_weights_by_shape(models["sequential"], models[api], who)
        # The same float32 ops in the same order: equal up to rounding.
        assert_close(
            models[api](x),
            expected,
            call=f"{who} with the Sequential model's weights",
            rtol=1e-6,
            atol=1e-6,
            what="the Sequential model's output",
        )


@pytest.mark.parametrize("api", APIS)
@FEW
@given(spec=mlp_specs(), batch=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax(
    kata, api, spec, batch, seed
):
    """Each model returns [B, num_classes] probability rows from Flatten → ReLU Dense → softmax.

    Checked against a NumPy forward pass with the model's own (randomized) weights.
    """
    input_shape, hidden, num_classes = spec
    who = _who(api, input_shape, hidden, num_classes)
    model = _build(kata, api, input_shape, hidden, num_classes)
    chain = dense_chain_shapes([math.prod(input_shape), *hidden, num_classes])
    weights = check_weight_shapes(model, [s for pair in chain for s in pair], who)
    randomize_weights(model, seed)
    x = np.random.default_rng(seed).normal(size=(batch, *input_shape)).astype("float32")
    call = f"{who} on x{list(x.shape)}"
    probs = keras.ops.convert_to_numpy(model(x))
    if probs.shape != (batch, num_classes):
        raise AssertionError(
            f"{call} returned shape {list(probs.shape)}; expected {[batch, num_classes]}"
        )
    if probs.min() < 0 or probs.max() > 1:
        raise AssertionError(
            f"{call}: outputs outside [0, 1]: min {probs.min()}, max {probs.max()}"
        )
    assert_close(probs.sum(axis=-1), np.ones(batch), call=f"{call}: row sums", what="1 per row")
    layers = [(weights[k].numpy(), weights[b].numpy()) for k, b in chain]
    # float32 model vs a float64 NumPy pass over ≤ 4 layers of width ≤ 64: 1e-5 is ample.
    assert_close(probs, numpy_mlp(x, layers), call=call, what="NumPy forward pass")


def _steps(model) -> list[str]:
    """What the model's layers compute, in the order Keras lists them (nested models opened):
    "flatten", "dense", and the activations ("relu", "softmax"; a linear one is no step); any
    other layer by its class name, e.g. "Dropout"."""
    steps: list[str] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Model):
            steps += _steps(layer)
        elif isinstance(layer, keras.layers.Flatten) or (
            isinstance(layer, keras.layers.Reshape) and len(layer.target_shape) == 1
        ):
            steps.append("flatten")
        elif isinstance(layer, keras.layers.Dense):
            steps.append("dense")
            name = getattr(layer.activation, "__name__", repr(layer.activation))
            if name != "linear":
                steps.append(name)
        elif isinstance(layer, keras.layers.Activation):
            steps.append(getattr(layer.activation, "__name__", repr(layer.activation)))
        elif isinstance(layer, keras.layers.ReLU):
            steps.append("relu")
        elif isinstance(layer, keras.layers.Softmax):
            steps.append("softmax")
        else:
            steps.append(type(layer).__name__)
    return steps


@pytest.mark.parametrize("api", APIS)
def test_each_api_holds_exactly_the_layers_the_docstring_lists(kata, api):
    """The layers are Flatten, one ReLU Dense per hidden size, Dense(num_classes) and a softmax,
    nothing more (no Dropout, no normalization), in this order for Sequential and functional
    models; a subclassed model holds those Dense layers and nothing the docstring does not list
    (its call may flatten, relu and softmax with ops instead of layers)."""
    input_shape, hidden, num_classes = (3, 2), [5, 4], 3
    who = _who(api, input_shape, hidden, num_classes)
    steps = _steps(_build(kata, api, input_shape, hidden, num_classes))
    expected = ["flatten", *(["dense", "relu"] * len(hidden)), "dense", "softmax"]
    if api == "subclassed":  # call may flatten, relu and softmax with keras.ops instead
        extra = Counter(steps) - Counter(expected)
        same = not extra and steps.count("dense") == len(hidden) + 1
    else:
        same = steps == expected
    if not same:
        raise AssertionError(
            f"{who} computes {' → '.join(steps)}; the docstring lists {' → '.join(expected)}"
        )


@pytest.mark.parametrize("api", APIS)
def test_each_api_computes_the_same_in_training_and_inference(kata, api):
    """Nothing random or batch-dependent: model(x, training=True) equals model(x) (a Dropout or
    a BatchNormalization the docstring does not list would change it)."""
    input_shape, hidden, num_classes = (6,), [16, 8], 3
    who = _who(api, input_shape, hidden, num_classes)
    model = _build(kata, api, input_shape, hidden, num_classes)
    x = np.random.default_rng(5).normal(size=(4, *input_shape)).astype("float32")
    assert_close(
        model(x, training=True),
        model(x, training=False),
        call=f"{who}(x, training=True)",
        rtol=1e-6,
        atol=1e-6,
        what="the same model in inference mode",
    )


def test_subclassed_model_works_on_any_example_shape(kata):
    """A SubclassedMLP is built by its first call, for whatever example shape it sees."""
    for shape in [(6,), (2, 3), (3, 2, 2)]:
        model = kata.SubclassedMLP([5, 4], 3)
        out = model(np.ones((2, *shape), "float32"))
        who = f"SubclassedMLP([5, 4], 3) on [2, *{shape}]"
        if tuple(out.shape) != (2, 3):
            raise AssertionError(f"{who} returned shape {list(out.shape)}; expected [2, 3]")
        if model.count_params() != _expected_count(shape, [5, 4], 3):
            raise AssertionError(
                f"{who}: count_params() {model.count_params()}; expected "
                f"{_expected_count(shape, [5, 4], 3)}"
            )


def test_worked_example_mnist_mlp_784_300_100_10(kata):
    """The classic 28×28 → 300 → 100 → 10 MLP holds 266,610 parameters, with every API.

    The same count as Keras's own Sequential stack of those layers.
    """
    reference = keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(300),
            keras.layers.Dense(100),
            keras.layers.Dense(10),
        ]
    )
    for api in APIS:
        model = _build(kata, api, (28, 28), [300, 100], 10)
        who = _who(api, (28, 28), [300, 100], 10)
        for expected, what in ((266_610, "the classic count"), (reference.count_params(), "Keras")):
            if model.count_params() != expected:
                raise AssertionError(
                    f"{who}.count_params() is {model.count_params()}; expected {expected} ({what})"
                )


# ------------------------------------------------------------------ errors

BAD_ARGUMENTS = [
    pytest.param(((4,), [8], 0), ValueError, "num_classes", id="zero_classes"),
    pytest.param(((4,), [8, -2], 3), ValueError, "hidden_units", id="negative_hidden"),
    pytest.param(((4,), [8, 2.5], 3), (ValueError, TypeError), "hidden_units", id="float_hidden"),
    pytest.param(((4,), 64, 3), TypeError, "hidden_units", id="hidden_not_a_list"),
    pytest.param(((4,), (8, 2), 3), TypeError, "hidden_units", id="hidden_a_tuple"),
    pytest.param(((28, 0), [8], 3), ValueError, "input_shape", id="zero_side"),
]


@pytest.mark.parametrize("builder", ["build_sequential_mlp", "build_functional_mlp"])
@pytest.mark.parametrize("args, errors, argument", BAD_ARGUMENTS)
def test_builders_reject_bad_arguments(kata, builder, args, errors, argument):
    """Non-positive sizes are ValueErrors naming the argument; hidden_units must be a list (an
    int or a tuple is a TypeError)."""
    assert_raises_naming(errors, argument, getattr(kata, builder), *args, call=f"{builder}{args}")


@pytest.mark.parametrize("args, errors, argument", BAD_ARGUMENTS[:-1])  # all but input_shape's
def test_subclassed_mlp_rejects_bad_arguments(kata, args, errors, argument):
    """SubclassedMLP checks its arguments in __init__, like the builders."""
    assert_raises_naming(
        errors, argument, kata.SubclassedMLP, *args[1:], call=f"SubclassedMLP{args[1:]}"
    )


def test_subclassed_mlp_passes_keras_model_keywords_on(kata):
    """Keywords such as name= and trainable= reach keras.Model.__init__, as they do for
    keras.Sequential(name=...) or keras.Model(inputs, outputs, name=...)."""
    call = "SubclassedMLP([4], 3, name='my_mlp', trainable=False)"
    model = kata.SubclassedMLP([4], 3, name="my_mlp", trainable=False)
    assert model.name == "my_mlp", f"{call}.name is {model.name!r}; expected 'my_mlp'"
    assert model.trainable is False, f"{call}.trainable is {model.trainable!r}; expected False"
