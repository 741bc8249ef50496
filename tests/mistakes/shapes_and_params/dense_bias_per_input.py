"""Gives every input a bias instead of every unit: input_dim·(units + 1) rather than
(input_dim + 1)·units (right only when input_dim equals units).

Rejected by: test_dense_param_count_matches_keras, test_worked_example_dense_784_to_300
"""


def dense_param_count(input_dim, units, use_bias=True):
    input_dim = _positive_int(input_dim, "input_dim")
    units = _positive_int(units, "units")
    return input_dim * units + (input_dim if use_bias else 0)
