"""himmelblau: f(x, y) = (x² + y − 11)² + (x + y² − 7)² over a batch of points, and plain gradient
descent on it."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import assume, given
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

# The four minima as usually quoted (6 decimals); refined below to float64 precision.
QUOTED_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


def f_closed(x, y):
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def grad_closed(x, y):
    u, v = x**2 + y - 11.0, x + y**2 - 7.0
    return np.stack([4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v], axis=-1)


def hessian_closed(x, y):
    u, v = x**2 + y - 11.0, x + y**2 - 7.0
    fxy = 4.0 * x + 4.0 * y
    return np.array([[8.0 * x**2 + 4.0 * u + 2.0, fxy], [fxy, 2.0 + 8.0 * y**2 + 4.0 * v]])


def refined_minimum(quoted):
    """Newton's method from the quoted 6-decimal point, in float64."""
    p = np.array(quoted, dtype=np.float64)
    for _ in range(8):
        p = p - np.linalg.solve(hessian_closed(*p), grad_closed(*p))
    assert np.abs(p - quoted).max() < 1e-6, (quoted, p)  # the quoted numbers are right
    return p


MINIMA = [refined_minimum(m) for m in QUOTED_MINIMA]
MINIMA_IDS = ["(3, 2)", "(-2.81, 3.13)", "(-3.78, -3.28)", "(3.58, -1.85)"]


def descend(start, learning_rate, steps):
    """Plain gradient descent with the closed-form gradient, in float64; also the largest |p|."""
    p = np.array(start, dtype=np.float64)
    largest = np.abs(p).max()
    for _ in range(steps):
        p = p - learning_rate * grad_closed(*p)
        largest = max(largest, np.abs(p).max())
    return p, largest


# ------------------------------------------------------------------ himmelblau


@st.composite
def point_batches(draw):
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64]), label="dtype")
    bound = 3.0 if dtype == np.float16 else 6.0  # float16 stays far from its 65504 limit
    batch_shape = draw(shapes(max_dims=3, max_side=4), label="batch shape")
    return draw(float_arrays(dtype, (*batch_shape, 2), -bound, bound), label="p")


@given(p=point_batches())
def test_himmelblau_matches_the_formula_over_the_last_axis(kata, p):
    """f(x, y) = (x² + y − 11)² + (x + y² − 7)² for every point of a [..., 2] batch: shape [...]."""
    call = call_str("himmelblau", p)
    result = kata.himmelblau(tf.constant(p))
    assert_tensor(result, call=call, shape=p.shape[:-1], dtype=p.dtype)
    x, y = p[..., 0].astype(np.float64), p[..., 1].astype(np.float64)
    # Each square is of a sum of terms no larger than its |terms|: rounding errors scale with
    # the squares of those magnitudes, so the absolute tolerance does too.
    size = (x**2 + np.abs(y) + 11.0) ** 2 + (np.abs(x) + y**2 + 7.0) ** 2
    tol = 10 * tolerance(p.dtype)
    assert_close(result, f_closed(x, y), call=call, rtol=tol, atol=tol * size.max(initial=1.0))


@pytest.mark.parametrize(
    "p, expected",
    [
        ([0.0, 0.0], 170.0),  # 11² + 7²
        ([1, 1], 106.0),  # (1 + 1 − 11)² + (1 + 1 − 7)² = 81 + 25, from ints
        ([True, True], 106.0),  # bools are numbers too: 1 and 1
        ([3.0, 2.0], 0.0),  # a minimum: both squares vanish
        ([[0.0, 0.0], [3.0, 2.0], [1.0, 1.0]], [170.0, 0.0, 106.0]),  # a batch of three points
    ],
    ids=["origin", "ints", "bools", "minimum", "batch"],
)
def test_himmelblau_worked_examples(kata, p, expected):
    """f(0, 0) = 170, f(1, 1) = 106, f(3, 2) = 0; a [3, 2] batch gives the three values [3]."""
    call = call_str("himmelblau", p)
    result = kata.himmelblau(p)
    assert_tensor(result, call=call, shape=np.shape(expected), dtype=tf.float32)
    assert_close(result, expected, call=call)


