"""shapes_and_params: parameter counts and output lengths, checked against the layers Keras
actually builds (count_params() and the real output shape of an eager call)."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kata_testing import assert_raises_naming, call_str

PADDINGS = st.sampled_from(["valid", "same"])


def _check_equal(result, expected, call, what):
    if isinstance(result, bool) or not isinstance(result, (int, np.integer)):
        raise AssertionError(f"{call} returned {type(result).__name__} {result!r}; expected an int")
    if result != expected:
        raise AssertionError(f"{call} returned {result}; expected {expected} ({what})")


def _keras_output_hw(layer, height, width, channels=1):
    """(H, W) of `layer`'s real output on a zero batch, or None when Keras refuses to build the
    layer on that input (in a model, i.e. on a symbolic keras.Input: an eager TF pooling op
    would instead return an empty tensor)."""
    try:
        layer(keras.Input(batch_shape=(None, height, width, channels)))
    except ValueError:
        return None
    output = layer(np.zeros((1, height, width, channels), "float32"))
    return tuple(output.shape[1:3])


# ------------------------------------------------------------------ parameter counts


@given(input_dim=st.integers(1, 64), units=st.integers(1, 64), use_bias=st.booleans())
def test_dense_param_count_matches_keras(kata, input_dim, units, use_bias):
    """dense_param_count equals count_params() of keras.layers.Dense built on that input size."""
    call = call_str("dense_param_count", input_dim, units, use_bias=use_bias)
    result = kata.dense_param_count(input_dim, units, use_bias=use_bias)
    layer = keras.layers.Dense(units, use_bias=use_bias)
    layer.build((None, input_dim))
    _check_equal(result, layer.count_params(), call, "keras.layers.Dense(...).count_params()")


@given(
    in_channels=st.integers(1, 8),
    filters=st.integers(1, 8),
    kernel_size=st.integers(1, 6) | st.tuples(st.integers(1, 6), st.integers(1, 6)),
    use_bias=st.booleans(),
    height=st.integers(0, 4),
)
def test_conv2d_param_count_matches_keras(
    kata, in_channels, filters, kernel_size, use_bias, height
):
    """conv2d_param_count equals count_params() of keras.layers.Conv2D, whatever the image size.

    The kernel is shared over positions; kernel_size may be an int or a pair.
    """
    call = call_str("conv2d_param_count", in_channels, filters, kernel_size, use_bias=use_bias)
    result = kata.conv2d_param_count(in_channels, filters, kernel_size, use_bias=use_bias)
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    layer = keras.layers.Conv2D(filters, kernel_size, use_bias=use_bias)
    layer.build((None, kh + height, kw + 2 * height, in_channels))
    _check_equal(result, layer.count_params(), call, "keras.layers.Conv2D(...).count_params()")


# ------------------------------------------------------------------ output lengths


def _outcome(fn, *args):
    """fn(*args), or the exception it raised (a stub's NotImplementedError propagates)."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except Exception as exc:
        return exc


def _check_against_keras(fn_name, results, calls, windows, sizes, expected, what):
    """Per axis: the length Keras built, or a ValueError where Keras refused the window."""
    for axis, (result, call) in enumerate(zip(results, calls, strict=True)):
        refused = expected is None and windows[axis] > sizes[axis]
        if refused:
            if not isinstance(result, ValueError):
                got = (
                    f"raised {type(result).__name__}: {result}"
                    if isinstance(result, Exception)
                    else f"returned {result!r}"
                )
                raise AssertionError(
                    f"{call} {got}; expected a ValueError: the window is longer than the input "
                    f'with padding="valid", and Keras refuses to build that layer'
                )
        elif expected is not None:
            if isinstance(result, Exception):
                raise AssertionError(
                    f"{call} raised {type(result).__name__}: {result}; expected {expected[axis]} "
                    f"({what})"
                )
            _check_equal(result, expected[axis], call, what)


# Each example is one tiny eager op (~5 ms): 50 examples cover stride/padding/size corners.
@settings(max_examples=50)
@given(
    sizes=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kernel=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    strides=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    padding=PADDINGS,
)
def test_conv_output_length_matches_keras_conv2d(kata, sizes, kernel, strides, padding):
    """conv_output_length is the length Keras's Conv2D really outputs, along each axis.

    Where Keras refuses to build (kernel longer than the input, "valid"), it is a ValueError.
    """
    axes = list(zip(sizes, kernel, strides, strict=True))
    results = [_outcome(kata.conv_output_length, n, k, s, padding) for n, k, s in axes]
    calls = [call_str("conv_output_length", n, k, stride=s, padding=padding) for n, k, s in axes]
    expected = _keras_output_hw(keras.layers.Conv2D(1, kernel, strides, padding), *sizes)
    what = f"Keras's Conv2D{kernel} strides={strides} {padding} on {sizes} outputs {expected}"
    _check_against_keras("conv_output_length", results, calls, kernel, sizes, expected, what)


# Each example is one tiny eager op (~5 ms): 50 examples cover stride/padding/size corners.
@settings(max_examples=50)
@given(
    sizes=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    pool=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    strides=st.none() | st.tuples(st.integers(1, 4), st.integers(1, 4)),
    padding=PADDINGS,
)
def test_pool_output_length_matches_keras_max_pooling(kata, sizes, pool, strides, padding):
    """pool_output_length is the length Keras's MaxPooling2D really outputs, along each axis.

    The stride defaults to the pool size; where Keras refuses ("valid", pool longer than the
    input) it is a ValueError.
    """
    axes = list(zip(sizes, pool, strides or (None, None), strict=True))
    results = [_outcome(kata.pool_output_length, n, p, s, padding) for n, p, s in axes]
    calls = [call_str("pool_output_length", n, p, stride=s, padding=padding) for n, p, s in axes]
    layer = keras.layers.MaxPooling2D(pool, strides=strides, padding=padding)
    expected = _keras_output_hw(layer, *sizes)
    what = f"Keras's MaxPooling2D{pool} strides={strides} {padding} on {sizes} outputs {expected}"
    _check_against_keras("pool_output_length", results, calls, pool, sizes, expected, what)


# ------------------------------------------------------------------ the classic numbers


def test_worked_example_conv_7x7_with_a_3x3_kernel(kata):
    """A 7×7 input and a 3×3 kernel ("valid") give 5×5; with stride 2, 3×3 (as Keras builds).
    The defaults are stride 1 and "valid": conv_output_length(7, 3) is 5."""
    _check_equal(kata.conv_output_length(7, 3), 5, "conv_output_length(7, 3)", "the defaults")
    for stride, classic in ((1, 5), (2, 3)):
        call = call_str("conv_output_length", 7, 3, stride=stride)
        result = kata.conv_output_length(7, 3, stride=stride)
        _check_equal(result, classic, call, "the classic example")
        keras_hw = _keras_output_hw(keras.layers.Conv2D(1, 3, strides=stride), 7, 7)
        _check_equal(result, keras_hw[0], call, "Keras's Conv2D output")


def test_worked_example_pool_16x16x3(kata):
    """A 2×2 max-pool with stride 2 takes 16×16×3 to 8×8×3 (channels untouched), as in Keras."""
    output = keras.layers.MaxPooling2D(2, strides=2)(np.zeros((1, 16, 16, 3), "float32"))
    for call, result in (
        ("pool_output_length(16, 2)", kata.pool_output_length(16, 2)),
        ("pool_output_length(16, 2, stride=2)", kata.pool_output_length(16, 2, stride=2)),
    ):
        _check_equal(result, 8, call, "the classic example")
        _check_equal(result, output.shape[1], call, "Keras's MaxPooling2D output")
    assert tuple(output.shape) == (1, 8, 8, 3)


def test_worked_example_dense_784_to_300(kata):
    """Dense 784 → 300 holds 784·300 + 300 = 235,500 parameters."""
    result = kata.dense_param_count(784, 300)
    layer = keras.layers.Dense(300)
    layer.build((None, 784))
    _check_equal(result, 235_500, "dense_param_count(784, 300)", "the classic example")
    _check_equal(result, layer.count_params(), "dense_param_count(784, 300)", "Keras")


def test_worked_example_mlp_784_300_100_10(kata):
    """The 784-300-100-10 MLP holds 266,610 parameters: the sum of its three Dense layers."""
    total = sum(kata.dense_param_count(a, b) for a, b in ((784, 300), (300, 100), (100, 10)))
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(300),
            keras.layers.Dense(100),
            keras.layers.Dense(10),
        ]
    )
    call = "Σ dense_param_count over 784→300→100→10"
    _check_equal(total, 266_610, call, "the classic example")
    _check_equal(total, model.count_params(), call, "the Keras model's count_params()")


