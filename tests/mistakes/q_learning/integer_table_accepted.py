"""Updates any NumPy table in place without checking its dtype: an integer table silently
truncates every new value (0.5 becomes 0).

Rejected by: test_q_update_rejects_an_integer_table
"""


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    if not isinstance(q_table, np.ndarray):
        raise TypeError(f"q_table must be a NumPy array, not {type(q_table).__name__}")
    learning_rate = _unit_interval(learning_rate, "learning_rate")
    discount = _unit_interval(discount, "discount")
    index = (*_index(state), int(action))
    if terminated:
        target = float(reward)
    else:
        target = float(reward) + discount * float(np.max(q_table[_index(next_state)]))
    q_table[index] += learning_rate * (target - q_table[index])
    return float(q_table[index])
