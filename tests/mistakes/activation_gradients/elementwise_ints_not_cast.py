"""Converts x with tf.convert_to_tensor but never casts integers to float: the tape cannot watch an
int32 tensor and the gradient of relu_grad(3) (and the others) is None.

Rejected by: test_elementwise_grad_converts_python_and_integer_input_to_float32
"""


def _elementwise_grad(fn, x):
    if isinstance(x, (str, bytes)):
        raise TypeError(f"x must be a number, list, array or tensor, not {type(x).__name__}")
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)
