"""Backend-neutral keras.ops: the rank fix by reshaping, and from logits the loss
logsumexp(z) − z[label] with keras.ops.logsumexp (it subtracts the maximum internally)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.cast(y_true, y_pred.dtype)
        if len(y_true.shape) + 1 == len(y_pred.shape) and y_pred.shape[-1] == 1:
            y_true = ops.expand_dims(y_true, -1)
        elif len(y_pred.shape) + 1 == len(y_true.shape) and y_true.shape[-1] == 1:
            y_pred = ops.expand_dims(y_pred, -1)
        return ops.mean((y_pred - y_true) ** 2, axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = ops.convert_to_tensor(y_pred)
    if not keras.backend.is_float_dtype(y_pred.dtype):
        y_pred = ops.cast(y_pred, "float32")
    if len(y_pred.shape) != 2:
        raise ValueError(f"y_pred must be [B, C], got {tuple(y_pred.shape)}")
    labels = ops.convert_to_numpy(y_true).reshape(-1).astype("int64")
    if len(labels) != y_pred.shape[0]:
        raise ValueError("y_true and y_pred disagree on the batch size")
    if len(labels) and (labels.min() < 0 or labels.max() >= y_pred.shape[1]):
        raise ValueError(f"y_true has a class id outside [0, {y_pred.shape[1]})")
    picked = ops.take_along_axis(y_pred, ops.expand_dims(labels, -1), axis=-1)[:, 0]
    if from_logits:
        return ops.logsumexp(y_pred, axis=-1) - picked
    eps = keras.config.epsilon()
    return -ops.log(ops.clip(picked, eps, 1.0 - eps))
