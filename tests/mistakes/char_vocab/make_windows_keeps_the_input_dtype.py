"""Slices the ids as they come: a Python list or an int64 array gives int64 windows and targets,
not the int32 the docstring promises.

Rejected by: test_make_windows_gives_every_window_and_the_next_id
"""

import numpy as np


def make_windows(ids, seq_length):
    ids = np.asarray(ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"ids must be a 1-D sequence of integer ids, got shape {ids.shape}")
    if not isinstance(seq_length, (int, np.integer)) or not 1 <= seq_length < len(ids):
        raise ValueError(f"seq_length must satisfy 1 <= seq_length < len(ids), got {seq_length}")
    n = len(ids) - seq_length
    X = np.stack([ids[i : i + seq_length] for i in range(n)])
    return X, ids[seq_length:].copy()
