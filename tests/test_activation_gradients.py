"""activation_gradients: derivatives of sigmoid, tanh and relu, of the mean sparse categorical
cross-entropy from logits, and of the mean squared error, all read off a tape."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import (
    assert_close,
    assert_raises_naming,
    assert_tensor,
    call_str,
    float_arrays,
    float_dtypes,
    shapes,
    tolerance,
)
from kata_testing.reference_math import one_hot, sigmoid, softmax

# name, closed form of the derivative (evaluated in float64), what it is
ELEMENTWISE = [
    ("sigmoid_grad", lambda x: sigmoid(x) * (1.0 - sigmoid(x)), "σ(x)·(1 − σ(x))"),
    ("tanh_grad", lambda x: 1.0 - np.tanh(x) ** 2, "1 − tanh²(x)"),
    ("relu_grad", lambda x: (x > 0).astype(np.float64), "1 where x > 0, else 0"),
]
ELEMENTWISE_IDS = [name for name, _, _ in ELEMENTWISE]


def _elementwise_values(dtype):
    # float16 stays in ±10 so that the float64 closed form is not compared with overflowed halves.
    bound = 10.0 if dtype == np.float16 else 30.0
    return float_arrays(dtype, shapes(max_dims=4), -bound, bound)


# ------------------------------------------------------------------ sigmoid, tanh, relu


@pytest.mark.parametrize("name, closed_form, what", ELEMENTWISE, ids=ELEMENTWISE_IDS)
@given(dtype=float_dtypes(), data=st.data())
def test_elementwise_grad_matches_closed_form_for_any_shape_and_dtype(
    kata, name, closed_form, what, dtype, data
):
    """The derivative is the closed form, elementwise, with x's shape and float dtype."""
    x = data.draw(_elementwise_values(dtype), label="x")
    call = call_str(name, x)
    result = getattr(kata, name)(tf.constant(x))
    assert_tensor(result, call=call, shape=x.shape, dtype=dtype)
    tol = tolerance(dtype)
    assert_close(
        result, closed_form(x.astype(np.float64)), call=call, rtol=tol, atol=tol, what=what
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_grad_is_zero_at_zero(kata, dtype):
    """relu has no derivative at 0: like TensorFlow, relu_grad gives 0 there (and at −0.0)."""
    x = np.array([-2.0, -0.0, 0.0, 1e-3, 3.0], dtype=dtype)
    call = call_str("relu_grad", x)
    result = kata.relu_grad(tf.constant(x))
    assert_tensor(result, call=call, shape=x.shape, dtype=dtype)
    assert_close(result, [0.0, 0.0, 0.0, 1.0, 1.0], call=call, rtol=0, atol=0)


@pytest.mark.parametrize(
    "name, x, expected",
    [
        ("sigmoid_grad", 0.0, 0.25),  # σ(0) = ½, so ½·(1 − ½)
        ("tanh_grad", 0.0, 1.0),  # tanh(0) = 0, so 1 − 0²
        ("relu_grad", 2.5, 1.0),
        ("relu_grad", -2.5, 0.0),
    ],
)
def test_elementwise_grad_worked_examples(kata, name, x, expected):
    """The classic numbers: σ'(0) = 0.25, tanh'(0) = 1, relu' is 1 right of 0 and 0 left of it."""
    call = call_str(name, x)
    result = getattr(kata, name)(x)
    assert_tensor(result, call=call, shape=(), dtype=tf.float32)
    assert_close(result, expected, call=call)


@pytest.mark.parametrize("name, closed_form, what", ELEMENTWISE, ids=ELEMENTWISE_IDS)
@pytest.mark.parametrize(
    "value",
    [3, [-1, 0, 2], [[0.5, -1.5]], np.arange(-2, 2), [True, False]],
    ids=["int", "ints", "nested", "int_array", "bools"],
)
def test_elementwise_grad_converts_python_and_integer_input_to_float32(
    kata, name, closed_form, what, value
):
    """Python numbers, lists, integer arrays and bools are tensor-like: the result is float32."""
    call = call_str(name, value)
    result = getattr(kata, name)(value)
    expected = closed_form(np.asarray(value, dtype=np.float64))
    assert_tensor(result, call=call, shape=np.shape(value), dtype=tf.float32)
    assert_close(result, expected, call=call, what=what)


@pytest.mark.parametrize("name", ELEMENTWISE_IDS)
def test_elementwise_grad_rejects_text(kata, name):
    """A string is not tensor-like: TypeError naming x."""
    assert_raises_naming(TypeError, "x", getattr(kata, name), "zero")


# ------------------------------------------------------------------ softmax cross-entropy


def _ce_grad_closed_form(logits, labels):
    """(softmax(logits) − onehot(labels)) / B, in float64."""
    logits = np.asarray(logits, dtype=np.float64)
    return (softmax(logits) - one_hot(labels, logits.shape[1])) / logits.shape[0]


@st.composite
def ce_problems(draw, dtypes=(np.float32, np.float64)):
    batch = draw(st.integers(1, 6), label="B")
    classes = draw(st.integers(1, 6), label="C")
    dtype = draw(st.sampled_from(dtypes), label="dtype")
    logits = draw(float_arrays(dtype, (batch, classes), -30.0, 30.0), label="logits")
    labels = draw(
        st.lists(st.integers(0, classes - 1), min_size=batch, max_size=batch), label="labels"
    )
    return logits, np.array(labels, dtype=np.int32)


@given(problem=ce_problems())
def test_softmax_cross_entropy_grad_is_softmax_minus_onehot_over_batch(kata, problem):
    """d(mean CE)/dlogits = (softmax(logits) − onehot(labels)) / B, with logits' shape and dtype."""
    logits, labels = problem
    call = call_str("softmax_cross_entropy_grad", logits, labels)
    result = kata.softmax_cross_entropy_grad(tf.constant(logits), tf.constant(labels))
    assert_tensor(result, call=call, shape=logits.shape, dtype=logits.dtype)
    tol = tolerance(logits.dtype)
    expected = _ce_grad_closed_form(logits, labels)
    assert_close(result, expected, call=call, rtol=tol, atol=tol, what="(softmax − onehot) / B")


@given(problem=ce_problems(dtypes=(np.float32,)), label_dtype=st.sampled_from([np.int32, np.int64]))
def test_softmax_cross_entropy_grad_matches_keras_loss(kata, problem, label_dtype):
    """It equals the gradient of keras.losses.SparseCategoricalCrossentropy(from_logits=True)."""
    logits, labels = problem
    labels = labels.astype(label_dtype)
    z = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(z)
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z)
    expected = tape.gradient(loss, z)
    call = call_str("softmax_cross_entropy_grad", logits, labels)
    result = kata.softmax_cross_entropy_grad(logits, labels)
    assert_tensor(result, call=call, shape=logits.shape, dtype=tf.float32)
    assert_close(result, expected, call=call, what="gradient of Keras's loss")


