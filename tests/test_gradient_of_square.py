"""gradient_of_square: first-order gradients, nested tapes, and a linear model's loss gradients."""

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

# ------------------------------------------------------------------ square_grad


@given(dtype=float_dtypes(), data=st.data())
def test_square_grad_is_two_x_for_any_shape_and_dtype(kata, dtype, data):
    """square_grad(x) is 2x, elementwise, with x's shape and float dtype."""
    x = data.draw(float_arrays(dtype, shapes(max_dims=4)), label="x")
    call = call_str("square_grad", x)
    result = kata.square_grad(tf.constant(x))
    assert_tensor(result, call=call, shape=x.shape, dtype=dtype)
    tol = tolerance(dtype)
    assert_close(result, 2.0 * x.astype(np.float64), call=call, rtol=tol, atol=tol, what="2·x")


def test_square_grad_worked_example(kata):
    """The classic example: at x = 3, d(x²)/dx = 6."""
    result = kata.square_grad(3.0)
    assert_tensor(result, call="square_grad(3.0)", shape=(), dtype=tf.float32)
    assert_close(result, 6.0, call="square_grad(3.0)")


@pytest.mark.parametrize(
    "value, shape",
    [
        (2, ()),
        ([1, -2, 3], (3,)),
        ([[0.5, 1.5]], (1, 2)),
        (np.arange(4, dtype=np.int64), (4,)),
        ([True, False], (2,)),
    ],
    ids=["int", "list_of_ints", "nested_list", "int64_array", "bools"],
)
def test_square_grad_converts_python_and_integer_input_to_float32(kata, value, shape):
    """Python numbers, lists, integer arrays and bools are tensor-like: the result is float32."""
    call = call_str("square_grad", value)
    result = kata.square_grad(value)
    assert_tensor(result, call=call, shape=shape, dtype=tf.float32)
    assert_close(result, 2.0 * np.asarray(value, dtype=np.float64), call=call)


def test_square_grad_of_empty_and_scalar_tensors(kata):
    """Scalars and empty tensors are valid inputs too."""
    empty = tf.zeros([0, 3], tf.float64)
    result = kata.square_grad(empty)
    assert_tensor(
        result, call="square_grad(<empty [0, 3] float64>)", shape=(0, 3), dtype=tf.float64
    )
    scalar = kata.square_grad(tf.constant(-1.25, tf.float64))
    assert_tensor(scalar, call="square_grad(-1.25)", shape=(), dtype=tf.float64)
    assert_close(scalar, -2.5, call="square_grad(-1.25)")


def test_square_grad_accepts_a_variable(kata):
    """A tf.Variable is tensor-like too; the answer is a plain tensor, not the variable."""
    v = tf.Variable([1.0, -4.0])
    result = kata.square_grad(v)
    assert_tensor(result, call="square_grad(tf.Variable([1., -4.]))", shape=(2,), dtype=tf.float32)
    assert_close(result, [2.0, -8.0], call="square_grad(tf.Variable([1., -4.]))")


def test_square_grad_uses_a_gradient_tape(kata, monkeypatch):
    """square_grad differentiates with tf.GradientTape (the point of the kata), whatever the
    import style or tape form (watch or a Variable, persistent or not, compiled or eager): some
    tape's gradient (or jacobian) is called. Returning the formula 2·x is not the exercise."""
    calls = []
    tape_class = tf.GradientTape  # the one class behind tf.GradientTape, tf.autodiff.GradientTape

    def recording(method):
        original = getattr(tape_class, method)

        def wrapper(self, *args, **kwargs):
            calls.append(method)
            return original(self, *args, **kwargs)

        return wrapper

    for method in ("gradient", "jacobian", "batch_jacobian"):
        monkeypatch.setattr(tape_class, method, recording(method))
    # bfloat16 is drawn by no other test: a tf.function-compiled helper traces afresh for it, so
    # its Python body (where the tape is used) runs during this call.
    x = tf.constant([[1.5, -2.0]], tf.bfloat16)
    result = kata.square_grad(x)
    monkeypatch.undo()
    call = "square_grad(tf.constant([[1.5, -2.]], tf.bfloat16))"
    assert calls, (
        f"{call} returned {result!r} without calling any GradientTape's gradient(): compute it "
        "with `with tf.GradientTape() as tape: tape.watch(x); y = x * x` and return "
        "`tape.gradient(y, x)`, not the formula 2·x"
    )
    assert_close(result, [[3.0, -4.0]], call=call, what="2·x, via the tape")


