"""Never checks steps: minimize(start, steps=-1) runs `range(-1)` and returns the start as if it
had converged.

Rejected by: test_minimize_rejects_bad_input
"""


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be one point of shape [2], got {start.shape.as_list()}")
    point = tf.Variable(start)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point.assign_sub(learning_rate * tape.gradient(value, point))
    return tf.convert_to_tensor(point)
