"""Trains on the Huber loss (as many DQN implementations do) instead of the mean squared TD error
the docstring asks for: the loss and the update differ wherever |y - Q(s, a)| > 1.

Rejected by: test_dqn_train_step_returns_the_loss_before_the_update, test_dqn_train_step_applies_the_semi_gradient
"""


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    states = tf.convert_to_tensor(states, dtype=tf.float32)
    next_states = tf.convert_to_tensor(next_states, dtype=tf.float32)
    source = q_network if target_network is None else target_network
    targets = tf.stop_gradient(td_targets(rewards, source(next_states), dones, discount))
    with tf.GradientTape() as tape:
        q_values = q_network(states, training=True)
        taken = tf.gather(q_values, tf.convert_to_tensor(actions), axis=1, batch_dims=1)
        loss = keras.losses.Huber()(targets, taken)
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss
