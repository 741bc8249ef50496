"""Calls the model without training=True in the train step: layers that behave differently in
training (Dropout, BatchNormalization) run in inference mode.

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
        context = tf.distribute.get_replica_context()
        global_size = context.all_reduce(tf.distribute.ReduceOp.SUM, tf.shape(x_part)[0])
        with tf.GradientTape() as tape:
            losses = per_example_loss(y_part, model(x_part))
            loss = tf.nn.compute_average_loss(losses, global_batch_size=global_size)
        variables = model.trainable_variables
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def distributed_step(batch):
        losses = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    return _epoch_losses(distributed_step, distributed, epochs)
