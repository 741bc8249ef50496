"""Each replica sums its per-example losses (keras.losses.get of the compiled loss's name for a
function, Loss.call for an object) and divides by the global batch's size, counted with an
all-reduce of the replicas' label counts; the epoch loss is averaged in NumPy."""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    devices = _logical_cpus(num_replicas)
    strategy = tf.distribute.MirroredStrategy(
        devices, cross_device_ops=tf.distribute.ReductionToOneDevice()
    )
    with strategy.scope():
        model = build_model()
        optimizer = model.optimizer
        optimizer.build(model.trainable_variables)
    loss = model.loss
    per_example = loss.call if isinstance(loss, keras.losses.Loss) else keras.losses.get(loss)
    batches = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch_size)
    )

    def on_replica(features, labels):
        count = tf.distribute.get_replica_context().all_reduce("SUM", tf.shape(labels)[0])
        with tf.GradientTape() as tape:
            total = tf.reduce_sum(per_example(labels, model(features, training=True)))
            replica_loss = total / tf.cast(count, total.dtype)
        gradients = tape.gradient(replica_loss, model.trainable_variables)
        optimizer.apply_gradients(list(zip(gradients, model.trainable_variables, strict=True)))
        return replica_loss

    step = tf.function(
        lambda batch: strategy.reduce("SUM", strategy.run(on_replica, args=batch), axis=None)
    )
    return [float(np.mean([step(batch).numpy() for batch in batches])) for _ in range(epochs)]
