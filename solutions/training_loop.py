"""Kata: a training loop of your own, the three lines inside `model.fit`.

One step of training is:

    with tf.GradientTape() as tape:
        predictions = model(x, training=True)      # record the forward pass
        loss = loss_fn(y, predictions) + extra      # extra: the model's own losses
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

Details that make it the same step as `model.fit`'s:

- `training=True` switches layers such as Dropout and BatchNormalization to their training
  behaviour (BatchNormalization normalizes with the batch's statistics and updates its moving
  averages); `training=False` is for evaluation.
- Only `model.trainable_variables`: a frozen layer (`layer.trainable = False`) and the
  non-trainable state (BatchNormalization's moving mean and variance) must not be stepped.
- `model.losses` holds the losses that layers add themselves (weight regularizers, `add_loss`);
  `fit` adds their sum to the loss, and so does this step.
- The loss returned is the one the gradient was taken of: the loss *before* the update.

An epoch iterates over a `tf.data.Dataset` of (x, y) batches; `fit` here reports the plain mean of
the batch losses of each epoch. (Keras's `fit` weights each batch by its size, which is the same
number whenever every batch has the same size.)
"""

import numpy as np
import tensorflow as tf


def _check_model(model):
    if not callable(model) or not hasattr(model, "trainable_variables"):
        raise TypeError(f"model must be a Keras model, not {type(model).__name__}")


def train_step(model, optimizer, loss_fn, x, y):
    """One gradient step of `optimizer` on `loss_fn(y, model(x, training=True))` plus the sum of
    `model.losses`, over `model.trainable_variables` only.

    Returns the scalar loss tensor computed *before* the update: the number `model.fit` reports
    for that step. `loss_fn` is any Keras loss (an instance or a function returning a scalar, e.g.
    `keras.losses.SparseCategoricalCrossentropy()`).
    """
    _check_model(model)
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
        if model.losses:
            loss = loss + tf.add_n([tf.cast(extra, loss.dtype) for extra in model.losses])
    variables = model.trainable_variables
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables, strict=True))
    return loss


def fit(model, dataset, optimizer, loss_fn, epochs):
    """Train for `epochs` passes over `dataset` (an iterable of (x, y) batches, typically a
    `tf.data.Dataset`), one `train_step` per batch.

    Returns a list of `epochs` Python floats: the mean of the batch losses of each epoch.
    `epochs` must be a positive int (ValueError naming epochs); an empty dataset is a ValueError
    naming dataset.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"epochs must be an int, not {type(epochs).__name__}")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history = []
    for _ in range(int(epochs)):
        batch_losses = [float(train_step(model, optimizer, loss_fn, x, y)) for x, y in dataset]
        if not batch_losses:
            raise ValueError("dataset yielded no batches")
        history.append(float(np.mean(batch_losses)))
    return history


def evaluate_accuracy(model, dataset):
    """The share of all examples in `dataset` ((x, y) batches, y holding class ids as [B] or
    [B, 1]) whose highest-scoring class, `argmax(model(x, training=False))`, is the label.

    Counts hits over the whole dataset (not a mean of per-batch accuracies, which overweights a
    short last batch). Returns a Python float; an empty dataset is a ValueError naming dataset.
    """
    _check_model(model)
    hits, seen = 0, 0
    for x, y in dataset:
        predicted = tf.argmax(model(x, training=False), axis=-1)
        labels = tf.cast(tf.reshape(y, [-1]), predicted.dtype)
        hits += int(tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.int64)))
        seen += int(labels.shape[0])
    if seen == 0:
        raise ValueError("dataset holds no examples")
    return hits / seen
