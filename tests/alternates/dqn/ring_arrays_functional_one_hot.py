"""A replay buffer of preallocated NumPy ring arrays, a functional-API network with separate ReLU
layers, boolean masking in the targets, and a one-hot selection of Q(s, a)."""

import keras
import numpy as np
import tensorflow as tf


class ReplayBuffer:
    def __init__(self, capacity, seed=None):
        if not isinstance(capacity, int) or capacity <= 0:
            raise ValueError(f"capacity must be a positive int, got {capacity!r}")
        self.capacity = capacity
        self.rng = np.random.default_rng(seed)
        self.size = 0
        self.next = 0
        self.arrays = None

    def add(self, state, action, reward, next_state, done):
        state = np.asarray(state, np.float32)
        if self.arrays is None:
            self.arrays = {
                "states": np.zeros((self.capacity, *state.shape), np.float32),
                "actions": np.zeros(self.capacity, np.int32),
                "rewards": np.zeros(self.capacity, np.float32),
                "next_states": np.zeros((self.capacity, *state.shape), np.float32),
                "dones": np.zeros(self.capacity, np.float32),
            }
        row = self.next
        self.arrays["states"][row] = state
        self.arrays["actions"][row] = action
        self.arrays["rewards"][row] = reward
        self.arrays["next_states"][row] = next_state
        self.arrays["dones"][row] = float(done)
        self.next = (self.next + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size):
        if batch_size < 1 or batch_size > self.size:
            raise ValueError(f"batch_size must be in [1, {self.size}], got {batch_size}")
        rows = self.rng.permutation(self.size)[:batch_size]
        a = self.arrays
        return (
            a["states"][rows],
            a["actions"][rows],
            a["rewards"][rows],
            a["next_states"][rows],
            a["dones"][rows],
        )

    def __len__(self):
        return self.size


def build_q_network(state_dim, num_actions):
    if state_dim <= 0:
        raise ValueError(f"state_dim must be positive, got {state_dim}")
    if num_actions <= 0:
        raise ValueError(f"num_actions must be positive, got {num_actions}")
    inputs = keras.Input(shape=(state_dim,))
    x = keras.layers.ReLU()(keras.layers.Dense(24)(inputs))
    x = keras.layers.ReLU()(keras.layers.Dense(24)(x))
    return keras.Model(inputs, keras.layers.Dense(num_actions)(x))


def td_targets(rewards, next_q_values, dones, discount):
    if not 0 <= discount <= 1:
        raise ValueError(f"discount must be in [0, 1], got {discount}")
    next_q_values = tf.convert_to_tensor(next_q_values)
    if not next_q_values.dtype.is_floating:
        next_q_values = tf.cast(next_q_values, tf.float32)
    if len(next_q_values.shape) != 2:
        raise ValueError(f"next_q_values should be 2-D, got shape {next_q_values.shape}")
    rewards = tf.cast(rewards, next_q_values.dtype)
    dones = tf.cast(dones, tf.bool)
    if rewards.shape != next_q_values.shape[:1]:
        raise ValueError(f"rewards has shape {rewards.shape}, expected {next_q_values.shape[:1]}")
    if dones.shape != next_q_values.shape[:1]:
        raise ValueError(f"dones has shape {dones.shape}, expected {next_q_values.shape[:1]}")
    bootstrap = tf.where(
        dones, tf.zeros_like(rewards), discount * tf.reduce_max(next_q_values, axis=-1)
    )
    return rewards + bootstrap


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    if target_network is None:
        target_network = q_network
    targets = td_targets(rewards, target_network(next_states), dones, discount)
    num_actions = q_network.output_shape[-1]
    mask = tf.one_hot(tf.cast(actions, tf.int32), num_actions)
    variables = q_network.trainable_variables
    with tf.GradientTape() as tape:
        q_taken = tf.reduce_sum(q_network(states, training=True) * mask, axis=-1)
        loss = keras.ops.mean(keras.ops.square(q_taken - targets))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
    return loss
