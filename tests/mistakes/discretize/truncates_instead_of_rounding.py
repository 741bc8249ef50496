"""Uses `int(...)` on the scaled value: it truncates towards zero, so 2.9 lands in bin 2, not 3.

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
    return int((n_bins - 1) * (value - low) / (high - low))
