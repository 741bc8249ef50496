"""Forgets tape.watch(x): the tape records nothing about a plain tensor and the gradient is None.

Rejected by: test_square_grad_is_two_x_for_any_shape_and_dtype, test_square_grad_worked_example
"""


def square_grad(x):
    x = _as_float(x, "x")
    with tf.GradientTape() as tape:
        y = tf.square(x)
    return tape.gradient(y, x)
