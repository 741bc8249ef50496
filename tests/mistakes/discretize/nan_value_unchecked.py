"""Never checks for NaN: both clipping comparisons are False for NaN, and round(nan) raises
"cannot convert float NaN to integer", which does not say which argument is wrong.

Rejected by: test_discretize_rejects_a_nan_value
"""


def discretize(value, low, high, n_bins):
    n_bins = _check_n_bins(n_bins)
    low = _finite(low, "low")
    high = _finite(high, "high")
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    value = float(value)
    if value <= low:
        return 0
    if value >= high:
        return n_bins - 1
    return round((n_bins - 1) * (value - low) / (high - low))
