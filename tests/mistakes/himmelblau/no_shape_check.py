"""Never checks that the last axis holds pairs: p of shape [3] or [4, 1] is read with p[..., 0]
and p[..., 1] (ignoring a third coordinate, or failing inside TensorFlow), instead of a
ValueError naming p.

Rejected by: test_himmelblau_rejects_points_that_are_not_pairs
"""


def himmelblau(p):
    p = _as_float(p, "p")
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2
