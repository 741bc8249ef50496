"""Does not check that the model has known inputs: an unbuilt Sequential fails with an
AttributeError deep inside Keras instead of a ValueError naming model.

Rejected by: test_make_train_step_rejects_a_model_without_known_input_shape
"""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    x_spec = tf.TensorSpec(shape=[None, *model.inputs[0].shape[1:]], dtype=tf.float32)
    y_spec = tf.TensorSpec(shape=[None, *model.outputs[0].shape[1:]], dtype=tf.float32)
    if not optimizer.built:
        optimizer.build(model.trainable_variables)

    @tf.function(input_signature=[x_spec, y_spec])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    return train_step
