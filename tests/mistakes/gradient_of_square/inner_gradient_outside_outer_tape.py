"""Takes the inner tape's gradient after leaving the outer tape's block: the outer tape never
records how dy/dx depends on x, so every second derivative comes back as zeros.

Rejected by: test_second_derivative_matches_closed_form, test_second_derivative_worked_example
"""


def second_derivative(f, x):
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
