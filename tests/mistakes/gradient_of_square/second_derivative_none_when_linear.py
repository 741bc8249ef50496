"""Leaves tape.gradient's default unconnected_gradients=NONE: for a linear f, dy/dx does not
depend on x, so the outer tape returns None instead of zeros (and a constant f breaks already in
the inner tape).

Rejected by: test_second_derivative_matches_closed_form
"""


def second_derivative(f, x):
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    x = _as_float(x, "x")
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x)
    return outer.gradient(dy_dx, x)
