"""Takes `np.argmax`, the *first* best action: from a table of zeros the greedy choice is always
action 0, and exploration alone has to find everything else.

Rejected by: test_epsilon_greedy_breaks_ties_at_random
"""

import numpy as np


def epsilon_greedy(q_values, epsilon, rng):
    q_values = np.asarray(q_values, dtype=np.float64)
    if q_values.ndim != 1 or q_values.size == 0:
        raise ValueError("q_values must be a non-empty 1-D array")
    epsilon = _unit_interval(epsilon, "epsilon")
    if rng.random() < epsilon:
        return int(rng.integers(q_values.size))
    return int(np.argmax(q_values))
