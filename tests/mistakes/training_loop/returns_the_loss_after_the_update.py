"""Recomputes the loss after apply_gradients and returns that: the step reports a loss lower than
the one it took the gradient of, and fit's numbers look better than they are.

Rejected by: test_train_step_returns_the_loss_before_the_update
"""

import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    return loss_fn(y, model(x, training=True)) + sum(model.losses)
