"""gan_losses: the discriminator and generator losses from logits, and the alternating train step."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import (
    assert_close,
    assert_raises_naming,
    assert_tensor,
    call_str,
    float_arrays,
    shapes,
    tolerance,
)
from kata_testing.reference_math import softplus

LN2 = math.log(2.0)


def bce_closed_form(x, label):
    """mean over all elements of label·softplus(−x) + (1 − label)·softplus(x), in float64."""
    return float(np.mean(label * softplus(-x) + (1.0 - label) * softplus(x)))


def keras_bce(x, label):
    """Keras's own binary cross-entropy from logits against a constant label, in x's dtype."""
    x = tf.constant(x)
    bce = keras.losses.BinaryCrossentropy(from_logits=True, dtype=x.dtype.name)
    return bce(tf.fill(tf.shape(x), tf.cast(label, x.dtype)), x)


logit_batches = shapes(min_dims=1, max_dims=2, min_side=1, max_side=6)
labels = st.floats(0.0, 1.0, allow_subnormal=False)


# ------------------------------------------------------------------ discriminator_loss


@given(
    dtype=st.sampled_from([np.float32, np.float64]),
    real_label=labels,
    fake_label=labels,
    data=st.data(),
)
def test_discriminator_loss_matches_closed_form(kata, dtype, real_label, fake_label, data):
    """discriminator_loss = mean BCE(real, real_label) + mean BCE(fake, fake_label), BCE(x, l) =
    l·softplus(−x) + (1 − l)·softplus(x); the two batches may differ in size."""
    real = data.draw(float_arrays(dtype, logit_batches, -50, 50), label="real_logits")
    fake = data.draw(float_arrays(dtype, logit_batches, -50, 50), label="fake_logits")
    call = call_str("discriminator_loss", real, fake, real_label=real_label, fake_label=fake_label)
    result = kata.discriminator_loss(tf.constant(real), tf.constant(fake), real_label, fake_label)
    assert_tensor(result, call=call, shape=(), dtype=dtype)
    expected = bce_closed_form(real, real_label) + bce_closed_form(fake, fake_label)
    # float32: a mean of up to 36 terms of size up to 50. float64: the labels are Python floats,
    # and tf.cast(label, tf.float64) goes through float32 (~1e-7 relative): harmless, so allowed.
    tol = 1e-4 if dtype == np.float32 else 1e-6
    assert_close(result, expected, call=call, rtol=tol, atol=tol, what="closed form")


@given(data=st.data())
def test_discriminator_loss_matches_keras_binary_crossentropy(kata, data):
    """With the default labels, it is Keras's BinaryCrossentropy(from_logits=True) of the real
    logits against 1 plus that of the fake logits against 0."""
    real = data.draw(float_arrays(np.float32, (data.draw(st.integers(1, 8)), 1), -30, 30))
    fake = data.draw(float_arrays(np.float32, (data.draw(st.integers(1, 8)), 1), -30, 30))
    call = call_str("discriminator_loss", real, fake)
    expected = keras_bce(real, 1.0) + keras_bce(fake, 0.0)
    assert_close(kata.discriminator_loss(real, fake), expected, call=call, what="Keras BCE sum")


def test_discriminator_loss_of_an_undecided_discriminator_is_two_ln_two(kata):
    """All-zero logits (D says 50/50 everywhere): each term is ln 2, the loss is 2·ln 2."""
    zeros = tf.zeros([4, 1])
    result = kata.discriminator_loss(zeros, zeros)
    call = "discriminator_loss(zeros[4, 1], zeros[4, 1])"
    assert_tensor(result, call=call, shape=(), dtype=tf.float32)
    assert_close(result, 2 * LN2, call=call, what="2·ln 2")


def test_discriminator_loss_one_sided_label_smoothing(kata):
    """real_label=0.9: the real term is mean(0.9·softplus(−x) + 0.1·softplus(x)); the fake term
    still uses 0, so a perfectly confident D is no longer at zero loss."""
    real = np.array([[3.0], [-1.0], [0.5]], np.float32)
    fake = np.array([[-2.0], [4.0]], np.float32)
    call = call_str("discriminator_loss", real, fake, real_label=0.9)
    result = kata.discriminator_loss(real, fake, real_label=0.9)
    expected = np.mean(0.9 * softplus(-real) + 0.1 * softplus(real)) + np.mean(softplus(fake))
    assert_close(
        result, expected, call=call, what="0.9·softplus(−x) + 0.1·softplus(x) + softplus(f)"
    )
    assert_close(result, keras_bce(real, 0.9) + keras_bce(fake, 0.0), call=call, what="Keras BCE")


@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["confident_right", "confident_wrong"])
def test_discriminator_loss_is_finite_with_finite_gradients_at_huge_logits(kata, sign):
    """At logits ±1e4 the loss is the closed form (0 or 1e4 per term) and the gradients are the
    finite (sigmoid(x) − label)/n: computed from logits, never through log(sigmoid(x))."""
    real = tf.constant([[sign * 1e4], [sign * 1e4]])
    fake = tf.constant([[-sign * 1e4], [-sign * 1e4], [-sign * 1e4]])
    call = f"discriminator_loss(real=[{sign * 1e4:g}]*2, fake=[{-sign * 1e4:g}]*3)"
    with tf.GradientTape() as tape:
        tape.watch([real, fake])
        loss = kata.discriminator_loss(real, fake)
    d_real, d_fake = tape.gradient(loss, [real, fake])
    expected = bce_closed_form(real.numpy(), 1.0) + bce_closed_form(fake.numpy(), 0.0)
    assert_close(loss, expected, call=call, rtol=1e-6, what="closed form")
    sigmoid = 1.0 / (1.0 + np.exp(-np.clip(sign * 1e4, -700, 700)))
    assert_close(d_real, np.full((2, 1), (sigmoid - 1.0) / 2), call=call + " -> d/d real")
    assert_close(d_fake, np.full((3, 1), (1.0 - sigmoid) / 3), call=call + " -> d/d fake")


def test_discriminator_loss_casts_fake_logits_to_the_dtype_of_the_real_ones(kata):
    """Fake logits in another float dtype (float64 against float32 real logits) are cast to the
    real logits' dtype: the loss is float32 and equals the closed form."""
    real = np.array([[1.5], [-0.5]], np.float32)
    fake = np.array([[0.25], [-2.0], [3.0]], np.float64)
    call = "discriminator_loss(float32 real[2, 1], float64 fake[3, 1])"
    result = kata.discriminator_loss(tf.constant(real), tf.constant(fake))
    assert_tensor(result, call=call, shape=(), dtype=tf.float32)
    expected = bce_closed_form(real.astype(np.float64), 1.0) + bce_closed_form(fake, 0.0)
    assert_close(result, expected, call=call, rtol=1e-6, what="closed form")


