"""Off by one: `range(len(ids) - seq_length - 1)` loses the last window (and its target).

Rejected by: test_make_windows_gives_every_window_and_the_next_id, test_make_windows_agrees_with_keras_timeseries_dataset
"""

import numpy as np


def make_windows(ids, seq_length):
    ids = np.asarray(ids, dtype=np.int32)
    if not 1 <= seq_length < len(ids):
        raise ValueError(f"seq_length must be in [1, len(ids)), got {seq_length}")
    X = np.array(
        [ids[i : i + seq_length] for i in range(len(ids) - seq_length - 1)], dtype=np.int32
    )
    y = np.array([ids[i + seq_length] for i in range(len(ids) - seq_length - 1)], dtype=np.int32)
    return X.reshape(-1, seq_length), y
