"""Converts each argument on its own without casting to X's dtype: float32 X with a float64 y
(or Python-int w) makes TensorFlow refuse to mix the dtypes.

Rejected by: test_linear_loss_grads_casts_everything_to_X_dtype
"""


def linear_loss_grads(X, y, w, b):
    X, y, w, b = (_as_float(v, n) for v, n in ((X, "X"), (y, "y"), (w, "w"), (b, "b")))
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
        loss = 0.5 * tf.reduce_sum(tf.square(tf.matmul(X, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db