def test_square_grad_rejects_text(kata):
    """A string is not tensor-like: TypeError naming x."""
    assert_raises_naming(TypeError, "x", kata.square_grad, "three")


# ------------------------------------------------------------------ second_derivative

CLOSED_FORMS = [
    ("x**3", lambda t: t**3, lambda x: 6 * x),
    ("sin", tf.sin, lambda x: -np.sin(x)),
    ("exp", tf.exp, np.exp),
    ("x**2", tf.square, lambda x: np.full_like(x, 2.0)),
    ("3x+1 (linear)", lambda t: 3.0 * t + 1.0, np.zeros_like),
    ("constant", lambda t: tf.ones_like(t) * 7.0, np.zeros_like),
]


@pytest.mark.parametrize("label, f, expected", CLOSED_FORMS, ids=[c[0] for c in CLOSED_FORMS])
@given(x=float_arrays(np.float64, shapes(min_dims=1, max_dims=2, min_side=1), -3.0, 3.0))
def test_second_derivative_matches_closed_form(kata, label, f, expected, x):
    """d²f/dx² equals the closed form; a linear or constant f gives zeros, never None."""
    call = call_str("second_derivative", f"<{label}>", x)
    result = kata.second_derivative(f, tf.constant(x))
    assert_tensor(result, call=call, shape=x.shape, dtype=tf.float64)
    assert_close(result, expected(x), call=call, rtol=1e-9, atol=1e-9, what=f"d²/dx² of {label}")


def test_second_derivative_worked_example(kata):
    """d²(x³)/dx² at x = 2 is 6·2 = 12."""
    result = kata.second_derivative(lambda t: t**3, 2.0)
    assert_tensor(result, call="second_derivative(x**3, 2.0)", shape=(), dtype=tf.float32)
    assert_close(result, 12.0, call="second_derivative(x**3, 2.0)")


@pytest.mark.parametrize(
    "value, shape", [(2, ()), ([1, -2], (2,)), (np.array([3], np.int64), (1,))], ids=repr
)
def test_second_derivative_converts_python_and_integer_input_to_float32(kata, value, shape):
    """Integer x (Python ints, int lists, int arrays) is tensor-like: d²(x³)/dx² = 6x, float32."""
    call = call_str("second_derivative", "<x**3>", value)
    result = kata.second_derivative(lambda t: t**3, value)
    assert_tensor(result, call=call, shape=shape, dtype=tf.float32)
    assert_close(result, 6.0 * np.asarray(value, np.float64), call=call, what="6·x")


def test_second_derivative_rejects_a_non_callable(kata):
    """f must be callable: TypeError naming f."""
    assert_raises_naming(TypeError, "f", kata.second_derivative, 3.0, 1.0)


# ------------------------------------------------------------------ linear_loss_grads


@st.composite
def linear_problems(draw):
    n = draw(st.integers(1, 6), label="n")
    d = draw(st.integers(1, 4), label="d")
    dtype = draw(st.sampled_from([np.float32, np.float64]), label="dtype")
    X = draw(float_arrays(dtype, (n, d), -5, 5), label="X")
    y = draw(float_arrays(dtype, (n, 1), -5, 5), label="y")
    w = draw(float_arrays(dtype, (d, 1), -5, 5), label="w")
    b = draw(float_arrays(dtype, (), -5, 5), label="b")
    return X, y, w, b


@given(problem=linear_problems())
def test_linear_loss_grads_match_closed_form(kata, problem):
    """loss = ½‖r‖², dw = Xᵀr, db = Σr with r = Xw + b − y; shapes of w and b; X's dtype."""
    X, y, w, b = problem
    call = call_str("linear_loss_grads", X, y, w, b)
    loss, dw, db = kata.linear_loss_grads(
        tf.constant(X), tf.constant(y), tf.constant(w), tf.constant(b)
    )
    X64, y64, w64, b64 = (a.astype(np.float64) for a in problem)
    r = X64 @ w64 + b64 - y64
    tol = tolerance(X.dtype) * 10
    assert_tensor(loss, call=call + " -> loss", shape=(), dtype=X.dtype)
    assert_tensor(dw, call=call + " -> dw", shape=w.shape, dtype=X.dtype)
    assert_tensor(db, call=call + " -> db", shape=(), dtype=X.dtype)
    assert_close(loss, 0.5 * np.sum(r**2), call=call + " -> loss", rtol=tol, atol=tol, what="½·Σr²")
    assert_close(dw, X64.T @ r, call=call + " -> dw", rtol=tol, atol=tol, what="Xᵀ·r")
    assert_close(db, np.sum(r), call=call + " -> db", rtol=tol, atol=tol, what="Σr")


