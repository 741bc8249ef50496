"""Helpers for tests that compare whole Keras models: weights matched by shape, seeded random
weights, and a NumPy forward pass for a dense stack.

Matching by shape (not by position in `model.weights`) makes the comparison independent of the
order in which a model happens to create or track its layers; tests choose layer sizes so that
every weight shape is unique."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from kata_testing.reference_math import softmax  # the shared float64 softmax (re-exported here)


def weights_by_shape(model: Any, who: str = "the model") -> dict[tuple[int, ...], Any]:
    """{shape: variable} over `model.weights`; an AssertionError when two weights share a shape
    (the test must choose sizes that keep them apart)."""
    out: dict[tuple[int, ...], Any] = {}
    for weight in model.weights:
        shape = tuple(int(d) for d in weight.shape)
        if shape in out:
            raise AssertionError(
                f"{who} has two weights of shape {list(shape)} ({out[shape].path}, {weight.path}); "
                "expected one per layer"
            )
        out[shape] = weight
    return out


def check_weight_shapes(model: Any, expected: list[tuple[int, ...]], who: str) -> dict:
    """`model`'s weights have exactly the expected shapes (in any order); returns them by shape."""
    got = weights_by_shape(model, who)
    if sorted(got) != sorted(tuple(s) for s in expected):
        raise AssertionError(
            f"{who} has weights of shapes {sorted(list(s) for s in got)}; expected "
            f"{sorted(list(s) for s in expected)}"
        )
    return got


def randomize_weights(model: Any, seed: int, scale: float = 0.5) -> None:
    """Overwrite every weight with seeded N(0, scale²) values (biases included, so that a
    forgotten bias shows)."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign(rng.normal(0.0, scale, tuple(weight.shape)).astype(weight.dtype))


def copy_weights_by_shape(source: Any, target: Any, who: str = "the target model") -> None:
    """Give `target` the weights of `source`, matched by shape."""
    src = weights_by_shape(source, "the source model")
    dst = weights_by_shape(target, who)
    if sorted(src) != sorted(dst):
        raise AssertionError(
            f"{who} has weights of shapes {sorted(list(s) for s in dst)}; the source model has "
            f"{sorted(list(s) for s in src)}"
        )
    for shape, weight in src.items():
        dst[shape].assign(weight)


def dense_chain_shapes(sizes: list[int]) -> list[tuple[tuple[int, int], tuple[int]]]:
    """[(kernel shape, bias shape)] for Dense layers taking sizes[0] → sizes[1] → ... → sizes[-1]."""
    return [((a, b), (b,)) for a, b in itertools.pairwise(sizes)]


def numpy_mlp(x: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Flatten, ReLU(x·W + b) for every layer but the last, then softmax(x·W + b), in float64."""
    h = np.asarray(x, np.float64).reshape(len(x), -1)
    for kernel, bias in layers[:-1]:
        h = np.maximum(h @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64), 0.0)
    kernel, bias = layers[-1]
    return softmax(h @ np.asarray(kernel, np.float64) + np.asarray(bias, np.float64))
