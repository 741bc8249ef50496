"""Drops the ½ of L = ½·Σ r² in the TensorFlow loss: the gradients, and so the steps, double.

Rejected by: test_fit_tf_follows_the_gradient_descent_rule, test_fit_tf_worked_example
"""


def fit_tf(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    x = tf.constant(x, dtype=tf.float32)
    y = tf.constant(y, dtype=tf.float32)
    a, b = tf.Variable(0.0), tf.Variable(0.0)
    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(a * x + b - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, [a, b]), [a, b], strict=True))
    return float(a.numpy()), float(b.numpy())
