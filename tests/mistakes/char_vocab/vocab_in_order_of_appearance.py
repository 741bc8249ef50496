"""Keeps the characters in order of first appearance instead of sorting them: the ids of the same
characters change with the text.

Rejected by: test_build_vocab_is_sorted_unique_characters_and_two_inverse_maps, test_build_vocab_does_not_depend_on_first_appearance
"""


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = list(dict.fromkeys(text))
    char_to_idx = {char: idx for idx, char in enumerate(chars)}
    idx_to_char = dict(enumerate(chars))
    return chars, char_to_idx, idx_to_char
