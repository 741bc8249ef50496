"""tf_function: a compiled train step that is traced once for every batch size."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from kata_testing import assert_close, assert_raises_naming

FEATURES, OUTPUTS = 3, 2


def small_model(seed=0):
    """Dense -> BatchNormalization -> ReLU -> Dense: BatchNorm makes `training=True` matter.
    (No bias before BatchNorm: its gradient would be pure round-off, which Adam amplifies.)"""
    init = keras.initializers.GlorotUniform
    return keras.Sequential(
        [
            keras.Input((FEATURES,)),
            keras.layers.Dense(8, use_bias=False, kernel_initializer=init(seed)),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Dense(OUTPUTS, kernel_initializer=init(seed + 1)),
        ]
    )


def batch(size, seed, one_hot=False):
    """x [size, FEATURES] and y [size, OUTPUTS]: normal targets, or one-hot labels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 2.0, size=(size, FEATURES)).astype(np.float32)
    y = rng.normal(size=(size, OUTPUTS)).astype(np.float32)
    if one_hot:
        y = np.eye(OUTPUTS, dtype=np.float32)[rng.integers(OUTPUTS, size=size)]
    return x, y


def cross_entropy():
    """An asymmetric loss (labels first, logits second): loss_fn(pred, y) computes another value."""
    return keras.losses.CategoricalCrossentropy(from_logits=True)


class CountingLoss:
    """Mean squared error that counts how often its Python body runs: once per trace when it is
    called inside a tf.function, once per call when run eagerly."""

    def __init__(self):
        self.runs = 0
        self.mse = keras.losses.MeanSquaredError()

    def __call__(self, y_true, y_pred):
        self.runs += 1
        return self.mse(y_true, y_pred)


def used_adam(model):
    """An Adam that already has its slot variables (built for the model's variables)."""
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    optimizer.build(model.trainable_variables)
    return optimizer


def test_make_train_step_returns_a_tf_function(kata):
    """make_train_step returns a compiled function: a tf.types.experimental.PolymorphicFunction."""
    model = small_model()
    step = kata.make_train_step(model, used_adam(model), CountingLoss())
    assert isinstance(step, tf.types.experimental.PolymorphicFunction), (
        f"make_train_step returned {type(step).__name__}; expected a tf.function"
    )


@pytest.mark.parametrize("sizes", [list(range(1, 9)), [8, 8, 3, 1, 5]], ids=["1_to_8", "mixed"])
def test_step_is_traced_once_for_all_batch_sizes(kata, sizes):
    """Calls with batch sizes 1..8 (or any order of sizes) all run one trace: the tracing count
    stays 1 and the loss function's Python body runs only during that trace."""
    model = small_model()
    loss_fn = CountingLoss()
    step = kata.make_train_step(model, used_adam(model), loss_fn)
    step(*batch(sizes[0], seed=0))
    runs_after_first = loss_fn.runs
    for i, size in enumerate(sizes[1:], start=1):
        step(*batch(size, seed=i))
    traces = step.experimental_get_tracing_count()
    assert traces == 1, f"batch sizes {sizes}: the step was traced {traces} times; expected once"
    assert loss_fn.runs == runs_after_first, (
        f"batch sizes {sizes}: the loss function's Python code ran {loss_fn.runs - runs_after_first} "
        "more times after the first call; a compiled step runs it only while tracing"
    )


def test_step_is_traced_once_even_with_a_fresh_optimizer(kata):
    """With a brand-new Adam (no slot variables yet) the step is still traced once: a first call
    that creates variables makes tf.function trace twice, so the optimizer is built beforehand."""
    model = small_model()
    step = kata.make_train_step(model, keras.optimizers.Adam(learning_rate=0.01), CountingLoss())
    for size in (4, 1, 6):
        step(*batch(size, seed=size))
    traces = step.experimental_get_tracing_count()
    assert traces == 1, f"with a fresh Adam the step was traced {traces} times; expected once"


