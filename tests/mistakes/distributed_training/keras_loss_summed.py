"""Calls the compiled Keras loss and sums it over replicas: Keras already scales each replica's
mean by 1/num_replicas, so this is the mean of the replicas' means, which is the global batch's
mean only when the batch splits evenly; batches of 8 on 3 replicas split 3, 3, 2.

Rejected by: test_epoch_losses_match_single_device_training
"""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    strategy = _mirrored_strategy(num_replicas)
    model = _build_in_scope(strategy, build_model)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
    distributed = strategy.experimental_distribute_dataset(dataset)

    def replica_step(x_part, y_part):
        with tf.GradientTape() as tape:
            loss = model.loss(y_part, model(x_part, training=True))
        variables = model.trainable_variables
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def distributed_step(batch):
        losses = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    return _epoch_losses(distributed_step, distributed, epochs)
