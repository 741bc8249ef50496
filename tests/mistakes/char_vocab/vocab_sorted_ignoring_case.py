"""Sorts the characters case-insensitively (key=str.lower): "B" and "a" come out as a, B instead
of B, a, so the ids differ from sorted(set(text)) and from every other tool's.

Rejected by: test_build_vocab_is_sorted_unique_characters_and_two_inverse_maps
"""


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = sorted(set(text), key=str.lower)
    return chars, {c: i for i, c in enumerate(chars)}, dict(enumerate(chars))
