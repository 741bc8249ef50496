"""Recomputes the loss after `apply_gradients` and returns that one, not the loss the step
minimised (the value before the update).

Rejected by: test_dqn_train_step_returns_the_loss_before_the_update
"""

import tensorflow as tf


def dqn_train_step(q_network, optimizer, batch, discount, target_network=None):
    states, actions, rewards, next_states, dones = batch
    source = q_network if target_network is None else target_network
    targets = td_targets(rewards, source(next_states), dones, discount)
    mask = tf.one_hot(actions, q_network.output_shape[-1])

    def loss_fn():
        taken = tf.reduce_sum(q_network(states, training=True) * mask, axis=1)
        return tf.reduce_mean(tf.square(targets - taken))

    with tf.GradientTape() as tape:
        loss = loss_fn()
    grads = tape.gradient(loss, q_network.trainable_variables)
    optimizer.apply_gradients(zip(grads, q_network.trainable_variables, strict=True))
    return loss_fn()
