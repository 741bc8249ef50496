"""Always bootstraps, ignoring `terminated`: the value of a state after the episode's end leaks
into the target of the transition that ended it.

Rejected by: test_q_update_does_not_bootstrap_from_a_terminal_state
"""

import numpy as np


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    if not isinstance(q_table, np.ndarray):
        raise TypeError("q_table must be a NumPy array")
    learning_rate = _unit_interval(learning_rate, "learning_rate")
    discount = _unit_interval(discount, "discount")
    index = (*_index(state), int(action))
    target = reward + discount * np.max(q_table[_index(next_state)])
    q_table[index] += learning_rate * (target - q_table[index])
    return float(q_table[index])
