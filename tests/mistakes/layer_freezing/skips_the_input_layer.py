"""Skips the InputLayer when counting layers to freeze: on a functional model, whose model.layers
starts with its InputLayer, it freezes one real layer too many.

Rejected by: test_freeze_counts_the_input_layer_of_a_functional_model
"""


def freeze(model, num_layers):
    _check_model(model, "model")
    num_layers = _check_count(num_layers, "num_layers", len(model.layers))
    _set_trainable(model, True)  # every layer and sublayer trainable again
    real = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    for layer in real[:num_layers]:
        layer.trainable = False  # recursively freezes nested models too
    return model
