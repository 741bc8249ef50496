"""Copies the inputs into tf.Variables, which tapes watch on their own, instead of calling
tape.watch; the loss's parameters are variables too."""


def square_grad(x):
    v = tf.Variable(_as_float(x, "x"))
    with tf.GradientTape() as tape:
        y = tf.square(v)
    return tape.gradient(y, v)


def second_derivative(f, x):
    if not callable(f):
        raise TypeError(f"f must be a callable, not {type(f).__name__}")
    v = tf.Variable(_as_float(x, "x"))
    zero = tf.UnconnectedGradients.ZERO
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = f(v)
        dy_dx = inner.gradient(y, v, unconnected_gradients=zero)
    return outer.gradient(dy_dx, v, unconnected_gradients=zero)


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
    w_var, b_var = tf.Variable(w), tf.Variable(b)
    with tf.GradientTape() as tape:
        residual = X @ w_var + b_var - y
        loss = 0.5 * tf.reduce_sum(residual * residual)
    dw, db = tape.gradient(loss, [w_var, b_var])
    return loss, dw, db
