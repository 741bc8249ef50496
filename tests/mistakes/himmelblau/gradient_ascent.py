"""Adds the gradient (assign_add) instead of subtracting it: it climbs f instead of descending.

Rejected by: test_minimize_takes_plain_gradient_descent_steps, test_minimize_worked_example, test_minimize_from_near_a_minimum_converges_to_it
"""


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must have shape [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(start)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point.assign_add(learning_rate * tape.gradient(value, point))
    return tf.convert_to_tensor(point)
