"""Kata: your first gradients with tf.GradientTape.

TensorFlow differentiates by *recording*: operations run inside `with tf.GradientTape() as tape:`
are written on the tape, and `tape.gradient(target, sources)` plays them back in reverse to get
d(target)/d(source). Two things to know:

- The tape only records what it *watches*. Trainable `tf.Variable`s are watched automatically; a
  plain tensor must be watched by hand with `tape.watch(x)`.
- When the target does not depend on a source at all, `tape.gradient` returns `None`, not zeros.
  `unconnected_gradients=tf.UnconnectedGradients.ZERO` asks for zeros instead.

Gradients of higher order come from nesting tapes: the inner tape's gradient is itself a
computation that the outer tape records.

"Tensor-like" inputs (Python numbers, nested lists, NumPy arrays, tf.Tensors) are converted with
`tf.convert_to_tensor`; float16/float32/float64 inputs keep their dtype, anything else numeric
becomes float32.
"""

import tensorflow as tf


def _as_float(value, name):
    """Tensor-like -> float tensor (float inputs keep their dtype; ints and bools -> float32)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a number, list, array or tensor, not {type(value).__name__}"
        )
    try:
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be tensor-like (numbers only): {exc}") from None
    if tensor.dtype.is_floating:
        return tensor
    if tensor.dtype.is_integer or tensor.dtype == tf.bool:
        return tf.cast(tensor, tf.float32)
    raise TypeError(f"{name} must hold real numbers, not {tensor.dtype.name}")


def square_grad(x):
    """d(x²)/dx at `x`, elementwise, computed with `tf.GradientTape` (not with the formula 2x).

    Any shape is accepted, scalars and empty tensors included; the result has x's shape and float
    dtype. Example: square_grad(3.0) -> 6.0.
    """
    x = _as_float(x, "x")
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.square(x)
    return tape.gradient(y, x)


def second_derivative(f, x):
    """d²f/dx² at `x`, elementwise, with two nested tapes.

    `f` is an elementwise function made of TensorFlow operations (e.g. `tf.sin`,
    `lambda t: t ** 3`). Where f is linear in x (or constant) the answer is zeros of x's shape,
    never None. Example: second_derivative(lambda t: t ** 3, 2.0) -> 12.0.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    x = _as_float(x, "x")
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x, unconnected_gradients=zero)
    return outer.gradient(dy_dx, x, unconnected_gradients=zero)


def linear_loss_grads(X, y, w, b):
    """The loss L = 0.5 · Σ (X·w + b − y)² of a linear model and its gradients, via a tape.

    Shapes: X [n, d], y [n, 1], w [d, 1], b a scalar. Returns `(loss, dw, db)`: the scalar loss,
    dL/dw with w's shape [d, 1] and dL/db with b's (scalar) shape. Everything is computed in X's
    float dtype. A shape that does not fit is a ValueError naming the argument.
    """
    X = _as_float(X, "X")
    y = tf.cast(_as_float(y, "y"), X.dtype)
    w = tf.cast(_as_float(w, "w"), X.dtype)
    b = tf.cast(_as_float(b, "b"), X.dtype)
    if X.shape.rank != 2:
        raise ValueError(f"X must have shape [n, d], got {X.shape.as_list()}")
    n, d = X.shape
    if y.shape != (n, 1):
        raise ValueError(f"y must have shape [{n}, 1] to match X, got {y.shape.as_list()}")
    if w.shape != (d, 1):
        raise ValueError(f"w must have shape [{d}, 1] to match X, got {w.shape.as_list()}")
    if b.shape.rank != 0:
        raise ValueError(f"b must be a scalar, got shape {b.shape.as_list()}")
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        residual = tf.matmul(X, w) + b - y
        loss = 0.5 * tf.reduce_sum(tf.square(residual))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db
