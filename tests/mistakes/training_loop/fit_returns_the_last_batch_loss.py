"""Reports the loss of each epoch's last batch instead of the mean over the epoch's batches.

Rejected by: test_fit_equals_keras_fit_on_equal_batches, test_fit_reports_the_plain_mean_of_batch_losses
"""


def fit(model, dataset, optimizer, loss_fn, epochs):
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    history = []
    for _ in range(epochs):
        loss = None
        for x, y in dataset:
            loss = train_step(model, optimizer, loss_fn, x, y)
        if loss is None:
            raise ValueError("dataset yielded no batches")
        history.append(float(loss))
    return history