def test_losses_keep_float16_and_stay_finite_at_its_extremes(kata):
    """float16 logits give float16 losses, finite even at ±6e4 (float16's largest values), equal
    to the float64 closed form to float16 precision, with asymmetric labels (0.9 and 0.2)."""
    real = np.array([[6e4], [-6e4], [3.0]], np.float16)
    fake = np.array([[-6e4], [6e4]], np.float16)
    call = "discriminator_loss(float16 [6e4, -6e4, 3], float16 [-6e4, 6e4], 0.9, 0.2)"
    d_loss = kata.discriminator_loss(tf.constant(real), tf.constant(fake), 0.9, 0.2)
    assert_tensor(d_loss, call=call, shape=(), dtype=tf.float16)
    x64 = real.astype(np.float64), fake.astype(np.float64)
    expected = bce_closed_form(x64[0], 0.9) + bce_closed_form(x64[1], 0.2)
    # float16 keeps ~3 significant digits: 2e-3 relative is a few roundings.
    assert_close(d_loss, expected, call=call, rtol=2e-3, atol=0, what="float64 closed form")
    g_loss = kata.generator_loss(tf.constant(fake))
    call = "generator_loss(float16 [-6e4, 6e4])"
    assert_tensor(g_loss, call=call, shape=(), dtype=tf.float16)
    assert_close(g_loss, bce_closed_form(x64[1], 1.0), call=call, rtol=2e-3, atol=0)


