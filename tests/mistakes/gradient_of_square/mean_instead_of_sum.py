"""Takes the mean of the squared residuals instead of ½ times their sum: loss and gradients are
off by a factor 2/n.

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
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        loss = tf.reduce_mean(tf.square(X @ w + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db
