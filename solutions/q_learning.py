"""Kata: tabular Q-learning.

Q(s, a) estimates the return (the discounted sum of rewards) of taking action a in state s and
acting well afterwards. Q-learning improves a table of these estimates from single transitions
(s, a, r, s', terminated), moving Q(s, a) a fraction `learning_rate` (α) of the way towards the
**TD target**:

    target = r + γ · max_a' Q(s', a')      if the episode goes on after s'
    target = r                             if s' is terminal (terminated: nothing follows)
    Q(s, a) ← Q(s, a) + α · (target − Q(s, a))

Gymnasium's `step` returns two flags. `terminated` means the MDP itself ended (the agent fell in a
hole, reached the goal, the pole fell): the value of s' is 0, so no bootstrap. `truncated` means
a time limit cut the episode short: s' still has a future, so the target *does* bootstrap from
it. Both end the episode loop; only `terminated` removes the bootstrap.

Exploration: ε-greedy takes a uniformly random action with probability ε, else a greedy (argmax)
one. ε usually starts at 1 (all exploration) and decays linearly to a small floor. Break ties
between equally good actions at random: a table starts at zeros, and `np.argmax` always returns the
*first* maximum, so a fresh agent would always try action 0 (in FrozenLake: walk into the wall
and stay put) and learn very slowly.

All randomness goes through an explicit `numpy.random.Generator`, so a seed reproduces a run.
"""

import gymnasium as gym
import numpy as np


def _index(state):
    """A state as a tuple index prefix: 3 -> (3,), (1, 2) -> (1, 2)."""
    if isinstance(state, tuple):
        return tuple(int(s) for s in state)
    return (int(state),)


def _unit_interval(value, name):
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")
    return value


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    """One Q-learning update of q_table[state][action], in place; returns the new value (a float).

    target = reward if terminated else reward + discount · max(q_table[next_state]);
    Q ← Q + learning_rate · (target − Q). Only that one entry changes. `state` and `next_state`
    are ints or tuples (for a table of shape [*state_dims, n_actions]). learning_rate and
    discount must lie in [0, 1] (ValueError naming them); q_table must be a NumPy array of
    floats (TypeError naming q_table), since the update happens in place: an integer table would
    silently truncate the new value.
    """
    if not isinstance(q_table, np.ndarray):
        raise TypeError(
            f"q_table must be a NumPy array (updated in place), not {type(q_table).__name__}"
        )
    if not np.issubdtype(q_table.dtype, np.floating):
        raise TypeError(f"q_table must hold floats, not {q_table.dtype} (it is updated in place)")
    learning_rate = _unit_interval(learning_rate, "learning_rate")
    discount = _unit_interval(discount, "discount")
    index = (*_index(state), int(action))
    if terminated:
        target = float(reward)
    else:
        target = float(reward) + discount * float(np.max(q_table[_index(next_state)]))
    q_table[index] += learning_rate * (target - q_table[index])
    return float(q_table[index])


def epsilon_greedy(q_values, epsilon, rng):
    """An action index (a Python int, not a NumPy integer): with probability `epsilon` uniformly
    random among all actions, else one with the largest Q-value, ties broken uniformly at random
    with `rng` (not `np.argmax`'s first index).

    `q_values` is 1-D with at least one action (ValueError naming q_values); epsilon must lie in
    [0, 1] (ValueError naming epsilon).
    """
    q_values = np.asarray(q_values, dtype=np.float64)
    if q_values.ndim != 1 or q_values.size == 0:
        raise ValueError(
            f"q_values must be a non-empty 1-D array, got shape {list(q_values.shape)}"
        )
    epsilon = _unit_interval(epsilon, "epsilon")
    if rng.random() < epsilon:
        return int(rng.integers(q_values.size))
    best = np.flatnonzero(q_values == q_values.max())
    return int(rng.choice(best))


def linear_epsilon(episode, initial=1.0, final=0.01, decay_episodes=100):
    """The exploration rate of `episode` (0, 1, 2, ...): `initial` at episode 0, falling linearly
    to `final` at episode `decay_episodes`, and `final` from then on (never below it).

    Errors (ValueError naming the argument): episode < 0, decay_episodes < 1, initial or final
    outside [0, 1], final > initial.
    """
    if episode < 0:
        raise ValueError(f"episode must be >= 0, got {episode}")
    if decay_episodes < 1:
        raise ValueError(f"decay_episodes must be >= 1, got {decay_episodes}")
    initial = _unit_interval(initial, "initial")
    final = _unit_interval(final, "final")
    if final > initial:
        raise ValueError(f"final ({final}) must not exceed initial ({initial})")
    return max(final, initial - (initial - final) * episode / decay_episodes)


def train_q_table(env, episodes, learning_rate=0.8, discount=0.95, seed=0):
    """Q-learning on a gymnasium env with Discrete observation and action spaces; returns the
    table, a float64 array of shape [n_states, n_actions] (starting from zeros).

    Episode k explores with ε = linear_epsilon(k, decay_episodes=max(1, episodes // 2)): full
    exploration at first, the floor (0.01) for the second half. Every transition goes through
    `q_update` with the step's `terminated` flag; an episode ends when `terminated` *or*
    `truncated`, and a truncated last step still bootstraps. `seed` seeds the first `env.reset`
    (later resets pass no seed: the env's generator runs on) and the generator used by
    `epsilon_greedy`: the same seed gives the same table.
    Errors: episodes < 1 (ValueError naming episodes); non-Discrete spaces (ValueError naming env).
    """
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
    rng = np.random.default_rng(seed)
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
