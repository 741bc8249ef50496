"""Changes the trainable flags but does not recompile: the optimizer keeps its old learning rate
(and compile() never sees the new flags).

Rejected by: test_fine_tune_recompiles_with_the_learning_rate_and_keeps_the_loss
"""


def fine_tune(model, base, num_unfrozen, learning_rate):
    _check_model(model, "model")
    _check_model(base, "base")
    if not _contains(model, base):
        raise ValueError("base is not one of model's layers")
    num_unfrozen = _check_count(num_unfrozen, "num_unfrozen", len(base.layers))
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    _set_trainable(base, True)
    for layer in base.layers[: len(base.layers) - num_unfrozen]:
        layer.trainable = False
    return model
