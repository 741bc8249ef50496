"""layer_freezing: freezing layers, counting parameters, a transfer model and fine-tuning."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import assert_close, assert_raises_naming

INPUT_SHAPE = (8, 8, 3)


def size(variable):
    return int(np.prod(variable.shape))


def keras_counts(model):
    """Keras's own counts: entries of model.trainable_weights and model.non_trainable_weights."""
    return (
        sum(size(v) for v in model.trainable_weights),
        sum(size(v) for v in model.non_trainable_weights),
    )


def paths(variables):
    return {v.path for v in variables}


def values(model):
    """{path: a copy of the value} of every weight, trainable or not."""
    return {v.path: np.array(v.numpy(), copy=True) for v in model.weights}


# ------------------------------------------------------------------ models the tests use


def mlp_with_nested_block(seed=0, functional=False):
    """Dense -> BatchNorm -> [nested Sequential: Dense -> BatchNorm -> ReLU] -> Dropout -> Dense,
    BatchNorm both at the top level and inside the nested model. As a Sequential model it has 5
    entries in model.layers; as a functional one 6, the first its InputLayer."""
    init = keras.initializers.GlorotUniform
    block = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, kernel_initializer=init(seed + 1)),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
        ],
        name="block",
    )
    layers = [
        keras.layers.Dense(6, kernel_initializer=init(seed)),
        keras.layers.BatchNormalization(),
        block,
        keras.layers.Dropout(0.1),
        keras.layers.Dense(3, kernel_initializer=init(seed + 2)),
    ]
    if not functional:
        return keras.Sequential([keras.Input((4,)), *layers], name="mlp")
    inputs = x = keras.Input((4,))
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x, name="functional_mlp")


def tiny_conv_base():
    """A small convolutional feature extractor, 6 layers, with BatchNormalization."""
    return keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            keras.layers.Conv2D(4, 3, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.Conv2D(6, 3, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
        ],
        name="base",
    )


def image_data(n=16, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.5, 2.0, size=(n, *INPUT_SHAPE)).astype(np.float32)
    y = rng.integers(0, classes, size=n)
    return x, y


@pytest.fixture(scope="module")
def pretrained_weights():
    """Weights of tiny_conv_base after a short training of its own (a GAP + Dense head, 4 SGD
    steps on random images), so its BatchNorm statistics are no longer the initial 0 and 1."""
    keras.utils.set_random_seed(7)
    base = tiny_conv_base()
    model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.SGD(0.05)
    x, y = image_data(32, seed=7)
    for batch in range(4):  # eager steps: cheaper here than tracing model.fit
        xb, yb = x[batch * 8 : (batch + 1) * 8], y[batch * 8 : (batch + 1) * 8]
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    bn = base.layers[1]
    assert not np.allclose(bn.moving_mean.numpy(), 0.0), (
        "pre-training did not move the BN statistics"
    )
    return base.get_weights()


@pytest.fixture
def pretrained_base(pretrained_weights):
    base = tiny_conv_base()
    base.set_weights(pretrained_weights)
    return base


def head_params(base, num_classes, pooled):
    """Parameters of the head: (pooling or flatten) -> Dense(256) -> Dropout -> Dense(classes)."""
    shape = base.outputs[0].shape[1:]
    features = shape[-1] if pooled else int(np.prod(shape))
    return features * 256 + 256 + 256 * num_classes + num_classes


# ------------------------------------------------------------------ freeze


def all_layers(model):
    """Every layer inside `model`, nested ones included (depth first)."""
    found = []
    for layer in getattr(model, "layers", []):
        found += [layer, *all_layers(layer)]
    return found


def reset_to_trainable(model):
    """Every layer and sublayer trainable, whatever the flags were. (Each layer is set to False and
    then to True: Keras skips an assignment that does not change the value.)"""
    for value in (False, True):
        for layer in [model, *all_layers(model)]:
            layer.trainable = value


@pytest.fixture(scope="module")
def shared_mlps():
    """One mlp_with_nested_block of each kind, {"Sequential": .., "functional": ..}, for the
    property tests below (building one per example would dominate their time); each example resets
    its flags first. Each comes with the weights of each of its model.layers."""
    models = {
        "Sequential": mlp_with_nested_block(),
        "functional": mlp_with_nested_block(functional=True),
    }
    return {
        kind: (model, [paths(layer.trainable_weights) for layer in model.layers])
        for kind, model in models.items()
    }


