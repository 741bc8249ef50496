"""Forgets tape.watch(x): the tape records nothing about a plain tensor and the gradient is None."""


def square_grad(x):
    x = _as_float(x, "x")
    with tf.GradientTape() as tape:
        y = tf.square(x)
    return tape.gradient(y, x)
