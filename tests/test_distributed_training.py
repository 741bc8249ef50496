"""distributed_training: MirroredStrategy on logical CPU devices, loss averaged over the global batch.

Logical devices can only be created before TensorFlow starts, and TensorFlow is long started in
the test process. So the training runs once, in a fresh interpreter (kata_testing.child_process),
which calls train_mirrored and then trains the same models on one device with the test's own
loop; the tests compare the two. The argument checks run in this process.

Memory: while the child runs, this process does not hold TensorFlow (one process with it, not
two: grading within a 768 MB budget). So nothing here imports TensorFlow or Keras at module level,
the child's tests come first and do not use the `kata` fixture (loading the kata file imports
TensorFlow): the child loads the kata file itself, from `kata_file(request)`."""

import inspect

import numpy as np
import pytest
from kata_testing import assert_close, assert_raises_naming
from kata_testing.child_process import kata_file, run_kata_in_child

# Seconds. The child normally needs 10-20 s (TensorFlow's import included), more on a busy machine
# (e.g. under pytest -n auto); past this it is killed and the tests fail saying so.
CHILD_TIMEOUT = 300

# 35 examples in global batches of 8 on 3 replicas: every full batch splits unevenly (3, 3, 2) and
# the last batch holds 3 examples (1 per replica). An even split hides two wrong scalings: dividing
# by the `global_batch_size` argument instead of the batch's real size, and summing Keras's
# per-replica means (each already scaled by 1/num_replicas), which is the mean of the replicas'
# means, not the mean over the global batch.
CHILD_ARGS = {"examples": 35, "global_batch_size": 8, "epochs": 2, "num_replicas": 3}

# One train_mirrored call per interpreter: with the default all-reduce, a second MirroredStrategy
# in the same process can trip over the first (tensorflow#62790), which is not this kata's topic.
CHILD_SCRIPT = """
def main(kata, args):
    import time

    import keras
    import numpy as np
    import tensorflow as tf

    builds = []  # what build_model saw, for each call made by train_mirrored

    def recorded(builder):
        def build_model():
            strategy = tf.distribute.get_strategy()
            builds.append({
                "has_strategy": tf.distribute.has_strategy(),
                "strategy": type(strategy).__name__,
                "replicas": int(strategy.num_replicas_in_sync),
            })
            return builder()
        return build_model

    class FixedDropout(keras.layers.Layer):
        # Dropout with a fixed mask (the same on every replica): zeroes the first 3 units and
        # rescales the rest in training, identity otherwise. A model called without
        # training=True trains differently.
        def call(self, inputs, training=False):
            if not training:
                return inputs
            keep = np.ones(inputs.shape[-1], np.float32)
            keep[:3] = 0.0
            return inputs * (keep * len(keep) / keep.sum())

    def classifier_model():
        init = keras.initializers.GlorotUniform
        model = keras.Sequential([
            keras.Input((5,)),
            keras.layers.Dense(8, activation="tanh", kernel_initializer=init(1)),
            FixedDropout(),
            keras.layers.Dense(3, kernel_initializer=init(2)),
        ])
        model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        return model

    rng = np.random.default_rng(0)
    n = args["examples"]
    x = rng.normal(size=(n, 5)).astype(np.float32)
    y = np.argmax(x[:, :3] + 0.5 * rng.normal(size=(n, 3)), axis=1).astype(np.int64)
    global_batch_size, epochs = args["global_batch_size"], args["epochs"]

    def single_device(builder, x, y, global_batch_size, epochs):
        # The test's own loop: one device, the same batches, mean loss over each batch.
        model = builder()
        variables = model.trainable_variables
        history = []
        for _ in range(epochs):
            losses = []
            for start in range(0, len(x), global_batch_size):
                xb, yb = x[start:start + global_batch_size], y[start:start + global_batch_size]
                with tf.GradientTape() as tape:
                    loss = model.loss(yb, model(xb, training=True))
                model.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
                losses.append(float(loss))
            history.append(float(np.mean(losses)))
        return history

    started = time.monotonic()
    mirrored = kata.train_mirrored(
        recorded(classifier_model), x, y, global_batch_size, epochs,
        num_replicas=args["num_replicas"],
    )
    seconds = time.monotonic() - started
    return {
        "logical_cpus": len(tf.config.list_logical_devices("CPU")),
        "builds": builds,
        "mirrored": [float(v) for v in mirrored] if isinstance(mirrored, list) else repr(mirrored),
        "not_floats": [
            type(v).__name__ for v in mirrored if not isinstance(v, float)
        ] if isinstance(mirrored, list) else [type(mirrored).__name__],
        "single": single_device(classifier_model, x, y, global_batch_size, epochs),
        "train_mirrored_s": round(seconds, 2),
    }
"""


