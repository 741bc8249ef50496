"""Writes Q ← (1 − α)·Q + α·r + γ·max Q[s']: the learning rate scales the reward but not the
bootstrapped part of the target.

Rejected by: test_q_update_changes_only_q_state_action_by_the_td_rule
"""

import numpy as np


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    if not isinstance(q_table, np.ndarray):
        raise TypeError("q_table must be a NumPy array")
    learning_rate = _unit_interval(learning_rate, "learning_rate")
    discount = _unit_interval(discount, "discount")
    index = (*_index(state), int(action))
    future = 0.0 if terminated else discount * np.max(q_table[_index(next_state)])
    q_table[index] = (1 - learning_rate) * q_table[index] + learning_rate * reward + future
    return float(q_table[index])
