"""Creates MirroredStrategy() with its default devices without configuring logical CPUs: on a
CPU-only machine that is one device, one replica; nothing is distributed."""


def _mirrored_strategy(num_replicas):
    return tf.distribute.MirroredStrategy(cross_device_ops=tf.distribute.ReductionToOneDevice())
