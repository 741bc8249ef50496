"""Freezes base.layers[:-num_unfrozen]: with num_unfrozen = 0 that slice is empty (-0 == 0), so
every layer of the base is unfrozen instead of none.

Rejected by: test_fine_tune_unfreezes_exactly_the_last_layers
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
    for layer in base.layers[:-num_unfrozen]:
        layer.trainable = False
    optimizer = type(model.optimizer).from_config(
        {**model.optimizer.get_config(), "learning_rate": learning_rate}
    )
    model.compile(optimizer=optimizer, loss=model.loss)
    return model
