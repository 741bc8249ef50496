"""Converts every input with dtype=tf.float32: float64 inputs lose their precision and dtype.

Rejected by: test_square_grad_is_two_x_for_any_shape_and_dtype, test_second_derivative_matches_closed_form, test_linear_loss_grads_match_closed_form
"""


def _as_float(value, name):
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be tensor-like, not text")
    return tf.cast(tf.convert_to_tensor(value), tf.float32)
