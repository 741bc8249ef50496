"""Has the right input signature but lets a fresh optimizer create its slot variables during the
first call: tf.function then traces the step twice.

Rejected by: test_step_is_traced_once_even_with_a_fresh_optimizer
"""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    if not getattr(model, "inputs", None):
        raise ValueError("model must have a known input shape")
    x_spec = tf.TensorSpec(shape=[None, *model.inputs[0].shape[1:]], dtype=tf.float32)
    y_spec = tf.TensorSpec(shape=[None, *model.outputs[0].shape[1:]], dtype=tf.float32)

    @tf.function(input_signature=[x_spec, y_spec])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return train_step
