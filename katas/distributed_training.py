# Kata distributed_training: fill in every function below, then run `kata check distributed_training`.
# Stuck? `kata hint distributed_training` gives hints, from a nudge to nearly the answer.

"""Kata: data-parallel training with tf.distribute.MirroredStrategy.

`MirroredStrategy` keeps one copy (*replica*) of the model on each device. Every step, the global
batch is split between the replicas; each computes the loss and gradients on its share; the
gradients are **summed** across replicas (an all-reduce) and every copy applies the same update,
so the copies stay identical. Done right, this is the same computation as training on one device
with the whole batch, just spread out.

Four things to get right:

1. Devices. Without GPUs you can still split the one physical CPU into several *logical*
   devices with `tf.config.set_logical_device_configuration`, but only before TensorFlow's
   runtime starts (the first op, or even `tf.config.list_logical_devices`, starts it; afterwards
   the call raises RuntimeError).
2. Variables. Everything that creates variables (the model, the optimizer) must be created inside
   `with strategy.scope():`, so that they are mirrored.
3. The loss scale. Because gradients are summed across replicas, each replica must compute
   sum(its per-example losses) / (number of examples in the global batch). Taking the usual mean
   over the replica's own examples (or dividing by the per-replica batch size) makes the summed
   gradient num_replicas times too large, and the reported loss too if the replica losses are
   summed. `tf.nn.compute_average_loss(per_example_loss, global_batch_size=n)` does this
   division; `n` is the size of the batch at hand, which for the last, shorter batch is not
   the `global_batch_size` you batched with.
   A Keras loss object with its default reduction knows about strategies: under one, it returns
   its replica's mean already divided by num_replicas. Summed over the replicas that is the mean
   of the replicas' means, which is the global batch's mean only when the batch splits evenly
   (8 examples on 3 replicas split 3, 3, 2). Use its per-example values (`loss.call`) instead.
4. The training flag. Call the model with `training=True` in the step, as `fit` does: Dropout
   and BatchNormalization behave differently in training.

The replica function runs under `strategy.run(fn, args=...)` inside a `tf.function`;
`strategy.reduce(SUM, per_replica_values, axis=None)` adds the replicas' partial losses into the
loss of the global batch.
"""

import keras
import numpy as np
import tensorflow as tf


def train_mirrored(build_model, x, y, global_batch_size, epochs, num_replicas=2):
    """Train under MirroredStrategy on `num_replicas` logical CPU devices; return the epoch losses.

    `build_model()` must return a *compiled* keras.Model: its optimizer and its loss (a
    keras.losses.Loss, or a loss name or function giving per-example values) are used. It is
    called inside `strategy.scope()`. Training goes through (x, y) in order, without shuffling, in
    global batches of `global_batch_size` (the last may be smaller), for `epochs` epochs. Each
    batch is split across the replicas; each replica's loss is the sum of its per-example losses
    divided by the number of examples in the *global* batch, so that summing the replicas'
    gradients gives exactly the gradient of the global batch's mean loss. One optimizer step per
    global batch.

    Returns one float per epoch: the mean over the epoch's steps of the global-batch loss (each
    computed before its update). These match training the same model on one device, on the same
    batches, from the same initial weights.

    The logical devices are created here, which is only possible before TensorFlow's runtime has
    started: with fewer logical CPUs than `num_replicas` already running, RuntimeError naming
    num_replicas. `build_model` not callable: TypeError; x and y of different lengths (or empty):
    ValueError naming y; `global_batch_size`, `epochs`, `num_replicas` not positive ints:
    ValueError naming them.
    """
    raise NotImplementedError("train_mirrored: your code here (`kata hint distributed_training`)")
