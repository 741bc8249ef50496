"""Sets every flag explicitly and recursively (no reliance on the setter's recursion), counts with
count_params() per variable list via keras.ops, picks the head's first layer from the rank of
base's output shape (before calling base), and recompiles fine-tuning with a fresh optimizer of the same class and settings (from its compile
config), the model's loss and its compiled metrics."""


def _flags(layer, value):
    layer.trainable = not value
    layer.trainable = value
    for sub in getattr(layer, "layers", []):
        _flags(sub, value)


def freeze(model, num_layers):
    if not isinstance(model, keras.Model):
        raise TypeError("model must be a keras.Model")
    n = len(model.layers)
    if not isinstance(num_layers, int) or isinstance(num_layers, bool):
        raise TypeError(f"num_layers must be an int, got {num_layers!r}")
    if num_layers < 0 or num_layers > n:
        raise ValueError(f"num_layers={num_layers} is outside [0, {n}]")
    _flags(model, True)
    for index, layer in enumerate(model.layers):
        _flags(layer, index >= num_layers)
    return model


def trainable_counts(model):
    if not isinstance(model, keras.Model):
        raise TypeError("model must be a keras.Model")
    if not model.built:
        raise ValueError("model has no weights until it is built")

    def count(variables):
        return int(sum(int(keras.ops.size(v)) for v in variables))

    return count(model.trainable_weights), count(model.non_trainable_weights)


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    if not isinstance(base, keras.Model):
        raise TypeError("base must be a keras.Model")
    if not isinstance(num_classes, int) or num_classes <= 0:
        raise ValueError(f"num_classes must be positive, got {num_classes!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
    _flags(base, not freeze_base)
    inputs = keras.Input(base.input_shape[1:])
    rank = len(base.output_shape)
    to_vector = keras.layers.GlobalAveragePooling2D() if rank == 4 else keras.layers.Flatten()
    x = to_vector(base(inputs, training=False))
    x = keras.layers.Dense(256, activation="relu")(x)
    x = keras.layers.Dropout(dropout)(x)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))


def fine_tune(model, base, num_unfrozen, learning_rate):
    compiled = model.get_compile_config()
    if not compiled:  # empty until compile() is called
        raise ValueError("model must be compiled before it is fine-tuned")
    if not any(layer is base for layer in model.layers):
        raise ValueError("base must be one of model.layers")
    if not isinstance(num_unfrozen, int) or not 0 <= num_unfrozen <= len(base.layers):
        raise ValueError(f"num_unfrozen must be in [0, {len(base.layers)}], got {num_unfrozen!r}")
    if learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    _flags(base, True)
    keep_frozen = len(base.layers) - num_unfrozen
    for layer in base.layers[:keep_frozen]:
        _flags(layer, False)
    optimizer = keras.optimizers.deserialize(compiled["optimizer"])
    optimizer.learning_rate = learning_rate
    model.compile(optimizer=optimizer, loss=model.loss, metrics=compiled["metrics"])
    return model
