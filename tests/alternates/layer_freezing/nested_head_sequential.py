"""Packs the head in a nested keras.Sequential (pooling, Dense(256, ReLU), Dropout, softmax Dense)
called on the base's output, and fine-tunes by rebuilding the optimizer from its config and
recompiling with the compile config's loss and metrics."""


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    if not isinstance(base, keras.Model):
        raise TypeError(f"base must be a keras.Model, got {type(base).__name__}")
    if not base.inputs:
        raise ValueError("base needs a known input shape")
    if type(num_classes) is not int or num_classes <= 0:
        raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
    if type(freeze_base) is not bool:
        raise TypeError(f"freeze_base must be a bool, got {freeze_base!r}")
    if type(dropout) not in (int, float) or not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    for value in (freeze_base, not freeze_base):  # the second assignment always reaches sublayers
        base.trainable = value
    features = base(keras.Input(base.inputs[0].shape[1:]), training=False)
    pooling = (
        keras.layers.GlobalAveragePooling2D()
        if len(features.shape) == 4
        else keras.layers.Flatten()
    )
    head = keras.Sequential(
        [
            pooling,
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="head",
    )
    inputs = keras.Input(base.inputs[0].shape[1:])
    return keras.Model(inputs, head(base(inputs, training=False)))


def fine_tune(model, base, num_unfrozen, learning_rate):
    if not isinstance(model, keras.Model) or not isinstance(base, keras.Model):
        raise TypeError("model and base must be keras models")
    if base not in model._flatten_layers(include_self=False):
        raise ValueError("base must be a layer of model")
    if type(num_unfrozen) is not int or not 0 <= num_unfrozen <= len(base.layers):
        raise ValueError(f"num_unfrozen must be in [0, {len(base.layers)}], got {num_unfrozen!r}")
    if type(learning_rate) not in (int, float) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if not model.compiled or model.optimizer is None:  # uncompiled: no optimizer attribute
        raise ValueError("model must be compiled first")
    base.trainable = False
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = index >= len(base.layers) - num_unfrozen
    settings = model.get_compile_config()
    optimizer_config = model.optimizer.get_config()
    optimizer_config["learning_rate"] = learning_rate
    model.compile(
        optimizer=model.optimizer.__class__.from_config(optimizer_config),
        loss=model.loss,
        metrics=settings.get("metrics"),
        weighted_metrics=settings.get("weighted_metrics"),
    )
    return model
