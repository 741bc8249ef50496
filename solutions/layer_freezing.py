"""Kata: freezing layers, transfer learning and fine-tuning.

Transfer learning reuses a network trained on one task (the *base*) as a feature extractor for
another: a new *head* is put on top of the base, the base is frozen, and only the head is trained.
Once the head has learned something, *fine-tuning* unfreezes the top layers of the base and trains
on with a much smaller learning rate.

What Keras 3 does with `layer.trainable`:

- Setting it sets it on every sublayer too (recursively): `model.trainable = True` makes the whole
  model trainable, `inner_model.trainable = False` freezes everything inside `inner_model`.
- A frozen layer's weights are in `model.non_trainable_weights`; the optimizer never sees them.
- BatchNormalization is special: when frozen it also runs in *inference mode*, using (and no longer
  updating) its moving mean and variance, even when the model is called with `training=True`.
  Its moving statistics are non-trainable weights in any case: they change by assignment during
  training-mode calls, not by gradients. So "no weight changes" must include them.
- `compile()` captures the trainable flags: after changing them, compile again.
- A trap of Keras on the TensorFlow backend: an attribute assignment that does not change the
  value is skipped (`KerasAutoTrackable.__setattr__` short-circuits `self.x = self.x`). So
  `layer.trainable = True` on a layer that is already trainable does *not* reach the frozen
  sublayers inside it. Flip the flag to the other value first, then set the one you want.

The Keras transfer-learning guide also calls the base with `training=False` when building the
model, meaning to keep its BatchNormalization layers in inference mode even after they are
unfrozen for fine-tuning. In Keras 3 that flag only holds while the outer model is called without
one: `fit` (or `model(x, training=True)`) passes `training=True` down to every layer of a
functional model and overrides it (keras-team/keras#20285). So what keeps a frozen base's
statistics fixed is `trainable = False`, and unfrozen BatchNormalization layers do update their
statistics while fine-tuning (freeze them again if that is not wanted).
"""

import keras
import numpy as np


def _check_model(value, name):
    if not isinstance(value, keras.Model):
        raise TypeError(f"{name} must be a keras.Model, not {type(value).__name__}")


def _check_count(value, name, upper):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int in [0, {upper}], not {type(value).__name__}")
    if not 0 <= value <= upper:
        raise ValueError(f"{name} must be in [0, {upper}] (the number of layers), got {value}")
    return int(value)


def _size(variable):
    return int(np.prod(variable.shape))


def _set_trainable(layer, value):
    """layer.trainable = value, for the layer and everything inside it, whatever its flag was."""
    layer.trainable = not value  # an assignment that changes nothing would be skipped
    layer.trainable = value


def freeze(model, num_layers):
    """Freeze the first `num_layers` entries of `model.layers`, make all the others trainable.

    In place; returns `model`. Layers after the first `num_layers` become trainable again even if
    they (or layers nested inside them, or the model itself) were frozen before. For a functional
    model, `model.layers` starts with its InputLayer. `num_layers` outside [0, len(model.layers)]
    is a ValueError naming it (a non-int a TypeError); `model` must be a keras.Model.
    """
    _check_model(model, "model")
    num_layers = _check_count(num_layers, "num_layers", len(model.layers))
    _set_trainable(model, True)  # every layer and sublayer trainable again
    for layer in model.layers[:num_layers]:
        layer.trainable = False  # recursively freezes nested models too
    return model


def trainable_counts(model):
    """(trainable, non-trainable) parameter counts, as Python ints, exactly as Keras counts them.

    Counts the entries of the variables in `model.trainable_weights` and
    `model.non_trainable_weights` (so nested models and BatchNormalization moving statistics are
    handled the way Keras handles them; `model.summary()` prints the same numbers). A model that
    is not built yet has no weights to count: ValueError naming model.
    """
    _check_model(model, "model")
    if not model.built:
        raise ValueError("model is not built yet: call it on data or give it an Input first")
    trainable = sum(_size(v) for v in model.trainable_weights)
    non_trainable = sum(_size(v) for v in model.non_trainable_weights)
    return trainable, non_trainable


def build_transfer_model(base, num_classes, freeze_base=True, dropout=0.5):
    """A classifier made of `base` and a new head:

        base (called with training=False, as the Keras guide does) -> GlobalAveragePooling2D
        (Flatten when base's output is not a 4-D feature map) -> Dense(256, ReLU) ->
        Dropout(dropout) -> Dense(num_classes, softmax)

    The model's input has base's input shape and uses `base` itself (its weights, not a copy).
    With `freeze_base` the base is frozen (`base.trainable = False`): only the head trains, and no
    weight of base changes in training, BatchNormalization moving statistics included (a frozen
    BatchNormalization runs in inference mode). Without it the base, and everything inside it, is
    made trainable, even if it was frozen before. The head's layers may sit in the model directly
    or in a nested model of their own.
    Not compiled. `base` must be a keras.Model with a known input shape; `num_classes` a positive
    int; `dropout` a rate in [0, 1) (each a ValueError or TypeError naming the argument).
    """
    _check_model(base, "base")
    if not base.built or not base.inputs:
        raise ValueError(
            "base must be a built model with a known input (e.g. start with keras.Input)"
        )
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive int, got {num_classes!r}")
    if not isinstance(freeze_base, bool):
        raise TypeError(f"freeze_base must be True or False, not {freeze_base!r}")
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}")

    _set_trainable(base, not freeze_base)
    inputs = keras.Input(shape=base.inputs[0].shape[1:])
    features = base(inputs, training=False)
    if len(features.shape) == 4:
        x = keras.layers.GlobalAveragePooling2D()(features)
    else:
        x = keras.layers.Flatten()(features)
    x = keras.layers.Dense(256, activation="relu")(x)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"{base.name}_transfer")


def _contains(model, layer):
    for child in getattr(model, "layers", []):
        if child is layer or _contains(child, layer):
            return True
    return False


def fine_tune(model, base, num_unfrozen, learning_rate):
    """Unfreeze the last `num_unfrozen` layers of `base` (inside `model`) and recompile `model`.

    The other layers of `base` stay (or become) frozen; `num_unfrozen=0` unfreezes nothing; the
    head stays trainable and no weight changes. The trainable flags only take effect after
    `compile()`, so the model is recompiled: same loss, metrics and optimizer class (with its
    settings, e.g. SGD's momentum) as before, with the optimizer's learning rate set to
    `learning_rate` (fine-tuning uses a small one, e.g. 1e-5). Returns `model`.

    `model` must already be compiled (its loss is kept); `base` must be a layer of `model`;
    `num_unfrozen` must lie in [0, len(base.layers)]; `learning_rate` must be positive. Each is a
    ValueError (TypeError for a wrong kind of object) naming the argument.
    """
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

    # Recompile with everything compile() was given, but a fresh optimizer of the same kind.
    config = keras.saving.deserialize_keras_object(model.get_compile_config())
    old = model.optimizer
    config["optimizer"] = type(old).from_config(
        {**old.get_config(), "learning_rate": learning_rate}
    )
    config["loss"] = model.loss
    model.compile(**config)
    return model
