"""Does not check that the model is compiled: an uncompiled model fails deep inside with an
AttributeError or TypeError instead of a ValueError naming model.

Rejected by: test_fine_tune_rejects_a_model_that_is_not_compiled
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

    _set_trainable(base, True)
    first_unfrozen = len(base.layers) - num_unfrozen  # not base.layers[:-num_unfrozen]: -0 == 0
    for layer in base.layers[:first_unfrozen]:
        layer.trainable = False

    # Recompile with everything compile() was given, but a fresh optimizer of the same kind.
    config = keras.saving.deserialize_keras_object(model.get_compile_config())
    old = model.optimizer
    config["optimizer"] = type(old).from_config(
        {**old.get_config(), "learning_rate": learning_rate}
    )
    config["loss"] = model.loss
    model.compile(**config)
    return model
