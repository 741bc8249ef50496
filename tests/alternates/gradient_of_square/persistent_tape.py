"""One persistent tape instead of two nested ones: the first gradient is taken inside the tape's
context, so the tape records it and can differentiate it again."""


def square_grad(x):
    x = _as_float(x, "x")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x)
    del tape
    return grad


def second_derivative(f, x):
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    x = _as_float(x, "x")
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = f(x)
        dy_dx = tape.gradient(y, x, unconnected_gradients=zero)
    d2y_dx2 = tape.gradient(dy_dx, x, unconnected_gradients=zero)
    del tape
    return d2y_dx2
