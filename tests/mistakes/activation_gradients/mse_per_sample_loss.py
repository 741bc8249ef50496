"""Differentiates keras.losses.mean_squared_error, which averages over the last axis only and
returns one loss per sample: the tape sums them, so the gradient is not divided by the batch.

Rejected by: test_mse_grad_is_two_residuals_over_count, test_mse_grad_matches_keras_loss
"""

import keras


def mse_grad(y_pred, y_true):
    y_pred = _as_float(y_pred, "y_pred")
    y_true = tf.cast(_as_float(y_true, "y_true"), y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_pred and y_true must have the same shape, got {y_pred.shape} and {y_true.shape}"
        )
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = keras.losses.mean_squared_error(y_true, y_pred)
    return tape.gradient(loss, y_pred)
