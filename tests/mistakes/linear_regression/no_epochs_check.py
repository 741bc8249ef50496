"""Never checks epochs: fit_numpy(x, y, epochs=-1) runs `range(-1)`, takes no step and returns
(0.0, 0.0) as if all were well.

Rejected by: test_fit_rejects_negative_epochs
"""


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.size == 0:
        raise ValueError("x must not be empty")
    if y.shape != x.shape:
        raise ValueError(f"y must have x's shape {list(x.shape)}, got {list(y.shape)}")
    a = b = 0.0
    for _ in range(epochs):
        r = a * x + b - y
        a, b = a - learning_rate * np.sum(r * x), b - learning_rate * np.sum(r)
    return float(a), float(b)
