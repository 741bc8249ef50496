# Kata gradient_of_square: fill in every function below, then run `kata check gradient_of_square`.
# Stuck? `kata hint gradient_of_square` gives hints, from a nudge to nearly the answer.

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


def square_grad(x):
    """d(x²)/dx at `x`, elementwise, computed with `tf.GradientTape` (not with the formula 2x).

    Any shape is accepted, scalars and empty tensors included; the result has x's shape and float
    dtype. Example: square_grad(3.0) -> 6.0.
    """
    raise NotImplementedError("square_grad: your code here (`kata hint gradient_of_square`)")


def second_derivative(f, x):
    """d²f/dx² at `x`, elementwise, with two nested tapes.

    `f` is an elementwise function made of TensorFlow operations (e.g. `tf.sin`,
    `lambda t: t ** 3`). Where f is linear in x (or constant) the answer is zeros of x's shape,
    never None. Example: second_derivative(lambda t: t ** 3, 2.0) -> 12.0.
    """
    raise NotImplementedError("second_derivative: your code here (`kata hint gradient_of_square`)")


def linear_loss_grads(X, y, w, b):
    """The loss L = 0.5 · Σ (X·w + b − y)² of a linear model and its gradients, via a tape.

    Shapes: X [n, d], y [n, 1], w [d, 1], b a scalar. Returns `(loss, dw, db)`: the scalar loss,
    dL/dw with w's shape [d, 1] and dL/db with b's (scalar) shape. Everything is computed in X's
    float dtype. A shape that does not fit is a ValueError naming the argument.
    """
    raise NotImplementedError("linear_loss_grads: your code here (`kata hint gradient_of_square`)")
