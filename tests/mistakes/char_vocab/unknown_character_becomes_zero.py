"""Looks characters up with `char_to_idx.get(char, 0)`: an unknown character silently becomes id 0.

Rejected by: test_encode_never_skips_an_unknown_character, test_encode_rejects_an_unknown_character_naming_it
"""

import numpy as np


def encode(text, char_to_idx):
    return np.array([char_to_idx.get(char, 0) for char in text], dtype=np.int32)
