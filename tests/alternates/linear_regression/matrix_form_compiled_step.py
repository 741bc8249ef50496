"""Parameters as one vector θ = (a, b) against a design matrix [x, 1] in NumPy; in TensorFlow a
tf.function-compiled training step with `optimizer.apply`; np.ptp for the span."""


def min_max_normalize(x):
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x, dtype=np.float64)
    if x.size == 0 or not np.isfinite(x).all():
        raise ValueError("x must be non-empty and finite")
    span = np.ptp(x)
    out = np.divide(x - x.min(), span, out=np.zeros_like(x), where=span > 0)
    return out.astype(np.float32)


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    design = np.column_stack([x, np.ones_like(x)])
    theta = np.zeros(2)
    for _ in range(epochs):
        theta = theta - learning_rate * design.T @ (design @ theta - y)
    return float(theta[0]), float(theta[1])


def fit_tf(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    x = tf.constant(x, dtype=tf.float32)
    y = tf.constant(y, dtype=tf.float32)
    a, b = tf.Variable(0.0), tf.Variable(0.0)
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    optimizer.build([a, b])

    @tf.function
    def train(steps):
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                loss = 0.5 * tf.reduce_sum((a * x + b - y) ** 2)
            optimizer.apply(tape.gradient(loss, [a, b]), [a, b])

    train(tf.constant(epochs))
    return float(a.numpy()), float(b.numpy())
