"""Checks `seq_length <= len(ids)` instead of `<`: a window as long as the text leaves no target,
and an empty X and y come back instead of a ValueError.

Rejected by: test_make_windows_rejects_a_seq_length_without_examples
"""

import numpy as np


def make_windows(ids, seq_length):
    ids = np.asarray(ids, dtype=np.int32)
    if ids.ndim != 1:
        raise ValueError("ids must be 1-D")
    if not 1 <= seq_length <= len(ids):
        raise ValueError(f"seq_length must be in [1, len(ids)], got {seq_length}")
    n = len(ids) - seq_length
    X = np.array([ids[i : i + seq_length] for i in range(n)], dtype=np.int32).reshape(n, seq_length)
    return X, ids[seq_length:]
