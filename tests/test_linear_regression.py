"""linear_regression: min-max scaling, and gradient descent on ½·Σ(a·x + b − y)² written by hand
in NumPy and with tf.Variable + GradientTape + keras.optimizers.SGD."""

import inspect

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming, call_str, float_arrays, fmt, shapes

# ------------------------------------------------------------------ independent computations


def gradient_descent(x, y, learning_rate, epochs):
    """The update rule of the contract, in float64: a, b start at 0 and move together."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    a = b = 0.0
    for _ in range(epochs):
        r = a * x + b - y
        a, b = a - learning_rate * float(r @ x), b - learning_rate * float(r.sum())
    return a, b


def least_squares(x, y):
    """The exact minimizer of Σ(a·x + b − y)², from NumPy's least-squares solver."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return a, b


def stable_learning_rate(x, fraction):
    """fraction / λ_max of the Hessian [[Σx², Σx], [Σx, n]]: fraction < 2 keeps descent stable."""
    hessian = np.array([[x @ x, x.sum()], [x.sum(), x.size]])
    return fraction / np.linalg.eigvalsh(hessian).max()


@st.composite
def problems(draw, max_epochs=40):
    """Small regression problems with float32-representable data and a stable learning rate."""
    n = draw(st.integers(1, 12), label="n")
    x = draw(float_arrays(np.float32, (n,), -3.0, 3.0), label="x").astype(np.float64)
    y = draw(float_arrays(np.float32, (n,), -10.0, 10.0), label="y").astype(np.float64)
    fraction = draw(st.floats(0.05, 1.5), label="learning_rate·λ_max")
    learning_rate = float(stable_learning_rate(x, fraction))
    epochs = draw(st.integers(0, max_epochs), label="epochs")
    return x, y, learning_rate, epochs


def assert_pair_close(result, expected, *, call, rtol, atol, what=""):
    """`result` is a pair of Python floats close to `expected`."""
    if not (isinstance(result, tuple | list) and len(result) == 2):
        raise AssertionError(f"{call} returned {fmt(result)}; expected a pair (a, b)")
    for name, value in zip("ab", result, strict=True):
        if not isinstance(value, float):
            raise AssertionError(
                f"{call} returned {name} = {value!r} of type {type(value).__name__}; expected a "
                "Python float (use float(...))"
            )
    assert_close(np.array(result), np.array(expected), call=call, rtol=rtol, atol=atol, what=what)


def regression_line(n=100, seed=0):
    """y = 2x + 1 plus a little noise, with x evenly spread on [0, 1]."""
    x = np.linspace(0.0, 1.0, n)
    y = 2.0 * x + 1.0 + np.random.default_rng(seed).normal(0.0, 0.1, size=n)
    return x, y


# ------------------------------------------------------------------ min_max_normalize


@given(
    x=st.one_of(
        float_arrays(
            np.float32, shapes(min_dims=1, max_dims=1, min_side=1, max_side=20), -1e4, 1e4
        ),
        float_arrays(np.float64, shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), -1e4, 1e4),
    )
)
def test_min_max_normalize_maps_min_to_0_and_max_to_1(kata, x):
    """(x − min)/(max − min) over all of x (any rank), as a float32 array of x's shape, inside
    [0, 1], min -> 0, max -> 1."""
    x = x.astype(np.float32).astype(x.dtype)  # float32-representable, whichever the input dtype
    call = call_str("min_max_normalize", x)
    result = kata.min_max_normalize(x)
    if not isinstance(result, np.ndarray):
        raise AssertionError(f"{call} returned {type(result).__name__}; expected a NumPy array")
    if result.dtype != np.float32 or result.shape != x.shape:
        raise AssertionError(
            f"{call} returned {result.dtype} {list(result.shape)}; expected float32 {list(x.shape)}"
        )
    x64 = x.astype(np.float64)
    low, high = x64.min(), x64.max()
    expected = np.zeros_like(x64) if high == low else (x64 - low) / (high - low)
    # float32 output: a few roundings of values in [0, 1] are well inside 1e-6.
    assert_close(result, expected, call=call, rtol=0, atol=1e-6, what="(x − min) / (max − min)")
    if result.min() < 0.0 or result.max() > 1.0:
        raise AssertionError(f"{call} returned {fmt(result)}: values outside [0, 1]")
    if result.flat[np.argmin(x64)] != 0.0:  # x − min is exactly 0 there, whatever the rounding
        raise AssertionError(f"{call} returned {fmt(result)}: the minimum should map to 0.0")


@pytest.mark.parametrize(
    "x, expected",
    [([2, 4, 6], [0.0, 0.5, 1.0]), ([-1.0, 0.0, 3.0], [0.0, 0.25, 1.0]), ([5.0, -5.0], [1.0, 0.0])],
    ids=["2_4_6", "-1_0_3", "5_-5"],
)
def test_min_max_normalize_worked_examples(kata, x, expected):
    """[2, 4, 6] -> [0, ½, 1]; [−1, 0, 3] -> [0, ¼, 1]; [5, −5] -> [1, 0]."""
    call = call_str("min_max_normalize", x)
    result = kata.min_max_normalize(x)
    assert_close(result, expected, call=call)
    if np.asarray(result).dtype != np.float32:
        raise AssertionError(f"{call} returned dtype {np.asarray(result).dtype}; expected float32")


@pytest.mark.parametrize(
    "x",
    [[3.0, 3.0, 3.0], [7], np.full(4, -2.5), tf.constant([1.5, 1.5])],
    ids=["list", "one_int", "array", "tensor"],
)
def test_min_max_normalize_of_a_constant_is_zeros(kata, x):
    """A constant input has max = min: the answer is float32 zeros, not 0/0 = NaN."""
    call = call_str("min_max_normalize", x)
    result = kata.min_max_normalize(x)
    if not isinstance(result, np.ndarray) or result.dtype != np.float32:
        raise AssertionError(f"{call} returned {fmt(result)}; expected a float32 NumPy array")
    assert_close(result, np.zeros(np.shape(x)), call=call, rtol=0, atol=0, what="zeros")


def test_min_max_normalize_accepts_a_tensor(kata):
    """A tf.Tensor is tensor-like: the answer is still a float32 NumPy array."""
    x = tf.constant([[1.0, 3.0], [2.0, 5.0]], dtype=tf.float64)
    call = call_str("min_max_normalize", x)
    result = kata.min_max_normalize(x)
    if not isinstance(result, np.ndarray) or result.dtype != np.float32:
        raise AssertionError(f"{call} returned {fmt(result)}; expected a float32 NumPy array")
    assert_close(result, [[0.0, 0.5], [0.25, 1.0]], call=call)


@pytest.mark.parametrize("x", [[], np.zeros(0), tf.zeros([0])], ids=["list", "array", "tensor"])
def test_min_max_normalize_rejects_empty_input(kata, x):
    """An empty input has no min or max: ValueError naming x."""
    assert_raises_naming(ValueError, "x", kata.min_max_normalize, x)


@pytest.mark.parametrize(
    "x", [[1.0, np.nan, 3.0], [0.0, np.inf], np.array([-np.inf, 1.0])], ids=["nan", "inf", "-inf"]
)
def test_min_max_normalize_rejects_nan_and_infinity(kata, x):
    """NaN or infinity has no place on [0, 1] (max − min would be NaN): ValueError naming x."""
    assert_raises_naming(ValueError, "x", kata.min_max_normalize, x)


# ------------------------------------------------------------------ fit_numpy


@given(problem=problems())
def test_fit_numpy_follows_the_gradient_descent_rule(kata, problem):
    """From a = b = 0, each epoch moves a by −lr·Σ r·x and b by −lr·Σ r, both at the old (a, b)."""
    x, y, learning_rate, epochs = problem
    call = call_str("fit_numpy", x, y, learning_rate=learning_rate, epochs=epochs)
    result = kata.fit_numpy(x, y, learning_rate=learning_rate, epochs=epochs)
    expected = gradient_descent(x, y, learning_rate, epochs)
    # float64 throughout; only the summation order may differ.
    assert_pair_close(result, expected, call=call, rtol=1e-9, atol=1e-9, what="gradient descent")


def test_fit_numpy_worked_example(kata):
    """x = [1, 2], y = [1, 3], lr = 0.1: epoch 1 has r = [−1, −3], so (a, b) = (0.7, 0.4); epoch 2
    has r = [0.1, −1.2], so (a, b) = (0.93, 0.51)."""
    for epochs, expected in [(1, (0.7, 0.4)), (2, (0.93, 0.51))]:
        call = f"fit_numpy([1, 2], [1, 3], learning_rate=0.1, epochs={epochs})"
        result = kata.fit_numpy([1.0, 2.0], [1.0, 3.0], learning_rate=0.1, epochs=epochs)
        assert_pair_close(result, expected, call=call, rtol=1e-12, atol=1e-12)