@given(p=float_arrays(np.float64, (3, 2), -5.0, 5.0))
def test_himmelblau_is_differentiable_by_a_tape(kata, p):
    """Made of TensorFlow ops, f has the gradient (4x·u + 2v, 2u + 4y·v), u = x² + y − 11,
    v = x + y² − 7, taken by a tape."""
    points = tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(points)
        values = kata.himmelblau(points)
    call = call_str("himmelblau", p)
    if not isinstance(values, tf.Tensor):
        raise AssertionError(f"{call} returned {type(values).__name__}; expected a tf.Tensor")
    grads = tape.gradient(values, points)
    if grads is None:
        raise AssertionError(f"the tape found no gradient of {call}: use TensorFlow ops only")
    assert_close(
        grads, grad_closed(p[:, 0], p[:, 1]), call=f"gradient of {call}", rtol=1e-9, atol=1e-9
    )


def test_himmelblau_vanishes_with_its_gradient_at_the_four_minima(kata):
    """At each of the four minima f = 0 and ∇f = 0 (float64)."""
    points = tf.constant(np.array(MINIMA))
    with tf.GradientTape() as tape:
        tape.watch(points)
        values = kata.himmelblau(points)
    call = call_str("himmelblau", np.array(MINIMA))
    assert_tensor(values, call=call, shape=(4,), dtype=tf.float64)
    # Minima accurate to ~1e-15: f ~ 1e-28 and ∇f ~ 1e-13 in float64.
    assert_close(values, np.zeros(4), call=call, rtol=0, atol=1e-12, what="f = 0")
    grads = tape.gradient(values, points)
    assert_close(
        grads, np.zeros((4, 2)), call=f"gradient of {call}", rtol=0, atol=1e-9, what="∇f = 0"
    )


@pytest.mark.parametrize("p", [np.zeros(3), np.zeros((4, 1)), 2.0], ids=["[3]", "[4, 1]", "scalar"])
def test_himmelblau_rejects_points_that_are_not_pairs(kata, p):
    """The last axis must hold (x, y): any other shape is a ValueError naming p."""
    assert_raises_naming(ValueError, "p", kata.himmelblau, p)


# ------------------------------------------------------------------ minimize


# Two of the four minima, on opposite sides of the origin (200 eager steps cost ~0.5 s each);
# test_himmelblau_vanishes_with_its_gradient_at_the_four_minima covers all four.
@pytest.mark.parametrize("minimum", [MINIMA[0], MINIMA[2]], ids=[MINIMA_IDS[0], MINIMA_IDS[2]])
def test_minimize_from_near_a_minimum_converges_to_it(kata, minimum):
    """From a start within 0.3 of a minimum, the defaults (lr 0.01, 200 steps) reach that minimum."""
    offset = np.random.default_rng(17).uniform(-0.3, 0.3, size=2)
    start = (minimum + offset).astype(np.float32)
    call = call_str("minimize", start)
    result = kata.minimize(tf.constant(start))
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float32)
    # The slowest direction contracts by ≤ 0.74 per step: after 200 steps only float32 noise is
    # left (measured ≤ 2.4e-7; gradient round-off ~1e-5 over curvature ≥ 26 moves p < 1e-6).
    assert_close(result, minimum, call=call, rtol=0, atol=1e-5, what="the nearest minimum")


