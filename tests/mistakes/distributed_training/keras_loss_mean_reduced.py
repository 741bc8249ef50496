"""Calls the compiled Keras loss (which averages over the replica's examples) and reports the
MEAN over replicas: the first loss looks right, but the gradients summed across the 2 replicas
are twice the global batch's, so training drifts from single-device training.

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
        return strategy.reduce(tf.distribute.ReduceOp.MEAN, losses, axis=None)

    return _epoch_losses(distributed_step, distributed, epochs)
