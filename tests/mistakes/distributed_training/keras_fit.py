"""Lets model.fit do the distributed loop: Keras scales each replica's mean loss by
1/num_replicas, so a batch that splits unevenly (3, 3, 2 examples) gets the mean of the replicas'
means, not the mean over the global batch, and its epoch "loss" weights steps by their size.

Rejected by: test_epoch_losses_match_single_device_training
"""


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
    strategy = tf.distribute.MirroredStrategy(
        devices[:num_replicas], cross_device_ops=tf.distribute.ReductionToOneDevice()
    )
    with strategy.scope():
        model = build_model()
    history = model.fit(x, y, batch_size=global_batch_size, epochs=epochs, shuffle=False, verbose=0)
    return [float(value) for value in history.history["loss"]]