def eager_reference(model, optimizer, loss_fn, batches):
    """The test's own eager step on each batch: loss before the update, then one Adam step."""
    losses = []
    for x, y in batches:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        losses.append(float(loss))
    return losses


def test_compiled_step_computes_what_the_eager_step_computes(kata):
    """On batches of sizes 5, 1, 3, 8 the compiled step returns the same losses (before each
    update) as an eager step on a copy of the model, and leaves the same weights, BatchNorm
    moving statistics included, with MSE and with cross-entropy (loss_fn(y_true, y_pred))."""
    sizes = [5, 1, 3, 8]
    for make_loss, one_hot in ((keras.losses.MeanSquaredError, False), (cross_entropy, True)):
        batches = [batch(size, seed=10 + i, one_hot=one_hot) for i, size in enumerate(sizes)]
        _check_against_eager(kata, make_loss, batches, sizes)


def _check_against_eager(kata, make_loss, batches, sizes):
    compiled_model, eager_model = small_model(), small_model()
    eager_model.set_weights(compiled_model.get_weights())
    step = kata.make_train_step(
        compiled_model, keras.optimizers.Adam(learning_rate=0.05), make_loss()
    )
    got = [float(step(x, y)) for x, y in batches]
    expected = eager_reference(
        eager_model, keras.optimizers.Adam(learning_rate=0.05), make_loss(), batches
    )
    loss_name = type(make_loss()).__name__
    # graph and eager run the same float32 ops; the grappler optimizer may reorder a few sums.
    assert_close(
        got,
        expected,
        call=f"compiled step with {loss_name} on batch sizes {sizes}",
        rtol=1e-5,
        atol=1e-6,
        what="eager losses",
    )
    for compiled_var, eager_var in zip(compiled_model.weights, eager_model.weights, strict=True):
        assert_close(
            compiled_var.numpy(),
            eager_var.numpy(),
            call=f"after 4 compiled steps with {loss_name}: {compiled_var.path}",
            rtol=1e-5,
            atol=1e-6,
            what="eager weights",
        )


def test_step_returns_the_scalar_loss_before_the_update(kata):
    """step(x, y) returns a float32 scalar tensor equal to loss_fn(y, model(x, training=True))
    (labels first: cross-entropy is not symmetric) evaluated before the step's update."""
    model = small_model(seed=3)
    x, y = batch(6, seed=3, one_hot=True)
    loss_fn = cross_entropy()
    # BatchNorm in training mode uses the batch's own statistics, so this is the first loss.
    expected = float(loss_fn(y, model(x, training=True)))
    loss = kata.make_train_step(model, used_adam(model), loss_fn)(x, y)
    assert isinstance(loss, tf.Tensor) and loss.shape == () and loss.dtype == tf.float32, (
        f"step(x, y) returned {loss!r}; expected a float32 scalar tensor"
    )
    assert_close(loss, expected, call="step(x[6, 3], y[6, 2])", what="the loss before the update")


def test_repeated_steps_reduce_the_loss(kata):
    """Thirty compiled steps on one batch reduce its loss: the updates really are applied."""
    model = small_model(seed=4)
    x, y = batch(16, seed=4)
    step = kata.make_train_step(
        model, keras.optimizers.Adam(learning_rate=0.05), keras.losses.MeanSquaredError()
    )
    losses = [float(step(x, y)) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0], (
        f"losses went from {losses[0]:.4f} to {losses[-1]:.4f} in 30 steps"
    )


