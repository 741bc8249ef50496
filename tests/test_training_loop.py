"""training_loop: train_step, fit and evaluate_accuracy by hand, checked against Keras's fit."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf
from kata_testing import assert_close, assert_raises_naming, assert_tensor

# Eager Keras (run_eagerly=True) runs the same float32 ops as the kata's loop; the tolerance only
# covers a different summation order in the fused kernels (a few float32 ulps).
RTOL, ATOL = 1e-5, 1e-6


def _data(n=12, d=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype(np.float32)
    y = rng.integers(0, classes, size=n).astype(np.int32)
    return x, y


def _model(kind="plain", d=4, classes=3):
    """A small classifier producing logits; `kind` adds what a faithful train step must handle."""
    regularizer = keras.regularizers.L2(0.05) if kind == "batchnorm_and_l2" else None
    layers = [
        keras.Input((d,)),
        keras.layers.Dense(5, activation="tanh", kernel_regularizer=regularizer),
    ]
    if kind == "batchnorm_and_l2":
        layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Dense(classes))
    model = keras.Sequential(layers)
    if kind == "frozen_first_layer":
        model.layers[0].trainable = False
    return model


def _twin(model):
    """An identical copy: same architecture, trainable flags and weights, separate variables."""
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())
    return twin


def _loss():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def _assert_same_weights(model, reference, call, what):
    for ours, theirs in zip(model.weights, reference.weights, strict=True):
        assert_close(
            ours.numpy(),
            theirs.numpy(),
            call=f"{call}: {ours.path}",
            rtol=RTOL,
            atol=ATOL,
            what=what,
        )


OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=0.1),
    "adam": lambda: keras.optimizers.Adam(learning_rate=0.01),
}

# ------------------------------------------------------------------ train_step


@pytest.mark.parametrize(
    "kind, optimizer",
    [
        ("plain", "sgd"),
        ("batchnorm_and_l2", "sgd"),
        ("frozen_first_layer", "sgd"),
        ("batchnorm_and_l2", "adam"),
    ],
)
def test_train_step_is_one_step_of_keras_fit(kata, kind, optimizer):
    """From the same weights, train_step makes the very update one model.fit step makes (training
    mode, regularization losses, frozen layers, BatchNorm statistics) and returns the loss fit
    reports for it."""
    x, y = _data()
    model = _model(kind)
    reference = _twin(model)
    reference.compile(optimizer=OPTIMIZERS[optimizer](), loss=_loss(), run_eagerly=True)
    history = reference.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)

    call = (
        f"train_step(<{kind} model>, {optimizer}, SparseCategoricalCrossentropy, x[12, 4], y[12])"
    )
    loss = kata.train_step(model, OPTIMIZERS[optimizer](), _loss(), tf.constant(x), tf.constant(y))
    assert_tensor(loss, call=call, shape=())
    assert_close(
        loss, history.history["loss"][0], call=call, rtol=RTOL, atol=ATOL, what="fit's loss"
    )
    _assert_same_weights(model, reference, call, "the weights after one model.fit step")


def test_train_step_never_moves_a_frozen_layer(kata):
    """Only model.trainable_variables are stepped: a frozen layer's weights stay exactly as they
    were, while the trainable layer's move."""
    x, y = _data()
    model = _model("frozen_first_layer")
    frozen = [w.numpy() for w in model.layers[0].weights]
    trainable = [w.numpy() for w in model.layers[1].weights]
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    for _ in range(3):
        kata.train_step(model, optimizer, _loss(), x, y)
    for before, after in zip(frozen, model.layers[0].weights, strict=True):
        assert np.array_equal(before, after.numpy()), (
            f"train_step moved {after.path} of a frozen layer (trainable=False): step only "
            "model.trainable_variables"
        )
    assert any(
        not np.array_equal(before, after.numpy())
        for before, after in zip(trainable, model.layers[1].weights, strict=True)
    ), "after 3 train_steps the trainable layer has not moved at all"


def test_train_step_returns_the_loss_before_the_update(kata):
    """The loss returned is the one the gradient was taken of: computed before the update (and
    different from the loss after it)."""
    x, y = _data()
    model = _model()
    before = float(_loss()(y, model(x, training=True)))
    loss = kata.train_step(model, keras.optimizers.SGD(learning_rate=0.5), _loss(), x, y)
    after = float(_loss()(y, model(x, training=True)))
    call = "train_step(model, SGD(0.5), loss_fn, x, y)"
    assert_tensor(loss, call=call, shape=())
    assert_close(
        loss,
        before,
        call=call,
        rtol=RTOL,
        atol=ATOL,
        what=f"the loss before the step (after: {after:.6f})",
    )


