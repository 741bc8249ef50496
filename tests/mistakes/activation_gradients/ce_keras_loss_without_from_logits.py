"""Uses keras.losses.SparseCategoricalCrossentropy() with its default from_logits=False: the logits
are taken for probabilities, so the gradient is not softmax − onehot.

Rejected by: test_softmax_cross_entropy_grad_is_softmax_minus_onehot_over_batch, test_softmax_cross_entropy_grad_matches_keras_loss
"""

import keras


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = keras.losses.SparseCategoricalCrossentropy(dtype=logits.dtype.name)(labels, logits)
    return tape.gradient(loss, logits)
