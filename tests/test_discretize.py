"""discretize: continuous values and observations to bin indices for a Q-table."""

import math
from fractions import Fraction

import gymnasium as gym
import keras
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from kata_testing import assert_raises_naming, call_str

FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)


@st.composite
def intervals(draw):
    low = draw(FINITE, label="low")
    width = draw(st.floats(1e-3, 1e6, allow_subnormal=False), label="high - low")
    high = low + width
    assume(high > low)
    return low, high


def _exact_ratio(value, low, high, n_bins):
    """(n_bins − 1)·(value − low)/(high − low), computed exactly."""
    return (n_bins - 1) * (Fraction(value) - Fraction(low)) / (Fraction(high) - Fraction(low))


def _allowed_bins(value, low, high, n_bins):
    """The bins a correct discretize may return: the clip cases exactly; in between, the exact
    ratio rounded half to even, plus the other neighbour when the ratio is within float rounding
    (1e-9 relative) of a half, where the order of the float operations may tip the result."""
    if value <= low:
        return {0}
    if value >= high:
        return {n_bins - 1}
    ratio = _exact_ratio(value, low, high, n_bins)
    allowed = {round(ratio)}
    floor = math.floor(ratio)
    if abs(ratio - floor - Fraction(1, 2)) <= 1e-9 * max(1, ratio):
        allowed |= {floor, floor + 1}
    return allowed


def _assert_bin(result, call):
    if isinstance(result, bool) or not isinstance(result, (int, np.integer)):
        raise AssertionError(
            f"{call} returned {result!r} ({type(result).__name__}); expected an int"
        )


# ------------------------------------------------------------------ discretize


@given(interval=intervals(), n_bins=st.integers(1, 60), data=st.data())
def test_discretize_rounds_the_scaled_value(kata, interval, n_bins, data):
    """discretize is round((n_bins − 1)·(value − low)/(high − low)) inside [low, high], 0 at or
    below low, n_bins − 1 at or above high: an int in [0, n_bins − 1]."""
    low, high = interval
    width = high - low
    value = data.draw(
        st.floats(low - width / 4, high + width / 4, allow_subnormal=False), label="value"
    )
    call = call_str("discretize", value, low, high, n_bins)
    result = kata.discretize(value, low, high, n_bins)
    _assert_bin(result, call)
    allowed = _allowed_bins(value, low, high, n_bins)
    assert result in allowed, (
        f"{call} returned {result}; expected {sorted(allowed)} "
        f"(exact scaled value {float(_exact_ratio(value, low, high, n_bins)):.6g})"
    )


@given(interval=intervals(), n_bins=st.integers(1, 30), data=st.data())
def test_discretize_is_monotone(kata, interval, n_bins, data):
    """A larger value never lands in a lower bin."""
    low, high = interval
    width = high - low
    values = st.floats(low - width / 2, high + width / 2, allow_subnormal=False)
    a, b = sorted([data.draw(values, label="a"), data.draw(values, label="b")])
    first, second = kata.discretize(a, low, high, n_bins), kata.discretize(b, low, high, n_bins)
    assert first <= second, (
        f"{call_str('discretize', a, low, high, n_bins)} = {first} but "
        f"{call_str('discretize', b, low, high, n_bins)} = {second}"
    )


@pytest.mark.parametrize(
    "value", [-3.0, -1.0, -1e300, -math.inf], ids=["below", "at_low", "huge", "-inf"]
)
def test_discretize_clips_at_low(kata, value):
    """Values at or below low are bin 0 (infinite ones too)."""
    result = kata.discretize(value, -1.0, 1.0, 7)
    _assert_bin(result, call_str("discretize", value, -1.0, 1.0, 7))
    assert result == 0, (
        f"{call_str('discretize', value, -1.0, 1.0, 7)} returned {result}; expected 0"
    )


