"""Writes the network with separate ReLU layers after linear Dense layers (the same function as
Dense(24, activation="relu")), samples int32 actions through a permutation, and takes Q(s, a)
with a one-hot mask inside the tape."""


def build_q_network(state_dim, num_actions):
    for name, value in (("state_dim", state_dim), ("num_actions", num_actions)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    inputs = keras.Input((int(state_dim),))
    hidden = keras.layers.ReLU()(keras.layers.Dense(24)(inputs))
    hidden = keras.layers.ReLU()(keras.layers.Dense(24)(hidden))
    return keras.Model(inputs, keras.layers.Dense(int(num_actions))(hidden))


class ReplayBuffer(ReplayBuffer):
    def sample(self, batch_size):
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > len(self):
            raise ValueError(f"batch_size {batch_size} > {len(self)} stored transitions")
        picked = self._rng.permutation(len(self))[:batch_size]
        rows = [self._transitions[i] for i in picked]
        return (
            np.array([r[0] for r in rows], np.float32),
            np.array([r[1] for r in rows], np.int32),
            np.array([r[2] for r in rows], np.float32),
            np.array([r[3] for r in rows], np.float32),
            np.array([r[4] for r in rows], np.float32),
        )


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    network = target_network if target_network is not None else q_network
    targets = td_targets(rewards, network(np.asarray(next_states, np.float32)), dones, discount)
    mask = tf.one_hot(actions, q_network.output_shape[-1], dtype=tf.float32)
    with tf.GradientTape() as tape:
        q = tf.reduce_sum(q_network(np.asarray(states, np.float32), training=True) * mask, axis=1)
        loss = tf.reduce_mean((tf.stop_gradient(targets) - q) ** 2)
    variables = q_network.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
    return loss
