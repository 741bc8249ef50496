"""Creates the generator with `np.random.default_rng()` and resets the env without the seed: two
runs with the same seed give different tables.

Rejected by: test_train_q_table_is_reproducible_from_its_seed
"""

import numpy as np


def train_q_table(env, episodes, learning_rate=0.8, discount=0.95, seed=0):
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1, got {episodes}")
    if not hasattr(env.observation_space, "n"):
        raise ValueError("env must have a Discrete observation space")
    q_table = np.zeros((env.observation_space.n, env.action_space.n))
    rng = np.random.default_rng()
    for episode in range(episodes):
        state, _ = env.reset()
        epsilon = linear_epsilon(episode, decay_episodes=max(1, episodes // 2))
        done = False
        while not done:
            action = epsilon_greedy(q_table[state], epsilon, rng)
            next_state, reward, terminated, truncated, _ = env.step(action)
            q_update(
                q_table, state, action, reward, next_state, terminated, learning_rate, discount
            )
            state = next_state
            done = terminated or truncated
    return q_table
