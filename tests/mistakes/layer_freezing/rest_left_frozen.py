"""Only freezes the first num_layers and never makes the others trainable again: layers frozen by
an earlier call (or a frozen model) stay frozen.

Rejected by: test_freeze_makes_exactly_the_first_layers_non_trainable, test_freeze_worked_example_and_both_ends
"""


def freeze(model, num_layers):
    _check_model(model, "model")
    num_layers = _check_count(num_layers, "num_layers", len(model.layers))
    for layer in model.layers[:num_layers]:
        layer.trainable = False
    return model
