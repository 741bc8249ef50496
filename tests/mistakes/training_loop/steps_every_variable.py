"""Steps model.variables instead of model.trainable_variables: a frozen layer moves too (and the
BatchNorm statistics, which have no gradient, are skipped with a warning).

Rejected by: test_train_step_never_moves_a_frozen_layer, test_train_step_is_one_step_of_keras_fit
"""

import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    grads = tape.gradient(loss, model.variables)
    pairs = [(g, v) for g, v in zip(grads, model.variables, strict=True) if g is not None]
    optimizer.apply_gradients(pairs)
    return loss
