"""Scales with floor division, (n_bins − 1) · (value − low) // (high − low): the integer-looking
formula floors instead of rounding, so 2.6 lands in bin 2.

Rejected by: test_discretize_rounds_the_scaled_value, test_discretize_worked_examples
"""


def discretize(value, low, high, n_bins):
    n_bins = _check_n_bins(n_bins)
    low = _finite(low, "low")
    high = _finite(high, "high")
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    value = float(value)
    if math.isnan(value):
        raise ValueError("value is NaN")
    if value <= low:
        return 0
    if value >= high:
        return n_bins - 1
    return int((n_bins - 1) * (value - low) // (high - low))