@given(real_label=labels, fake_label=labels, data=st.data())
def test_discriminator_loss_gradient_is_sigmoid_minus_label_over_n(
    kata, real_label, fake_label, data
):
    """d loss / d logit = (sigmoid(x) − label) / n for each batch of n logits."""
    real = tf.constant(data.draw(float_arrays(np.float64, logit_batches, -20, 20), label="real"))
    fake = tf.constant(data.draw(float_arrays(np.float64, logit_batches, -20, 20), label="fake"))
    with tf.GradientTape() as tape:
        tape.watch([real, fake])
        loss = kata.discriminator_loss(real, fake, real_label, fake_label)
    d_real, d_fake = tape.gradient(loss, [real, fake])
    call = call_str("discriminator_loss", real, fake, real_label=real_label, fake_label=fake_label)
    for name, x, grad, label in (
        ("real", real, d_real, real_label),
        ("fake", fake, d_fake, fake_label),
    ):
        x = x.numpy()
        expected = (1.0 / (1.0 + np.exp(-x)) - label) / x.size
        # Not float64-tight: a label converted through float32 (tf.cast of a Python float) is
        # fine, and moves each term by up to float32's half-ulp at 1 (6e-8), over n.
        assert_close(grad, expected, call=f"{call} -> d/d {name}", rtol=1e-6, atol=6e-8 / x.size)


@pytest.mark.parametrize(
    "value, shape",
    [([[0.0], [1.0]], (2, 1)), (np.array([1, -2, 0]), (3,)), (0.0, ())],
    ids=["nested_list", "int_array", "python_float"],
)
def test_discriminator_loss_accepts_tensor_like_input(kata, value, shape):
    """Lists, integer arrays and Python numbers are tensor-like: the loss is a float32 scalar."""
    call = call_str("discriminator_loss", value, value)
    result = kata.discriminator_loss(value, value)
    assert_tensor(result, call=call, shape=(), dtype=tf.float32)
    x = np.asarray(value, np.float64)
    assert_close(result, bce_closed_form(x, 1.0) + bce_closed_form(x, 0.0), call=call)


@pytest.mark.parametrize(
    "argument, kwargs",
    [
        ("real_label", dict(real_label=1.5)),
        ("real_label", dict(real_label=-0.1)),
        ("fake_label", dict(fake_label=2.0)),
        ("fake_label", dict(fake_label=-1.0)),
    ],
    ids=["real_label_above_1", "real_label_negative", "fake_label_above_1", "fake_label_negative"],
)
def test_discriminator_loss_rejects_labels_outside_zero_one(kata, argument, kwargs):
    """A label is a probability: outside [0, 1] is a ValueError naming it."""
    assert_raises_naming(ValueError, argument, kata.discriminator_loss, [[1.0]], [[-1.0]], **kwargs)


@pytest.mark.parametrize("argument", ["real_logits", "fake_logits"])
def test_discriminator_loss_rejects_an_empty_batch(kata, argument):
    """The mean of an empty batch is NaN: an empty batch is a ValueError naming it."""
    args = {"real_logits": [[1.0]], "fake_logits": [[-1.0]], argument: np.zeros((0, 1), np.float32)}
    assert_raises_naming(ValueError, argument, kata.discriminator_loss, **args)


def test_discriminator_loss_rejects_text(kata):
    """A string is not tensor-like: TypeError naming real_logits."""
    assert_raises_naming(TypeError, "real_logits", kata.discriminator_loss, "real", [[0.0]])


# ------------------------------------------------------------------ generator_loss


@given(dtype=st.sampled_from([np.float32, np.float64]), data=st.data())
def test_generator_loss_matches_closed_form_and_keras(kata, dtype, data):
    """generator_loss = mean softplus(−x) = Keras's BinaryCrossentropy(from_logits=True) against 1."""
    fake = data.draw(float_arrays(dtype, logit_batches, -50, 50), label="fake_logits")
    call = call_str("generator_loss", fake)
    result = kata.generator_loss(tf.constant(fake))
    assert_tensor(result, call=call, shape=(), dtype=dtype)
    tol = tolerance(dtype) * 10  # a mean of up to 36 terms of size up to 50
    assert_close(
        result, np.mean(softplus(-fake)), call=call, rtol=tol, atol=tol, what="mean softplus(−x)"
    )
    assert_close(result, keras_bce(fake, 1.0), call=call, rtol=tol, atol=tol, what="Keras BCE vs 1")


