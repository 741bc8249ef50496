# Kata q_learning: fill in every function below, then run `kata check q_learning`.
# Stuck? `kata hint q_learning` gives hints, from a nudge to nearly the answer.

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


def q_update(q_table, state, action, reward, next_state, terminated, learning_rate, discount):
    """One Q-learning update of q_table[state][action], in place; returns the new value (a float).

    target = reward if terminated else reward + discount · max(q_table[next_state]);
    Q ← Q + learning_rate · (target − Q). Only that one entry changes. `state` and `next_state`
    are ints or tuples (for a table of shape [*state_dims, n_actions]). learning_rate and
    discount must lie in [0, 1] (ValueError naming them); q_table must be a NumPy array of
    floats (TypeError naming q_table), since the update happens in place: an integer table would
    silently truncate the new value.
    """
    raise NotImplementedError("q_update: your code here (`kata hint q_learning`)")


def epsilon_greedy(q_values, epsilon, rng):
    """An action index (a Python int, not a NumPy integer): with probability `epsilon` uniformly
    random among all actions, else one with the largest Q-value, ties broken uniformly at random
    with `rng` (not `np.argmax`'s first index).

    `q_values` is 1-D with at least one action (ValueError naming q_values); epsilon must lie in
    [0, 1] (ValueError naming epsilon).
    """
    raise NotImplementedError("epsilon_greedy: your code here (`kata hint q_learning`)")


def linear_epsilon(episode, initial=1.0, final=0.01, decay_episodes=100):
    """The exploration rate of `episode` (0, 1, 2, ...): `initial` at episode 0, falling linearly
    to `final` at episode `decay_episodes`, and `final` from then on (never below it).

    Errors (ValueError naming the argument): episode < 0, decay_episodes < 1, initial or final
    outside [0, 1], final > initial.
    """
    raise NotImplementedError("linear_epsilon: your code here (`kata hint q_learning`)")


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
    raise NotImplementedError("train_q_table: your code here (`kata hint q_learning`)")