@pytest.fixture(scope="module")
def child_run(request):
    """The child interpreter's results, computed once per module on first use. Run lazily inside
    a test, so that an error (or an unimplemented stub) fails that test instead of erroring the
    fixture's setup. The kata file is named, not loaded, here (see the module)."""
    kata = kata_file(request)
    cache = {}

    def get():
        if "error" in cache:
            raise cache["error"]
        if "result" not in cache:
            try:
                cache["result"] = run_kata_in_child(
                    kata, CHILD_SCRIPT, args=CHILD_ARGS, timeout=CHILD_TIMEOUT
                )
            except Exception as exc:  # a failure, or a kata file that cannot load: once
                cache["error"] = exc
                raise
        return cache["result"]

    return get


def test_train_mirrored_builds_the_model_under_mirrored_strategy_with_num_replicas(
    child_run, record_property
):
    """build_model is called inside a MirroredStrategy scope with num_replicas (3) replicas in
    sync, on (at least) 3 logical CPU devices that train_mirrored created."""
    result = child_run()
    record_property("child_wall_time_s", round(result.wall_time, 2))
    data = result.data
    replicas = CHILD_ARGS["num_replicas"]
    assert data["logical_cpus"] >= replicas, (
        f"after train_mirrored(.., num_replicas={replicas}) TensorFlow has {data['logical_cpus']} logical CPU "
        f"device(s); expected {replicas} (tf.config.set_logical_device_configuration before TF starts)"
    )
    assert data["builds"], "train_mirrored never called build_model"
    for build in data["builds"]:
        assert build["has_strategy"] and build["strategy"] == "MirroredStrategy", (
            f"build_model was called under {build['strategy']} (in a strategy scope: "
            f"{build['has_strategy']}); expected inside MirroredStrategy.scope()"
        )
        assert build["replicas"] == replicas, (
            f"build_model saw a MirroredStrategy with {build['replicas']} replica(s); "
            f"expected num_replicas={replicas}"
        )


def test_epoch_losses_match_single_device_training(child_run, record_property):
    """On 3 replicas the per-epoch losses equal those of the same model trained on one device with
    the whole global batch, in training mode (35 examples, global batches of 8 with a last one of
    3, 2 epochs, SGD with momentum, sparse cross-entropy from logits): each step's loss is the mean
    over the examples of that global batch, and an epoch's loss is the mean of its steps' losses."""
    result = child_run()
    data = result.data
    record_property("child_wall_time_s", round(result.wall_time, 2))
    record_property("train_mirrored_s", data["train_mirrored_s"])
    args = CHILD_ARGS
    epochs, n = args["epochs"], args["examples"]
    call = (
        f"train_mirrored(<classifier with a training-only layer>, x[{n}, 5], y[{n}], "
        f"{args['global_batch_size']}, {epochs}, num_replicas={args['num_replicas']})"
    )
    assert isinstance(data["mirrored"], list), (
        f"{call} returned {data['mirrored']}; expected a list"
    )
    assert len(data["mirrored"]) == epochs, (
        f"{call} returned {len(data['mirrored'])} values; expected one per epoch ({epochs})"
    )
    # Summing the replicas' gradients adds the same numbers in another order than one device
    # does: a few float32 roundings per step, far below 1e-5 relative after 10 steps (measured
    # ~1e-7). Each wrong scaling changes the losses well beyond that.
    assert_close(
        data["mirrored"],
        data["single"],
        call=call,
        rtol=1e-5,
        atol=1e-6,
        what="single-device training on the same batches",
    )


def test_train_mirrored_returns_python_floats(child_run):
    """The epoch losses come back as a list of Python floats (not tensors)."""
    data = child_run().data
    assert not data["not_floats"], (
        f"train_mirrored returned {data['mirrored']} with values of types {data['not_floats']}; "
        "expected a list of Python floats"
    )


