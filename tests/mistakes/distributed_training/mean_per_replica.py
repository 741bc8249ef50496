"""Averages the loss over each replica's own examples (tf.reduce_mean) and sums the replicas'
losses: with 2 replicas the reported loss and the summed gradient are twice too large.

Rejected by: test_epoch_losses_match_single_device_training
"""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    strategy = _mirrored_strategy(num_replicas)
    model = _build_in_scope(strategy, build_model)
    per_example_loss = _per_example_loss(model.loss)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
    distributed = strategy.experimental_distribute_dataset(dataset)

    def replica_step(x_part, y_part):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(per_example_loss(y_part, model(x_part, training=True)))
        variables = model.trainable_variables
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def distributed_step(batch):
        losses = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    return _epoch_losses(distributed_step, distributed, epochs)