def test_train_step_worked_example(kata):
    """y = w·x with w = 1, x = [[1], [2]], y = [[2], [4]], MSE, SGD(0.1): loss (1 + 4) / 2 = 2.5,
    dL/dw = mean(2·(wx − y)·x) = −5, so w becomes 1 + 0.1·5 = 1.5."""
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
    )
    call = "train_step(y = w·x with w = 1, SGD(0.1), MSE, [[1], [2]], [[2], [4]])"
    loss = kata.train_step(
        model,
        keras.optimizers.SGD(learning_rate=0.1),
        keras.losses.MeanSquaredError(),
        tf.constant([[1.0], [2.0]]),
        tf.constant([[2.0], [4.0]]),
    )
    assert_close(loss, 2.5, call=call, what="the loss before the step")
    assert_close(model.layers[0].kernel.numpy(), [[1.5]], call=call + ": w after the step")


class TrainingRecorder(keras.layers.Layer):
    """An identity layer that records the `training` argument of every call (at trace time too,
    so a train_step wrapped in tf.function is observed as well)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


def _recording_model():
    recorder = TrainingRecorder()
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(5), recorder, keras.layers.Dense(3)]
    )
    recorder.seen.clear()
    return model, recorder


def test_train_step_calls_the_model_in_training_mode(kata):
    """train_step calls the model with training=True (Dropout drops, BatchNorm uses the batch's
    statistics), as model.fit does."""
    x, y = _data()
    model, recorder = _recording_model()
    kata.train_step(model, keras.optimizers.SGD(learning_rate=0.1), _loss(), x, y)
    assert recorder.seen and all(flag is True for flag in recorder.seen), (
        f"train_step(model, SGD, loss_fn, x, y) called the model's layers with training="
        f"{recorder.seen}; expected training=True: call model(x, training=True)"
    )


class Pinball(keras.losses.Loss):
    """The quantile (pinball) loss at τ = 0.9: under-predicting costs 9 times more than
    over-predicting, so loss(y, pred) and loss(pred, y) differ."""

    def call(self, y_true, y_pred):
        error = tf.cast(y_true, y_pred.dtype) - y_pred
        return tf.reduce_mean(tf.maximum(0.9 * error, -0.1 * error), axis=-1)


def test_train_step_passes_labels_first_to_an_asymmetric_loss(kata):
    """loss_fn is called as loss_fn(y, predictions): with the asymmetric pinball loss, the step
    and its loss are fit's (swapped arguments give another loss and another update)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 4)).astype(np.float32)
    y = rng.normal(size=(10, 1)).astype(np.float32) + 1.0
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    reference = _twin(model)
    reference.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.5), loss=Pinball(), run_eagerly=True
    )
    history = reference.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    call = "train_step(Dense(1), SGD(0.5), Pinball(τ=0.9), x[10, 4], y[10, 1])"
    loss = kata.train_step(model, keras.optimizers.SGD(learning_rate=0.5), Pinball(), x, y)
    assert_close(
        loss,
        history.history["loss"][0],
        call=call,
        rtol=RTOL,
        atol=ATOL,
        what="fit's loss, loss_fn(y, predictions)",
    )
    _assert_same_weights(model, reference, call, "the weights after one model.fit step")


# ------------------------------------------------------------------ fit


def _batches(x, y, batch_size):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size)


def test_fit_equals_keras_fit_on_equal_batches(kata):
    """With equal-sized batches, fit's per-epoch losses and final weights are model.fit's."""
    x, y = _data(n=12)
    model = _model("batchnorm_and_l2")
    reference = _twin(model)
    reference.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=_loss(), run_eagerly=True
    )
    expected = reference.fit(_batches(x, y, 4), epochs=3, shuffle=False, verbose=0).history["loss"]
    call = "fit(model, <12 examples in batches of 4>, SGD(0.1), loss_fn, epochs=3)"
    losses = kata.fit(model, _batches(x, y, 4), keras.optimizers.SGD(learning_rate=0.1), _loss(), 3)
    assert isinstance(losses, list) and len(losses) == 3, (
        f"{call} returned {losses!r}; expected a list of 3 floats"
    )
    assert_close(
        losses, expected, call=call, rtol=RTOL, atol=ATOL, what="model.fit's history['loss']"
    )
    _assert_same_weights(model, reference, call, "the weights after model.fit")


def test_fit_reports_the_plain_mean_of_batch_losses(kata):
    """Each epoch's number is the mean of its batch losses (a short last batch counts as one
    batch), each loss taken before its step, as Keras's train_on_batch reports them."""
    x, y = _data(n=10)
    model = _model()
    reference = _twin(model)
    reference.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.2), loss=_loss(), run_eagerly=True
    )
    expected = []
    for _ in range(2):
        batch_losses = [reference.train_on_batch(xb, yb) for xb, yb in _batches(x, y, 4)]
        expected.append(np.mean(batch_losses))
    call = "fit(model, <10 examples in batches of 4, 4, 2>, SGD(0.2), loss_fn, epochs=2)"
    optimizer = keras.optimizers.SGD(learning_rate=0.2)
    losses = kata.fit(model, _batches(x, y, 4), optimizer, _loss(), 2)
    steps = int(optimizer.iterations.numpy())
    assert steps == 6, (
        f"{call} made {steps} optimizer steps; expected 6, one per batch (the short last one too)"
    )
    assert isinstance(losses, list) and all(type(v) is float for v in losses), (
        f"{call} returned {losses!r}; expected a list of Python floats"
    )
    assert_close(
        losses, expected, call=call, rtol=RTOL, atol=ATOL, what="mean of train_on_batch losses"
    )


