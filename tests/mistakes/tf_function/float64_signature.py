"""Writes the input signature with float64 TensorSpecs: NumPy float32 batches are converted and
pass, but a tf.float32 tensor (what tf.data yields) cannot be cast and is refused.

Rejected by: test_step_takes_float32_tensors_and_tf_data_batches
"""

import keras
import tensorflow as tf


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):
        inputs = outputs = None
    if not inputs or not outputs or len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            "model must have one known input and one output (build it from a keras.Input) so that "
            "the step's input signature can be written down"
        )

    x_spec = tf.TensorSpec(shape=[None, *inputs[0].shape[1:]], dtype=tf.float64)
    y_spec = tf.TensorSpec(shape=[None, *outputs[0].shape[1:]], dtype=tf.float64)
    if not optimizer.built:
        optimizer.build(model.trainable_variables)  # create the slots now, not during a trace

    @tf.function(input_signature=[x_spec, y_spec])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return train_step
