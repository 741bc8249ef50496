"""Never casts y_true to y_pred's dtype: a float64 (or int) y_true against a float32 y_pred makes
TensorFlow refuse the subtraction.

Rejected by: test_mse_grad_casts_y_true_to_y_pred_dtype
"""


def mse_grad(y_pred, y_true):
    y_pred = _as_float(y_pred, "y_pred")
    y_true = _as_float(y_true, "y_true")
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred and y_true shapes differ: {y_pred.shape} vs {y_true.shape}")
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = tf.reduce_mean(tf.square(y_true - y_pred))
    return tape.gradient(loss, y_pred)
