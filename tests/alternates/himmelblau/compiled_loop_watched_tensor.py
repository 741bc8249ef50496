"""f as the sum of two stacked squares; the whole descent compiled with tf.function, on a watched
tensor carried through a tf.range loop (no variable)."""


def himmelblau(p):
    p = _as_float(p, "p")
    if p.shape.rank == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must be [..., 2], got {p.shape.as_list()}")
    x, y = p[..., 0], p[..., 1]
    terms = tf.stack([x * x + y - 11.0, x + y * y - 7.0], axis=-1)
    return tf.reduce_sum(tf.square(terms), axis=-1)


@tf.function(reduce_retracing=True)
def _descend(point, learning_rate, steps):
    for _ in tf.range(steps):
        with tf.GradientTape() as tape:
            tape.watch(point)
            value = himmelblau(point)
        point = point - learning_rate * tape.gradient(value, point)
    return point


def minimize(start, learning_rate=0.01, steps=200):
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be [2], got {start.shape.as_list()}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return _descend(start, tf.constant(learning_rate, start.dtype), tf.constant(steps))
