"""Predicts with max_a Q(s, a) instead of Q(s, a) for the action actually taken: the loss ignores
the actions of the batch.

Rejected by: test_dqn_train_step_returns_the_loss_before_the_update, test_dqn_train_step_applies_the_semi_gradient
"""


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, _actions, rewards, next_states, dones = batch
    states = tf.convert_to_tensor(states, dtype=tf.float32)
    next_states = tf.convert_to_tensor(next_states, dtype=tf.float32)
    source = q_network if target_network is None else target_network
    targets = tf.stop_gradient(td_targets(rewards, source(next_states), dones, discount))
    with tf.GradientTape() as tape:
        taken = tf.reduce_max(q_network(states, training=True), axis=1)
        loss = tf.reduce_mean(tf.square(targets - taken))
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss
