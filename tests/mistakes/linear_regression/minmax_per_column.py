"""Takes min and max along axis 0 (per column) instead of over all of x: a 2-D input is scaled
column by column, so its global minimum need not map to 0 nor its maximum to 1.

Rejected by: test_min_max_normalize_maps_min_to_0_and_max_to_1, test_min_max_normalize_accepts_a_tensor
"""


def min_max_normalize(x):
    x = _as_array(x, "x")
    if x.size == 0:
        raise ValueError("x must not be empty")
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.where(high == low, 1.0, high - low)
    return ((x - low) / span).astype(np.float32)
