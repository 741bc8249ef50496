"""Keeps the point in a plain tensor and forgets tape.watch: the tape records nothing, the gradient
is None and the update fails.

Rejected by: test_minimize_worked_example, test_minimize_takes_plain_gradient_descent_steps
"""


def minimize(start, learning_rate=0.01, steps=200):
    point = _as_float(start, "start")
    if point.shape != (2,):
        raise ValueError(f"start must have shape [2], got {point.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point = point - learning_rate * tape.gradient(value, point)
    return point