def test_generator_loss_of_an_undecided_discriminator_is_ln_two(kata):
    """All-zero logits: the generator loss is ln 2."""
    result = kata.generator_loss(tf.zeros([5, 1]))
    assert_tensor(result, call="generator_loss(zeros[5, 1])", shape=(), dtype=tf.float32)
    assert_close(result, LN2, call="generator_loss(zeros[5, 1])", what="ln 2")


def test_generator_loss_is_non_saturating(kata):
    """When D confidently rejects the fakes (logit −10), the gradient per logit is −sigmoid(10)/n
    ≈ −1/n: the generator still learns. (The minimax loss log(1 − D(G(z))) would give
    −sigmoid(−10)/n ≈ −4.5e-5/n there: it saturates.)"""
    fake = tf.fill([4, 1], -10.0)
    with tf.GradientTape() as tape:
        tape.watch(fake)
        loss = kata.generator_loss(fake)
    grad = tape.gradient(loss, fake)
    call = "generator_loss([-10.]*4) -> gradient"
    expected = -1.0 / (1.0 + np.exp(-10.0)) / 4
    assert_close(grad, np.full((4, 1), expected), call=call, rtol=1e-6, what="−sigmoid(10)/4")
    assert_close(loss, softplus(10.0), call="generator_loss([-10.]*4)", what="softplus(10)")


