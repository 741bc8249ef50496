"""Checks `hidden_units` with isinstance(..., (list, tuple)): a tuple is accepted, although the
contract asks for a list and a TypeError for anything else.

Rejected by: test_builders_reject_bad_arguments, test_subclassed_mlp_rejects_bad_arguments
"""


def _check_hidden_units(hidden_units):
    if isinstance(hidden_units, (str, bytes)) or not isinstance(hidden_units, (tuple, list)):
        raise TypeError(
            f"hidden_units must be a list of ints (one per hidden layer), got {hidden_units!r}"
        )
    return [_positive_int(units, "hidden_units") for units in hidden_units]
