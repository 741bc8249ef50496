"""Returns a Python closure that converts its arguments and then calls the tf.function: the
result is not a tf.function (no tracing count, no concrete functions).

Rejected by: test_make_train_step_returns_a_tf_function
"""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    try:
        known = bool(model.inputs and model.outputs)
    except (AttributeError, ValueError):
        known = False
    if not known:
        raise ValueError("model must be built from a keras.Input")
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

    return lambda x, y: train_step(
        tf.convert_to_tensor(x, tf.float32), tf.convert_to_tensor(y, tf.float32)
    )
