"""Writes relu's derivative as `x >= 0`: it is 1 at x = 0, where TensorFlow's convention is 0.

Rejected by: test_relu_grad_is_zero_at_zero
"""


def relu_grad(x):
    x = _as_float(x, "x")
    return tf.cast(x >= 0, x.dtype)
