"""Leaves out model.losses: the L2 penalties of kernel_regularizer never reach the gradient, so
weights are not decayed as fit decays them, and the loss reported is smaller than fit's.

Rejected by: test_train_step_is_one_step_of_keras_fit
"""

import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    return loss
