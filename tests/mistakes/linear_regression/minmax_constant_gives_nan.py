"""Divides by max − min without looking: a constant input gives 0/0 = NaN instead of zeros.

Rejected by: test_min_max_normalize_of_a_constant_is_zeros
"""


def min_max_normalize(x):
    x = np.asarray(x, dtype=np.float32)
    if x.size == 0:
        raise ValueError("x must not be empty")
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - x.min()) / (x.max() - x.min())
