"""Replaces a None gradient by tf.zeros(x.shape), which is float32 whatever x's dtype: a linear
or constant f of a float64 x gives float32 zeros.

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
    if dy_dx is None:
        return tf.zeros(x.shape)
    d2 = outer.gradient(dy_dx, x)
    return tf.zeros(x.shape) if d2 is None else d2