MLP_LAYERS = {"Sequential": 5, "functional": 6}  # len(model.layers): an InputLayer comes first


@given(
    case=st.sampled_from(sorted(MLP_LAYERS)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.integers(0, MLP_LAYERS[kind]))
    ),
    before=st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_freeze_makes_exactly_the_first_layers_non_trainable(kata, shared_mlps, case, before):
    """Whatever the flags were before (the model's own included), after freeze(model, n) the first
    n entries of model.layers are frozen and the rest trainable, nested sublayers included, for a
    Sequential model and a functional one (whose model.layers starts with its InputLayer);
    model.trainable_weights are exactly the weights of the layers from n on; the same model comes
    back."""
    kind, num_layers = case
    model, natural = shared_mlps[kind]
    count = len(model.layers)
    reset_to_trainable(model)
    for layer, flag in zip(model.layers, before[:count], strict=True):
        layer.trainable = flag
    model.get_layer("block").layers[1].trainable = before[0]  # a BatchNorm inside the block
    model.trainable = before[-1]
    call = f"freeze({kind} model with {count} layers, {num_layers}) (flags before: {before})"
    result = kata.freeze(model, num_layers)
    assert result is model, f"{call} returned {result!r}; expected the same model (in place)"
    flags = [layer.trainable for layer in model.layers]
    expected = [i >= num_layers for i in range(count)]
    assert flags == expected, (
        f"{call}: trainable flags of {[type(layer).__name__ for layer in model.layers]} are "
        f"{flags}; expected {expected}"
    )
    want = set().union(*natural[num_layers:])
    got = paths(model.trainable_weights)
    assert got == want, (
        f"{call}: model.trainable_weights are {sorted(got)}; expected {sorted(want)} (all the "
        "weights of the unfrozen layers, those of nested layers included)"
    )


def test_freeze_counts_the_input_layer_of_a_functional_model(kata):
    """A functional model's model.layers starts with its InputLayer, and freeze counts it like any
    other entry: freeze(m, 2) freezes the InputLayer and the first Dense, nothing else."""
    model = mlp_with_nested_block(functional=True)
    want = set().union(*(paths(layer.trainable_weights) for layer in model.layers[2:]))
    kata.freeze(model, 2)
    names = [type(layer).__name__ for layer in model.layers]
    flags = [layer.trainable for layer in model.layers]
    expected = [False, False, True, True, True, True]
    assert flags == expected, (
        f"freeze(<functional model, layers {names}>, 2): flags {flags}; expected {expected} (the "
        "first 2 entries of model.layers, the InputLayer being the first)"
    )
    got = paths(model.trainable_weights)
    assert got == want, (
        f"freeze(<functional model>, 2): model.trainable_weights are {sorted(got)}; expected "
        f"{sorted(want)} (everything but the first Dense)"
    )


def test_freeze_worked_example_and_both_ends(kata):
    """freeze(m, 2) on 5 layers -> [F, F, T, T, T]; freeze(m, 0) -> all trainable; freeze(m, 5) ->
    none; going back from 5 to 2 unfreezes layers 2 to 4 again."""
    model = mlp_with_nested_block()
    for n, expected in [
        (2, [False, False, True, True, True]),
        (0, [True] * 5),
        (5, [False] * 5),
        (2, [False, False, True, True, True]),
    ]:
        kata.freeze(model, n)
        flags = [layer.trainable for layer in model.layers]
        assert flags == expected, f"freeze(model, {n}): flags {flags}; expected {expected}"
    assert keras_counts(model)[0] > 0, "after freeze(model, 2) the model has no trainable weights"


def test_frozen_weights_do_not_change_in_training(kata):
    """After freeze(model, 2) and a few fit steps, the frozen Dense and BatchNorm weights are
    bit-identical (moving statistics included), while every weight of the last Dense moved."""
    model = kata.freeze(mlp_with_nested_block(), 2)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    rng = np.random.default_rng(1)
    x = rng.normal(1.0, 3.0, size=(32, 4)).astype(np.float32)
    y = rng.normal(size=(32, 3)).astype(np.float32)
    before = values(model)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    after = values(model)
    frozen = paths(model.layers[0].weights) | paths(model.layers[1].weights)
    changed = sorted(p for p in frozen if not np.array_equal(before[p], after[p]))
    assert not changed, f"after freeze(model, 2) and fit, these frozen weights changed: {changed}"
    head = paths(model.layers[-1].weights)
    still = sorted(p for p in head if np.array_equal(before[p], after[p]))
    assert not still, (
        f"after freeze(model, 2) and fit, these trainable weights did not move: {still}"
    )