def test_softmax_cross_entropy_grad_worked_example(kata):
    """Equal logits: softmax is uniform. B = 1: [[0, 0]], label 0 -> [[−½, ½]]; B = 2 halves it:
    [[0, 0], [0, 0]], labels [0, 1] -> [[−¼, ¼], [¼, −¼]]."""
    one = kata.softmax_cross_entropy_grad([[0.0, 0.0]], [0])
    call = "softmax_cross_entropy_grad([[0, 0]], [0])"
    assert_tensor(one, call=call, shape=(1, 2), dtype=tf.float32)
    assert_close(one, [[-0.5, 0.5]], call=call)
    two = kata.softmax_cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], [0, 1])
    call = "softmax_cross_entropy_grad([[0, 0], [0, 0]], [0, 1])"
    assert_tensor(two, call=call, shape=(2, 2), dtype=tf.float32)
    assert_close(two, [[-0.25, 0.25], [0.25, -0.25]], call=call, what="divided by the batch size 2")


def test_softmax_cross_entropy_grad_accepts_whole_float_labels(kata):
    """Labels 0.0 and 1.0 are the class ids 0 and 1 (Keras accepts them too)."""
    call = call_str("softmax_cross_entropy_grad", [[0.0, 0.0], [0.0, 0.0]], [0.0, 1.0])
    result = kata.softmax_cross_entropy_grad([[0.0, 0.0], [0.0, 0.0]], np.array([0.0, 1.0]))
    assert_tensor(result, call=call, shape=(2, 2), dtype=tf.float32)
    assert_close(result, [[-0.25, 0.25], [0.25, -0.25]], call=call)


@pytest.mark.parametrize(
    "logits", [[[0, 0], [0, 0]], np.zeros((2, 2), np.int64)], ids=["int_lists", "int64_array"]
)
def test_softmax_cross_entropy_grad_converts_integer_logits_to_float32(kata, logits):
    """Integer logits are tensor-like: [[0, 0], [0, 0]], labels [0, 1] -> float32
    [[−¼, ¼], [¼, −¼]]."""
    call = call_str("softmax_cross_entropy_grad", logits, [0, 1])
    result = kata.softmax_cross_entropy_grad(logits, [0, 1])
    assert_tensor(result, call=call, shape=(2, 2), dtype=tf.float32)
    assert_close(result, [[-0.25, 0.25], [0.25, -0.25]], call=call)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softmax_cross_entropy_grad_stays_finite_for_extreme_logits(kata, dtype):
    """Computed from logits, the gradient is finite even when softmax underflows to exactly 0."""
    logits = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 0.0, 1000.0]], dtype=dtype)
    labels = np.array([1, 2])
    call = call_str("softmax_cross_entropy_grad", logits, labels)
    result = kata.softmax_cross_entropy_grad(logits, labels)
    assert_tensor(result, call=call, shape=(2, 3), dtype=dtype)
    expected = _ce_grad_closed_form(logits, labels)  # [[½, −½, 0], [0, 0, 0]]
    assert_close(result, expected, call=call, what="(softmax − onehot) / B, no NaN")