def test_fit_numpy_with_zero_epochs_returns_the_start(kata):
    """No step taken: (a, b) = (0.0, 0.0)."""
    result = kata.fit_numpy([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], epochs=0)
    assert_pair_close(result, (0.0, 0.0), call="fit_numpy(..., epochs=0)", rtol=0, atol=0)


def test_fit_numpy_defaults_converge_to_least_squares(kata):
    """With the defaults (lr 1e-3, 10 000 epochs) on 100 points of y ≈ 2x + 1, x in [0, 1], the
    descent has converged: it equals the rule run with those numbers, and the least-squares line."""
    x, y = regression_line()
    call = "fit_numpy(x, y)  # x = linspace(0, 1, 100), y ≈ 2x + 1"
    result = kata.fit_numpy(x, y)
    assert_pair_close(
        result,
        gradient_descent(x, y, 1e-3, 10_000),
        call=call,
        rtol=1e-9,
        atol=1e-9,
        what="gradient descent with learning_rate=1e-3, epochs=10_000",
    )
    # The slowest mode contracts by (1 − 1e-3·6.6)^10000 ≈ e^−66: converged to float64 precision.
    assert_pair_close(result, least_squares(x, y), call=call, rtol=1e-9, atol=1e-9, what="lstsq")
    # converged, 9 999 or 10 001 epochs would land on the same line: read the default itself
    default = inspect.signature(kata.fit_numpy).parameters["epochs"].default
    if default != 10_000:
        raise AssertionError(f"fit_numpy's epochs defaults to {default!r}; expected 10_000")


def test_fit_numpy_computes_in_float64_whatever_the_input_dtype(kata):
    """float32 (and int) inputs are converted to float64 first: the steps are the float64 rule's
    to 1e-12, not float32 arithmetic's ~1e-7."""
    x32 = np.linspace(-1.0, 1.0, 7, dtype=np.float32) + np.float32(1e-3)
    y32 = (3.0 * x32 - 0.7).astype(np.float32)
    for x, y in ((x32, y32), ([1, 2, 3], [2, 5, 4])):
        call = call_str("fit_numpy", x, y, learning_rate=0.05, epochs=25)
        result = kata.fit_numpy(x, y, learning_rate=0.05, epochs=25)
        expected = gradient_descent(x, y, 0.05, 25)
        assert_pair_close(result, expected, call=call, rtol=1e-12, atol=1e-12, what="float64 rule")


