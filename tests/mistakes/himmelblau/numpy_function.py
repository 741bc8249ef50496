"""Writes f with NumPy (np.asarray, np.square): the value is right but it is a NumPy array, and
a tape cannot differentiate through NumPy, so minimize gets no gradient.

Rejected by: test_himmelblau_matches_the_formula_over_the_last_axis, test_himmelblau_is_differentiable_by_a_tape
"""


def himmelblau(p):
    p = np.asarray(p.numpy() if hasattr(p, "numpy") else p)
    if p.dtype.kind != "f":
        p = p.astype(np.float32)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must have shape [..., 2], got {list(p.shape)}")
    x, y = p[..., 0], p[..., 1]
    return np.square(x**2 + y - 11.0) + np.square(x + y**2 - 7.0)
