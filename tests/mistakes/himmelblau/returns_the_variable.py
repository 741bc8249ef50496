"""Returns the tf.Variable that holds the point instead of a tf.Tensor of its value.

Rejected by: test_minimize_with_zero_steps_returns_the_start, test_minimize_worked_example
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
        point.assign_sub(learning_rate * tape.gradient(value, point))
    return point
