"""Scales and rounds without clipping first: values outside [low, high] give bins below 0 or
above n_bins − 1 (and an IndexError, or a wrap-around, in the Q-table).

Rejected by: test_discretize_clips_at_low, test_discretize_clips_at_high
"""


def discretize(value, low, high, n_bins):
    n_bins = _check_n_bins(n_bins)
    low = _finite(low, "low")
    high = _finite(high, "high")
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    return round((n_bins - 1) * (value - low) / (high - low))
