"""Checks only that x is not empty: x and y of different lengths either fail inside NumPy with a
message naming neither argument or, for a single x, broadcast silently.

Rejected by: test_fit_rejects_x_and_y_of_different_lengths
"""


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = _as_array(x, "x"), _as_array(y, "y")
    if x.size == 0:
        raise ValueError("x must not be empty")
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs}")
    a = b = 0.0
    for _ in range(epochs):
        r = a * x + b - y
        a, b = a - learning_rate * np.sum(r * x), b - learning_rate * np.sum(r)
    return float(a), float(b)
