"""Converts the activations' input with dtype=tf.float32: float64 and float16 inputs come back
as float32 (and a string raises TensorFlow's own error, which does not name x).

Rejected by: test_elementwise_grad_matches_closed_form_for_any_shape_and_dtype, test_relu_grad_is_zero_at_zero
"""


def _elementwise_grad(fn, x):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)
