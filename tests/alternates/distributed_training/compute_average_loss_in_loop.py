"""A custom loop written the TensorFlow-tutorial way: a Loss with reduction=None for per-example
values, tf.nn.compute_average_loss with the global batch size, and a Python loop over the
distributed dataset that averages the epoch's step losses with a keras Mean metric."""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    strategy = tf.distribute.MirroredStrategy(_logical_cpus(num_replicas))
    with strategy.scope():
        model = build_model()
        model.optimizer.build(model.trainable_variables)
    loss_config = {**model.loss.get_config(), "reduction": None}
    per_example = type(model.loss).from_config(loss_config)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
    dist_dataset = strategy.experimental_distribute_dataset(dataset)

    def step_fn(inputs, targets):
        with tf.GradientTape() as tape:
            predictions = model(inputs, training=True)
            loss = tf.nn.compute_average_loss(
                per_example(targets, predictions), global_batch_size=global_batch_size
            )
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    @tf.function
    def train_step(inputs, targets):
        per_replica = strategy.run(step_fn, args=(inputs, targets))
        return strategy.reduce("SUM", per_replica, axis=None)

    history = []
    for _ in range(epochs):
        mean = keras.metrics.Mean()
        for inputs, targets in dist_dataset:
            mean.update_state(train_step(inputs, targets))
        history.append(float(mean.result()))
    return history
