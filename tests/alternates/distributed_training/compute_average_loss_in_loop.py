"""A custom loop written the TensorFlow-tutorial way: a Loss with reduction=None for per-example
values and tf.nn.compute_average_loss; the Python loop knows each global batch's real size (the
last one is short) and passes it in as a tensor, and a keras Mean metric averages the epoch's
step losses."""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    strategy = tf.distribute.MirroredStrategy(
        _logical_cpus(num_replicas), cross_device_ops=tf.distribute.ReductionToOneDevice()
    )
    with strategy.scope():
        model = build_model()
        model.optimizer.build(model.trainable_variables)
    loss_config = {**model.loss.get_config(), "reduction": None}
    per_example = type(model.loss).from_config(loss_config)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
    dist_dataset = strategy.experimental_distribute_dataset(dataset)
    sizes = [
        min(global_batch_size, len(x) - start) for start in range(0, len(x), global_batch_size)
    ]

    def step_fn(inputs, targets, size):
        with tf.GradientTape() as tape:
            predictions = model(inputs, training=True)
            loss = tf.nn.compute_average_loss(
                per_example(targets, predictions), global_batch_size=size
            )
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    @tf.function
    def train_step(inputs, targets, size):
        per_replica = strategy.run(step_fn, args=(inputs, targets, size))
        return strategy.reduce("SUM", per_replica, axis=None)

    history = []
    for _ in range(epochs):
        mean = keras.metrics.Mean()
        for (inputs, targets), size in zip(dist_dataset, sizes, strict=True):
            mean.update_state(train_step(inputs, targets, tf.constant(size)))
        history.append(float(mean.result()))
    return history
