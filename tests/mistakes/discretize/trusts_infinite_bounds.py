"""Accepts CartPole's declared bounds as they are: with an infinite low or high the scaled value is
NaN, and the error that surfaces (from round) says nothing about the bounds.

Rejected by: test_discretize_rejects_bounds_that_are_not_finite, test_discretize_state_on_cartpole_with_caller_bounds
"""


def discretize(value, low, high, n_bins):
    n_bins = _check_n_bins(n_bins)
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    if value <= low:
        return 0
    if value >= high:
        return n_bins - 1
    return round((n_bins - 1) * (value - low) / (high - low))
