"""Averages the gradients (np.mean) instead of summing them: that is the gradient of the mean
squared error, not of L = ½·Σ r², so every step is n times too short.

Rejected by: test_fit_numpy_follows_the_gradient_descent_rule, test_fit_numpy_worked_example
"""


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    a = b = 0.0
    for _ in range(epochs):
        r = a * x + b - y
        a, b = a - learning_rate * np.mean(r * x), b - learning_rate * np.mean(r)
    return float(a), float(b)
