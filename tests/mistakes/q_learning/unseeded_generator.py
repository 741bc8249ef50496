"""Creates the exploration generator with `np.random.default_rng()`, unseeded: the env is
seeded, but two runs with the same seed explore differently and give different tables.

Rejected by: test_train_q_table_seed_defaults_to_zero, test_train_q_table_is_reproducible_from_its_seed
"""

import gymnasium as gym
import numpy as np


def train_q_table(env, episodes, learning_rate=0.8, discount=0.95, seed=0):
    if not isinstance(env.observation_space, gym.spaces.Discrete) or not isinstance(
        env.action_space, gym.spaces.Discrete
    ):
        raise ValueError(
            "env must have Discrete observation and action spaces, got "
            f"{env.observation_space} and {env.action_space}"
        )
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1, got {episodes}")
    q_table = np.zeros((env.observation_space.n, env.action_space.n))
    rng = np.random.default_rng()
    decay = max(1, episodes // 2)
    for episode in range(episodes):
        state, _ = env.reset(seed=seed if episode == 0 else None)
        epsilon = linear_epsilon(episode, decay_episodes=decay)
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
