"""Takes x, y = p[0], p[1]: right for a single point [2], but on a batch [n, 2] those are the first
two *points*, not the coordinates of every point.

Rejected by: test_himmelblau_matches_the_formula_over_the_last_axis, test_himmelblau_worked_examples
"""


def himmelblau(p):
    p = _as_float(p, "p")
    if p.shape.rank == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must have shape [..., 2], got {p.shape.as_list()}")
    x, y = p[0], p[1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2
