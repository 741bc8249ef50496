"""Calls loss_fn(predictions, y) instead of loss_fn(y, predictions): symmetric losses such as MSE
hide it, an asymmetric one (or a cross-entropy) gets labels where it expects predictions.

Rejected by: test_train_step_passes_labels_first_to_an_asymmetric_loss
"""

import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(predictions, y)
        if model.losses:
            loss = loss + tf.add_n(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    return loss
