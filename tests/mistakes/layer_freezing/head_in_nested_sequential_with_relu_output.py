"""Packs the head in a nested Sequential (fine) but gives the last Dense a ReLU instead of a
softmax: the outputs are not class probabilities.

Rejected by: test_transfer_model_head, test_transfer_model_outputs_class_probabilities
"""


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    _check_model(base, "base")
    if not base.built or not base.inputs:
        raise ValueError("base must be a built model with a known input")
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}")
    _set_trainable(base, not freeze_base)
    inputs = keras.Input(shape=base.inputs[0].shape[1:])
    x = base(inputs, training=False)
    head = keras.Sequential(
        [
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(num_classes, activation="relu"),
        ]
    )
    outputs = head(x)
    return keras.Model(inputs, outputs)
