"""Assertions whose failure message says the call, what it returned and what was expected."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

_TOLERANCES = {"float16": 1e-2, "bfloat16": 2e-2, "float32": 1e-5, "float64": 1e-10}


def tolerance(dtype: Any) -> float:
    """A relative/absolute tolerance suited to a float dtype (float32 when unknown)."""
    name = getattr(dtype, "name", None) or np.dtype(dtype).name
    return _TOLERANCES.get(name, 1e-5)


def to_numpy(value: Any) -> np.ndarray:
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def _is_python_scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float, complex)) and not isinstance(value, np.generic)


def _fmt_sequence(value: list | tuple, max_items: int) -> str:
    """A Python list or tuple as the learner wrote it: `(3, 3, 3)`, `[0.5, 1.0]`, `(x, y)` with
    each array element shortened by fmt()."""
    items = [fmt(v, max_items) for v in value[:max_items]]
    if len(value) > max_items:
        items.append(f"... ({len(value)} items)")
    body = ", ".join(items)
    if isinstance(value, tuple):
        return f"({body},)" if len(value) == 1 else f"({body})"
    return f"[{body}]"


def fmt(value: Any, max_items: int = 8) -> str:
    """A short, readable rendering of a scalar, list, array or tensor. Python values show as
    written (`2`, `0.5`, `(3, 3)`, `[1, 2]`); arrays and tensors with their shape and dtype."""
    if value is None:
        return "None"
    if isinstance(value, str) or callable(value):
        return repr(value) if isinstance(value, str) else getattr(value, "__name__", repr(value))
    if _is_python_scalar(value):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return _fmt_sequence(value, max_items)[:300]
    try:
        arr = to_numpy(value)
    except Exception:
        return repr(value)[:200]
    if arr.dtype == object:
        return repr(value)[:200]
    with np.printoptions(precision=5, threshold=max_items, edgeitems=3, suppress=True):
        text = np.array2string(arr, separator=", ")
    text = re.sub(r"\s+", " ", text)
    if arr.ndim > 0 and arr.size > 1:
        text += f"  (shape {list(arr.shape)}, {arr.dtype})"
    elif hasattr(value, "dtype"):
        text += f" ({arr.dtype})"
    return text


def distinct_digits(a: float, b: float) -> tuple[str, str]:
    """`a` and `b` printed with the fewest significant digits (at least 7) that tell them apart:
    float32's 0.7 and float64's 0.7 show as 0.699999988 and 0.7."""
    for digits in range(7, 18):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            return left, right
    return repr(a), repr(b)


def _dtype_name(value: Any) -> str | None:
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return None
    return getattr(dtype, "name", None) or str(dtype)


def call_str(fn: str, *args: Any, **kwargs: Any) -> str:
    """`fn(arg, key=value)` with every value shortened by fmt()."""
    parts = [fmt(a) for a in args] + [f"{k}={fmt(v)}" for k, v in kwargs.items()]
    return f"{fn}({', '.join(parts)})"


def assert_tensor(result: Any, *, call: str, shape: Any = None, dtype: Any = None) -> None:
    """`result` is a tf.Tensor (a tf.Variable is not accepted) with the given shape and dtype."""
    import tensorflow as tf

    if not isinstance(result, tf.Tensor):
        raise AssertionError(
            f"{call} returned {type(result).__name__} {fmt(result)}; expected a tf.Tensor"
        )
    if shape is not None and tuple(result.shape) != tuple(shape):
        raise AssertionError(f"{call} returned shape {list(result.shape)}; expected {list(shape)}")
    if dtype is not None and result.dtype != tf.as_dtype(dtype):
        raise AssertionError(
            f"{call} returned dtype {result.dtype.name}; expected {tf.as_dtype(dtype).name}"
        )


def assert_close(
    actual: Any,
    expected: Any,
    *,
    call: str,
    rtol: float = 1e-5,
    atol: float = 1e-5,
    what: str = "",
) -> None:
    """Elementwise closeness with a message naming the call and the worst element."""
    if actual is None:
        raise AssertionError(f"{call} returned None; expected {fmt(expected)}")
    got = to_numpy(actual).astype(np.float64)
    want = to_numpy(expected).astype(np.float64)
    label = f" ({what})" if what else ""
    if got.shape != want.shape:
        raise AssertionError(
            f"{call} returned shape {list(got.shape)}; expected {list(want.shape)}{label}"
        )
    ok = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=False)
    if ok.all():
        return
    bad = np.argwhere(~ok)[0]
    idx = tuple(int(i) for i in bad)
    where = f" at index {list(idx)}" if got.ndim else ""
    left, right = distinct_digits(float(got[idx]), float(want[idx]))
    message = (
        f"{call} returned {fmt(actual)}\n  expected {fmt(expected)}{label}\n"
        f"  first mismatch{where}: {left} vs {right}"
    )
    note = _rounding_note(actual, expected, float(got[idx]), float(want[idx]))
    raise AssertionError(message + note)


def _rounding_note(actual: Any, expected: Any, got: float, want: float) -> str:
    """When the dtypes differ and the gap is a few units of the coarser dtype's last place, say
    so: the values are "the same number" rounded to two precisions."""
    got_dtype, want_dtype = _dtype_name(actual), _dtype_name(expected)
    if not got_dtype or not want_dtype or got_dtype == want_dtype:
        return ""
    try:
        coarser = min((np.finfo(got_dtype), np.finfo(want_dtype)), key=lambda f: f.bits)
    except (TypeError, ValueError):  # an integer or bool dtype: no rounding to speak of
        return f"\n  dtypes differ: returned {got_dtype}, expected {want_dtype}"
    gap = abs(got - want)
    if gap > 4 * float(coarser.eps) * max(abs(want), float(coarser.tiny)):
        return ""
    return (
        f"\n  dtypes differ: returned {got_dtype}, expected {want_dtype}; the gap is "
        f"{coarser.dtype} rounding (compute in the dtype the docstring asks for)"
    )


def names_argument(message: str, argument: str) -> bool:
    """Whether `message` names `argument` as a whole identifier: "x must be finite" and
    "`x`=nan" name `x`; "'float' object is not callable" does not name `f`, nor "xs" `x`."""
    pattern = rf"(?<![A-Za-z0-9_]){re.escape(argument)}(?![A-Za-z0-9_])"
    return re.search(pattern, message) is not None


def assert_raises_naming(
    exc_types: type[BaseException] | tuple[type[BaseException], ...],
    argument: str | tuple[str, ...],
    fn: Callable[..., Any],
    *args: Any,
    call: str | None = None,
    **kwargs: Any,
) -> BaseException:
    """`fn(*args, **kwargs)` raises one of `exc_types` whose message names `argument` as a whole
    identifier (one of them, given a tuple of names; "" checks the type only)."""
    call = call or call_str(getattr(fn, "__name__", "function"), *args, **kwargs)
    names = (
        exc_types.__name__
        if isinstance(exc_types, type)
        else " or ".join(t.__name__ for t in exc_types)
    )
    wanted = (argument,) if isinstance(argument, str) else tuple(argument)
    wanted = tuple(a for a in wanted if a)
    which = " or ".join(repr(a) for a in wanted)
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise  # a stub's, even where RuntimeError is accepted
    except exc_types as exc:
        if wanted and not any(names_argument(str(exc), a) for a in wanted):
            raise AssertionError(
                f"{call} raised {type(exc).__name__}({str(exc)!r}); its message should name "
                f"the argument {which}"
            ) from None
        return exc
    except Exception as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}; expected {names} naming {which}"
        ) from None
    raise AssertionError(f"{call} returned {fmt(result)}; expected {names} naming {which}")
