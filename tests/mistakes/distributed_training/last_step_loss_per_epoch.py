"""Reports, per epoch, the loss of the epoch's last step instead of the mean of its steps.

Rejected by: test_epoch_losses_match_single_device_training
"""


def _epoch_losses(distributed_step, distributed_dataset, epochs):
    history = []
    for _ in range(epochs):
        for batch in distributed_dataset:
            loss = float(distributed_step(batch))
        history.append(loss)
    return history