@given(x=float_arrays(np.float64, logit_batches, -20, 20))
def test_generator_loss_gradient_is_sigmoid_minus_one_over_n(kata, x):
    """d generator_loss / d x = (sigmoid(x) − 1)/n: the gradient of BCE against the label 1."""
    fake = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(fake)
        loss = kata.generator_loss(fake)
    expected = (1.0 / (1.0 + np.exp(-x)) - 1.0) / x.size
    call = call_str("generator_loss", x) + " -> gradient"
    assert_close(tape.gradient(loss, fake), expected, call=call, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("x", [1e4, -1e4])
def test_generator_loss_is_finite_at_huge_logits(kata, x):
    """At ±1e4 the loss is softplus(−x) (0 or 1e4) and the gradient the finite (sigmoid(x) − 1)/n."""
    fake = tf.fill([2, 1], x)
    with tf.GradientTape() as tape:
        tape.watch(fake)
        loss = kata.generator_loss(fake)
    call = f"generator_loss([{x:g}]*2)"
    assert_close(loss, softplus(-x), call=call, rtol=1e-6, what="softplus(−x)")
    sigmoid = 1.0 if x > 0 else 0.0
    assert_close(
        tape.gradient(loss, fake), np.full((2, 1), (sigmoid - 1.0) / 2), call=call + " -> gradient"
    )


def test_generator_loss_rejects_an_empty_batch(kata):
    """An empty batch is a ValueError naming fake_logits."""
    assert_raises_naming(
        ValueError, "fake_logits", kata.generator_loss, np.zeros((0, 1), np.float32)
    )


def test_losses_work_inside_tf_function(kata):
    """Real GAN train steps are compiled: both losses work inside a tf.function."""

    @tf.function
    def both(real, fake):
        return kata.discriminator_loss(real, fake, real_label=0.9), kata.generator_loss(fake)

    real, fake = np.array([[2.0], [-1.0]], np.float32), np.array([[0.5], [-3.0], [1.0]], np.float32)
    eager = (kata.discriminator_loss(real, fake, real_label=0.9), kata.generator_loss(fake))
    d_loss, g_loss = both(tf.constant(real), tf.constant(fake))
    assert_close([d_loss, g_loss], eager, call="tf.function(both losses)", what="the eager values")
    expected_d = bce_closed_form(real, 0.9) + bce_closed_form(fake, 0.0)
    assert_close(
        d_loss, expected_d, call="tf.function(discriminator_loss)(real, fake, real_label=0.9)"
    )
    assert_close(g_loss, bce_closed_form(fake, 1.0), call="tf.function(generator_loss)(fake)")


# ------------------------------------------------------------------ gan_train_step

NOISE_DIM, DATA_DIM = 2, 3


def tiny_gan(seed=0):
    """A linear generator (noise 2 -> sample 3) and a one-hidden-layer tanh discriminator."""
    init = keras.initializers.GlorotUniform
    generator = keras.Sequential(
        [
            keras.Input((NOISE_DIM,)),
            keras.layers.Dense(DATA_DIM, kernel_initializer=init(seed), bias_initializer="ones"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input((DATA_DIM,)),
            keras.layers.Dense(4, activation="tanh", kernel_initializer=init(seed + 1)),
            keras.layers.Dense(1, kernel_initializer=init(seed + 2)),
        ],
        name="discriminator",
    )
    return generator, discriminator


def gan_batch(seed=0, n=6):
    rng = np.random.default_rng(seed)
    real = rng.normal(2.0, 0.5, size=(n, DATA_DIM)).astype(np.float32)
    noise = rng.normal(size=(n, NOISE_DIM)).astype(np.float32)
    return real, noise


def weights_of(model):
    return [v.numpy().copy() for v in model.trainable_variables]


def expected_step(generator, discriminator, g_lr, d_lr, real, noise):
    """The test's own sequential step with plain SGD, in float64 TF: D first, then G
    against the updated D. Returns (d_loss, g_loss, G weights after, D weights after)."""
    g = [tf.constant(w, tf.float64) for w in weights_of(generator)]
    d = [tf.constant(w, tf.float64) for w in weights_of(discriminator)]
    real, noise = tf.constant(real, tf.float64), tf.constant(noise, tf.float64)

    def gen(gw):
        return noise @ gw[0] + gw[1]

    def disc(dw, x):
        return tf.tanh(x @ dw[0] + dw[1]) @ dw[2] + dw[3]

    def bce(x, label):
        return tf.reduce_mean(label * tf.nn.softplus(-x) + (1.0 - label) * tf.nn.softplus(x))

    with tf.GradientTape() as tape:
        tape.watch(d)
        d_loss = bce(disc(d, real), 1.0) + bce(disc(d, gen(g)), 0.0)
    d = [w - d_lr * dw for w, dw in zip(d, tape.gradient(d_loss, d), strict=True)]
    with tf.GradientTape() as tape:
        tape.watch(g)
        g_loss = bce(disc(d, gen(g)), 1.0)
    g = [w - g_lr * dw for w, dw in zip(g, tape.gradient(g_loss, g), strict=True)]
    return d_loss, g_loss, [w.numpy() for w in g], [w.numpy() for w in d]


def test_gan_train_step_is_a_discriminator_step_then_a_generator_step(kata):
    """With SGD: d_loss is computed before any update; D moves by −lr_d·∇d_loss; then g_loss is
    computed against the *updated* D and G moves by −lr_g·∇g_loss."""
    generator, discriminator = tiny_gan()
    real, noise = gan_batch()
    g_lr, d_lr = 0.3, 0.7
    exp_d_loss, exp_g_loss, exp_g, exp_d = expected_step(
        generator, discriminator, g_lr, d_lr, real, noise
    )
    d_loss, g_loss = kata.gan_train_step(
        generator,
        discriminator,
        keras.optimizers.SGD(learning_rate=g_lr),
        keras.optimizers.SGD(learning_rate=d_lr),
        real,
        noise,
    )
    call = "gan_train_step(G, D, SGD(0.3), SGD(0.7), real[6, 3], noise[6, 2])"
    # float32 model against a float64 recomputation: 1e-5 is a few float32 roundings.
    assert_close(d_loss, exp_d_loss, call=call + " -> d_loss", what="D loss before D's update")
    assert_close(g_loss, exp_g_loss, call=call + " -> g_loss", what="G loss against the updated D")
    for name, model, expected in (("D", discriminator, exp_d), ("G", generator, exp_g)):
        for var, want in zip(model.trainable_variables, expected, strict=True):
            assert_close(var, want, call=f"{call}: {name}'s {var.path}", what="after one SGD step")


class RecordingSGD(keras.optimizers.SGD):
    """SGD that calls `record(tag, variables, "before" | "after")` around each update. (A plain
    callable: Keras would wrap a list or dict stored on the optimizer into a tracked copy.)"""

    def __init__(self, tag, record, **kwargs):
        super().__init__(**kwargs)
        self._tag, self._record = tag, record

    def apply(self, grads, trainable_variables=None):
        variables = list(trainable_variables) if trainable_variables is not None else None
        self._record(self._tag, variables, "before")
        result = super().apply(grads, variables)
        self._record(self._tag, variables, "after")
        return result


def _moved(before, after):
    return [not np.array_equal(b, a) for b, a in zip(before, after, strict=True)]


def test_gan_train_step_moves_only_discriminator_then_only_generator(kata):
    """Snapshots around each optimizer update: d_optimizer updates exactly D's variables (G
    untouched), then g_optimizer updates exactly G's (D untouched); one update each, D first."""
    generator, discriminator = tiny_gan(seed=3)
    models = {"generator": generator, "discriminator": discriminator}
    log = []

    def record(tag, variables, phase):
        # Weight snapshots are only readable when the step runs eagerly.
        snapshot = {n: weights_of(m) for n, m in models.items()} if tf.executing_eagerly() else None
        paths = None if variables is None else {v.path for v in variables}
        log.append((tag, phase, paths, snapshot))

    g_opt = RecordingSGD("g_optimizer", record, learning_rate=0.1)
    d_opt = RecordingSGD("d_optimizer", record, learning_rate=0.1)
    real, noise = gan_batch(seed=3)
    kata.gan_train_step(generator, discriminator, g_opt, d_opt, real, noise)
    order = [tag for tag, phase, _, _ in log if phase == "after"]
    assert order == ["d_optimizer", "g_optimizer"], (
        f"optimizer updates happened in the order {order}; expected one d_optimizer update, then "
        "one g_optimizer update"
    )
    paths = {name: {v.path for v in model.trainable_variables} for name, model in models.items()}
    updates = [(log[i], log[i + 1]) for i in (0, 2)]
    for ((tag, _, variables, before), (_, _, _, after)), owner, other in zip(
        updates, ("discriminator", "generator"), ("generator", "discriminator"), strict=True
    ):
        assert variables == paths[owner], (
            f"{tag} was given the variables {sorted(variables or [])}; expected exactly the "
            f"{owner}'s trainable variables {sorted(paths[owner])}"
        )
        if before is None:  # the step is compiled: the variable sets above are all we can see
            continue
        assert not any(_moved(before[other], after[other])), (
            f"{tag}'s update changed the {other}'s weights"
        )
        assert all(_moved(before[owner], after[owner])), (
            f"{tag}'s update left some {owner} weight unchanged"
        )


class TrainingProbe(keras.layers.Layer):
    """An identity layer that records the `training` flag of every call. (It keeps the list's
    append method: Keras would wrap a list stored on a layer into a tracked copy.)"""

    def __init__(self, seen, **kwargs):
        super().__init__(**kwargs)
        self._record = seen.append

    def call(self, inputs, training=None):
        self._record(training)
        return inputs


def test_gan_train_step_calls_both_models_in_training_mode(kata):
    """Every call of the generator and the discriminator in the step has training=True (Dropout
    and BatchNormalization behave differently in training): a probe layer in each records it."""
    seen = {"generator": [], "discriminator": []}
    generator, discriminator = tiny_gan()
    generator = keras.Sequential(
        [keras.Input((NOISE_DIM,)), TrainingProbe(seen["generator"]), *generator.layers]
    )
    discriminator = keras.Sequential(
        [keras.Input((DATA_DIM,)), TrainingProbe(seen["discriminator"]), *discriminator.layers]
    )
    for flags in seen.values():
        flags.clear()  # building the Sequentials called the probes symbolically
    real, noise = gan_batch()
    kata.gan_train_step(
        generator, discriminator, keras.optimizers.SGD(), keras.optimizers.SGD(), real, noise
    )
    for name, flags in seen.items():
        assert flags and all(flag is True for flag in flags), (
            f"gan_train_step called the {name} with training={flags}; expected training=True "
            "every time"
        )


def test_gan_train_step_returns_scalar_losses(kata):
    """The step returns (d_loss, g_loss), two finite float32 scalar tensors."""
    generator, discriminator = tiny_gan()
    real, noise = gan_batch()
    result = kata.gan_train_step(
        generator, discriminator, keras.optimizers.Adam(), keras.optimizers.Adam(), real, noise
    )
    assert isinstance(result, tuple) and len(result) == 2, f"gan_train_step returned {result!r}"
    for name, loss in zip(("d_loss", "g_loss"), result, strict=True):
        assert_tensor(loss, call=f"gan_train_step(...) -> {name}", shape=(), dtype=tf.float32)
        assert np.isfinite(loss.numpy()), f"gan_train_step(...) -> {name} is {loss.numpy()}"


def test_gan_train_step_rejects_one_shared_optimizer(kata):
    """An optimizer holds per-variable state: one optimizer for both networks is a ValueError."""
    generator, discriminator = tiny_gan()
    real, noise = gan_batch()
    opt = keras.optimizers.SGD()
    assert_raises_naming(
        ValueError,
        "d_optimizer",
        kata.gan_train_step,
        generator,
        discriminator,
        opt,
        opt,
        real,
        noise,
        call="gan_train_step(G, D, opt, opt, real, noise)",
    )


@pytest.mark.parametrize("argument", ["generator", "discriminator", "g_optimizer", "d_optimizer"])
def test_gan_train_step_rejects_wrong_kinds_of_objects(kata, argument):
    """Models must be keras.Models and optimizers keras optimizers: TypeError naming the argument."""
    generator, discriminator = tiny_gan()
    real, noise = gan_batch()
    args = dict(
        generator=generator,
        discriminator=discriminator,
        g_optimizer=keras.optimizers.SGD(),
        d_optimizer=keras.optimizers.SGD(),
        real_batch=real,
        noise=noise,
    )
    args[argument] = "sgd" if argument.endswith("optimizer") else (lambda x: x)
    assert_raises_naming(
        TypeError, argument, kata.gan_train_step, **args, call=f"gan_train_step({argument}=<wrong>)"
    )


# ------------------------------------------------------------------ a GAN that learns


def test_a_one_dimensional_gan_learns_the_mean_of_a_normal(kata):
    """A linear generator and a 16-unit discriminator trained 300 steps with these losses move the
    generated samples' mean from about 0 to the data's mean 3 (data: N(3, 0.5))."""
    mu, sigma, steps, batch = 3.0, 0.5, 300, 64
    generator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    discriminator = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)]
    )
    g_opt = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.5)
    d_opt = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.5)
    rng = np.random.default_rng(0)
    reals = tf.constant(rng.normal(mu, sigma, (steps, batch, 1)).astype(np.float32))
    noises = tf.constant(rng.normal(size=(steps, batch, 1)).astype(np.float32))

    @tf.function  # compiled: 300 eager steps would take seconds
    def train():
        for i in tf.range(steps):
            with tf.GradientTape() as tape:
                d_loss = kata.discriminator_loss(
                    discriminator(reals[i]), discriminator(generator(noises[i]))
                )
            d_vars = discriminator.trainable_variables
            d_opt.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars, strict=True))
            with tf.GradientTape() as tape:
                g_loss = kata.generator_loss(discriminator(generator(noises[i])))
            g_vars = generator.trainable_variables
            g_opt.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars, strict=True))

    start = float(np.mean(generator(rng.normal(size=(4096, 1)).astype(np.float32))))
    kata.generator_loss(discriminator(generator(noises[0])))  # eagerly once: errors read better
    train()
    mean = float(np.mean(generator(rng.normal(size=(4096, 1)).astype(np.float32))))
    # GAN training oscillates around the optimum: across seeds 0-5 the reference ends within 0.15
    # of the data mean; 0.3 (0.6 sigma) leaves room while still requiring a move of 2.7 or more.
    assert abs(start - mu) > 1.0, f"the untrained generator's mean {start:.3f} is already near {mu}"
    assert abs(mean - mu) < 0.3, (
        f"after {steps} steps the generated mean is {mean:.3f} (started at {start:.3f}); "
        f"expected within 0.3 of the data mean {mu}"
    )
