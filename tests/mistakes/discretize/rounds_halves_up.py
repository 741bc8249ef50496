"""Rounds with `int(x + 0.5)`: halves go up (2.5 → 3), where Python's round, as specified, gives
the even neighbour (2.5 → 2).

Rejected by: test_discretize_rounds_exact_halves_like_python_round
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
    return int((n_bins - 1) * (value - low) / (high - low) + 0.5)
