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


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _logical_cpus(num_replicas):
    """Names of `num_replicas` logical CPU devices, creating them if TensorFlow has not started."""
    cpus = tf.config.list_physical_devices("CPU")
    try:
        tf.config.set_logical_device_configuration(
            cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(num_replicas)]
        )
    except RuntimeError:
        pass  # the runtime has started: the logical devices it has are all there will be
    logical = tf.config.list_logical_devices("CPU")
    if len(logical) < num_replicas:
        raise RuntimeError(
            f"num_replicas={num_replicas} needs {num_replicas} logical CPU devices, but TensorFlow "
            f"is already running with {len(logical)}; call train_mirrored (or "
            "tf.config.set_logical_device_configuration) before TensorFlow runs any operation"
        )
    return [device.name for device in logical[:num_replicas]]


def _per_example_loss(loss):
    """A function (y_true, y_pred) -> per-example losses [B] for a compiled model's loss."""
    if isinstance(loss, keras.losses.Loss):
        return loss.call  # the loss before its reduction to a mean
    if isinstance(loss, str) or callable(loss):
        return keras.losses.get(loss)  # e.g. "mse" -> keras.losses.mean_squared_error, per example
    raise ValueError(f"the model returned by build_model has no usable loss: {loss!r}")


def _checked_arguments(build_model, x, y, global_batch_size, epochs, num_replicas):
    if not callable(build_model):
        raise TypeError(
            f"build_model must be a callable returning a compiled model, not {build_model!r}"
        )
    x, y = np.asarray(x), np.asarray(y)
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(
            f"x and y must hold the same number of examples (≥ 1), got {len(x)} and {len(y)} in y"
        )
    return (
        x,
        y,
        _positive_int(global_batch_size, "global_batch_size"),
        _positive_int(epochs, "epochs"),
        _positive_int(num_replicas, "num_replicas"),
    )


def _mirrored_strategy(num_replicas):
    # Reduce through one device: the default collective all-reduce numbers its operations per
    # strategy object, and a second MirroredStrategy in the same process can collide with the
    # first one's ("Shape mismatch in the collective instance", tensorflow#62790). On CPU-only
    # logical devices this is also the faster choice.
    return tf.distribute.MirroredStrategy(
        devices=_logical_cpus(num_replicas),
        cross_device_ops=tf.distribute.ReductionToOneDevice(),
    )


def _build_in_scope(strategy, build_model):
    """The compiled model from build_model(), its variables and optimizer slots mirrored."""
    with strategy.scope():
        model = build_model()
        if not isinstance(model, keras.Model) or model.optimizer is None:
            raise ValueError("build_model must return a compiled keras.Model (optimizer and loss)")
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
    return model


def _epoch_losses(distributed_step, distributed_dataset, epochs):
    """Per epoch, the mean of the steps' global-batch losses, as Python floats."""
    history = []
    for _ in range(epochs):
        step_losses = [float(distributed_step(batch)) for batch in distributed_dataset]
        history.append(float(np.mean(step_losses)))
    return history


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
        # The global batch's size: the sum of every replica's share (the last batch may be short).
        global_size = context.all_reduce(tf.distribute.ReduceOp.SUM, tf.shape(x_part)[0])
        with tf.GradientTape() as tape:
            losses = per_example_loss(y_part, model(x_part, training=True))
            loss = tf.nn.compute_average_loss(losses, global_batch_size=global_size)
        variables = model.trainable_variables
        # Inside strategy.run, apply_gradients sums the gradients of all replicas first.
        model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    @tf.function
    def distributed_step(batch):
        partial_losses = strategy.run(replica_step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, partial_losses, axis=None)

    return _epoch_losses(distributed_step, distributed, epochs)
