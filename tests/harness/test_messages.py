"""The short failure messages: the same text in every run, whatever the process."""

from __future__ import annotations

import numpy as np

from tfkata.messages import summarize


def _assertion_from(values: np.ndarray) -> AssertionError:
    try:
        assert np.all(values > 0), f"not all positive, checked with {np.all}"
    except AssertionError as exc:
        return exc
    raise RuntimeError("the assertion should have failed")


def test_messages_carry_no_memory_addresses():
    reason, message = summarize(_assertion_from(np.array([1.0, -1.0])), None, "custom_loss")
    assert reason == "assertion"
    assert "not all positive, checked with <function all>" in message
    assert " at 0x" not in message


def _assertion_message(check, *args, **kwargs) -> str:
    try:
        check(*args, **kwargs)
    except AssertionError as exc:
        return str(exc)
    raise RuntimeError("the check should have failed")


def test_a_float32_vs_float64_mismatch_shows_the_difference_and_the_dtypes():
    """float32's 0.7 against float64's 0.7: enough digits to tell them apart, and a note that the
    gap is the dtypes' rounding (no such note when the values are plainly different)."""
    from kata_testing.assertions import assert_close

    message = _assertion_message(
        assert_close, np.float32(0.7), np.float64(0.7), call="f(0.7)", rtol=1e-12, atol=0
    )
    assert "first mismatch: 0.69999999 vs 0.7\n" in message, message
    assert "dtypes differ: returned float32, expected float64; the gap is float32 rounding" in (
        message
    ), message
    far_apart = _assertion_message(
        assert_close, np.float16(3.0), np.float64(2.0), call="square_grad(1.0)"
    )
    assert "first mismatch: 3 vs 2" in far_apart and "dtypes" not in far_apart, far_apart
    same_dtype = _assertion_message(
        assert_close, np.array([1.0, 2.0]), np.array([1.0, 2.5]), call="g()"
    )
    assert "first mismatch at index [1]: 2 vs 2.5" in same_dtype, same_dtype
    assert "dtypes differ" not in same_dtype, same_dtype


def test_call_strings_show_python_values_as_passed():
    """A tuple stays a tuple and a list a list; arrays keep their shape and dtype."""
    from kata_testing.assertions import call_str

    assert call_str("conv2d_param_count", 3, 8, (3, 3, 3)) == "conv2d_param_count(3, 8, (3, 3, 3))"
    assert call_str("f", [0.5, 1], (2,), x=2.0, flag=True) == "f([0.5, 1], (2,), x=2.0, flag=True)"
    assert call_str("g", np.arange(3)) == f"g([0, 1, 2]  (shape [3], {np.arange(3).dtype}))"
    assert call_str("h", list(range(20))) == "h([0, 1, 2, 3, 4, 5, 6, 7, ... (20 items)])"
    assert call_str("k", (np.zeros(2, np.float32), None)) == (
        "k(([0., 0.]  (shape [2], float32), None))"
    )


def test_an_argument_is_named_as_a_whole_identifier():
    """ "'float' object is not callable" does not name f; "f must be callable" does."""
    from kata_testing.assertions import assert_raises_naming

    def fails_with(message):
        def fn():
            raise TypeError(message)

        return fn

    message = _assertion_message(
        assert_raises_naming, TypeError, "f", fails_with("'float' object is not callable")
    )
    assert "should name the argument 'f'" in message, message
    for ok in ("f must be callable", "`f`=3.0 is not callable", "bad f: 3", "f(x) failed"):
        assert_raises_naming(TypeError, "f", fails_with(ok))
    assert_raises_naming(TypeError, ("y", "x"), fails_with("x has 3 rows"))
    message = _assertion_message(
        assert_raises_naming, TypeError, ("y", "x"), fails_with("xs and ys differ")
    )
    assert "should name the argument 'y' or 'x'" in message, message
