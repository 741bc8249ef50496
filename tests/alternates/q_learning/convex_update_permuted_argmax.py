"""The update as a convex combination (1 − α)·Q + α·target, ties broken by an argmax over a random
permutation of the actions, np.interp for the schedule, and a training loop that keeps
linear_epsilon's default 100-episode decay."""

import itertools

import numpy as np


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    if not isinstance(q_table, np.ndarray):
        raise TypeError(f"q_table should be an np.ndarray, got {type(q_table)}")
    if q_table.dtype.kind != "f":
        raise TypeError(f"q_table of {q_table.dtype} cannot hold the updated values")
    if not 0 <= learning_rate <= 1:
        raise ValueError(f"learning_rate out of range: {learning_rate}")
    if not 0 <= discount <= 1:
        raise ValueError(f"discount out of range: {discount}")
    row = q_table[state]
    bootstrap = 0.0 if terminated else discount * q_table[next_state].max()
    row[action] = (1 - learning_rate) * row[action] + learning_rate * (reward + bootstrap)
    return float(row[action])


def epsilon_greedy(q_values, epsilon, rng):
    if not 0 <= epsilon <= 1:
        raise ValueError(f"epsilon out of range: {epsilon}")
    q_values = np.asarray(q_values)
    if q_values.size == 0:
        raise ValueError("q_values is empty")
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    order = rng.permutation(len(q_values))
    return int(order[np.argmax(q_values[order])])


def linear_epsilon(episode, initial=1.0, final=0.01, decay_episodes=100):
    if episode < 0:
        raise ValueError(f"negative episode: {episode}")
    if decay_episodes < 1:
        raise ValueError(f"decay_episodes < 1: {decay_episodes}")
    if not 0 <= final <= initial <= 1:
        raise ValueError(f"need 0 <= final <= initial <= 1, got initial={initial}, final={final}")
    return float(np.interp(episode, [0, decay_episodes], [initial, final]))


def train_q_table(env, episodes, learning_rate=0.8, discount=0.95, seed=0):
    n_states = getattr(env.observation_space, "n", None)
    n_actions = getattr(env.action_space, "n", None)
    if n_states is None or n_actions is None:
        raise ValueError("env needs discrete observation and action spaces")
    if episodes < 1:
        raise ValueError(f"episodes < 1: {episodes}")
    q = np.zeros((int(n_states), int(n_actions)))
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    for episode in range(episodes):
        state, _ = env.reset()
        epsilon = linear_epsilon(episode, decay_episodes=max(1, episodes // 2))
        for _ in itertools.count():
            action = epsilon_greedy(q[state], epsilon, rng)
            state_next, reward, terminated, truncated, _ = env.step(action)
            q_update(q, state, action, reward, state_next, terminated, learning_rate, discount)
            if terminated or truncated:
                break
            state = state_next
    return q
