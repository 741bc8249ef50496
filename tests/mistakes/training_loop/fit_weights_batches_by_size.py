"""Weights each batch loss by its batch size (Keras's fit's running mean) instead of the plain
mean of the batch losses that the docstring asks for: a short last batch counts less.

Rejected by: test_fit_reports_the_plain_mean_of_batch_losses
"""

import numpy as np


def fit(model, dataset, optimizer, loss_fn, epochs):
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history = []
    for _ in range(epochs):
        total, count = 0.0, 0
        for x, y in dataset:
            total += float(train_step(model, optimizer, loss_fn, x, y)) * int(x.shape[0])
            count += int(x.shape[0])
        if not count:
            raise ValueError("dataset yielded no batches")
        history.append(float(np.float64(total) / count))
    return history
