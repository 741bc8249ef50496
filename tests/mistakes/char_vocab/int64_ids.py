"""Builds the ids with a bare `np.array([...])`: int64 on most platforms, not the int32 asked for.

Rejected by: test_decode_inverts_encode, test_encode_decode_worked_example
"""

import numpy as np


def encode(text, char_to_idx):
    for char in text:
        if char not in char_to_idx:
            raise ValueError(f"character {char!r} is not in the vocabulary")
    return np.array([char_to_idx[char] for char in text])
