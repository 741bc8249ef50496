"""Lets Keras do the distributed loop: build and compile inside strategy.scope(), then
model.fit(..., shuffle=False). Keras scales each replica's loss by the number of replicas itself;
its per-epoch "loss" is the mean over the epoch's examples, which equals the mean of the step
losses when every batch is full."""


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    x, y, global_batch_size, epochs, num_replicas = _checked_arguments(
        build_model, x, y, global_batch_size, epochs, num_replicas
    )
    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration()] * num_replicas
        )
    except RuntimeError:
        pass
    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    if len(devices) < num_replicas:
        raise RuntimeError(f"num_replicas={num_replicas} but only {len(devices)} logical CPU(s)")
    strategy = tf.distribute.MirroredStrategy(devices[:num_replicas])
    with strategy.scope():
        model = build_model()
    history = model.fit(x, y, batch_size=global_batch_size, epochs=epochs, shuffle=False, verbose=0)
    return [float(value) for value in history.history["loss"]]
