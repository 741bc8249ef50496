"""Skips characters that are not in the vocabulary (`if char in char_to_idx`): the ids come out
shorter than the text and decode(encode(text)) silently loses letters.

Rejected by: test_encode_never_skips_an_unknown_character, test_encode_rejects_an_unknown_character_naming_it
"""

import numpy as np


def encode(text, char_to_idx):
    return np.array([char_to_idx[c] for c in text if c in char_to_idx], dtype=np.int32)
