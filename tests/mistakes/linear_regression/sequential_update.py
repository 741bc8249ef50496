"""Updates a first and then computes b's gradient with the new a: both gradients must be taken
at the old (a, b) before either parameter moves.

Rejected by: test_fit_numpy_follows_the_gradient_descent_rule, test_fit_numpy_worked_example
"""


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _check_problem(x, y, epochs)
    a = b = 0.0
    for _ in range(epochs):
        a -= learning_rate * np.sum((a * x + b - y) * x)
        b -= learning_rate * np.sum(a * x + b - y)
    return float(a), float(b)