def test_step_takes_float32_tensors_and_tf_data_batches(kata):
    """The step takes tf.float32 tensors (what a tf.data pipeline yields), not only NumPy arrays:
    one epoch over a batched tf.data.Dataset (batches of 4, a last one of 2) runs one trace and
    gives the eager step's losses."""
    x, y = batch(10, seed=21)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    compiled_model, eager_model = small_model(seed=5), small_model(seed=5)
    step = kata.make_train_step(
        compiled_model, keras.optimizers.Adam(learning_rate=0.05), keras.losses.MeanSquaredError()
    )
    call = "step(x, y) over tf.data.Dataset.from_tensor_slices((x[10, 3], y[10, 2])).batch(4)"
    got = []
    for x_batch, y_batch in dataset:
        try:
            got.append(float(step(x_batch, y_batch)))
        except (TypeError, ValueError) as error:
            raise AssertionError(
                f"{call}: the tf.float32 batch {x_batch.shape} was refused ({str(error).split(' Received args')[0]}); the "
                "input signature's TensorSpecs must be float32"
            ) from None
    step(tf.constant(x[:3]), tf.constant(y[:3]))
    traces = step.experimental_get_tracing_count()
    assert traces == 1, f"{call}, then tf.constant batches: traced {traces} times; expected once"
    batches = [(xb.numpy(), yb.numpy()) for xb, yb in dataset]
    expected = eager_reference(
        eager_model,
        keras.optimizers.Adam(learning_rate=0.05),
        keras.losses.MeanSquaredError(),
        batches,
    )
    assert_close(got, expected, call=call, rtol=1e-5, atol=1e-6, what="eager losses")


class _Subclassed(keras.Model):
    """A subclassed model: in Keras 3 it has no model.inputs / model.outputs, even once called."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(OUTPUTS)

    def call(self, x):
        return self.dense(x)


def _called(model):
    model(np.zeros((2, FEATURES), np.float32))
    return model


@pytest.mark.parametrize(
    "make_model",
    [
        lambda: keras.Sequential([keras.layers.Dense(2)]),
        lambda: _Subclassed(),
        lambda: _called(_Subclassed()),
    ],
    ids=["sequential_never_built", "subclassed", "subclassed_called"],
)
def test_make_train_step_rejects_a_model_without_known_input_shape(kata, make_model):
    """A model with no known input and output (model.inputs / model.outputs): a Sequential
    without keras.Input never built nor called, or a subclassed model (called or not) cannot
    give the step an input signature: ValueError naming model."""
    model = make_model()
    kind = "subclassed model" if isinstance(model, _Subclassed) else "unbuilt Sequential"
    assert_raises_naming(
        ValueError,
        "model",
        kata.make_train_step,
        model,
        keras.optimizers.SGD(),
        keras.losses.MeanSquaredError(),
        call=f"make_train_step(<{kind} without model.inputs>, SGD(), MSE())",
    )


@pytest.mark.parametrize("how", ["called", "built"])
def test_a_sequential_built_by_a_call_or_build_has_known_shapes(kata, how):
    """A Sequential without keras.Input knows its shapes once it has been called on a batch (or
    built with model.build((None, 3))): the step works and is traced once for every batch size."""
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
    if how == "called":
        _called(model)
    else:
        model.build((None, FEATURES))
    step = kata.make_train_step(model, used_adam(model), keras.losses.MeanSquaredError())
    for size in (1, 4, 7):
        step(*batch(size, seed=size))
    traces = step.experimental_get_tracing_count()
    assert traces == 1, (
        f"a Sequential {how} before make_train_step: batch sizes 1, 4, 7 were traced {traces} "
        "times; expected once"
    )


@pytest.mark.parametrize("argument", ["model", "optimizer", "loss_fn"])
def test_make_train_step_rejects_wrong_kinds_of_objects(kata, argument):
    """model must be a keras.Model, optimizer a keras optimizer, loss_fn callable: TypeError."""
    args = {
        "model": small_model(),
        "optimizer": keras.optimizers.SGD(),
        "loss_fn": keras.losses.MeanSquaredError(),
    }
    args[argument] = {"model": "mlp", "optimizer": "adam", "loss_fn": 0.5}[argument]
    assert_raises_naming(
        TypeError,
        argument,
        kata.make_train_step,
        **args,
        call=f"make_train_step({argument}=<wrong>)",
    )