@given(seed=st.integers(0, 2**16), n=st.integers(2, 30))
def test_fit_numpy_converges_to_least_squares(kata, seed, n):
    """Run long enough, gradient descent lands on the least-squares line (np.linalg.lstsq)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, size=n))
    x[0], x[-1] = -1.0, 1.0  # two distinct points: a unique minimizer
    y = rng.normal(1.5, 2.0) * x + rng.normal(0.0, 2.0) + rng.normal(0.0, 0.3, size=n)
    hessian = np.array([[x @ x, x.sum()], [x.sum(), n]])
    low, high = np.linalg.eigvalsh(hessian)
    learning_rate = 1.0 / high
    # The error shrinks at least by (1 − low/high) per epoch: enough epochs for a factor 1e-12.
    epochs = int(np.ceil(np.log(1e-12) / np.log1p(-min(low / high, 0.5))))
    call = call_str("fit_numpy", x, y, learning_rate=learning_rate, epochs=epochs)
    result = kata.fit_numpy(x, y, learning_rate=learning_rate, epochs=epochs)
    assert_pair_close(result, least_squares(x, y), call=call, rtol=1e-8, atol=1e-8, what="lstsq")


# ------------------------------------------------------------------ fit_tf


@given(problem=problems(max_epochs=15))  # eager steps cost ~1 ms each: few of them
def test_fit_tf_follows_the_gradient_descent_rule(kata, problem):
    """fit_tf takes the same steps as the rule computed in float64, up to float32 rounding."""
    x, y, learning_rate, epochs = problem
    call = call_str("fit_tf", x, y, learning_rate=learning_rate, epochs=epochs)
    result = kata.fit_tf(x, y, learning_rate=learning_rate, epochs=epochs)
    expected = gradient_descent(x, y, learning_rate, epochs)
    # float32 arithmetic against float64, relative to the size of the numbers involved: measured
    # differences stay below 1e-7 of it, 1e-5 leaves room for other float32 summation orders.
    scale = max(1.0, np.abs(y).max(), *np.abs(expected))
    assert_pair_close(result, expected, call=call, rtol=0, atol=1e-5 * scale, what="float64 rule")


def test_fit_tf_agrees_with_fit_numpy(kata):
    """On the same problem fit_tf and fit_numpy agree up to float32 rounding."""
    x, y = regression_line(n=20, seed=3)
    args = dict(learning_rate=0.02, epochs=60)
    call = call_str("fit_tf", x, y, **args)
    numpy_result = kata.fit_numpy(x, y, **args)
    result = kata.fit_tf(x, y, **args)
    # The numbers are of size ~2: float32 rounding over 60 steps stays far below 1e-5.
    assert_pair_close(result, numpy_result, call=call, rtol=1e-5, atol=1e-5, what="fit_numpy's")


def test_fit_tf_worked_example(kata):
    """x = [1, 2], y = [1, 3], lr = 0.1, 2 epochs: (0.93, 0.51), as fit_numpy by hand."""
    call = "fit_tf([1, 2], [1, 3], learning_rate=0.1, epochs=2)"
    result = kata.fit_tf([1.0, 2.0], [1.0, 3.0], learning_rate=0.1, epochs=2)
    assert_pair_close(result, (0.93, 0.51), call=call, rtol=1e-6, atol=1e-6)  # float32: ~1e-7


def test_fit_tf_default_learning_rate_and_epochs(kata):
    """The defaults are learning_rate=1e-3 (checked by running 30 epochs) and epochs=10_000."""
    x, y = regression_line(n=50, seed=4)
    call = call_str("fit_tf", x, y, epochs=30)
    result = kata.fit_tf(x, y, epochs=30)
    expected = gradient_descent(x, y, 1e-3, 30)
    assert_pair_close(result, expected, call=call, rtol=1e-5, atol=1e-5, what="learning_rate=1e-3")
    # Running the 10 000 default epochs eagerly takes ~20 s: the slow test below does it.
    default = inspect.signature(kata.fit_tf).parameters["epochs"].default
    if default != 10_000:
        raise AssertionError(f"fit_tf's epochs defaults to {default!r}; expected 10_000")


@pytest.mark.slow
def test_fit_tf_defaults_converge_to_least_squares(kata):
    """With the defaults (lr 1e-3, 10 000 epochs) fit_tf lands on the least-squares line too."""
    x, y = regression_line()
    call = "fit_tf(x, y)  # x = linspace(0, 1, 100), y ≈ 2x + 1"
    result = kata.fit_tf(x, y)
    # float32 descent converges to the float32 rounding of the answer (size ~2).
    assert_pair_close(result, least_squares(x, y), call=call, rtol=1e-5, atol=1e-5, what="lstsq")


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("name", ["fit_numpy", "fit_tf"])
@pytest.mark.parametrize(
    "x, y", [([1.0, 2.0, 3.0], [1.0, 2.0]), ([2.0], [1.0, 2.0, 3.0])], ids=["3_vs_2", "1_vs_3"]
)
def test_fit_rejects_x_and_y_of_different_lengths(kata, name, x, y):
    """x and y of different lengths (a single x would broadcast silently) are a ValueError naming
    y (or x)."""
    fn = getattr(kata, name)
    call = call_str(name, x, y, epochs=1)
    assert_raises_naming(ValueError, ("y", "x"), fn, x, y, epochs=1, call=call)


@pytest.mark.parametrize("name", ["fit_numpy", "fit_tf"])
@pytest.mark.parametrize(
    "argument, x, y",
    [("x", [1.0, np.nan], [1.0, 2.0]), ("y", [1.0, 2.0], [np.inf, 2.0])],
    ids=["nan_in_x", "inf_in_y"],
)
def test_fit_rejects_nan_and_infinity(kata, name, argument, x, y):
    """NaN or infinity in the data would turn a and b into NaN: ValueError naming x or y."""
    assert_raises_naming(ValueError, argument, getattr(kata, name), x, y, epochs=1)


@pytest.mark.parametrize("name", ["fit_numpy", "fit_tf"])
def test_fit_rejects_empty_data(kata, name):
    """No points, no line: ValueError naming x."""
    assert_raises_naming(ValueError, "x", getattr(kata, name), [], [], epochs=1)


@pytest.mark.parametrize("name", ["fit_numpy", "fit_tf"])
def test_fit_rejects_negative_epochs(kata, name):
    """A negative number of epochs is a ValueError naming epochs (not a silent `range(-1)`)."""
    assert_raises_naming(
        ValueError, "epochs", getattr(kata, name), [1.0, 2.0], [1.0, 2.0], epochs=-1
    )
