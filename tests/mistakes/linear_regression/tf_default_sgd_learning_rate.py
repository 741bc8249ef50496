"""Creates keras.optimizers.SGD() without passing learning_rate: Keras's default 0.01 is used
whatever the caller asked for.

Rejected by: test_fit_tf_follows_the_gradient_descent_rule, test_fit_tf_default_learning_rate_and_epochs
"""


def fit_tf(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    x, y = tf.constant(x, tf.float32), tf.constant(y, tf.float32)
    a, b = tf.Variable(0.0), tf.Variable(0.0)
    optimizer = keras.optimizers.SGD()
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            loss = 0.5 * tf.reduce_sum(tf.square(a * x + b - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, [a, b]), [a, b], strict=True))
    return float(a.numpy()), float(b.numpy())