@pytest.mark.parametrize(
    "argument, logits, labels",
    [
        ("labels", [[0.0, 1.0, 2.0]], [3]),
        ("labels", [[0.0, 1.0], [2.0, 3.0]], [0, -1]),
        ("labels", [[0.0, 1.0], [2.0, 3.0]], [0, 1, 1]),
        ("labels", [[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]], [0, 3]),
        ("labels", [[0.0, 1.0], [2.0, 3.0]], [0.5, 1.0]),
        ("logits", [0.0, 1.0, 2.0], [1]),
    ],
    ids=[
        "label_equal_to_C",
        "negative_label",
        "labels_longer_than_batch",
        "one_label_equal_to_C",
        "label_not_whole",
        "logits_not_2d",
    ],
)
def test_softmax_cross_entropy_grad_rejects_bad_input(kata, argument, logits, labels):
    """A label outside [0, C) or not a whole number, labels that are not [B], or logits that are
    not [B, C]: ValueError naming the argument (TensorFlow would fail late, return NaN, or a cast
    would silently truncate 0.5 to 0)."""
    assert_raises_naming(ValueError, argument, kata.softmax_cross_entropy_grad, logits, labels)


# ------------------------------------------------------------------ mse_grad


@given(dtype=float_dtypes(), data=st.data())
def test_mse_grad_is_two_residuals_over_count(kata, dtype, data):
    """d mean((p − t)²)/dp = 2·(p − t)/N with N the number of elements; p's shape and dtype."""
    bound = 10.0 if dtype == np.float16 else 100.0
    shape = data.draw(shapes(max_dims=4), label="shape")
    y_pred = data.draw(float_arrays(dtype, shape, -bound, bound), label="y_pred")
    y_true = data.draw(float_arrays(dtype, shape, -bound, bound), label="y_true")
    call = call_str("mse_grad", y_pred, y_true)
    result = kata.mse_grad(tf.constant(y_pred), tf.constant(y_true))
    assert_tensor(result, call=call, shape=shape, dtype=dtype)
    p, t = y_pred.astype(np.float64), y_true.astype(np.float64)
    expected = 2.0 * (p - t) / max(p.size, 1)
    tol = tolerance(dtype)
    assert_close(result, expected, call=call, rtol=tol, atol=tol, what="2·(y_pred − y_true) / N")


@given(
    y_pred=float_arrays(np.float32, shapes(min_dims=2, max_dims=2, min_side=1), -10.0, 10.0),
    seed=st.integers(0, 2**16),
)
def test_mse_grad_matches_keras_loss(kata, y_pred, seed):
    """For [n, k] batches it equals the gradient of keras.losses.MeanSquaredError()."""
    y_true = np.random.default_rng(seed).normal(size=y_pred.shape).astype(np.float32)
    p = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(p)
        loss = keras.losses.MeanSquaredError()(y_true, p)
    expected = tape.gradient(loss, p)
    call = call_str("mse_grad", y_pred, y_true)
    result = kata.mse_grad(y_pred, y_true)
    assert_tensor(result, call=call, shape=y_pred.shape, dtype=tf.float32)
    assert_close(result, expected, call=call, what="gradient of Keras's MeanSquaredError")


def test_mse_grad_worked_example(kata):
    """mse_grad([[1, 2], [3, 4]], zeros): N = 4, so 2·p/4 = [[0.5, 1], [1.5, 2]]."""
    call = "mse_grad([[1, 2], [3, 4]], [[0, 0], [0, 0]])"
    result = kata.mse_grad([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]])
    assert_tensor(result, call=call, shape=(2, 2), dtype=tf.float32)
    assert_close(result, [[0.5, 1.0], [1.5, 2.0]], call=call)


def test_mse_grad_casts_y_true_to_y_pred_dtype(kata):
    """The result has y_pred's dtype; y_true (here float64 and then ints) is cast to it."""
    y_pred = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    for y_true in (np.array([0.0, 1.0, 1.0]), [1, 0, 2]):
        call = call_str("mse_grad", y_pred, y_true)
        result = kata.mse_grad(y_pred, y_true)
        assert_tensor(result, call=call, shape=(3,), dtype=tf.float32)
        expected = 2.0 * (y_pred.astype(np.float64) - np.asarray(y_true, dtype=np.float64)) / 3
        assert_close(result, expected, call=call)


@pytest.mark.parametrize(
    "y_pred, y_true",
    [(np.ones((3, 1)), np.ones(3)), (np.ones(2), np.ones(3)), (np.ones((2, 3)), np.ones((3, 2)))],
    ids=["column_vs_vector_would_broadcast", "lengths", "transposed"],
)
def test_mse_grad_rejects_mismatched_shapes(kata, y_pred, y_true):
    """Shapes must be equal (no broadcasting): ValueError naming y_pred or y_true."""
    call = call_str("mse_grad", y_pred, y_true)
    assert_raises_naming(ValueError, ("y_pred", "y_true"), kata.mse_grad, y_pred, y_true, call=call)
