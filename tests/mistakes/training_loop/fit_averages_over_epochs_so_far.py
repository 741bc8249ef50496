"""Keeps one running list of batch losses for the whole run: each epoch reports the mean over
every batch so far, not over its own batches.

Rejected by: test_fit_equals_keras_fit_on_equal_batches, test_fit_reports_the_plain_mean_of_batch_losses
"""

import numpy as np


def fit(model, dataset, optimizer, loss_fn, epochs):
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history, losses = [], []
    for _ in range(epochs):
        for x, y in dataset:
            losses.append(float(train_step(model, optimizer, loss_fn, x, y)))
        if not losses:
            raise ValueError("dataset yielded no batches")
        history.append(float(np.mean(losses)))
    return history