@pytest.mark.parametrize(
    "value", [3.0, 1.0, 1e300, math.inf], ids=["above", "at_high", "huge", "inf"]
)
def test_discretize_clips_at_high(kata, value):
    """Values at or above high are bin n_bins − 1 (infinite ones too)."""
    result = kata.discretize(value, -1.0, 1.0, 7)
    _assert_bin(result, call_str("discretize", value, -1.0, 1.0, 7))
    assert result == 6, (
        f"{call_str('discretize', value, -1.0, 1.0, 7)} returned {result}; expected 6"
    )


@pytest.mark.parametrize(
    "value, low, high, n_bins",
    [(v, 0.0, 4.0, 5) for v in (0.5, 1.5, 2.5, 3.5)] + [(-0.5, -1.0, 1.0, 3), (0.5, -1.0, 1.0, 3)],
)
def test_discretize_rounds_exact_halves_like_python_round(kata, value, low, high, n_bins):
    """Exact halves (representable, whatever the order of the float operations) round as Python's
    round does: half to even (0.5 → 0, 1.5 → 2, 2.5 → 2, 3.5 → 4)."""
    scaled = (n_bins - 1) * (value - low) / (high - low)
    assert scaled % 1 == 0.5  # the test's own premise: an exact half
    expected = round(scaled)
    call = call_str("discretize", value, low, high, n_bins)
    result = kata.discretize(value, low, high, n_bins)
    assert result == expected, f"{call} returned {result}; expected round({scaled}) = {expected}"


def test_discretize_worked_examples(kata):
    """0.3 in [−1, 1] with 5 bins: round(4 · 1.3 / 2) = round(2.6) = 3; one bin is always 0."""
    assert kata.discretize(0.3, -1.0, 1.0, 5) == 3, "discretize(0.3, -1.0, 1.0, 5) should be 3"
    assert kata.discretize(-0.3, -1.0, 1.0, 5) == 1, "discretize(-0.3, -1.0, 1.0, 5) should be 1"
    for value in (-5.0, 0.0, 0.7, 5.0):
        assert kata.discretize(value, -1.0, 1.0, 1) == 0, (
            f"discretize({value}, -1, 1, 1) should be 0"
        )


@given(n_bins=st.integers(2, 12), seed=st.integers(0, 2**16))
def test_discretize_agrees_with_keras_discretization_off_the_midpoints(kata, n_bins, seed):
    """Rounding to the nearest bin is keras.layers.Discretization with boundaries at the midpoints
    between bin centres (compared away from the midpoints, where ties and float32 differ)."""
    low, high = -2.5, 4.0
    centres = np.linspace(low, high, n_bins)
    layer = keras.layers.Discretization(bin_boundaries=list((centres[:-1] + centres[1:]) / 2))
    values = np.random.default_rng(seed).uniform(low - 1, high + 1, size=40)
    scaled = (n_bins - 1) * (values - low) / (high - low)
    values = values[np.abs(scaled - np.floor(scaled) - 0.5) > 1e-4]
    expected = np.asarray(layer(values.astype(np.float32)))
    got = np.array([kata.discretize(float(v), low, high, n_bins) for v in values])
    mismatch = np.flatnonzero(got != expected)
    assert mismatch.size == 0, (
        f"{call_str('discretize', values[mismatch[0]], low, high, n_bins)} returned "
        f"{got[mismatch[0]]}; keras.layers.Discretization gives {expected[mismatch[0]]}"
    )


@pytest.mark.parametrize("n_bins", [0, -3], ids=["zero", "negative"])
def test_discretize_rejects_fewer_than_one_bin(kata, n_bins):
    """n_bins < 1 is a ValueError naming n_bins."""
    assert_raises_naming(ValueError, "n_bins", kata.discretize, 0.0, -1.0, 1.0, n_bins)


def test_discretize_rejects_a_fractional_number_of_bins(kata):
    """n_bins must be an int: 2.5 is a TypeError or ValueError naming n_bins."""
    assert_raises_naming((TypeError, ValueError), "n_bins", kata.discretize, 0.0, -1.0, 1.0, 2.5)


@pytest.mark.parametrize("low, high", [(1.0, 1.0), (2.0, -2.0)], ids=["equal", "reversed"])
def test_discretize_rejects_an_empty_interval(kata, low, high):
    """low >= high is a ValueError naming low (and high)."""
    assert_raises_naming(ValueError, "low", kata.discretize, 0.0, low, high, 5)


@pytest.mark.parametrize(
    "argument, low, high",
    [("low", -math.inf, 1.0), ("high", -1.0, math.inf), ("low", math.nan, 1.0)],
    ids=["low_-inf", "high_inf", "low_nan"],
)
def test_discretize_rejects_bounds_that_are_not_finite(kata, argument, low, high):
    """An infinite (or NaN) bound is a ValueError naming it: scaling by an infinite width would
    put every value in bin 0 or make it NaN."""
    assert_raises_naming(ValueError, argument, kata.discretize, 0.25, low, high, 5)


def test_discretize_rejects_a_nan_value(kata):
    """A NaN value has no bin: ValueError naming value."""
    assert_raises_naming(ValueError, "value", kata.discretize, math.nan, -1.0, 1.0, 5)


# ------------------------------------------------------------------ discretize_state


@st.composite
def observations(draw):
    dims = draw(st.integers(1, 5), label="dimensions")
    bounds = [draw(intervals(), label=f"bounds[{i}]") for i in range(dims)]
    n_bins = [draw(st.integers(1, 12), label=f"n_bins[{i}]") for i in range(dims)]
    obs = [
        draw(
            st.floats(lo - (hi - lo) / 4, hi + (hi - lo) / 4, allow_subnormal=False),
            label=f"obs[{i}]",
        )
        for i, (lo, hi) in enumerate(bounds)
    ]
    return np.array(obs), bounds, n_bins


@given(case=observations())
def test_discretize_state_discretizes_each_dimension_into_a_tuple(kata, case):
    """One bin per dimension, as a tuple of ints: an index into a table of shape [*n_bins, A]."""
    obs, bounds, n_bins = case
    call = call_str("discretize_state", obs, bounds, n_bins)
    state = kata.discretize_state(obs, bounds, n_bins)
    assert isinstance(state, tuple), (
        f"{call} returned {type(state).__name__} {state!r}; expected a tuple (a list indexes a "
        "NumPy table element by element)"
    )
    assert len(state) == len(obs), f"{call} returned {len(state)} bins; expected {len(obs)}"
    for i, (value, (low, high), bins, got) in enumerate(
        zip(obs, bounds, n_bins, state, strict=True)
    ):
        _assert_bin(got, f"{call}[{i}]")
        allowed = _allowed_bins(value, low, high, bins)
        assert got in allowed, f"{call}[{i}] is {got}; expected {sorted(allowed)}"
    q_table = np.zeros((*n_bins, 2))
    assert q_table[state].shape == (2,), f"q_table[{state!r}] should select one row of 2 actions"


def test_discretize_state_worked_example(kata):
    """CartPole-like: [0, 2, 0.1, 0] with bins (1, 1, 6, 3) is (0, 0, 3, 1)."""
    bounds = [(-4.8, 4.8), (-0.5, 0.5), (-0.42, 0.42), (-0.9, 0.9)]
    state = kata.discretize_state([0.0, 2.0, 0.1, 0.0], bounds, (1, 1, 6, 3))
    assert state == (0, 0, 3, 1), f"discretize_state([0, 2, 0.1, 0], ...) returned {state!r}"


def test_discretize_state_on_cartpole_with_caller_bounds(kata):
    """CartPole declares infinite velocity bounds: passing them is a ValueError naming bounds;
    with finite bounds chosen by the caller every observation gets a valid state."""
    env = gym.make("CartPole-v1")
    space = env.observation_space
    declared = list(zip(space.low.tolist(), space.high.tolist(), strict=True))
    obs, _ = env.reset(seed=3)
    assert_raises_naming(ValueError, "bounds", kata.discretize_state, obs, declared, [3, 3, 6, 3])
    bounds = [declared[0], (-0.5, 0.5), declared[2], (-math.radians(50), math.radians(50))]
    n_bins = (3, 3, 6, 3)
    env.action_space.seed(3)
    seen = set()
    for _ in range(200):
        state = kata.discretize_state(obs, bounds, n_bins)
        call = call_str("discretize_state", obs, "<bounds>", n_bins)
        assert isinstance(state, tuple) and len(state) == 4, f"{call} returned {state!r}"
        for i, (value, (low, high), bins) in enumerate(zip(obs, bounds, n_bins, strict=True)):
            allowed = _allowed_bins(float(value), low, high, bins)
            assert state[i] in allowed, f"{call}[{i}] is {state[i]}; expected {sorted(allowed)}"
        seen.add(state)
        obs, _, terminated, truncated, _ = env.step(env.action_space.sample())
        if terminated or truncated:
            obs, _ = env.reset()
    env.close()
    assert len(seen) > 5, f"200 CartPole steps visited only {len(seen)} discrete states"


@pytest.mark.parametrize(
    "argument, obs, bounds, n_bins",
    [
        ("bounds", [0.0, 1.0], [(-1.0, 1.0)], [3, 3]),
        ("n_bins", [0.0, 1.0], [(-1.0, 1.0), (0.0, 2.0)], [3]),
        ("bounds", [0.0, 1.0], [(-1.0, 1.0), (2.0, 0.0)], [3, 3]),
        ("n_bins", [0.0, 1.0], [(-1.0, 1.0), (0.0, 2.0)], [3, 0]),
        ("obs", [[0.0, 1.0]], [(-1.0, 1.0), (0.0, 2.0)], [3, 3]),
        ("obs", [0.0, math.nan], [(-1.0, 1.0), (0.0, 2.0)], [3, 3]),
    ],
    ids=["too_few_bounds", "too_few_n_bins", "reversed_pair", "zero_bins", "obs_2d", "obs_nan"],
)
def test_discretize_state_rejects_mismatched_arguments(kata, argument, obs, bounds, n_bins):
    """Lengths that do not match, a reversed pair, zero bins, a 2-D obs or an obs holding NaN:
    ValueError naming it."""
    assert_raises_naming(ValueError, argument, kata.discretize_state, obs, bounds, n_bins)


def test_discretize_state_accepts_numpy_arguments(kata):
    """A float32 observation array, bounds as a NumPy array [d, 2] and n_bins as a NumPy int array
    give the same tuple of ints as the same numbers in Python lists."""
    obs = [0.0, 2.0, 0.1, 0.0]
    bounds = [(-4.8, 4.8), (-0.5, 0.5), (-0.42, 0.42), (-0.9, 0.9)]
    n_bins = [1, 1, 6, 3]
    expected = kata.discretize_state(obs, bounds, n_bins)
    got = kata.discretize_state(
        np.array(obs, np.float32), np.array(bounds), np.array(n_bins, np.int64)
    )
    call = "discretize_state(float32 obs, bounds array [4, 2], int64 n_bins array)"
    assert isinstance(got, tuple), f"{call} returned {type(got).__name__} {got!r}; expected a tuple"
    for i, value in enumerate(got):
        _assert_bin(value, f"{call}[{i}]")
    assert got == expected, f"{call} returned {got}; with Python lists it is {expected}"


@pytest.mark.parametrize(
    "args, expected",
    [
        ((3, 0, 10, 11), 3),
        ((np.float32(0.3), np.float64(-1.0), 1, np.int64(5)), 3),
        ((np.array(7.0), -10, 10, np.int32(5)), 3),
    ],
    ids=["python_ints", "numpy_scalars", "zero_d_array"],
)
def test_discretize_accepts_ints_and_numpy_numbers(kata, args, expected):
    """Integer values and bounds, NumPy scalars and 0-d arrays work like Python floats, and an
    n_bins given as a NumPy integer is an int."""
    call = call_str("discretize", *args)
    result = kata.discretize(*args)
    _assert_bin(result, call)
    assert result == expected, f"{call} returned {result}; expected {expected}"
