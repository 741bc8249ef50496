# Kata training_loop: fill in every function below, then run `kata check training_loop`.
# Stuck? `kata hint training_loop` gives hints, from a nudge to nearly the answer.

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


def train_step(model, optimizer, loss_fn, x, y):
    """One gradient step of `optimizer` on `loss_fn(y, model(x, training=True))` plus the sum of
    `model.losses`, over `model.trainable_variables` only.

    Returns the scalar loss tensor computed *before* the update: the number `model.fit` reports
    for that step. `loss_fn` is any Keras loss (an instance or a function returning a scalar, e.g.
    `keras.losses.SparseCategoricalCrossentropy()`).
    """
    raise NotImplementedError("train_step: your code here (`kata hint training_loop`)")


def fit(model, dataset, optimizer, loss_fn, epochs):
    """Train for `epochs` passes over `dataset` (an iterable of (x, y) batches, typically a
    `tf.data.Dataset`), one `train_step` per batch.

    Returns a list of `epochs` Python floats: the mean of the batch losses of each epoch.
    `epochs` must be a positive int (ValueError naming epochs); an empty dataset is a ValueError
    naming dataset.
    """
    raise NotImplementedError("fit: your code here (`kata hint training_loop`)")


def evaluate_accuracy(model, dataset):
    """The share of all examples in `dataset` ((x, y) batches, y holding class ids as [B] or
    [B, 1]) whose highest-scoring class, `argmax(model(x, training=False))`, is the label.

    Counts hits over the whole dataset (not a mean of per-batch accuracies, which overweights a
    short last batch). Returns a Python float; an empty dataset is a ValueError naming dataset.
    """
    raise NotImplementedError("evaluate_accuracy: your code here (`kata hint training_loop`)")
