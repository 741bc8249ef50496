"""Never compares the shapes: y_pred [n, 1] against y_true [n] broadcasts to [n, n] and the answer
is silently wrong instead of a ValueError.

Rejected by: test_mse_grad_rejects_mismatched_shapes
"""


def mse_grad(y_pred, y_true):
    y_pred = _as_float(y_pred, "y_pred")
    y_true = tf.cast(_as_float(y_true, "y_true"), y_pred.dtype)
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = tf.reduce_mean(tf.square(y_pred - y_true))
    return tape.gradient(loss, y_pred)
