"""Divides the squared error by the batch size y_pred.shape[0] instead of the number of elements:
right for a vector, k times too big for [n, k].

Rejected by: test_mse_grad_is_two_residuals_over_count, test_mse_grad_matches_keras_loss, test_mse_grad_worked_example
"""


def mse_grad(y_pred, y_true):
    y_pred = _as_float(y_pred, "y_pred")
    y_true = tf.cast(_as_float(y_true, "y_true"), y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred and y_true shapes differ: {y_pred.shape} vs {y_true.shape}")
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        n = y_pred.shape[0] if y_pred.shape.rank else 1
        loss = tf.reduce_sum(tf.square(y_pred - y_true)) / n
    return tape.gradient(loss, y_pred)
