"""cnn: the classic MNIST CNN, checked layer by layer, against a Keras reference built in the test,
on odd input sizes, and by fitting a small synthetic data set."""

import math

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming
from kata_testing.models import copy_weights_by_shape, randomize_weights

SHAPE_LAYERS = (
    keras.layers.Conv2D,
    keras.layers.MaxPooling2D,
    keras.layers.Flatten,
    keras.layers.Dense,
)


def _reference_cnn(input_shape, num_classes, dense_units):
    """The architecture spelled out with Keras layers, independently of the kata."""
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Conv2D(32, (5, 5), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=(2, 2)),
            keras.layers.Conv2D(64, (5, 5), padding="same", activation="relu"),
            keras.layers.MaxPooling2D((2, 2), strides=(2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dense(dense_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )


def _expected_counts(input_shape, num_classes, dense_units):
    """Parameter counts with the pooled sides rounded down (Keras's default "valid" pooling) and
    rounded up ("same" pooling); either way of pooling an odd side is accepted."""
    height, width, channels = input_shape
    convs = (5 * 5 * channels * 32 + 32) + (5 * 5 * 32 * 64 + 64)
    head = dense_units * num_classes + num_classes
    counts = set()
    for rounding in (math.floor, math.ceil):
        h = rounding(rounding(height / 2) / 2)
        w = rounding(rounding(width / 2) / 2)
        counts.add(convs + h * w * 64 * dense_units + dense_units + head)
    return counts


def _layer_outputs(model, x):
    """[(layer, output)] running the model's layers one by one on x (InputLayers skipped)."""
    if not isinstance(model, keras.Model):
        raise AssertionError(f"build_cnn returned {type(model).__name__}; expected a keras.Model")
    outputs = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        x = layer(x)
        outputs.append((layer, x))
    return outputs


def test_intermediate_shapes_of_the_classic_cnn(kata):
    """On [B, 28, 28, 1] the layers output 28×28×32, 14×14×32, 14×14×64, 7×7×64, 3136, 1024, 10.

    conv → pool → conv → pool → flatten → dense → dense, each with a leading batch axis B.
    """
    model = kata.build_cnn()
    batch = 2
    x = np.random.default_rng(0).random((batch, 28, 28, 1)).astype("float32")
    outputs = _layer_outputs(model, x)
    got = [
        (type(ly).__name__, list(out.shape)) for ly, out in outputs if isinstance(ly, SHAPE_LAYERS)
    ]
    expected = [
        ("Conv2D", [batch, 28, 28, 32]),
        ("MaxPooling2D", [batch, 14, 14, 32]),
        ("Conv2D", [batch, 14, 14, 64]),
        ("MaxPooling2D", [batch, 7, 7, 64]),
        ("Flatten", [batch, 7 * 7 * 64]),
        ("Dense", [batch, 1024]),
        ("Dense", [batch, 10]),
    ]
    if got != expected:
        raise AssertionError(
            "build_cnn(): the conv, pool, flatten and dense layers output\n  "
            + "\n  ".join(f"{n}: {s}" for n, s in got)
            + "\nexpected\n  "
            + "\n  ".join(f"{n}: {s}" for n, s in expected)
        )
    final = model(x)
    if list(final.shape) != [batch, 10]:
        raise AssertionError(
            f"build_cnn()(x[2, 28, 28, 1]) has shape {list(final.shape)}; expected [2, 10]"
        )


def _pair(value) -> str:
    return "x".join(str(v) for v in (value if isinstance(value, tuple | list) else (value, value)))


def _activation_step(layer) -> list[str]:
    name = getattr(layer.activation, "__name__", repr(layer.activation))
    return [] if name == "linear" else [name]


def _steps(model) -> list[str]:
    """What the model's layers compute, in Keras's order (nested models opened): convolutions
    and poolings with their settings, "flatten", dense layers, and activations as steps of their
    own (a Dense's or Conv2D's activation, or an Activation / ReLU / Softmax layer); any other
    layer by its class name."""
    steps: list[str] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Model):
            steps += _steps(layer)
        elif isinstance(layer, keras.layers.Conv2D):
            steps.append(
                f"conv({layer.filters}, {_pair(layer.kernel_size)}, {layer.padding}, "
                f"stride {_pair(layer.strides)})"
            )
            steps += _activation_step(layer)
        elif isinstance(layer, keras.layers.MaxPooling2D):  # either padding rounds odd sides
            steps.append(f"maxpool({_pair(layer.pool_size)}, stride {_pair(layer.strides)})")
        elif isinstance(layer, keras.layers.Flatten) or (
            isinstance(layer, keras.layers.Reshape) and len(layer.target_shape) == 1
        ):
            steps.append("flatten")
        elif isinstance(layer, keras.layers.Dense):
            steps.append(f"dense({layer.units})")
            steps += _activation_step(layer)
        elif isinstance(layer, keras.layers.Activation):
            steps += _activation_step(layer)
        elif isinstance(layer, keras.layers.ReLU):
            steps.append("relu")
        elif isinstance(layer, keras.layers.Softmax):
            steps.append("softmax")
        else:
            steps.append(type(layer).__name__)
    return steps


def test_holds_exactly_the_layers_the_docstring_lists(kata):
    """conv(32, 5×5, same) → ReLU → max-pool 2 → conv(64, 5×5, same) → ReLU → max-pool 2 →
    flatten → Dense(dense_units) → ReLU → Dense(num_classes) → softmax, and nothing else (no
    Dropout, no normalization)."""
    steps = _steps(kata.build_cnn((16, 16, 1), 10, 32))
    pool = "maxpool(2x2, stride 2x2)"
    expected = [
        "conv(32, 5x5, same, stride 1x1)",
        "relu",
        pool,
        "conv(64, 5x5, same, stride 1x1)",
        "relu",
        pool,
        "flatten",
        "dense(32)",
        "relu",
        "dense(10)",
        "softmax",
    ]
    if steps != expected:
        raise AssertionError(
            "build_cnn((16, 16, 1), 10, 32) computes\n  "
            + "\n  → ".join(steps)
            + "\nthe docstring lists\n  "
            + "\n  → ".join(expected)
        )


def test_computes_the_same_in_training_and_inference(kata):
    """Nothing random or batch-dependent: model(x, training=True) equals model(x) (a Dropout or
    a BatchNormalization the docstring does not list would change it)."""
    model = kata.build_cnn((12, 12, 1), 4, 16)
    x = np.random.default_rng(3).normal(size=(4, 12, 12, 1)).astype("float32")
    assert_close(
        model(x, training=True),
        model(x, training=False),
        call="build_cnn((12, 12, 1), 4, 16)(x, training=True)",
        rtol=1e-6,
        atol=1e-6,
        what="the same model in inference mode",
    )


def test_default_model_holds_3_274_634_parameters(kata):
    """With the defaults (28×28×1 inputs) the model holds 3,274,634 parameters, as Keras's own
    layers do.

    832 + 51,264 + 3,212,288 + 10,250.
    """
    model = kata.build_cnn()
    input_shape = tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None
    if input_shape != (None, 28, 28, 1):
        raise AssertionError(
            f"build_cnn() takes inputs of shape {input_shape}; expected (None, 28, 28, 1)"
        )
    count = model.count_params()
    reference = _reference_cnn((28, 28, 1), 10, 1024).count_params()
    for expected, what in ((3_274_634, "the classic count"), (reference, "Keras's own layers")):
        if count != expected:
            raise AssertionError(
                f"build_cnn().count_params() is {count}; expected {expected} ({what})"
            )


@pytest.mark.parametrize(
    "input_shape, num_classes, dense_units",
    [((12, 12, 1), 5, 16), ((8, 16, 3), 4, 24)],
    ids=["12x12x1", "8x16x3"],
)
def test_computes_what_the_keras_reference_computes(kata, input_shape, num_classes, dense_units):
    """Given the same weights, the model computes what the architecture built from Keras layers does.

    ReLU convolutions with "same" padding, max-pooling, a ReLU dense layer, softmax.
    """
    model = kata.build_cnn(input_shape, num_classes, dense_units)
    reference = _reference_cnn(input_shape, num_classes, dense_units)
    randomize_weights(reference, seed=1, scale=0.2)
    copy_weights_by_shape(
        reference, model, who=f"build_cnn{(input_shape, num_classes, dense_units)}"
    )
    x = np.random.default_rng(2).normal(size=(3, *input_shape)).astype("float32")
    # The same float32 convolutions and matmuls: agreement to rounding.
    assert_close(
        model(x),
        reference(x),
        call=f"build_cnn{(input_shape, num_classes, dense_units)} on x[3, {input_shape}]",
        rtol=1e-5,
        atol=1e-6,
        what="the Keras reference's output",
    )


# Each example builds a small CNN (~50-200 ms): ten examples cover odd and even sides.
@settings(max_examples=10)
@given(
    height=st.integers(4, 33),
    width=st.integers(4, 33),
    channels=st.integers(1, 3),
    num_classes=st.integers(2, 6),
    dense_units=st.integers(4, 32),
)
def test_odd_input_sides_still_work(kata, height, width, channels, num_classes, dense_units):
    """Sides that are not multiples of 4 still give a working model with probability rows.

    Output [B, num_classes]; the parameter count is the architecture's (pooled sides rounded
    down, or up).
    """
    input_shape = (height, width, channels)
    call = f"build_cnn({input_shape}, {num_classes}, {dense_units})"
    model = kata.build_cnn(input_shape, num_classes, dense_units)
    x = np.random.default_rng(height * width).random((2, *input_shape)).astype("float32")
    probs = keras.ops.convert_to_numpy(model(x))
    if probs.shape != (2, num_classes):
        raise AssertionError(f"{call} on x[2, ...] returned shape {list(probs.shape)}")
    assert_close(probs.sum(axis=-1), np.ones(2), call=f"{call}: row sums", what="1 per row")
    if probs.min() < 0:
        raise AssertionError(f"{call} returned negative probabilities: {probs.min()}")
    expected = _expected_counts(input_shape, num_classes, dense_units)
    if model.count_params() not in expected:
        raise AssertionError(
            f"{call}.count_params() is {model.count_params()}; expected one of {sorted(expected)}"
        )


def test_odd_sides_example_30x15(kata):
    """A 30 × 15 image (neither side a multiple of 4) gives [B, 10] probabilities."""
    model = kata.build_cnn((30, 15, 1), 10, 32)
    out = model(np.ones((1, 30, 15, 1), "float32"))
    assert tuple(out.shape) == (1, 10), (
        f"build_cnn((30, 15, 1), 10, 32) output shape {list(out.shape)}"
    )
    assert_close(keras.ops.sum(out), 1.0, call="sum of build_cnn((30, 15, 1), 10, 32)'s output")


class _StopWhenPerfect(keras.callbacks.Callback):
    """Stops training once the model classifies every training example correctly."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y
        self.accuracies = []

    def on_epoch_end(self, epoch, logs=None):
        predicted = np.argmax(keras.ops.convert_to_numpy(self.model(self.x)), axis=-1)
        self.accuracies.append(float(np.mean(predicted == self.y)))
        if self.accuracies[-1] == 1.0:
            self.model.stop_training = True


def test_fits_64_synthetic_examples_perfectly(kata):
    """The CNN fits 64 synthetic 28×28 images to 100% training accuracy within 12 epochs.

    Adam, 10 noisy class templates, dense_units=64 for speed.
    """
    rng = np.random.default_rng(0)
    model = kata.build_cnn((28, 28, 1), 10, 64)
    templates = rng.normal(size=(10, 28, 28, 1))
    y = rng.permutation(np.arange(64) % 10)
    x = (templates[y] + 0.5 * rng.normal(size=(64, 28, 28, 1))).astype("float32")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
    )
    # The reference gets there in 3-5 epochs across seeds; 12 leaves a margin for other
    # initialization orders, and training stops as soon as every example is right.
    monitor = _StopWhenPerfect(x, y)
    history = model.fit(x, y, batch_size=16, epochs=12, verbose=0, callbacks=[monitor])
    losses = [round(v, 3) for v in history.history["loss"]]
    accuracies = [round(a, 2) for a in monitor.accuracies]
    assert monitor.accuracies and monitor.accuracies[-1] == 1.0, (
        f"after {len(losses)} epochs the CNN classifies {accuracies[-1]:.0%} of its 64 training "
        f"images correctly; expected 100% (accuracy per epoch {accuracies}, loss {losses})"
    )


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"num_classes": 0}, "num_classes"),
        ({"dense_units": -8}, "dense_units"),
        ({"dense_units": 2.5}, "dense_units"),
        ({"input_shape": (28, 28)}, "input_shape"),
        ({"input_shape": (28, 0, 1)}, "input_shape"),
        ({"input_shape": (3, 8, 1)}, "input_shape"),
        ({"input_shape": (8, 3, 1)}, "input_shape"),
    ],
    ids=[
        "zero_classes",
        "negative_units",
        "float_units",
        "rank_2_shape",
        "zero_side",
        "height_3",
        "width_3",
    ],
)
def test_rejects_bad_arguments(kata, kwargs, argument):
    """A bad size, or an input_shape that is not (height, width, channels) with sides of at least
    4 (two 2×2 poolings must leave something), is a ValueError naming it."""
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    assert_raises_naming(ValueError, argument, kata.build_cnn, **kwargs, call=f"build_cnn({args})")
