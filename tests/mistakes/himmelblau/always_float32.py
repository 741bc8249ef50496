"""Creates the point as tf.Variable(start, dtype=tf.float32): a float64 start loses its precision
and comes back as float32.

Rejected by: test_minimize_takes_plain_gradient_descent_steps
"""


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must have shape [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(tf.cast(start, tf.float32))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point.assign_sub(learning_rate * tape.gradient(value, point))
    return tf.convert_to_tensor(point)
