"""Returns chars as one string ("".join(sorted(set(text)))) instead of the list of one-character
strings the docstring asks for.

Rejected by: test_build_vocab_is_sorted_unique_characters_and_two_inverse_maps
"""


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = "".join(sorted(set(text)))
    return chars, {c: i for i, c in enumerate(chars)}, dict(enumerate(chars))
