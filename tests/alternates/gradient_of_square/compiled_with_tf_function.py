"""The same tapes inside tf.function-compiled helpers (checks and conversion stay eager)."""


@tf.function(reduce_retracing=True)
def _square_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.square(x)
    return tape.gradient(y, x)


def square_grad(x):
    return _square_grad(_as_float(x, "x"))


@tf.function
def _second_derivative(f, x):
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x, unconnected_gradients=zero)
    return outer.gradient(dy_dx, x, unconnected_gradients=zero)


def second_derivative(f, x):
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    return _second_derivative(f, _as_float(x, "x"))


@tf.function(reduce_retracing=True)
def _linear_loss_grads(X, y, w, b):
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        loss = 0.5 * tf.reduce_sum(tf.square(tf.matmul(X, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db


def linear_loss_grads(X, y, w, b):
    X = _as_float(X, "X")
    y = tf.cast(_as_float(y, "y"), X.dtype)
    w = tf.cast(_as_float(w, "w"), X.dtype)
    b = tf.cast(_as_float(b, "b"), X.dtype)
    if X.shape.rank != 2:
        raise ValueError(f"X must be [n, d], got {X.shape.as_list()}")
    n, d = X.shape
    if y.shape != (n, 1):
        raise ValueError(f"y must be [{n}, 1], got {y.shape.as_list()}")
    if w.shape != (d, 1):
        raise ValueError(f"w must be [{d}, 1], got {w.shape.as_list()}")
    if b.shape.rank != 0:
        raise ValueError(f"b must be a scalar, got {b.shape.as_list()}")
    return _linear_loss_grads(X, y, w, b)
