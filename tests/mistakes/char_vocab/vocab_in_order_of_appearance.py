"""Keeps the characters in order of first appearance instead of sorting them: the ids of the same
characters change with the text."""


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = list(dict.fromkeys(text))
    char_to_idx = {char: idx for idx, char in enumerate(chars)}
    idx_to_char = dict(enumerate(chars))
    return chars, char_to_idx, idx_to_char
