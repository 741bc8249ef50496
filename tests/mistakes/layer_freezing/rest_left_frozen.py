"""Only freezes the first num_layers and never makes the others trainable again: layers frozen by
an earlier call (or a frozen model) stay frozen."""


def freeze(model, num_layers):
    _check_model(model, "model")
    num_layers = _check_count(num_layers, "num_layers", len(model.layers))
    for layer in model.layers[:num_layers]:
        layer.trainable = False
    return model
