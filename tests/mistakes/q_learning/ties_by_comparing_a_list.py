"""Finds the tied best actions with `q_values == max(q_values)` without converting to an array: on
a Python list that compares the list with a number (False), so no action is "best".

Rejected by: test_epsilon_greedy_breaks_ties_at_random
"""


def epsilon_greedy(q_values, epsilon, rng):
    epsilon = _unit_interval(epsilon, "epsilon")
    if len(q_values) == 0:
        raise ValueError("q_values must hold at least one action")
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    best = np.flatnonzero(q_values == max(q_values))
    return int(rng.choice(best))
