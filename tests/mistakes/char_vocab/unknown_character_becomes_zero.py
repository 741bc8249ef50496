"""Looks characters up with `char_to_idx.get(char, 0)`: an unknown character silently becomes id 0."""

import numpy as np


def encode(text, char_to_idx):
    return np.array([char_to_idx.get(char, 0) for char in text], dtype=np.int32)
