"""Coordinates with tf.unstack along the last axis; the descent done by keras.optimizers.SGD on a
tf.Variable."""

import keras


def himmelblau(p):
    p = _as_float(p, "p")
    if p.shape.rank == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must be [..., 2], got {p.shape.as_list()}")
    x, y = tf.unstack(p, axis=-1)
    return tf.square(x * x + y - 11) + tf.square(x + y * y - 7)


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(start)
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = himmelblau(point)
        optimizer.apply_gradients([(tape.gradient(loss, point), point)])
    return tf.identity(point)
