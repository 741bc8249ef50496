"""Returns `rng.choice(best)` as it comes, an np.int64, not the Python int the contract promises.

Rejected by: test_epsilon_greedy_returns_a_python_int
"""

import numpy as np


def epsilon_greedy(q_values, epsilon, rng):
    q_values = np.asarray(q_values, dtype=np.float64)
    if q_values.ndim != 1 or q_values.size == 0:
        raise ValueError(
            f"q_values must be a non-empty 1-D array, got shape {list(q_values.shape)}"
        )
    epsilon = _unit_interval(epsilon, "epsilon")
    if rng.random() < epsilon:
        return int(rng.integers(q_values.size))
    best = np.flatnonzero(q_values == q_values.max())
    return rng.choice(best)
