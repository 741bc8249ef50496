# Kata layer_freezing: fill in every function below, then run `kata check layer_freezing`.
# Stuck? `kata hint layer_freezing` gives hints, from a nudge to nearly the answer.

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


def freeze(model, num_layers):
    """Freeze the first `num_layers` entries of `model.layers`, make all the others trainable.

    In place; returns `model`. Layers after the first `num_layers` become trainable again even if
    they (or layers nested inside them, or the model itself) were frozen before. For a functional
    model, `model.layers` starts with its InputLayer. `num_layers` outside [0, len(model.layers)]
    is a ValueError naming it (a non-int a TypeError); `model` must be a keras.Model.
    """
    raise NotImplementedError("freeze: your code here (`kata hint layer_freezing`)")


def trainable_counts(model):
    """(trainable, non-trainable) parameter counts, as Python ints, exactly as Keras counts them.

    Counts the entries of the variables in `model.trainable_weights` and
    `model.non_trainable_weights` (so nested models and BatchNormalization moving statistics are
    handled the way Keras handles them; `model.summary()` prints the same numbers). A model that
    is not built yet has no weights to count: ValueError naming model.
    """
    raise NotImplementedError("trainable_counts: your code here (`kata hint layer_freezing`)")


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
    raise NotImplementedError("build_transfer_model: your code here (`kata hint layer_freezing`)")


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
    raise NotImplementedError("fine_tune: your code here (`kata hint layer_freezing`)")
