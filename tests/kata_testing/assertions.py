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


def fmt(value: Any, max_items: int = 8) -> str:
    """A short, readable rendering of a scalar, list, array or tensor."""
    if value is None:
        return "None"
    if isinstance(value, str) or callable(value):
        return repr(value) if isinstance(value, str) else getattr(value, "__name__", repr(value))
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
    raise AssertionError(
        f"{call} returned {fmt(actual)}\n  expected {fmt(expected)}{label}\n"
        f"  first mismatch{where}: {got[idx]:.7g} vs {want[idx]:.7g}"
    )


def assert_raises_naming(
    exc_types: type[BaseException] | tuple[type[BaseException], ...],
    argument: str,
    fn: Callable[..., Any],
    *args: Any,
    call: str | None = None,
    **kwargs: Any,
) -> BaseException:
    """`fn(*args, **kwargs)` raises one of `exc_types` whose message names `argument`."""
    call = call or call_str(getattr(fn, "__name__", "function"), *args, **kwargs)
    names = (
        exc_types.__name__
        if isinstance(exc_types, type)
        else " or ".join(t.__name__ for t in exc_types)
    )
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise  # a stub's, even where RuntimeError is accepted
    except exc_types as exc:
        if argument and argument not in str(exc):
            raise AssertionError(
                f"{call} raised {type(exc).__name__}({str(exc)!r}); its message should name "
                f"the argument {argument!r}"
            ) from None
        return exc
    except Exception as exc:
        raise AssertionError(
            f"{call} raised {type(exc).__name__}: {exc}; expected {names} naming {argument!r}"
        ) from None
    raise AssertionError(f"{call} returned {fmt(result)}; expected {names} naming {argument!r}")