@pytest.mark.parametrize("num_layers", [-1, 6, 100])
def test_freeze_rejects_num_layers_out_of_range(kata, num_layers):
    """num_layers outside [0, len(model.layers)] is a ValueError naming num_layers."""
    assert_raises_naming(ValueError, "num_layers", kata.freeze, mlp_with_nested_block(), num_layers)


@pytest.mark.parametrize("num_layers", [1.5, "2", None])
def test_freeze_rejects_a_non_integer_num_layers(kata, num_layers):
    """num_layers must be an int: ValueError or TypeError naming num_layers."""
    model = mlp_with_nested_block()
    assert_raises_naming((ValueError, TypeError), "num_layers", kata.freeze, model, num_layers)


def test_freeze_rejects_something_that_is_not_a_model(kata):
    """model must be a keras.Model: TypeError naming model."""
    assert_raises_naming(TypeError, "model", kata.freeze, [keras.layers.Dense(2)], 1)


# ------------------------------------------------------------------ trainable_counts


@given(flags=st.lists(st.booleans(), min_size=8, max_size=8))
def test_trainable_counts_equal_keras_counts_for_nested_models(kata, shared_mlps, flags):
    """(trainable, non-trainable) = Keras's own sums over model.trainable_weights and
    model.non_trainable_weights, for any mix of frozen layers at any depth; they add up to
    model.count_params()."""
    model, _ = shared_mlps["Sequential"]
    reset_to_trainable(model)
    block = model.layers[2]
    for layer, flag in zip([*model.layers, *block.layers], flags, strict=True):
        layer.trainable = flag
    call = f"trainable_counts(nested model, flags {flags})"
    result = kata.trainable_counts(model)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"{call} returned {result!r}; expected a pair"
    )
    assert all(type(n) is int for n in result), (
        f"{call} returned {result!r}; expected two Python ints"
    )
    assert result == keras_counts(model), (
        f"{call} returned {result}; Keras counts {keras_counts(model)}"
    )
    assert sum(result) == model.count_params(), (
        f"{call}: {result} do not add up to {model.count_params()}"
    )


def test_trainable_counts_worked_example(kata):
    """Dense(4 -> 6) and BatchNorm(6), BatchNorm frozen: 30 trainable, 24 non-trainable (its
    gamma, beta, moving mean and moving variance); unfrozen: 42 and 12 (the moving statistics
    are never trainable)."""
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(6), keras.layers.BatchNormalization()]
    )
    model.layers[1].trainable = False
    assert kata.trainable_counts(model) == (30, 24), (
        f"trainable_counts returned {kata.trainable_counts(model)}"
    )
    model.layers[1].trainable = True
    assert kata.trainable_counts(model) == (42, 12), (
        f"trainable_counts returned {kata.trainable_counts(model)}"
    )


def test_trainable_counts_rejects_a_model_that_is_not_built(kata):
    """A model without an input shape has no weights yet: ValueError naming model."""
    unbuilt = keras.Sequential([keras.layers.Dense(3)])
    assert_raises_naming(
        ValueError,
        "model",
        kata.trainable_counts,
        unbuilt,
        call="trainable_counts(<unbuilt model>)",
    )


# ------------------------------------------------------------------ build_transfer_model


def test_transfer_model_outputs_class_probabilities(kata, pretrained_base):
    """build_transfer_model(base, 3) maps base's inputs to softmax probabilities [B, 3]."""
    model = kata.build_transfer_model(pretrained_base, 3)
    x, _ = image_data(5)
    probs = model(x, training=False).numpy()
    call = "build_transfer_model(base, 3)(images[5, 8, 8, 3])"
    assert probs.shape == (5, 3), f"{call} returned shape {list(probs.shape)}; expected [5, 3]"
    assert np.all(probs >= 0), f"{call} returned negative probabilities"
    assert_close(probs.sum(axis=1), np.ones(5), call=call + ".sum(axis=1)", what="rows sum to 1")


def describe_layer(layer):
    """A short description: Dense(256, relu), Dropout(0.5), GlobalAveragePooling2D, ..."""
    name = type(layer).__name__
    if isinstance(layer, keras.layers.Dense):
        activation = getattr(layer.activation, "__name__", repr(layer.activation))
        return f"{name}({layer.units}, {activation})"
    if isinstance(layer, keras.layers.Dropout):
        return f"{name}({layer.rate})"
    return name


def head_layers(model, base):
    """The layers of `model` outside `base`, nested models opened (depth first), in order."""
    found = []
    for layer in getattr(model, "layers", []):
        if layer is base:
            continue
        found += [*head_layers(layer, base)] if isinstance(layer, keras.Model) else [layer]
    return found


@pytest.mark.parametrize("dropout", [0.5, 0.2])
def test_transfer_model_head(kata, pretrained_base, dropout):
    """The head on base's 4-D feature map (its layers may sit directly in the model or in a nested
    model) is, in order: GlobalAveragePooling2D, Dense(256, ReLU), Dropout(dropout),
    Dense(num_classes, softmax), and nothing else."""
    model = kata.build_transfer_model(pretrained_base, 4, dropout=dropout)
    head = [
        layer
        for layer in head_layers(model, pretrained_base)
        if not isinstance(layer, keras.layers.InputLayer)
    ]
    got = [describe_layer(layer) for layer in head]
    expected = [
        "GlobalAveragePooling2D",
        "Dense(256, relu)",
        f"Dropout({dropout})",
        "Dense(4, softmax)",
    ]
    assert got == expected, (
        f"build_transfer_model(base, 4, dropout={dropout}): the head's layers are {got}; "
        f"expected {expected} (Flatten only when base's output is not a 4-D feature map)"
    )


def test_transfer_model_reuses_the_base_itself(kata, pretrained_base):
    """The transfer model contains `base` itself, with its pretrained weights (the same variables,
    not a copy or a freshly initialised clone): base's weights are among the model's."""
    model = kata.build_transfer_model(pretrained_base, 3)
    mine = {id(v) for v in model.weights}
    missing = [v.path for v in pretrained_base.weights if id(v) not in mine]
    assert not missing, (
        f"build_transfer_model(base, 3): these variables of base are not in the model: "
        f"{missing[:4]}{' ...' if len(missing) > 4 else ''} (use base itself, not a copy)"
    )


def test_build_transfer_model_makes_a_frozen_base_trainable_without_freeze_base(
    kata, pretrained_base
):
    """With freeze_base=False the base is made trainable, even when it was frozen before."""
    pretrained_base.trainable = False
    kata.build_transfer_model(pretrained_base, 3, freeze_base=False)
    frozen = [layer.name for layer in all_layers(pretrained_base) if not layer.trainable]
    assert pretrained_base.trainable and not frozen, (
        "build_transfer_model(<frozen base>, 3, freeze_base=False): base.trainable is "
        f"{pretrained_base.trainable}, frozen layers inside it: {frozen}; expected all trainable"
    )


def test_transfer_model_calls_the_base_in_inference_mode_by_default(kata, pretrained_base):
    """The base is called with training=False: with freeze_base=False, model(x) without a training
    flag computes what model(x, training=False) does (BatchNorm with its moving statistics)."""
    model = kata.build_transfer_model(pretrained_base, 3, freeze_base=False)
    x, _ = image_data(6, seed=8)
    call = "build_transfer_model(base, 3, freeze_base=False)(images[6, 8, 8, 3])"
    assert_close(
        model(x), model(x, training=False), call=call, what="the same call with training=False"
    )


@pytest.mark.filterwarnings("ignore:You are using a softmax over axis")  # one class, on purpose
@pytest.mark.parametrize("rank", [2, 3], ids=["vector_features", "sequence_features"])
def test_transfer_model_flattens_features_that_are_not_feature_maps(kata, rank):
    """A base whose output is not a 4-D feature map ([B, 8] or [B, 4, 8]) gets a Flatten head, and
    num_classes=1 is allowed: softmax probabilities [B, 1]."""
    shape = (8,) if rank == 2 else (4, 8)
    base = keras.Sequential([keras.Input(shape), keras.layers.Dense(8)], name="dense_base")
    model = kata.build_transfer_model(base, 1)
    x = np.random.default_rng(rank).normal(size=(5, *shape)).astype(np.float32)
    probs = model(x).numpy()
    call = f"build_transfer_model(<base with output rank {rank}>, 1)(x[5, ...])"
    assert probs.shape == (5, 1), f"{call} returned shape {list(probs.shape)}; expected [5, 1]"
    assert_close(probs, np.ones((5, 1)), call=call, what="a softmax over one class")


@pytest.mark.parametrize("freeze_base", [True, False])
def test_transfer_model_parameter_counts(kata, pretrained_base, freeze_base):
    """Frozen base: the trainable parameters are exactly the head's (GlobalAveragePooling2D of
    base's 8×8×6 feature map, so Dense(256) reads 6 features, then Dense(classes)) and the whole
    base is non-trainable; unfrozen: the base's own trainable weights count too."""
    base_trainable, base_non_trainable = keras_counts(pretrained_base)
    model = kata.build_transfer_model(pretrained_base, 3, freeze_base=freeze_base)
    counts = keras_counts(model)
    head = head_params(pretrained_base, 3, pooled=True)
    if freeze_base:
        expected = (head, base_trainable + base_non_trainable)
    else:
        expected = (head + base_trainable, base_non_trainable)
    flattened = head_params(pretrained_base, 3, pooled=False)
    assert counts == expected, (
        f"build_transfer_model(base, 3, freeze_base={freeze_base}): Keras counts {counts} "
        f"(trainable, non-trainable); expected {expected}: a head of {head} parameters on the "
        f"pooled 6 features ({flattened} would be a Flatten head on all 8·8·6)"
    )


def test_frozen_base_does_not_change_in_training_batchnorm_included(kata, pretrained_base):
    """With freeze_base, a few fit steps leave every base weight bit-identical (BatchNorm moving
    mean and variance included) while every head weight moves."""
    model = kata.build_transfer_model(pretrained_base, 3, dropout=0.0)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    x, y = image_data(24, seed=3)
    base_before, all_before = values(pretrained_base), values(model)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    base_after, all_after = values(pretrained_base), values(model)
    changed = sorted(p for p in base_before if not np.array_equal(base_before[p], base_after[p]))
    assert not changed, f"training changed these weights of the frozen base: {changed}"
    head = set(all_before) - set(base_before)
    still = sorted(p for p in head if np.array_equal(all_before[p], all_after[p]))
    assert head and not still, f"training did not move these head weights: {still}"


def test_transfer_model_on_a_keras_applications_base(kata):
    """On MobileNetV2 (weights=None, 32×32 input: nothing is downloaded) the frozen transfer
    model trains only its head, and fine_tune(.., 10, ..) unfreezes exactly the last 10 layers."""
    base = keras.applications.MobileNetV2(
        input_shape=(32, 32, 3), alpha=0.35, weights=None, include_top=False
    )
    model = kata.build_transfer_model(base, 5)
    total = base.count_params()
    assert keras_counts(model) == (head_params(base, 5, pooled=True), total), (
        f"MobileNetV2 transfer model: Keras counts {keras_counts(model)}; expected "
        f"({head_params(base, 5, pooled=True)}, {total}) (a pooled head)"
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    kata.fine_tune(model, base, 10, 1e-5)
    flags = [layer.trainable for layer in base.layers]
    expected = [i >= len(base.layers) - 10 for i in range(len(base.layers))]
    assert flags == expected, (
        "fine_tune(model, MobileNetV2, 10, 1e-5) did not unfreeze exactly the last 10 layers"
    )


@pytest.mark.parametrize(
    "argument, kwargs, errors",
    [
        ("num_classes", dict(num_classes=0), ValueError),
        ("num_classes", dict(num_classes=2.5), (ValueError, TypeError)),
        ("dropout", dict(dropout=1.0), ValueError),
        ("dropout", dict(dropout=-0.1), ValueError),
    ],
    ids=["num_classes_0", "num_classes_float", "dropout_1", "dropout_negative"],
)
def test_build_transfer_model_rejects_bad_arguments(kata, argument, kwargs, errors):
    """num_classes must be a positive int and dropout a rate in [0, 1): errors naming them."""
    args = {"base": tiny_conv_base(), "num_classes": 3, **kwargs}
    assert_raises_naming(errors, argument, kata.build_transfer_model, **args)


def test_build_transfer_model_rejects_a_base_that_is_not_a_model(kata):
    """base must be a keras.Model: TypeError naming base."""
    assert_raises_naming(TypeError, "base", kata.build_transfer_model, "mobilenet", 3)


# ------------------------------------------------------------------ fine_tune


def compiled_transfer_model(kata, base, loss):
    model = kata.build_transfer_model(base, 3, dropout=0.0)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=loss)
    return model


@pytest.mark.parametrize("num_unfrozen", [0, 1, 4, 6])
def test_fine_tune_unfreezes_exactly_the_last_layers(kata, pretrained_base, num_unfrozen):
    """fine_tune(model, base, n, lr) leaves the first len − n layers of base frozen and the last n
    trainable (n = 0: none); the head stays trainable; the same model comes back."""
    loss = keras.losses.SparseCategoricalCrossentropy()
    model = compiled_transfer_model(kata, pretrained_base, loss)
    head = paths(model.trainable_weights)
    result = kata.fine_tune(model, pretrained_base, num_unfrozen, 1e-4)
    call = f"fine_tune(model, base with 6 layers, {num_unfrozen}, 1e-4)"
    assert result is model, f"{call} returned {result!r}; expected the same model"
    flags = [layer.trainable for layer in pretrained_base.layers]
    expected = [i >= 6 - num_unfrozen for i in range(6)]
    assert flags == expected, f"{call}: base layer flags {flags}; expected {expected}"
    unfrozen = set().union(
        *(paths(layer.weights) for layer in pretrained_base.layers[6 - num_unfrozen :])
    )
    natural = {p for p in unfrozen if "moving" not in p}
    got = paths(model.trainable_weights)
    assert got == head | natural, (
        f"{call}: trainable weights {sorted(got)}; expected the head's and the last {num_unfrozen} "
        f"layers' {sorted(head | natural)}"
    )


def test_fine_tune_again_with_more_layers(kata, pretrained_base):
    """Fine-tuning in stages: fine_tune(.., 2, ..) then fine_tune(.., 4, ..) leaves exactly the last
    4 base layers trainable (setting trainable = True on an already-trainable base is not enough:
    Keras skips an assignment that does not change the value, so it does not reach frozen layers)."""
    model = compiled_transfer_model(kata, pretrained_base, "sparse_categorical_crossentropy")
    kata.fine_tune(model, pretrained_base, 2, 1e-4)
    kata.fine_tune(model, pretrained_base, 4, 1e-5)
    flags = [layer.trainable for layer in pretrained_base.layers]
    expected = [False, False, True, True, True, True]
    assert flags == expected, (
        f"fine_tune(.., 2, ..) then fine_tune(.., 4, ..): base flags {flags}; expected {expected}"
    )


def test_fine_tune_keeps_the_optimizer_class_and_the_metrics(kata, pretrained_base):
    """The recompile keeps what compile was given: an SGD with momentum stays an SGD with that
    momentum (only its learning rate changes), and the metrics stay those compiled."""
    model = kata.build_transfer_model(pretrained_base, 3, dropout=0.0)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    kata.fine_tune(model, pretrained_base, 2, 1e-4)
    call = "fine_tune(<model compiled with SGD(momentum=0.9), metrics=['accuracy']>, base, 2, 1e-4)"
    optimizer = model.optimizer
    assert type(optimizer) is keras.optimizers.SGD, (
        f"{call}: the optimizer is now {type(optimizer).__name__}; expected SGD (same class)"
    )
    assert_close(float(optimizer.momentum), 0.9, call=f"{call}: optimizer.momentum", what="0.9")
    metrics = model.get_compile_config().get("metrics")
    assert metrics == ["accuracy"], (
        f"{call}: the model is now compiled with metrics={metrics!r}; expected ['accuracy']"
    )


def test_fine_tune_leaves_the_weights_untouched(kata, pretrained_base):
    """fine_tune changes flags and the compile, not weights: every weight of the model (base and
    head) has the same value after the call."""
    model = compiled_transfer_model(kata, pretrained_base, "sparse_categorical_crossentropy")
    before = values(model)
    kata.fine_tune(model, pretrained_base, 3, 1e-4)
    after = values(model)
    changed = sorted(p for p in before if p not in after or not np.array_equal(before[p], after[p]))
    assert not changed, f"fine_tune(model, base, 3, 1e-4) changed these weights: {changed[:4]}"


