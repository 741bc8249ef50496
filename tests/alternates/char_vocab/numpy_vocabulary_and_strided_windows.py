"""np.unique for the vocabulary (an object array as idx_to_char: NumPy's fixed-width str arrays
would drop a "\x00"), a vectorised lookup for encode, and sliding_window_view for the windows."""

import numpy as np


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    chars = np.unique(np.array(list(text), dtype=object)) if text else np.array([], dtype=object)
    char_to_idx = {str(char): idx for idx, char in enumerate(chars)}
    return [str(c) for c in chars], char_to_idx, chars


def encode(text, char_to_idx):
    missing = [char for char in text if char not in char_to_idx]
    if missing:
        raise ValueError(f"unknown character {missing[0]!r} in text")
    return np.fromiter((char_to_idx[char] for char in text), dtype=np.int32, count=len(text))


def decode(ids, idx_to_char):
    ids = np.asarray(ids).reshape(-1)
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must hold integer ids, got dtype {ids.dtype}")
    ids = ids.astype(np.int64)
    size = len(idx_to_char)
    if ids.size and (ids.min() < 0 or ids.max() >= size):
        raise ValueError(f"ids must lie in [0, {size})")
    return "".join(str(idx_to_char[i]) for i in ids)


def make_windows(ids, seq_length):
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D, got {ids.ndim}-D")
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must hold integer ids, got dtype {ids.dtype}")
    if int(seq_length) != seq_length:
        raise ValueError(f"seq_length must be a whole number, got {seq_length}")
    if seq_length < 1 or seq_length >= len(ids):
        raise ValueError(f"seq_length {seq_length} leaves no (window, target) pair")
    ids = ids.astype(np.int32)
    windows = np.lib.stride_tricks.sliding_window_view(ids, seq_length + 1)
    return np.ascontiguousarray(windows[:, :-1]), np.ascontiguousarray(windows[:, -1])
