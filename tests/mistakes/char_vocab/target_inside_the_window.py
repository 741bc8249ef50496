"""Takes the target as `ids[i + seq_length - 1]`: the last character of the window itself, not
the one after it.

Rejected by: test_make_windows_gives_every_window_and_the_next_id, test_make_windows_worked_example
"""

import numpy as np


def make_windows(ids, seq_length):
    ids = np.asarray(ids, dtype=np.int32)
    if not 1 <= seq_length < len(ids):
        raise ValueError(f"seq_length must be in [1, len(ids)), got {seq_length}")
    n = len(ids) - seq_length
    X = np.stack([ids[i : i + seq_length] for i in range(n)])
    y = np.array([ids[i + seq_length - 1] for i in range(n)], dtype=np.int32)
    return X, y