@given(
    start=float_arrays(np.float64, (2,), -4.5, 4.5),
    # float32-representable: Keras optimizers keep the learning rate in a float32 variable.
    learning_rate=st.floats(1e-4, 0.01).map(lambda lr: float(np.float32(lr))),
    steps=st.integers(0, 10),
)
def test_minimize_takes_plain_gradient_descent_steps(kata, start, learning_rate, steps):
    """Each step is p ← p − lr·∇f(p): no momentum, no adaptive scaling; float64 stays float64."""
    expected, largest = descend(start, learning_rate, steps)
    assume(largest < 6.0)  # far out, a step of lr·∇f overshoots and amplifies round-off
    call = call_str("minimize", start, learning_rate=learning_rate, steps=steps)
    result = kata.minimize(tf.constant(start), learning_rate=learning_rate, steps=steps)
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float64)
    # float64; autodiff and the closed form order their operations differently.
    assert_close(result, expected, call=call, rtol=1e-9, atol=1e-9, what="gradient descent")


def test_minimize_worked_example(kata):
    """At (0, 0) ∇f = (−14, −22): one step of lr 0.01 from the int list [0, 0] is (0.14, 0.22)."""
    call = "minimize([0, 0], steps=1)"
    result = kata.minimize([0, 0], steps=1)
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float32)
    assert_close(result, [0.14, 0.22], call=call)


def test_minimize_with_zero_steps_returns_the_start(kata):
    """No step: the start itself, as a tf.Tensor [2] (not a tf.Variable)."""
    call = "minimize([1.5, -0.5], steps=0)"
    result = kata.minimize([1.5, -0.5], steps=0)
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float32)
    assert_close(result, [1.5, -0.5], call=call, rtol=0, atol=0)


def test_minimize_leaves_the_callers_start_untouched(kata):
    """minimize descends on its own copy: the caller's float64 NumPy array and tf.Variable keep
    their values."""
    start = np.array([0.5, -0.5])
    kata.minimize(start, steps=2)
    if not np.array_equal(start, [0.5, -0.5]):
        raise AssertionError(
            f"minimize(start, steps=2) changed the caller's array start to {start.tolist()}; "
            "work on a copy (tf.Variable(start) copies)"
        )
    variable = tf.Variable([0.5, -0.5], dtype=tf.float64)
    kata.minimize(variable, steps=2)
    if not np.array_equal(variable.numpy(), [0.5, -0.5]):
        raise AssertionError(
            f"minimize(tf.Variable([0.5, -0.5]), steps=2) changed the caller's variable to "
            f"{variable.numpy().tolist()}; descend on a new tf.Variable"
        )


def test_minimize_defaults_are_lr_0_01_and_200_steps(kata):
    """The default learning rate is 0.01 (3 steps) and the default number of steps 200 (at a
    learning rate of 1e-4, too small to converge in 200 steps, so the count shows)."""
    start = np.array([0.5, -0.5])
    call = call_str("minimize", start, steps=3)
    # 1e-7: a Keras optimizer rounds the learning rate to float32 (relative error ≤ 6e-8); the
    # alternatives (lr 1e-3 or 0.1, 199 or 201 steps) are off by more than 1e-4.
    result = kata.minimize(tf.constant(start), steps=3)
    assert_close(
        result, descend(start, 0.01, 3)[0], call=call, rtol=1e-7, atol=1e-7, what="lr 0.01"
    )
    call = call_str("minimize", start, learning_rate=1e-4)
    result = kata.minimize(tf.constant(start), learning_rate=1e-4)
    expected = descend(start, 1e-4, 200)[0]
    assert_close(result, expected, call=call, rtol=1e-7, atol=1e-7, what="200 steps")


@pytest.mark.parametrize(
    "argument, start, steps",
    [("start", [1.0, 2.0, 3.0], 1), ("start", [[1.0, 2.0]], 1), ("steps", [1.0, 2.0], -1)],
    ids=["three_coordinates", "batch_of_one", "negative_steps"],
)
def test_minimize_rejects_bad_input(kata, argument, start, steps):
    """start must be one point [2] and steps ≥ 0: else a ValueError naming the argument."""
    assert_raises_naming(ValueError, argument, kata.minimize, start, steps=steps)
