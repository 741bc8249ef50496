"""Checks n_bins with isinstance(n_bins, int): a NumPy integer (n_bins taken from an array, e.g.
np.array([3, 3, 6, 3])) is refused as "not an int".

Rejected by: test_discretize_accepts_ints_and_numpy_numbers, test_discretize_state_accepts_numpy_arguments
"""


def _check_n_bins(n_bins, name="n_bins"):
    if isinstance(n_bins, bool) or not isinstance(n_bins, int):
        raise TypeError(f"{name} must be an int, not {type(n_bins).__name__}")
    if n_bins < 1:
        raise ValueError(f"{name} must be >= 1, got {n_bins}")
    return n_bins
