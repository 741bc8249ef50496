# Kata discretize: fill in every function below, then run `kata check discretize`.
# Stuck? `kata hint discretize` gives hints, from a nudge to nearly the answer.

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
    raise NotImplementedError("discretize: your code here (`kata hint discretize`)")


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
    raise NotImplementedError("discretize_state: your code here (`kata hint discretize`)")
