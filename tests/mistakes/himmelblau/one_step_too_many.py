"""Counts the steps from 0 to steps inclusive (`range(steps + 1)`): one gradient step more than
asked, so steps=0 already moves the start.

Rejected by: test_minimize_with_zero_steps_returns_the_start, test_minimize_worked_example, test_minimize_takes_plain_gradient_descent_steps
"""


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be one point of shape [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(start)
    for _ in range(steps + 1):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point.assign_sub(learning_rate * tape.gradient(value, point))
    return tf.convert_to_tensor(point)
