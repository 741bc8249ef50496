"""Creates MirroredStrategy() with its default devices without configuring logical CPUs: on a
CPU-only machine that is one device, one replica; nothing is distributed.

Rejected by: test_train_mirrored_builds_the_model_under_mirrored_strategy_with_num_replicas
"""


def _mirrored_strategy(num_replicas):
    return tf.distribute.MirroredStrategy(cross_device_ops=tf.distribute.ReductionToOneDevice())
