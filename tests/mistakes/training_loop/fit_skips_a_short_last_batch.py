"""Skips a batch smaller than the first one ("an incomplete batch would distort the mean"): the
last examples are never trained on and their loss is never reported.

Rejected by: test_fit_reports_the_plain_mean_of_batch_losses
"""

import numpy as np


def fit(model, dataset, optimizer, loss_fn, epochs):
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history = []
    for _ in range(epochs):
        losses, size = [], None
        for x, y in dataset:
            size = size or int(x.shape[0])
            if int(x.shape[0]) < size:
                continue
            losses.append(float(train_step(model, optimizer, loss_fn, x, y)))
        if not losses:
            raise ValueError("dataset yielded no batches")
        history.append(float(np.mean(losses)))
    return history
