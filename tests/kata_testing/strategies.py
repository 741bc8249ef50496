"""Hypothesis strategies shared by the kata tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def float_dtypes(include_half: bool = True) -> st.SearchStrategy:
    return st.sampled_from(FLOAT_DTYPES if include_half else FLOAT_DTYPES[1:])


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 0, max_side: int = 5):
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def float_arrays(
    dtype=np.float32,
    shape=None,
    min_value: float = -100.0,
    max_value: float = 100.0,
) -> st.SearchStrategy[np.ndarray]:
    """Finite arrays without subnormals (TF flushes them to zero on CPU)."""
    shape = shapes() if shape is None else shape
    width = np.dtype(dtype).itemsize * 8
    elements = st.floats(
        min_value=min_value,
        max_value=max_value,
        allow_nan=False,
        allow_infinity=False,
        allow_subnormal=False,
        width=width,
    )
    return hnp.arrays(dtype, shape, elements=elements)
