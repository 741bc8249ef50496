"""NumPy throughout: clip the scaled value to [0, n_bins − 1] and round with np.rint (halves to
even, like round); discretize_state does every dimension at once."""

import numpy as np


def discretize(value, low, high, n_bins):
    if not isinstance(n_bins, (int, np.integer)) or isinstance(n_bins, bool):
        raise TypeError(f"n_bins must be an integer, got {n_bins!r}")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    if not np.isfinite(low):
        raise ValueError(f"low must be finite, got {low}")
    if not np.isfinite(high):
        raise ValueError(f"high must be finite, got {high}")
    if not low < high:
        raise ValueError(f"need low < high, got low={low}, high={high}")
    if np.isnan(value):
        raise ValueError("value must not be NaN")
    if value <= low:
        return 0
    if value >= high:
        return int(n_bins - 1)
    scaled = (n_bins - 1) * (value - low) / (high - low)
    return int(np.rint(np.clip(scaled, 0, n_bins - 1)))


def discretize_state(obs, bounds, n_bins):
    obs = np.asarray(obs, dtype=np.float64)
    if obs.ndim != 1:
        raise ValueError(f"obs must be a vector, got {obs.ndim} dimensions")
    bounds = np.asarray(bounds, dtype=np.float64)
    if bounds.shape != (len(obs), 2):
        raise ValueError(f"bounds must have shape [{len(obs)}, 2], got {list(bounds.shape)}")
    bins = np.asarray(n_bins)
    if bins.shape != (len(obs),) or not np.issubdtype(bins.dtype, np.integer) or (bins < 1).any():
        raise ValueError(f"n_bins must be {len(obs)} ints >= 1, got {n_bins!r}")
    low, high = bounds[:, 0], bounds[:, 1]
    if not (np.isfinite(bounds).all() and (low < high).all()):
        raise ValueError(f"bounds must be finite pairs with low < high, got {bounds.tolist()}")
    if np.isnan(obs).any():
        raise ValueError("obs must not hold NaN")
    with np.errstate(invalid="ignore"):
        scaled = (bins - 1) * (obs - low) / (high - low)
    scaled = np.where(obs <= low, 0, np.where(obs >= high, bins - 1, scaled))
    return tuple(int(b) for b in np.rint(scaled))
