"""Lets discretize find the NaN and wraps every error of a dimension as a problem with bounds: an
observation holding NaN is reported as "bounds[1] = (0.0, 2.0): value is NaN", not as obs.

Rejected by: test_discretize_state_rejects_mismatched_arguments
"""


def discretize_state(obs, bounds, n_bins):
    obs = np.asarray(obs, dtype=np.float64)
    if obs.ndim != 1:
        raise ValueError(f"obs must be 1-D, got shape {list(obs.shape)}")
    bounds, n_bins = list(bounds), list(n_bins)
    if len(bounds) != len(obs):
        raise ValueError(f"bounds must hold {len(obs)} pairs, got {len(bounds)}")
    if len(n_bins) != len(obs):
        raise ValueError(f"n_bins must hold {len(obs)} ints, got {len(n_bins)}")
    state = []
    for i, (value, pair, bins) in enumerate(zip(obs, bounds, n_bins, strict=True)):
        bins = _check_n_bins(bins, f"n_bins[{i}]")
        try:
            state.append(discretize(value, pair[0], pair[1], bins))
        except ValueError as exc:
            raise ValueError(f"bounds[{i}] = {tuple(pair)!r}: {exc}") from None
    return tuple(state)
