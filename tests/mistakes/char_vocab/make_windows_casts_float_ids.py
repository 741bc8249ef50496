"""Converts ids with np.asarray(ids, dtype=np.int32) before checking anything: float ids such as
1.5 and 2.7 are truncated to 1 and 2 instead of being rejected.

Rejected by: test_make_windows_rejects_ids_that_are_not_one_dimensional_integers
"""

import numpy as np


def make_windows(ids, seq_length):
    ids = np.asarray(ids, dtype=np.int32)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D, got shape {ids.shape}")
    if not isinstance(seq_length, (int, np.integer)) or not 1 <= seq_length < len(ids):
        raise ValueError(f"seq_length must satisfy 1 <= seq_length < len(ids), got {seq_length}")
    n = len(ids) - seq_length
    X = np.stack([ids[i : i + seq_length] for i in range(n)])
    return X, ids[seq_length:].copy()