def _separable(n=40, seed=0):
    """Two well separated clouds in 2-D, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(scale=0.5, size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)
    return x.astype(np.float32), y.astype(np.int32)


def test_fit_learns_separable_data(kata):
    """On two separated clouds, full-batch gradient descent lowers the loss every epoch and ends
    with every example classified right."""
    x, y = _separable()
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    dataset = _batches(x, y, len(x))
    losses = kata.fit(model, dataset, keras.optimizers.SGD(learning_rate=0.5), _loss(), 8)
    call = (
        "fit(logistic regression, <two separated clouds, one batch>, SGD(0.5), loss_fn, epochs=8)"
    )
    assert len(losses) == 8, f"{call} returned {len(losses)} losses; expected one per epoch, 8"
    assert all(b < a for a, b in itertools.pairwise(losses)), (
        f"{call} returned {losses}: the loss should fall every epoch"
    )
    accuracy = keras.metrics.SparseCategoricalAccuracy()(y, model(x))
    assert float(accuracy) == 1.0, (
        f"after {call} the model classifies only {float(accuracy):.0%} right"
    )


@pytest.mark.parametrize("epochs", [0, -1])
def test_fit_rejects_epochs_below_one(kata, epochs):
    """epochs must be at least 1: ValueError naming epochs."""
    x, y = _data()
    assert_raises_naming(
        ValueError,
        "epochs",
        kata.fit,
        _model(),
        _batches(x, y, 4),
        keras.optimizers.SGD(learning_rate=0.1),
        _loss(),
        epochs,
        call=f"fit(model, dataset, SGD, loss_fn, epochs={epochs})",
    )


def test_fit_rejects_an_empty_dataset(kata):
    """A dataset without batches has no mean loss: ValueError naming dataset, not NaN."""
    x, y = _data()
    assert_raises_naming(
        ValueError,
        "dataset",
        kata.fit,
        _model(),
        _batches(x[:0], y[:0], 4),
        keras.optimizers.SGD(learning_rate=0.1),
        _loss(),
        1,
        call="fit(model, <empty dataset>, SGD, loss_fn, epochs=1)",
    )


# ------------------------------------------------------------------ evaluate_accuracy


@pytest.mark.parametrize("column", [False, True], ids=["labels_B", "labels_B1"])
def test_evaluate_accuracy_equals_keras_metric(kata, column):
    """The share of right argmax predictions over all examples (uneven batches, labels [B] or
    [B, 1]), in inference mode (Dropout off): Keras's SparseCategoricalAccuracy on predict()."""
    x, y = _data(n=30, classes=4)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dropout(0.9),
            keras.layers.Dense(4),
        ]
    )
    labels = y.reshape(-1, 1) if column else y
    expected = keras.metrics.SparseCategoricalAccuracy()(labels, model.predict(x, verbose=0))
    call = f"evaluate_accuracy(model with Dropout(0.9), <30 examples in batches of 8, labels {labels.shape[1:]}>)"
    result = kata.evaluate_accuracy(model, _batches(x, labels, 8))
    assert isinstance(result, float), (
        f"{call} returned {type(result).__name__}; expected a Python float"
    )
    assert_close(
        result,
        expected,
        call=call,
        rtol=1e-6,
        atol=1e-6,
        what="keras.metrics.SparseCategoricalAccuracy",
    )


def test_evaluate_accuracy_calls_the_model_in_inference_mode(kata):
    """evaluate_accuracy never calls the model with training=True (Dropout off, BatchNorm on its
    moving statistics)."""
    x, y = _data()
    model, recorder = _recording_model()
    kata.evaluate_accuracy(model, _batches(x, y, 5))
    assert recorder.seen and not any(recorder.seen), (
        f"evaluate_accuracy(model, dataset) called the model's layers with training="
        f"{recorder.seen}; expected training=False"
    )


def test_evaluate_accuracy_counts_examples_not_batches(kata):
    """Hits are counted over all examples: with batches of 3 and 1, a right last example weighs
    1/4, not 1/2 (the mean of per-batch accuracies)."""
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(2, use_bias=False, kernel_initializer="identity")]
    )
    x = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], np.float32)  # predicts classes 0, 0, 0, 1
    y = np.array([1, 1, 1, 1], np.int32)  # only the last example is right
    result = kata.evaluate_accuracy(model, _batches(x, y, 3))
    assert_close(
        result, 0.25, call="evaluate_accuracy(identity model, <4 examples in batches of 3, 1>)"
    )


def test_evaluate_accuracy_rejects_an_empty_dataset(kata):
    """No examples, no accuracy: ValueError naming dataset, not a division by zero."""
    x, y = _data()
    assert_raises_naming(
        ValueError,
        "dataset",
        kata.evaluate_accuracy,
        _model(),
        _batches(x[:0], y[:0], 4),
        call="evaluate_accuracy(model, <empty dataset>)",
    )
