"""Converts every input with dtype=tf.float32: float64 inputs lose their precision and dtype."""


def _as_float(value, name):
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be tensor-like, not text")
    return tf.cast(tf.convert_to_tensor(value), tf.float32)