# ------------------------------------------------------------------ in this process


def unused_model():
    raise AssertionError("build_model should not be called: the arguments are wrong")


def tiny_model():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


X, Y = np.zeros((8, 2), np.float32), np.zeros((8, 1), np.float32)


@pytest.mark.parametrize(
    "argument, kwargs",
    [
        ("global_batch_size", dict(global_batch_size=0)),
        ("global_batch_size", dict(global_batch_size=2.5)),
        ("epochs", dict(epochs=0)),
        ("num_replicas", dict(num_replicas=0)),
        ("y", dict(y=np.zeros((7, 1), np.float32))),
        ("y", dict(x=np.zeros((0, 2), np.float32), y=np.zeros((0, 1), np.float32))),
    ],
    ids=["batch_0", "batch_float", "epochs_0", "replicas_0", "y_length", "no_examples"],
)
def test_train_mirrored_rejects_bad_arguments(kata, argument, kwargs):
    """Non-positive sizes and mismatched x, y are a ValueError naming the argument, raised before
    any device is configured or model built."""
    args = {
        "build_model": unused_model,
        "x": X,
        "y": Y,
        "global_batch_size": 4,
        "epochs": 1,
        **kwargs,
    }
    assert_raises_naming(
        ValueError, argument, kata.train_mirrored, **args, call=f"train_mirrored({argument}=<bad>)"
    )


def test_train_mirrored_rejects_a_build_model_that_is_not_callable(kata):
    """build_model must be callable: TypeError naming build_model."""
    assert_raises_naming(TypeError, "build_model", kata.train_mirrored, "mlp", X, Y, 4, 1)


def test_train_mirrored_defaults_to_two_replicas(kata):
    """num_replicas defaults to 2, as the contract's signature says: in this process, which runs
    TensorFlow on one logical CPU, a call without num_replicas is refused, naming num_replicas."""
    default = inspect.signature(kata.train_mirrored).parameters["num_replicas"].default
    assert default == 2, f"train_mirrored's num_replicas defaults to {default!r}; expected 2"
    import tensorflow as tf

    if len(tf.config.list_logical_devices("CPU")) >= 2:
        pytest.skip("this process already has several logical CPUs")
    try:
        result = kata.train_mirrored(tiny_model, X, Y, 4, 1)
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError) as exc:
        assert "num_replicas" in str(exc), (
            f"train_mirrored(..) with 1 logical CPU running raised {type(exc).__name__}({exc}); "
            "its message should name num_replicas"
        )
    else:
        raise AssertionError(
            f"train_mirrored(..) with 1 logical CPU running returned {result!r}; expected an "
            "error naming num_replicas (the default is 2 replicas)"
        )


@pytest.mark.parametrize("examples", [8, 1], ids=["8_examples", "1_example"])
def test_train_mirrored_refuses_when_tensorflow_already_runs_with_too_few_devices(kata, examples):
    """In a process where TensorFlow already runs with k logical CPUs, asking for k + 1 replicas
    cannot be honoured: an error naming num_replicas, not silent training on fewer devices (one
    example is a valid data set: the error is about the devices)."""
    import tensorflow as tf

    running = len(tf.config.list_logical_devices("CPU"))  # this starts the runtime if needed
    call = (
        f"train_mirrored(<{examples} example(s)>, .., num_replicas={running + 1}) with {running} "
        "logical CPU(s) running"
    )
    # Not assert_raises_naming: NotImplementedError is a RuntimeError, and an untouched stub must
    # fail here with its usual message, not pass as "raised a RuntimeError".
    try:
        result = kata.train_mirrored(
            tiny_model, X[:examples], Y[:examples], 4, 1, num_replicas=running + 1
        )
    except NotImplementedError:
        raise
    except (RuntimeError, ValueError) as exc:
        assert "num_replicas" in str(exc), (
            f"{call} raised {type(exc).__name__}({str(exc)!r}); its message should name num_replicas"
        )
    except Exception as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}; expected a RuntimeError or ValueError "
            "naming num_replicas"
        ) from None
    else:
        raise AssertionError(
            f"{call} returned {result!r}; expected an error naming num_replicas, not training on "
            "fewer devices"
        )
