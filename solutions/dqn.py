"""Kata: the pieces of a deep Q-network (DQN) agent.

When states are continuous (CartPole's four numbers), a table no longer fits: a neural network
Q(s; θ) maps a state to one Q-value per action. DQN trains it with the Q-learning target, plus two
tricks that keep the training stable:

- **Experience replay.** Transitions (s, a, r, s', done) go into a bounded buffer; each training
  step learns from a random minibatch of *distinct* past transitions instead of the latest one,
  which breaks the strong correlation between consecutive steps. When the buffer is full the
  oldest transitions leave first (`collections.deque(maxlen=capacity)` does exactly that).
- **A target network.** The TD target y = r + γ · maxₐ Q(s', a) · (1 − done) is computed with a
  *copy* of the network whose weights are refreshed only now and then, so the target does not
  move with every step.

The loss is the mean squared TD error (y − Q(s, a))² over the minibatch, for the actions actually
taken: gather Q(s, a) from the [B, num_actions] output with the action ids. The target is a
*constant*: gradients flow through Q(s, a) only, never through y (a "semi-gradient"). Compute y
outside the `tf.GradientTape`, or wrap it in `tf.stop_gradient`; otherwise, when y comes from the
same network, the tape differentiates through the target too and the update is a different one.

`done` here is gymnasium's `terminated`: a time-limit truncation still has a future and must not
zero the bootstrap.
"""

from collections import deque

import keras
import numpy as np
import tensorflow as tf


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _check_discount(discount):
    discount = float(discount)
    if not 0.0 <= discount <= 1.0:
        raise ValueError(f"discount must be in [0, 1], got {discount}")
    return discount


class ReplayBuffer:
    """A bounded store of transitions, sampled uniformly without replacement.

    `ReplayBuffer(capacity, seed=None)`: at most `capacity` transitions (a positive int, else
    ValueError naming capacity); when full, adding one drops the oldest. `seed` seeds the
    buffer's own NumPy generator, so the same seed and the same additions give the same samples;
    `seed=None` (the default) means fresh OS entropy, as in `np.random.default_rng(None)`: two
    unseeded buffers sample differently.
    """

    def __init__(self, capacity, seed=None):
        self.capacity = _positive_int(capacity, "capacity")
        self._transitions = deque(maxlen=self.capacity)
        self._rng = np.random.default_rng(seed)

    def add(self, state, action, reward, next_state, done):
        """Stores one transition (dropping the oldest one when the buffer is full)."""
        self._transitions.append(
            (
                np.asarray(state, dtype=np.float32),
                int(action),
                float(reward),
                np.asarray(next_state, dtype=np.float32),
                float(done),
            )
        )

    def sample(self, batch_size):
        """`batch_size` distinct transitions, drawn uniformly, as five NumPy arrays:
        states float32 [B, state_dim], actions of an integer dtype [B] (any: int64 here),
        rewards float32 [B], next_states float32 [B, state_dim], dones float32 [B] (1.0 where
        done).

        batch_size must be an int in [1, len(self)]: asking for more than the buffer holds is a
        ValueError naming batch_size.
        """
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > len(self._transitions):
            raise ValueError(
                f"batch_size {batch_size} is larger than the {len(self._transitions)} "
                "transitions in the buffer"
            )
        indices = self._rng.choice(len(self._transitions), size=batch_size, replace=False)
        batch = [self._transitions[i] for i in indices]
        states, actions, rewards, next_states, dones = zip(*batch, strict=True)
        return (
            np.stack(states).astype(np.float32),
            np.array(actions, dtype=np.int64),
            np.array(rewards, dtype=np.float32),
            np.stack(next_states).astype(np.float32),
            np.array(dones, dtype=np.float32),
        )

    def __len__(self):
        return len(self._transitions)


def build_q_network(state_dim, num_actions):
    """The classic small DQN for CartPole: state [B, state_dim] → Dense(24, ReLU) → Dense(24, ReLU)
    → Dense(num_actions) with a *linear* output (Q-values are returns: any real number, so no
    ReLU or softmax at the end), and no other layer (no Dropout, no normalization). Built (it has
    its weights) when returned.

    state_dim and num_actions must be positive ints (ValueError naming them).
    """
    state_dim = _positive_int(state_dim, "state_dim")
    num_actions = _positive_int(num_actions, "num_actions")
    return keras.Sequential(
        [
            keras.Input(shape=(state_dim,)),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(num_actions),
        ]
    )


def td_targets(rewards, next_q_values, dones, discount):
    """y = rewards + discount · maxₐ next_q_values[:, a] · (1 − dones), shape [B].

    rewards [B], next_q_values [B, num_actions], dones [B] (0/1 or booleans). The result has
    next_q_values' float dtype (float32 for ints or Python numbers). Shapes that do not fit are a
    ValueError naming the argument; discount must lie in [0, 1] (ValueError naming discount).
    """
    discount = _check_discount(discount)
    next_q_values = tf.convert_to_tensor(next_q_values)
    dtype = next_q_values.dtype if next_q_values.dtype.is_floating else tf.float32
    next_q_values = tf.cast(next_q_values, dtype)
    rewards = tf.cast(tf.convert_to_tensor(rewards), dtype)
    dones = tf.cast(tf.convert_to_tensor(dones), dtype)
    if next_q_values.shape.rank != 2:
        raise ValueError(f"next_q_values must be [B, num_actions], got {next_q_values.shape}")
    batch = next_q_values.shape[0]
    if rewards.shape != (batch,):
        raise ValueError(f"rewards must have shape [{batch}], got {rewards.shape}")
    if dones.shape != (batch,):
        raise ValueError(f"dones must have shape [{batch}], got {dones.shape}")
    best_next = tf.reduce_max(next_q_values, axis=1)
    return rewards + discount * best_next * (1.0 - dones)


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    """One gradient step of `q_network` on the mean squared TD error of a minibatch; returns that
    loss (a scalar tf.Tensor), computed before the update.

    `batch` = (states, actions, rewards, next_states, dones) as `ReplayBuffer.sample` returns it.
    Targets: td_targets(rewards, target_network(next_states), dones, discount), with
    `target_network` defaulting to `q_network` itself; they are constants (no gradient flows
    through them, and `target_network`'s weights never change here). Prediction: Q(s, a) of the
    taken actions, gathered from q_network(states, training=True). Loss: mean over the batch of
    (y − Q(s, a))². The target network is called in inference mode (training=False).
    """
    states, actions, rewards, next_states, dones = batch
    states = tf.convert_to_tensor(states, dtype=tf.float32)
    next_states = tf.convert_to_tensor(next_states, dtype=tf.float32)
    actions = tf.convert_to_tensor(actions)
    source = q_network if target_network is None else target_network
    targets = tf.stop_gradient(
        td_targets(rewards, source(next_states, training=False), dones, discount)
    )
    with tf.GradientTape() as tape:
        q_values = q_network(states, training=True)  # [B, num_actions]
        taken = tf.gather(q_values, actions, axis=1, batch_dims=1)  # [B]
        loss = tf.reduce_mean(tf.square(targets - taken))
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss
