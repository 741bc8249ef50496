"""Kata: turning continuous observations into table indices.

Tabular methods (Q-learning with a table) need a finite set of states, but environments such as
CartPole observe real numbers: cart position, cart velocity, pole angle, pole angular velocity.
The classic fix is to cut each dimension into `n_bins` bins and use the tuple of bin indices as
the state, an index into a table of shape [n_bins_0, n_bins_1, ..., n_actions].

For one number: values at or below `low` go to bin 0, values at or above `high` to the last bin
(n_bins − 1), and values in between are scaled linearly to [0, n_bins − 1] and *rounded* to the
nearest bin:

    bin = round((n_bins − 1) · (value − low) / (high − low))

Python's `round` rounds halves to even (round(0.5) == 0, round(2.5) == 2), as does `np.rint`.
With n_bins = 1 everything is bin 0: a dimension you choose to ignore.

`low` and `high` must be finite. CartPole's observation space declares its velocities unbounded
(`env.observation_space.high` holds `inf`), and (value − low) / (high − low) is then NaN or 0 for
every value: the caller has to choose finite bounds for those dimensions, e.g. (−0.5, 0.5) for the
cart velocity and (−math.radians(50), math.radians(50)) for the pole's angular velocity. Clipping
does the rest: a faster velocity simply lands in an end bin.
"""

import math

import numpy as np


def _check_n_bins(n_bins, name="n_bins"):
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)):
        raise TypeError(f"{name} must be an int, not {type(n_bins).__name__}")
    if n_bins < 1:
        raise ValueError(f"{name} must be >= 1, got {n_bins}")
    return int(n_bins)


def _finite(number, name):
    try:
        number = float(number)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {number!r}") from None
    if not math.isfinite(number):
        raise ValueError(
            f"{name} must be finite, got {number} (for an unbounded dimension such as CartPole's "
            "velocities, pass finite bounds of your own choice)"
        )
    return number


def discretize(value, low, high, n_bins):
    """The bin (an int in [0, n_bins − 1]) of the number `value` when [low, high] is cut into
    `n_bins` bins.

    value <= low → 0; value >= high → n_bins − 1; otherwise
    round((n_bins − 1) · (value − low) / (high − low)) with Python's round (halves to even).
    Infinite values are clipped like any other. Errors: n_bins not an int ≥ 1 (TypeError or
    ValueError naming n_bins); low or high not finite, or low >= high (ValueError naming them);
    value NaN (ValueError naming value).

    Example: discretize(0.3, -1.0, 1.0, 5) == round(4 · 1.3 / 2) == round(2.6) == 3.
    """
    n_bins = _check_n_bins(n_bins)
    low = _finite(low, "low")
    high = _finite(high, "high")
    if low >= high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    value = float(value)
    if math.isnan(value):
        raise ValueError("value is NaN")
    if value <= low:
        return 0
    if value >= high:
        return n_bins - 1
    return round((n_bins - 1) * (value - low) / (high - low))


def discretize_state(obs, bounds, n_bins):
    """The tuple of bins of an observation, one `discretize` per dimension: a ready-made index
    into a Q-table of shape [*n_bins, n_actions].

    `obs` is 1-D (a list or array of d numbers), `bounds` d pairs (low, high), `n_bins` d ints.
    Returns a tuple of d Python ints. Different lengths are a ValueError naming bounds or n_bins;
    a bad pair is a ValueError naming bounds (and the index of the pair); an obs that is not 1-D
    or holds NaN is a ValueError naming obs. NumPy arrays and scalars work like lists and floats.

    Example (CartPole, with finite bounds chosen for the velocities):
    discretize_state([0.0, 2.0, 0.1, 0.0], [(-4.8, 4.8), (-0.5, 0.5), (-0.42, 0.42), (-0.9, 0.9)],
    (1, 1, 6, 3)) == (0, 0, 3, 1).
    """
    obs = np.asarray(obs, dtype=np.float64)
    if obs.ndim != 1:
        raise ValueError(f"obs must be 1-D, got shape {list(obs.shape)}")
    if np.isnan(obs).any():
        raise ValueError(f"obs holds NaN: {obs.tolist()}")
    bounds = list(bounds)
    n_bins = list(n_bins)
    if len(bounds) != len(obs):
        raise ValueError(
            f"bounds must hold one (low, high) pair per dimension: got {len(bounds)} "
            f"pairs for {len(obs)} dimensions"
        )
    if len(n_bins) != len(obs):
        raise ValueError(
            f"n_bins must hold one int per dimension: got {len(n_bins)} for {len(obs)} dimensions"
        )
    state = []
    for i, (value, pair, bins) in enumerate(zip(obs, bounds, n_bins, strict=True)):
        bins = _check_n_bins(bins, f"n_bins[{i}]")
        try:
            low, high = pair
        except (TypeError, ValueError):
            raise ValueError(f"bounds[{i}] must be a (low, high) pair, got {pair!r}") from None
        try:
            state.append(discretize(value, low, high, bins))
        except ValueError as exc:
            raise ValueError(f"bounds[{i}] = {pair!r}: {exc}") from None
    return tuple(state)
