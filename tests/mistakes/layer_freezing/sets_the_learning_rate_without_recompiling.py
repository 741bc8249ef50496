"""Sets the optimizer's learning rate in place instead of recompiling: after an earlier fit, the
next fit reuses the train step built for the frozen base, so the unfrozen layers never train.

Rejected by: test_fine_tune_recompiles_with_the_learning_rate_and_keeps_the_loss
"""


def fine_tune(model, base, num_unfrozen, learning_rate):
    _check_model(model, "model")
    _check_model(base, "base")
    if not _contains(model, base):
        raise ValueError("base is not one of model's layers")
    num_unfrozen = _check_count(num_unfrozen, "num_unfrozen", len(base.layers))
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)):
        raise TypeError(f"learning_rate must be a number, not {type(learning_rate).__name__}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    if not model.compiled:
        raise ValueError("model must be compiled before fine_tune (its loss is kept)")

    _set_trainable(base, True)
    first_unfrozen = len(base.layers) - num_unfrozen  # not base.layers[:-num_unfrozen]: -0 == 0
    for layer in base.layers[:first_unfrozen]:
        layer.trainable = False

    model.optimizer.learning_rate = learning_rate
    return model
