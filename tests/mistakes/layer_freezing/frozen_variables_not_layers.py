"""Freezes the base by marking its trainable variables non-trainable (v.trainable = False) instead
of the layers: the optimizer leaves them alone, but BatchNormalization is still a trainable layer,
runs in training mode and keeps updating its moving statistics.

Rejected by: test_frozen_base_does_not_change_in_training_batchnorm_included
"""


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    _check_model(base, "base")
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}")
    if freeze_base:
        for variable in base.trainable_variables:
            variable.trainable = False
    inputs = keras.Input(shape=base.inputs[0].shape[1:])
    x = keras.layers.GlobalAveragePooling2D()(base(inputs))
    x = keras.layers.Dense(256, activation="relu")(x)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
