"""Returns idx_to_char as the list of characters itself and decodes by indexing it: an id of −1
quietly reads the last character instead of being rejected.

Rejected by: test_decode_rejects_an_id_outside_the_vocabulary
"""


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = sorted(set(text))
    return chars, {c: i for i, c in enumerate(chars)}, chars


def decode(ids, idx_to_char):
    out = []
    for position, idx in enumerate(np.asarray(ids).tolist()):
        try:
            out.append(idx_to_char[idx])
        except (IndexError, KeyError):
            raise ValueError(f"ids[{position}] = {idx} is not in the vocabulary") from None
    return "".join(out)
