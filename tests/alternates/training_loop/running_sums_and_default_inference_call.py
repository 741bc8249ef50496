"""Sums the penalties with Python's sum(), keeps each epoch's running (sum, batch count) instead
of a list, and evaluates with a plain model(x): outside fit a Keras model's training argument
defaults to inference, which is what training=False asks for."""

import numpy as np
import tensorflow as tf


def train_step(model, optimizer, loss_fn, x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    variables = model.trainable_variables
    optimizer.apply_gradients(list(zip(tape.gradient(loss, variables), variables, strict=True)))
    return tf.convert_to_tensor(loss)


def fit(model, dataset, optimizer, loss_fn, epochs):
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    history = []
    for _ in range(epochs):
        total, batches = 0.0, 0
        for x, y in dataset:
            total += float(train_step(model, optimizer, loss_fn, x, y))
            batches += 1
        if batches == 0:
            raise ValueError("the dataset is empty: no batches to train on")
        history.append(total / batches)
    return history


def evaluate_accuracy(model, dataset):
    hits = seen = 0
    for x, y in dataset:
        predicted = np.argmax(np.asarray(model(x)), axis=-1)
        labels = np.asarray(y).reshape(-1)
        hits += int((predicted == labels).sum())
        seen += len(labels)
    if seen == 0:
        raise ValueError("the dataset is empty: no examples to evaluate")
    return hits / seen
