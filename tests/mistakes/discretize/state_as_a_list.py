"""Returns the bins as a list: `q_table[[0, 2, 1]]` is fancy indexing (three rows), not the one
cell that `q_table[(0, 2, 1)]` selects.

Rejected by: test_discretize_state_discretizes_each_dimension_into_a_tuple
"""

import numpy as np


def discretize_state(obs, bounds, n_bins):
    obs = np.asarray(obs, dtype=np.float64)
    if obs.ndim != 1:
        raise ValueError(f"obs must be 1-D, got shape {list(obs.shape)}")
    if len(bounds) != len(obs):
        raise ValueError("bounds must hold one pair per dimension")
    if len(n_bins) != len(obs):
        raise ValueError("n_bins must hold one int per dimension")
    state = []
    for i, (value, (low, high), bins) in enumerate(zip(obs, bounds, n_bins, strict=True)):
        try:
            state.append(discretize(value, low, high, bins))
        except ValueError as exc:
            raise ValueError(f"bounds[{i}] / n_bins[{i}]: {exc}") from None
    return state
