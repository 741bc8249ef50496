"""Skips the shape checks: a target vector y of shape [n] broadcasts against the [n, 1]
predictions into an [n, n] residual, and loss and gradients are silently wrong.

Rejected by: test_linear_loss_grads_rejects_bad_shapes
"""


def linear_loss_grads(X, y, w, b):
    X = _as_float(X, "X")
    y, w, b = (tf.cast(_as_float(v, n), X.dtype) for v, n in ((y, "y"), (w, "w"), (b, "b")))
    with tf.GradientTape() as tape:
        tape.watch([w, b])
        loss = 0.5 * tf.reduce_sum(tf.square(tf.matmul(X, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db
