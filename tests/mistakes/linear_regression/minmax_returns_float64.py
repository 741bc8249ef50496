"""Leaves NumPy's default float64 in place: the contract asks for a float32 array.

Rejected by: test_min_max_normalize_maps_min_to_0_and_max_to_1, test_min_max_normalize_worked_examples
"""


def min_max_normalize(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    span = x.max() - x.min()
    return np.zeros_like(x) if span == 0 else (x - x.min()) / span
