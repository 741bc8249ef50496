"""Computes the targets inside the tape from the same network without tf.stop_gradient: the tape
differentiates through y too, which is not the DQN (semi-gradient) update.

Rejected by: test_dqn_train_step_applies_the_semi_gradient
"""

import tensorflow as tf


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    source = q_network if target_network is None else target_network
    with tf.GradientTape() as tape:
        targets = td_targets(rewards, source(next_states), dones, discount)
        q_values = q_network(states, training=True)
        taken = tf.gather(q_values, actions, axis=1, batch_dims=1)
        loss = tf.reduce_mean(tf.square(targets - taken))
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss
