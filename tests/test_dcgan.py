"""dcgan: the DCGAN generator (noise -> 28×28×1 in [−1, 1]) and discriminator (images -> logits)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from kata_testing import assert_close, assert_raises_naming, assert_tensor


def all_layers(model):
    """Every layer inside `model`, nested models and layers included (depth first)."""
    found = []
    for layer in getattr(model, "layers", []):
        found.append(layer)
        found += all_layers(layer)
    return found


def size(variable):
    return int(np.prod(variable.shape))


def moving_statistics(model):
    """The BatchNormalization moving means and variances inside `model`."""
    stats = []
    for layer in all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            stats += [layer.moving_mean, layer.moving_variance]
    return stats


def noise(batch, latent_dim, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return (scale * rng.normal(size=(batch, latent_dim))).astype(np.float32)


def images(batch, shape=(28, 28, 1), seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=(batch, *shape)).astype(np.float32)


# ------------------------------------------------------------------ build_generator


@pytest.fixture(scope="module")
def default_generator(kata):
    """build_generator(), built once per module on first use (inside a test, so that a stub fails
    the test rather than erroring its setup) with its own seed; tests only call it, in inference."""
    cache = []

    def get():
        if not cache:
            keras.utils.set_random_seed(1)
            cache.append(kata.build_generator())
        return cache[0]

    return get


@pytest.mark.parametrize("batch", [1, 3])
def test_generator_maps_default_noise_to_28x28x1_images(kata, default_generator, batch):
    """build_generator() maps noise [B, 100] to float32 images [B, 28, 28, 1]."""
    result = default_generator()(noise(batch, 100))
    assert_tensor(
        result,
        call=f"build_generator()(noise[{batch}, 100])",
        shape=(batch, 28, 28, 1),
        dtype=tf.float32,
    )


@pytest.mark.parametrize("latent_dim", [1, 16])
def test_generator_takes_noise_of_latent_dim(kata, latent_dim):
    """build_generator(latent_dim) reads noise [B, latent_dim], and different noise gives
    different images (the generator really uses its input)."""
    generator = kata.build_generator(latent_dim=latent_dim)
    call = f"build_generator({latent_dim})(noise[2, {latent_dim}])"
    result = generator(noise(2, latent_dim, seed=latent_dim))
    assert_tensor(result, call=call, shape=(2, 28, 28, 1), dtype=tf.float32)
    gap = float(np.max(np.abs(result[0] - result[1])))
    assert gap > 1e-4, f"{call}: the two images differ by at most {gap:g}; the noise is ignored"


def test_generator_pixels_lie_in_tanh_range_and_use_both_signs(kata, default_generator):
    """Pixels lie in [−1, 1] (tanh), even for huge noise, and take both signs: a sigmoid output
    would never go below 0."""
    for scale in (1.0, 100.0):
        pixels = default_generator()(noise(4, 100, seed=2, scale=scale)).numpy()
        call = f"build_generator()({scale:g}·noise[4, 100])"
        assert np.all(np.isfinite(pixels)), f"{call} returned non-finite pixels"
        assert pixels.min() >= -1.0 and pixels.max() <= 1.0, (
            f"{call} returned pixels in [{pixels.min():.4f}, {pixels.max():.4f}]; expected [−1, 1] (tanh)"
        )
        negative, positive = np.mean(pixels < 0), np.mean(pixels > 0)
        assert negative > 0.05 and positive > 0.05, (
            f"{call}: {negative:.1%} of the pixels are negative and {positive:.1%} positive; a tanh "
            "output uses both halves of [−1, 1]"
        )


def test_generator_upsamples_with_transposed_convolutions_or_upsampling(kata, default_generator):
    """The generator grows the image with Conv2DTranspose or UpSampling2D + Conv2D layers."""
    kinds = (keras.layers.Conv2DTranspose, keras.layers.UpSampling2D)
    names = [type(layer).__name__ for layer in all_layers(default_generator())]
    assert any(isinstance(layer, kinds) for layer in all_layers(default_generator())), (
        f"the generator's layers are {names}; expected Conv2DTranspose or UpSampling2D layers"
    )


def _activation_name(layer):
    return getattr(getattr(layer, "activation", None), "__name__", "linear")


def generator_outline(model):
    """The generator's layers as a short list: UpSampling2D(2) + Conv2D(f) and
    Conv2DTranspose(f, strides 2) both read "Up(f, kernel, padding)", a stride-1 (transposed)
    convolution "Conv(f, kernel, padding)"; a BatchNormalization shows how many features it
    normalises (12544 on the Dense's output, 256 after a Reshape to 7×7×256); a layer's own
    activation, or an Activation layer after it, is shown as a layer of its own (tanh is attached
    to the layer it follows); Reshape and InputLayer are left out."""
    outline = []
    pending_upsampling = False
    for layer in all_layers(model):
        name = type(layer).__name__
        if isinstance(layer, (keras.Model, keras.layers.InputLayer, keras.layers.Reshape)):
            continue
        if isinstance(layer, keras.layers.UpSampling2D):
            pending_upsampling = True
            continue
        activation = _activation_name(layer)
        if isinstance(layer, keras.layers.Dense):
            outline.append(f"Dense({layer.units}{'' if layer.use_bias else ', no bias'})")
        elif isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose)):
            upsamples = pending_upsampling or (
                isinstance(layer, keras.layers.Conv2DTranspose) and tuple(layer.strides) == (2, 2)
            )
            size = "x".join(str(k) for k in layer.kernel_size)
            kind = "Up" if upsamples else "Conv"
            outline.append(f"{kind}({layer.filters}, {size}, {layer.padding})")
            pending_upsampling = False
        elif isinstance(layer, keras.layers.BatchNormalization):
            outline.append(f"BatchNorm({int(np.prod(layer.moving_mean.shape))})")
        elif isinstance(layer, keras.layers.LeakyReLU):
            outline.append("LeakyReLU")
        elif isinstance(layer, keras.layers.Activation):
            outline.append({"leaky_relu": "LeakyReLU"}.get(activation, activation))
            activation = "linear"
        else:
            outline.append(name)
        if activation == "leaky_relu":
            outline.append("LeakyReLU")
        elif activation != "linear":
            outline.append(activation)
    merged = []
    for item in outline:  # "tanh" after a layer belongs to it
        if item == "tanh" and merged:
            merged[-1] = merged[-1][:-1] + ", tanh)"
        else:
            merged.append(item)
    return merged


GENERATOR_OUTLINE = [
    "Dense(12544, no bias)", "BatchNorm(12544)", "LeakyReLU",
    "Conv(128, 5x5, same)", "BatchNorm(128)", "LeakyReLU",
    "Up(64, 5x5, same)", "BatchNorm(64)", "LeakyReLU",
    "Up(1, 5x5, same, tanh)",
]  # fmt: skip


def test_generator_has_the_layers_the_docstring_lists(kata):
    """Dense(7·7·256, no bias) -> BatchNorm (of those 12544 features: the Reshape comes after it)
    -> LeakyReLU -> (Reshape) -> 128 5×5 filters -> BatchNorm -> LeakyReLU -> upsample to 64 5×5
    filters -> BatchNorm -> LeakyReLU -> upsample to one 5×5 filter with tanh, every convolution
    with "same" padding, and no other layer (an upsampling is Conv2DTranspose(strides=2) or
    UpSampling2D + Conv2D)."""
    got = generator_outline(kata.build_generator())  # its own: not the cached default_generator
    assert got == GENERATOR_OUTLINE, (
        f"build_generator()'s layers read {got}; expected {GENERATOR_OUTLINE} (BatchNorm and "
        "LeakyReLU after every layer but the last, the first BatchNorm before the Reshape, "
        '"same" padding, tanh at the end, nothing else)'
    )


# ------------------------------------------------------------------ build_discriminator


def discriminator_outline(model):
    """The discriminator's layers as a short list: convolutions as Conv(filters, kernel, /stride,
    padding), the last Dense as Dense(inputs -> units) (its inputs are what Flatten gives it, so
    they pin the feature map's shape), activations (own or as layers) as layers of their own;
    InputLayer left out."""
    outline = []
    for layer in all_layers(model):
        if isinstance(layer, (keras.Model, keras.layers.InputLayer)):
            continue
        activation = _activation_name(layer)
        if isinstance(layer, keras.layers.Conv2D):
            size = "x".join(str(k) for k in layer.kernel_size)
            outline.append(f"Conv({layer.filters}, {size}, /{layer.strides[0]}, {layer.padding})")
        elif isinstance(layer, keras.layers.Dense):
            outline.append(f"Dense({layer.kernel.shape[0]} -> {layer.units})")
        elif isinstance(layer, keras.layers.Dropout):
            outline.append(f"Dropout({layer.rate})")
        elif isinstance(layer, keras.layers.Activation):
            outline.append({"leaky_relu": "LeakyReLU"}.get(activation, activation))
            activation = "linear"
        else:
            outline.append(type(layer).__name__)
        if activation != "linear":
            outline.append({"leaky_relu": "LeakyReLU"}.get(activation, activation))
    return outline


DISCRIMINATOR_OUTLINE = [
    "Conv(64, 5x5, /2, same)", "LeakyReLU", "Dropout(0.3)",
    "Conv(128, 5x5, /2, same)", "LeakyReLU", "Dropout(0.3)",
    "Flatten", "Dense(6272 -> 1)",
]  # fmt: skip  # 28 -> 14 -> 7 with "same" padding: 7·7·128 = 6272 features


def test_discriminator_has_the_layers_the_docstring_lists(kata):
    """Conv2D(64, 5, strides 2, same) -> LeakyReLU -> Dropout(0.3) -> Conv2D(128, 5, strides 2,
    same) -> LeakyReLU -> Dropout(0.3) -> Flatten (7·7·128 features) -> Dense(1) (no activation),
    nothing else, and by default it reads 28×28×1 images."""
    model = kata.build_discriminator()
    got = discriminator_outline(model)
    assert got == DISCRIMINATOR_OUTLINE, (
        f"build_discriminator()'s layers read {got}; expected {DISCRIMINATOR_OUTLINE}"
    )
    shape = tuple(model.inputs[0].shape[1:])
    assert shape == (28, 28, 1), (
        f"build_discriminator() reads images of shape {shape}; expected (28, 28, 1)"
    )


@pytest.mark.parametrize(
    "input_shape, batch",
    [(None, 1), (None, 3), ((28, 28, 3), 2), ((16, 12, 1), 2)],
    ids=["default_b1", "default_b3", "28x28x3", "16x12x1"],
)
def test_discriminator_maps_images_to_one_logit_each(kata, input_shape, batch):
    """build_discriminator(input_shape) maps images [B, *input_shape] to float32 logits [B, 1]."""
    shape = (28, 28, 1) if input_shape is None else input_shape
    discriminator = (
        kata.build_discriminator() if input_shape is None else kata.build_discriminator(input_shape)
    )
    call = f"build_discriminator({'' if input_shape is None else input_shape})(images[{batch}, {shape}])"
    result = discriminator(images(batch, shape))
    assert_tensor(result, call=call, shape=(batch, 1), dtype=tf.float32)


def test_discriminator_outputs_logits_not_probabilities(kata):
    """The output is the last Dense's affine output (a logit): adding d to that layer's bias adds
    exactly d to every output. A sigmoid at the end would squash it into (0, 1)."""
    discriminator = kata.build_discriminator()
    x = images(3, seed=4)
    with_bias = [
        layer for layer in all_layers(discriminator) if getattr(layer, "bias", None) is not None
    ]
    assert with_bias, "the discriminator has no layer with a bias; expected a final Dense(1)"
    last = with_bias[-1]
    before = discriminator(x, training=False).numpy()
    for shift in (8.0, -8.0):
        last.bias.assign(last.bias + shift)
        after = discriminator(x, training=False).numpy()
        last.bias.assign(last.bias - shift)
        assert_close(
            after,
            before + shift,
            call=f"build_discriminator() with {shift:+g} added to {last.name}'s bias",
            rtol=1e-5,
            atol=1e-4,  # logits near 8 in float32
            what="the logits shifted by the same amount",
        )


def test_discriminator_accepts_generator_output(kata, default_generator):
    """D(G(z)): the discriminator reads the generator's images and gives logits [B, 1]."""
    discriminator = kata.build_discriminator()
    result = discriminator(default_generator()(noise(2, 100)))
    assert_tensor(
        result,
        call="build_discriminator()(build_generator()(noise[2, 100]))",
        shape=(2, 1),
        dtype=tf.float32,
    )


# ------------------------------------------------------------------ weights and training


@pytest.mark.parametrize("which", ["generator", "discriminator"])
def test_every_weight_is_trainable_except_batchnorm_moving_statistics(kata, which):
    """Trainable parameters = all parameters − BatchNormalization moving statistics (counted as
    Keras counts them); nothing is frozen, the discriminator included."""
    model = kata.build_generator(16) if which == "generator" else kata.build_discriminator()
    stats = sum(size(v) for v in moving_statistics(model))
    trainable = sum(size(v) for v in model.trainable_weights)
    non_trainable = sum(size(v) for v in model.non_trainable_weights)
    total = model.count_params()
    assert trainable > 0, f"build_{which}() has no trainable weights"
    assert (trainable, non_trainable) == (total - stats, stats), (
        f"build_{which}(): {trainable} trainable and {non_trainable} non-trainable parameters of "
        f"{total}; expected {total - stats} and {stats} (only BatchNorm moving statistics frozen)"
    )


def test_one_gan_train_step_runs_and_moves_each_network(kata):
    """One discriminator step, then one generator step (batch 2, Adam, BCE from logits): the losses
    are finite, D's step changes every D weight and no G weight, G's step changes every G weight."""
    latent_dim, batch = 16, 2
    generator, discriminator = kata.build_generator(latent_dim), kata.build_discriminator()
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    g_opt, d_opt = keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3)
    z, real = noise(batch, latent_dim, seed=5), images(batch, seed=5)

    def snapshot(model):
        return [v.numpy().copy() for v in model.trainable_variables]

    g0, d0 = snapshot(generator), snapshot(discriminator)
    with tf.GradientTape() as tape:
        real_logits = discriminator(real, training=True)
        fake_logits = discriminator(generator(z, training=True), training=True)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(
            tf.zeros_like(fake_logits), fake_logits
        )
    d_vars = discriminator.trainable_variables
    d_opt.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars, strict=True))
    g1, d1 = snapshot(generator), snapshot(discriminator)
    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z, training=True), training=True)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
    g_vars = generator.trainable_variables
    g_opt.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars, strict=True))
    g2 = snapshot(generator)

    assert np.isfinite(d_loss.numpy()) and np.isfinite(g_loss.numpy()), (
        f"d_loss = {d_loss.numpy()}, g_loss = {g_loss.numpy()}; expected finite losses"
    )
    names = {"D": [v.path for v in d_vars], "G": [v.path for v in g_vars]}
    for label, before, after, who in (("D step", d0, d1, "D"), ("G step", g1, g2, "G")):
        frozen = [
            n for n, b, a in zip(names[who], before, after, strict=True) if np.array_equal(b, a)
        ]
        assert not frozen, f"the {label} left these {who} weights unchanged: {frozen}"
    moved = [n for n, b, a in zip(names["G"], g0, g1, strict=True) if not np.array_equal(b, a)]
    assert not moved, f"the D step changed generator weights: {moved}"


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize("latent_dim", [0, -3, 2.5, "64", None, True], ids=repr)
def test_build_generator_rejects_a_latent_dim_that_is_not_a_positive_int(kata, latent_dim):
    """latent_dim must be a positive int: ValueError naming latent_dim."""
    assert_raises_naming(ValueError, "latent_dim", kata.build_generator, latent_dim)


@pytest.mark.parametrize(
    "input_shape", [(28, 28), (28, 0, 1), (28, 28, 1, 1), "28x28", (28.0, 28, 1)], ids=repr
)
def test_build_discriminator_rejects_a_bad_input_shape(kata, input_shape):
    """input_shape must be three positive ints (height, width, channels): ValueError naming it."""
    assert_raises_naming(ValueError, "input_shape", kata.build_discriminator, input_shape)
