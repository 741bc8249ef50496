"""Recompiles with type(model.optimizer)(learning_rate=learning_rate): the same class, but its other
settings (SGD's momentum, ...) go back to their defaults.

Rejected by: test_fine_tune_keeps_the_optimizer_class_and_the_metrics
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
    config = model.get_compile_config()
    model.compile(
        optimizer=type(model.optimizer)(learning_rate=learning_rate),
        loss=model.loss,
        metrics=config.get("metrics"),
    )
    return model
