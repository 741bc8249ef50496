"""Reaches for keras.optimizers.Adam: it rescales every step by running moment estimates, so the
steps are not plain gradient descent p ← p − lr·∇f(p).

Rejected by: test_minimize_takes_plain_gradient_descent_steps, test_minimize_worked_example
"""

import keras


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must have shape [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(start)
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        optimizer.apply_gradients([(tape.gradient(value, point), point)])
    return tf.convert_to_tensor(point)
