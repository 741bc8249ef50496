"""Does not check the labels: TensorFlow raises its own InvalidArgumentError (or, on some devices,
returns NaN) instead of a ValueError naming labels.

Rejected by: test_softmax_cross_entropy_grad_rejects_bad_input
"""


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    labels = tf.convert_to_tensor(labels)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss = tf.reduce_mean(per_example)
    return tape.gradient(loss, logits)
