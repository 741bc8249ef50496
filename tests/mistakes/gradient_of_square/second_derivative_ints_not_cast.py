"""Converts x with tf.convert_to_tensor but keeps integer inputs as int32: a tape cannot watch an
integer tensor, so second_derivative(f, 2) comes back as int32 zeros instead of float32 f''(2).

Rejected by: test_second_derivative_converts_python_and_integer_input_to_float32
"""


def second_derivative(f, x):
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    x = tf.convert_to_tensor(x)
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x, unconnected_gradients=zero)
    return outer.gradient(dy_dx, x, unconnected_gradients=zero)
