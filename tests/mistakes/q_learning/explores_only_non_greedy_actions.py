"""The random branch picks among the *other* actions only: exploring never picks the greedy
action, so each other action is chosen with probability ε/(n − 1) instead of ε/n.

Rejected by: test_epsilon_greedy_frequencies
"""

import numpy as np


def epsilon_greedy(q_values, epsilon, rng):
    q_values = np.asarray(q_values, dtype=np.float64)
    if q_values.ndim != 1 or q_values.size == 0:
        raise ValueError("q_values must be a non-empty 1-D array")
    epsilon = _unit_interval(epsilon, "epsilon")
    greedy = int(np.argmax(q_values))
    if q_values.size > 1 and rng.random() < epsilon:
        others = [a for a in range(q_values.size) if a != greedy]
        return int(rng.choice(others))
    return greedy
