"""Shared helpers for the kata tests: friendly assertions and hypothesis strategies.

Every test file uses these instead of bare `np.testing` calls, so that a failing check reads as
"the call, what it returned, what was expected" in a few lines."""

from kata_testing.assertions import (
    assert_close,
    assert_raises_naming,
    assert_tensor,
    call_str,
    fmt,
    to_numpy,
    tolerance,
)
from kata_testing.strategies import float_arrays, float_dtypes, shapes

__all__ = [
    "assert_close",
    "assert_raises_naming",
    "assert_tensor",
    "call_str",
    "float_arrays",
    "float_dtypes",
    "fmt",
    "shapes",
    "to_numpy",
    "tolerance",
]
