"""Cuts [low, high] into n_bins equal-width bins and takes the floor (`n_bins · ratio`), the
histogram convention, instead of rounding (n_bins − 1) · ratio as specified.

Rejected by: test_discretize_rounds_the_scaled_value
"""


def discretize(value, low, high, n_bins):
    n_bins = _check_n_bins(n_bins)
    low = _finite(low, "low")
    high = _finite(high, "high")
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    if value <= low:
        return 0
    if value >= high:
        return n_bins - 1
    return min(n_bins - 1, int(n_bins * (value - low) / (high - low)))