def test_worked_example_mnist_cnn_convolutions(kata):
    """conv(1→32, 5×5) holds 832 parameters and conv(32→64, 5×5) 51,264, as in Keras; the
    kernel size may be 5, (5, 5) or [5, 5]."""
    cases = ((1, 32, 5, 832), (32, 64, (5, 5), 51_264), (1, 32, [5, 5], 832))
    for in_channels, filters, kernel_size, classic in cases:
        call = call_str("conv2d_param_count", in_channels, filters, kernel_size)
        result = kata.conv2d_param_count(in_channels, filters, kernel_size)
        layer = keras.layers.Conv2D(filters, kernel_size)
        layer.build((None, 28, 28, in_channels))
        _check_equal(result, classic, call, "the classic example")
        _check_equal(result, layer.count_params(), call, "Keras")


# ------------------------------------------------------------------ errors

NON_POSITIVE = [
    ("dense_param_count", (0, 3), {}, "input_dim"),
    ("dense_param_count", (4, -1), {}, "units"),
    ("conv2d_param_count", (0, 8, 3), {}, "in_channels"),
    ("conv2d_param_count", (3, 0, 3), {}, "filters"),
    ("conv2d_param_count", (3, 8, 0), {}, "kernel_size"),
    ("conv2d_param_count", (3, 8, (3, -2)), {}, "kernel_size"),
    ("conv_output_length", (0, 3), {}, "input_length"),
    ("conv_output_length", (7, 0), {}, "kernel_size"),
    ("conv_output_length", (7, 3), {"stride": 0}, "stride"),
    ("conv_output_length", (7, 3), {"stride": -2, "padding": "same"}, "stride"),
    ("pool_output_length", (-4, 2), {}, "input_length"),
    ("pool_output_length", (16, 0), {}, "pool_size"),
    ("pool_output_length", (16, 2), {"stride": 0}, "stride"),
]


