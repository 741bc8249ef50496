"""Keras's own unit tests as a peer yardstick: run a `testing.TestCase` class from the Keras wheel
(e.g. `keras/src/losses/losses_test.py`) with the kata's class swapped in for Keras's.

The test module refers to the class through a module global (`losses.MeanSquaredError`,
`accuracy_metrics.SparseCategoricalAccuracy`); while one case runs, that global is replaced by a
proxy of the module in which only the swapped names differ. Nothing is downloaded: the test
files ship inside the installed wheel, and a missing one skips the test with a reason.

    OUT_OF_SCOPE = {"test_base_function_reduction": "tests Keras's function, not the class"}
    KERAS_CASES = keras_test_cases("keras.src.losses.losses_test", "MeanSquaredErrorTest",
                                   exclude=OUT_OF_SCOPE)

    @pytest.mark.parametrize("method", KERAS_CASES)
    def test_keras_own_cases(kata, method):
        run_keras_test_case("keras.src.losses.losses_test", "MeanSquaredErrorTest", method,
                            module_global="losses", swap={"MeanSquaredError": kata.MeanSquaredError})
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import types
import unittest
from typing import Any

MISSING = "<keras test file missing>"


def _source_path(module: str) -> str | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.origin else None


def keras_test_cases(
    module: str, class_name: str, exclude: dict[str, str] | None = None
) -> list[str]:
    """The `test_*` method names of `class_name` in Keras's test module `module`, read without
    importing it (so collection never fails), less those in `exclude` (name -> why it is out of
    the kata's scope: left out rather than skipped, so a run shows no skips); [MISSING] when the
    file is not installed."""
    path = _source_path(module)
    if path is None:
        return [MISSING]
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            names = [
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef)
                and item.name.startswith("test_")
                and item.name not in (exclude or {})
            ]
            return names or [MISSING]
    return [MISSING]


class _Proxy(types.SimpleNamespace):
    """A module stand-in: the swapped names, and everything else from the real module."""

    def __init__(self, real: types.ModuleType, swap: dict[str, Any]) -> None:
        super().__init__(**swap)
        object.__setattr__(self, "_real", real)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_real"), name)


def run_keras_test_case(
    module: str,
    class_name: str,
    method: str,
    *,
    module_global: str,
    swap: dict[str, Any],
    skip: dict[str, str] | None = None,
) -> None:
    """Run Keras's `class_name.method` with `module_global.<name>` replaced by `swap[name]`; a
    method in `skip` (or a missing test file) is skipped with its reason."""
    import pytest

    if method == MISSING:
        pytest.skip(f"{module} ({class_name}) is not in the installed Keras wheel")
    if skip and method in skip:
        pytest.skip(skip[method])
    test_module = importlib.import_module(module)
    real = getattr(test_module, module_global)
    case = getattr(test_module, class_name)(method)
    setattr(test_module, module_global, _Proxy(real, swap))
    who = f"Keras's own {class_name}.{method} (the kata's {', '.join(swap)} swapped in)"
    try:
        case.debug()
    except unittest.SkipTest as exc:
        pytest.skip(f"{who}: skipped by Keras: {exc}")
    except AssertionError as exc:
        raise AssertionError(f"{who} failed:\n  {str(exc).strip()}") from None
    except Exception as exc:
        raise AssertionError(f"{who} raised {type(exc).__name__}: {exc}") from None
    finally:
        setattr(test_module, module_global, real)
