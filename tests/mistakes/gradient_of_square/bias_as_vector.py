"""Makes the bias a vector with tf.reshape(b, [1]) so that it broadcasts: db comes back with shape
[1] instead of b's scalar shape.

Rejected by: test_linear_loss_grads_match_closed_form
"""


def linear_loss_grads(X, y, w, b):
    X = _as_float(X, "X")
    y, w, b = (tf.cast(_as_float(v, n), X.dtype) for v, n in ((y, "y"), (w, "w"), (b, "b")))
    if X.shape.rank != 2:
        raise ValueError(f"X must have shape [n, d], got {X.shape.as_list()}")
    n, d = X.shape
    if y.shape != (n, 1):
        raise ValueError(f"y must have shape [{n}, 1], got {y.shape.as_list()}")
    if w.shape != (d, 1):
        raise ValueError(f"w must have shape [{d}, 1], got {w.shape.as_list()}")
    if b.shape.rank != 0:
        raise ValueError(f"b must be a scalar, got shape {b.shape.as_list()}")
    b = tf.reshape(b, [1])
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        loss = 0.5 * tf.reduce_sum(tf.square(X @ w + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db
