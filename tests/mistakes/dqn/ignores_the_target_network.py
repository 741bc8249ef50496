"""Takes the targets from q_network even when a target network is passed: the stabilising copy
is never used.

Rejected by: test_dqn_train_step_uses_and_preserves_the_target_network
"""

import tensorflow as tf


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    targets = td_targets(rewards, q_network(next_states), dones, discount)
    with tf.GradientTape() as tape:
        q_values = q_network(states, training=True)
        taken = tf.gather(q_values, actions, axis=1, batch_dims=1)
        loss = tf.reduce_mean(tf.square(targets - taken))
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss
