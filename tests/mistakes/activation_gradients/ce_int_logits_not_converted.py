"""Converts logits with tf.convert_to_tensor and no float cast: integer logits such as [[0, 0]]
stay int32, which the cross-entropy kernel and the tape refuse.

Rejected by: test_softmax_cross_entropy_grad_converts_integer_logits_to_float32
"""


def softmax_cross_entropy_grad(logits, labels):
    logits = tf.convert_to_tensor(logits)
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss = tf.reduce_mean(per_example)
    return tape.gradient(loss, logits)
