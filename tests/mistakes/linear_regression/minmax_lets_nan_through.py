"""Converts with np.asarray and never looks for NaN or infinity: np.min and np.max propagate the
NaN and every output is NaN (an infinity gives inf/inf = NaN too), with no error.

Rejected by: test_min_max_normalize_rejects_nan_and_infinity
"""


def min_max_normalize(x):
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x, dtype=np.float64)
    if x.size == 0:
        raise ValueError("x must not be empty: it has no min and no max")
    low, high = x.min(), x.max()
    if high == low:
        return np.zeros(x.shape, dtype=np.float32)
    return ((x - low) / (high - low)).astype(np.float32)
