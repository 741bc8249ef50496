"""The loss and the regularization penalties summed with keras.ops, the epoch mean kept in a
keras.metrics.Mean (one update per batch, unweighted), and the accuracy streamed through
keras.metrics.SparseCategoricalAccuracy."""

import keras
import tensorflow as tf
from keras import ops


def train_step(model, optimizer, loss_fn, x, y):
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = ops.sum(ops.stack([loss_fn(y, model(x, training=True)), *model.losses]))
    optimizer.apply_gradients(list(zip(tape.gradient(loss, variables), variables, strict=True)))
    return loss


def fit(model, dataset, optimizer, loss_fn, epochs):
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"epochs: expected a positive int, got {epochs!r}")
    history = []
    for _ in range(epochs):
        mean = keras.metrics.Mean()
        for x, y in dataset:
            mean.update_state(train_step(model, optimizer, loss_fn, x, y))
        if int(mean.count.numpy()) == 0:
            raise ValueError("the dataset is empty")
        history.append(float(mean.result()))
    return history


def evaluate_accuracy(model, dataset):
    metric = keras.metrics.SparseCategoricalAccuracy()
    seen = 0
    for x, y in dataset:
        metric.update_state(ops.reshape(y, (-1,)), model(x, training=False))
        seen += int(y.shape[0])
    if not seen:
        raise ValueError("the dataset is empty")
    return float(metric.result())
