"""Decodes each id with `idx_to_char[int(idx)]`: a float id such as 1.5 is truncated to 1 and
read as that character, instead of being rejected as an id that is not in the vocabulary.

Rejected by: test_decode_rejects_an_id_outside_the_vocabulary
"""

import numpy as np


def decode(ids, idx_to_char):
    values = np.asarray(ids)
    if values.ndim != 1:
        raise ValueError(f"ids must be a 1-D sequence of integer ids, got {values!r}")
    chars = []
    for position, idx in enumerate(values.tolist()):
        try:
            chars.append(idx_to_char[int(idx)])
        except (KeyError, IndexError):
            raise ValueError(f"ids[{position}] = {idx} is not in the vocabulary") from None
    return "".join(chars)