def test_fine_tune_recompiles_with_the_learning_rate_and_keeps_the_loss(kata, pretrained_base):
    """The usual workflow: fit the head on the frozen base, then fine_tune(.., 3, 3e-5), then fit
    again. The model's optimizer has learning rate 3e-5, the loss is the one it was compiled with,
    and the second fit trains the 3 unfrozen layers but not the others (without a recompile, fit
    reuses the train step it built for the frozen base and only the head moves)."""
    loss = keras.losses.CategoricalCrossentropy()
    model = compiled_transfer_model(kata, pretrained_base, loss)
    x, labels = image_data(16, seed=4)
    y = np.eye(3, dtype=np.float32)[labels]  # one-hot: the compiled CategoricalCrossentropy
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # the head first
    kata.fine_tune(model, pretrained_base, 3, 3e-5)
    lr = float(np.asarray(model.optimizer.learning_rate))
    # The learning rate is stored as a float32 variable: 3e-5 is exact to ~1e-7 relative.
    assert_close(
        lr, 3e-5, call="fine_tune(.., 3, 3e-5): model.optimizer.learning_rate", rtol=1e-6, atol=0
    )
    assert model.loss is loss, (
        f"fine_tune changed the loss to {model.loss!r}; expected the compiled {loss!r}"
    )
    before = values(pretrained_base)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    after = values(pretrained_base)
    frozen = set().union(*(paths(layer.weights) for layer in pretrained_base.layers[:3]))
    changed = sorted(p for p in frozen if not np.array_equal(before[p], after[p]))
    assert not changed, f"fit, fine_tune(.., 3, ..), fit: frozen base weights changed: {changed}"
    unfrozen = {p for layer in pretrained_base.layers[3:] for p in paths(layer.trainable_weights)}
    still = sorted(p for p in unfrozen if np.array_equal(before[p], after[p]))
    assert unfrozen and not still, (
        f"fit, fine_tune(.., 3, ..), fit: these weights of the unfrozen layers did not move in the "
        f"second fit: {still} (was the model recompiled after the trainable flags changed?)"
    )


@pytest.mark.parametrize("num_unfrozen", [-1, 7])
def test_fine_tune_rejects_num_unfrozen_out_of_range(kata, pretrained_base, num_unfrozen):
    """num_unfrozen outside [0, len(base.layers)] is a ValueError naming num_unfrozen."""
    model = compiled_transfer_model(kata, pretrained_base, "sparse_categorical_crossentropy")
    assert_raises_naming(
        ValueError, "num_unfrozen", kata.fine_tune, model, pretrained_base, num_unfrozen, 1e-4
    )


@pytest.mark.parametrize("learning_rate", [0.0, -1e-3])
def test_fine_tune_rejects_a_learning_rate_that_is_not_positive(
    kata, pretrained_base, learning_rate
):
    """learning_rate must be positive: ValueError naming learning_rate."""
    model = compiled_transfer_model(kata, pretrained_base, "sparse_categorical_crossentropy")
    assert_raises_naming(
        ValueError, "learning_rate", kata.fine_tune, model, pretrained_base, 2, learning_rate
    )


def test_fine_tune_rejects_a_model_that_is_not_compiled(kata, pretrained_base):
    """model must already be compiled (fine_tune keeps its loss): ValueError naming model."""
    model = kata.build_transfer_model(pretrained_base, 3)
    assert_raises_naming(
        ValueError,
        "model",
        kata.fine_tune,
        model,
        pretrained_base,
        2,
        1e-4,
        call="fine_tune(<model not compiled>, base, 2, 1e-4)",
    )


def test_fine_tune_rejects_a_base_that_is_not_in_the_model(kata, pretrained_base):
    """base must be a layer of model (else nothing in model would be unfrozen): ValueError naming base."""
    model = compiled_transfer_model(kata, pretrained_base, "sparse_categorical_crossentropy")
    assert_raises_naming(ValueError, "base", kata.fine_tune, model, tiny_conv_base(), 2, 1e-4)
