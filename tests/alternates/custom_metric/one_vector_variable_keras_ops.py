"""One state variable of shape (2,) holding [weighted hits, total weight], updated with keras.ops;
labels and weights flattened with reshape instead of squeeze."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.totals = self.add_variable(
            shape=(2,), initializer="zeros", dtype=self.dtype, name="totals"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        if len(y_pred.shape) != 2:
            raise ValueError(f"y_pred: expected [B, C], got {tuple(y_pred.shape)}")
        y_true = ops.reshape(ops.convert_to_tensor(y_true), (-1,))
        if y_true.shape[0] is not None and y_pred.shape[0] is not None:
            if y_true.shape[0] != y_pred.shape[0]:
                raise ValueError("y_true and y_pred have different batch sizes")
        hits = ops.cast(
            ops.equal(ops.cast(y_true, "int64"), ops.argmax(y_pred, axis=-1)), self.dtype
        )
        if sample_weight is None:
            weights = ops.ones_like(hits)
        else:
            weights = ops.reshape(ops.cast(sample_weight, self.dtype), (-1,))
            if weights.shape[0] is not None and weights.shape[0] != hits.shape[0]:
                raise ValueError("sample_weight must have one weight per sample")
        self.totals.assign_add(ops.stack([ops.sum(hits * weights), ops.sum(weights)]))

    def result(self):
        return ops.divide_no_nan(self.totals[0], self.totals[1])

    def reset_state(self):
        self.totals.assign(ops.zeros((2,)))
