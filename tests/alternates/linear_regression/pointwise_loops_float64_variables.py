"""The NumPy gradients accumulated point by point in a Python loop; the TensorFlow fit with float64
variables (more precise than float32, so still equal up to float32 rounding)."""


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    points = list(zip(x.tolist(), y.tolist(), strict=True))
    a = b = 0.0
    for _ in range(epochs):
        grad_a = grad_b = 0.0
        for xi, yi in points:
            r = a * xi + b - yi
            grad_a += r * xi
            grad_b += r
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
    return a, b


def fit_tf(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    x, y = tf.constant(x), tf.constant(y)  # float64
    a = tf.Variable(tf.zeros([], tf.float64))
    b = tf.Variable(tf.zeros([], tf.float64))
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            residual = a * x + b - y
            loss = 0.5 * tf.tensordot(residual, residual, axes=1)
        optimizer.apply_gradients(zip(tape.gradient(loss, [a, b]), [a, b], strict=True))
    return float(a.numpy()), float(b.numpy())
