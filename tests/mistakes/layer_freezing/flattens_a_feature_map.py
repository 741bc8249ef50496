"""Always flattens base's output, even a 4-D feature map that should be globally average-pooled:
Dense(256) then reads height·width·channels features instead of the channels.

Rejected by: test_transfer_model_head, test_transfer_model_parameter_counts
"""


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    _check_model(base, "base")
    if not base.built or not base.inputs:
        raise ValueError(
            "base must be a built model with a known input (e.g. start with keras.Input)"
        )
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
    if not isinstance(freeze_base, bool):
        raise TypeError(f"freeze_base must be True or False, not {freeze_base!r}")
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}")

    _set_trainable(base, not freeze_base)
    inputs = keras.Input(shape=base.inputs[0].shape[1:])
    features = base(inputs, training=False)
    x = keras.layers.Flatten()(features)
    x = keras.layers.Dense(256, activation="relu")(x)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"{base.name}_transfer")
