"""Counts parameters by the top-level layers' trainable flags (layer.count_params() of trainable
layers): BatchNorm moving statistics count as trainable, and a partly frozen nested model is
counted as a whole.

Rejected by: test_trainable_counts_equal_keras_counts_for_nested_models, test_trainable_counts_worked_example
"""


def trainable_counts(model):
    _check_model(model, "model")
    if not model.built:
        raise ValueError("model is not built yet")
    trainable = sum(layer.count_params() for layer in model.layers if layer.trainable)
    non_trainable = sum(layer.count_params() for layer in model.layers if not layer.trainable)
    return trainable, non_trainable