@pytest.mark.parametrize(
    "fn, args, kwargs, argument",
    NON_POSITIVE,
    ids=[f"{fn}-{arg}-{i}" for i, (fn, _, _, arg) in enumerate(NON_POSITIVE)],
)
def test_non_positive_sizes_are_rejected(kata, fn, args, kwargs, argument):
    """A size, channel count, kernel, pool or stride ≤ 0 is a ValueError naming the argument."""
    assert_raises_naming(
        ValueError, argument, getattr(kata, fn), *args, **kwargs, call=call_str(fn, *args, **kwargs)
    )


NOT_INTEGERS = [
    ("dense_param_count", (784.5, 300), {}, "input_dim"),
    ("conv2d_param_count", (3, "8", 3), {}, "filters"),
    ("conv2d_param_count", (3, 8, (3, 3, 3)), {}, "kernel_size"),
    ("conv_output_length", (7, 2.5), {}, "kernel_size"),
    ("pool_output_length", (None, 2), {}, "input_length"),
]


@pytest.mark.parametrize(
    "fn, args, kwargs, argument",
    NOT_INTEGERS,
    ids=[f"{fn}-{arg}-{i}" for i, (fn, _, _, arg) in enumerate(NOT_INTEGERS)],
)
def test_sizes_that_are_not_integers_are_rejected(kata, fn, args, kwargs, argument):
    """A size that is not an int is a ValueError or TypeError naming the argument.

    kernel_size may be an int or a pair, nothing else.
    """
    assert_raises_naming(
        (ValueError, TypeError),
        argument,
        getattr(kata, fn),
        *args,
        **kwargs,
        call=call_str(fn, *args, **kwargs),
    )


@pytest.mark.parametrize("padding", ["full", "valid ", "", None], ids=repr)
@pytest.mark.parametrize("fn", ["conv_output_length", "pool_output_length"])
def test_unknown_padding_is_rejected(kata, fn, padding):
    """padding is "valid" or "same": anything else is a ValueError naming padding."""
    assert_raises_naming(
        ValueError,
        "padding",
        getattr(kata, fn),
        8,
        2,
        1,
        padding,
        call=call_str(fn, 8, 2, 1, padding),
    )


@pytest.mark.parametrize(
    "fn, window", [("conv_output_length", "kernel_size"), ("pool_output_length", "pool_size")]
)
def test_window_longer_than_a_valid_input_is_rejected(kata, fn, window):
    """With "valid" padding, a window longer than the input is a ValueError.

    Keras refuses to build such a layer; the message names the window or the input.
    """
    assert_raises_naming(
        ValueError, (window, "input_length"), getattr(kata, fn), 2, 3, call=call_str(fn, 2, 3)
    )
    # with "same" padding the same window is fine: ceil(2 / stride)
    result = getattr(kata, fn)(2, 3, 1, "same")
    _check_equal(result, 2, call_str(fn, 2, 3, 1, "same"), "ceil(2 / 1)")
