"""Never checks that f is callable: second_derivative(3.0, 1.0) fails inside the tape with
Python's "'float' object is not callable", which does not name the argument f.

Rejected by: test_second_derivative_rejects_a_non_callable
"""


def second_derivative(f, x):
    x = _as_float(x, "x")
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x, unconnected_gradients=zero)
    return outer.gradient(dy_dx, x, unconnected_gradients=zero)