def test_linear_loss_grads_agree_with_numerical_gradients(kata):
    """In float64, dw and db agree with finite differences (tf.test.compute_gradient)."""
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    w, b = rng.normal(size=(3, 1)), np.float64(0.3)

    def loss_of(w_, b_):
        return kata.linear_loss_grads(X, y, w_, b_)[0]

    _, dw, db = kata.linear_loss_grads(X, y, w, b)
    ((_, numeric_w),) = [tf.test.compute_gradient(lambda w_: loss_of(w_, b), [w])]
    ((_, numeric_b),) = [tf.test.compute_gradient(lambda b_: loss_of(w, b_), [b])]
    call = "linear_loss_grads(X[5,3], y[5,1], w[3,1], b=0.3)"
    assert_close(dw, np.reshape(numeric_w[0], w.shape), call=call + " -> dw", rtol=1e-6, atol=1e-6)
    assert_close(db, np.reshape(numeric_b[0], ()), call=call + " -> db", rtol=1e-6, atol=1e-6)


def test_linear_loss_grads_worked_example(kata):
    """X = [[1], [2]], y = [[1], [3]], w = [[1]], b = 0: residuals [0, −1], loss 0.5,
    dw = [[−2]], db = −1."""
    loss, dw, db = kata.linear_loss_grads([[1.0], [2.0]], [[1.0], [3.0]], [[1.0]], 0.0)
    call = "linear_loss_grads([[1],[2]], [[1],[3]], [[1]], 0)"
    assert_close(loss, 0.5, call=call + " -> loss")
    assert_close(dw, [[-2.0]], call=call + " -> dw")
    assert_close(db, -1.0, call=call + " -> db")


def test_linear_loss_grads_casts_everything_to_X_dtype(kata):
    """y, w and b are cast to X's float dtype: float64 X with float32 y, int w and int b gives
    float64 results (here the worked example's numbers)."""
    X = np.array([[1.0], [2.0]], np.float64)
    y = np.array([[1.0], [3.0]], np.float32)
    call = call_str("linear_loss_grads", X, y, [[1]], 0)
    loss, dw, db = kata.linear_loss_grads(X, y, [[1]], 0)
    for name, value, shape, want in (
        ("loss", loss, (), 0.5),
        ("dw", dw, (1, 1), [[-2.0]]),
        ("db", db, (), -1.0),
    ):
        assert_tensor(value, call=f"{call} -> {name}", shape=shape, dtype=tf.float64)
        assert_close(value, want, call=f"{call} -> {name}")


@pytest.mark.parametrize(
    "argument, args",
    [
        ("X", (np.ones(3), np.ones((3, 1)), np.ones((1, 1)), 0.0)),
        ("y", (np.ones((3, 2)), np.ones((4, 1)), np.ones((2, 1)), 0.0)),
        ("y", (np.ones((3, 2)), np.ones(3), np.ones((2, 1)), 0.0)),
        ("w", (np.ones((3, 2)), np.ones((3, 1)), np.ones((3, 1)), 0.0)),
        ("w", (np.ones((3, 2)), np.ones((3, 1)), np.ones(2), 0.0)),
        ("b", (np.ones((3, 2)), np.ones((3, 1)), np.ones((2, 1)), np.ones(2))),
    ],
    ids=["X_not_2d", "y_rows", "y_vector_would_broadcast", "w_rows", "w_vector", "b_not_scalar"],
)
def test_linear_loss_grads_rejects_bad_shapes(kata, argument, args):
    """Shapes that do not fit are a ValueError naming the argument."""
    assert_raises_naming(ValueError, argument, kata.linear_loss_grads, *args)
