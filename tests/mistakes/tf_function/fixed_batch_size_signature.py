"""Writes the input signature with the first batch size it expects (32) instead of None: any
other batch size is refused.

Rejected by: test_step_is_traced_once_for_all_batch_sizes, test_compiled_step_computes_what_the_eager_step_computes
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
    x_spec = tf.TensorSpec(shape=[32, *model.inputs[0].shape[1:]], dtype=tf.float32)
    y_spec = tf.TensorSpec(shape=[32, *model.outputs[0].shape[1:]], dtype=tf.float32)
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
