"""Kata: from text to training data for a character-level language model.

A network cannot read characters; it reads integers. The usual recipe:

1. **Vocabulary.** The sorted set of distinct characters of the corpus. Sorting makes the ids
   reproducible: the same text always gives the same vocabulary, whatever order the characters
   first appear in (and whatever Python's set iteration order happens to be).
2. **Two maps.** `char_to_idx` (character -> id) to encode text, `idx_to_char` (id -> character)
   to decode what the model writes. They are inverses: decode(encode(text)) == text.
3. **Windows.** A language model learns "given the last `seq_length` characters, predict the next
   one". Every position of the encoded text gives one example: the window
   X[i] = ids[i : i + seq_length] and its target y[i] = ids[i + seq_length], the character right
   after the window. Consecutive windows overlap: X[i + 1] is X[i] shifted left by one, with
   y[i] appended. A text of n characters gives n − seq_length examples.

Ids are stored as int32 NumPy arrays, the dtype `keras.layers.Embedding` and
`tf.data.Dataset.from_tensor_slices` are happy with.
"""

import numpy as np


def build_vocab(text):
    """The vocabulary of `text`: `(chars, char_to_idx, idx_to_char)`.

    - `chars`: the distinct characters of `text`, sorted (a list of one-character strings);
    - `char_to_idx`: a dict mapping each character to its position in `chars`;
    - `idx_to_char`: a dict mapping each id back to its character.

    Example: build_vocab("hello") -> (['e', 'h', 'l', 'o'], {'e': 0, 'h': 1, 'l': 2, 'o': 3},
    {0: 'e', 1: 'h', 2: 'l', 3: 'o'}). `text` must be a str (TypeError otherwise).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = sorted(set(text))
    char_to_idx = {char: idx for idx, char in enumerate(chars)}
    idx_to_char = dict(enumerate(chars))
    return chars, char_to_idx, idx_to_char


def encode(text, char_to_idx):
    """The ids of the characters of `text`, as a 1-D int32 NumPy array of length len(text).

    A character that is not in `char_to_idx` is a ValueError whose message shows that character
    (e.g. "character 'z' (at index 3) is not in the vocabulary"): never skip it or map it to 0
    silently. Example: encode("hell", {'e': 0, 'h': 1, 'l': 2, 'o': 3}) -> array([1, 0, 2, 2]).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    ids = np.empty(len(text), dtype=np.int32)
    for position, char in enumerate(text):
        try:
            ids[position] = char_to_idx[char]
        except KeyError:
            raise ValueError(
                f"character {char!r} (at index {position} of text) is not in the vocabulary"
            ) from None
    return ids


def decode(ids, idx_to_char):
    """The text whose character ids are `ids` (a list, a 1-D array or tensor of ints; Python or
    NumPy ints of any integer dtype).

    decode(encode(text, char_to_idx), idx_to_char) == text for any text over the vocabulary.
    An id that is not in `idx_to_char` is a ValueError naming `ids`: one out of range, negative,
    or not a whole number (1.5 is never rounded or truncated to a neighbouring id).
    """
    values = np.asarray(ids)
    if values.ndim != 1 or (values.size and not np.issubdtype(values.dtype, np.integer)):
        raise ValueError(f"ids must be a 1-D sequence of integer ids, got {values!r}")
    chars = []
    for position, idx in enumerate(values.tolist()):
        try:
            chars.append(idx_to_char[idx])
        except (KeyError, IndexError):
            raise ValueError(f"ids[{position}] = {idx} is not in the vocabulary") from None
    return "".join(chars)


def make_windows(ids, seq_length):
    """Every training window of `ids` and the id that follows it: `(X, y)`.

    X[i] = ids[i : i + seq_length] and y[i] = ids[i + seq_length], for i = 0 .. N − 1 with
    N = len(ids) − seq_length: X has shape [N, seq_length], y shape [N], both int32.
    seq_length must be an int with 1 <= seq_length < len(ids) (so that there is at least one
    example), else ValueError naming seq_length. `ids` must be 1-D integer ids (ValueError naming
    ids otherwise).

    Example: make_windows([5, 6, 7, 8], 2) -> X = [[5, 6], [6, 7]], y = [7, 8].
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"ids must be a 1-D sequence of integer ids, got shape {ids.shape}")
    if isinstance(seq_length, bool) or not isinstance(seq_length, (int, np.integer)):
        raise TypeError(f"seq_length must be an int, not {type(seq_length).__name__}")
    if not 1 <= seq_length < len(ids):
        raise ValueError(
            f"seq_length must satisfy 1 <= seq_length < len(ids) = {len(ids)}, got {seq_length}"
        )
    ids = ids.astype(np.int32)
    n = len(ids) - seq_length
    X = np.stack([ids[i : i + seq_length] for i in range(n)])
    y = ids[seq_length:].copy()
    return X, y
