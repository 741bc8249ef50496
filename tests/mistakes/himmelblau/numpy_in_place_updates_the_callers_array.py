"""Keeps the point in np.asarray(start) and updates it in place with `p -= lr * grad`: for a
float64 NumPy start, asarray returns the caller's own array, which the descent overwrites.

Rejected by: test_minimize_leaves_the_callers_start_untouched
"""


def minimize(start, learning_rate=0.01, steps=200):
    if isinstance(start, (str, bytes)):
        raise TypeError("start must be tensor-like")
    p = np.asarray(start.numpy() if hasattr(start, "numpy") else start)
    if p.dtype.kind != "f":
        p = p.astype(np.float32)
    if p.shape != (2,):
        raise ValueError(f"start must be one point of shape [2], got {list(p.shape)}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    for _ in range(steps):
        point = tf.constant(p)
        with tf.GradientTape() as tape:
            tape.watch(point)
            value = himmelblau(point)
        p -= learning_rate * tape.gradient(value, point).numpy()
    return tf.constant(p)
