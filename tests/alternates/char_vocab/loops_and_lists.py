"""Plain Python loops: the vocabulary from a dict of first positions sorted afterwards, encode as
a list comprehension that turns the KeyError into a ValueError, windows appended one by one."""

import numpy as np


def build_vocab(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    seen = {}
    for char in text:
        seen.setdefault(char, len(seen))
    chars = sorted(seen)
    char_to_idx = {}
    idx_to_char = {}
    for idx, char in enumerate(chars):
        char_to_idx[char] = idx
        idx_to_char[idx] = char
    return chars, char_to_idx, idx_to_char


def encode(text, char_to_idx):
    try:
        return np.array([char_to_idx[char] for char in text], dtype=np.int32)
    except KeyError as exc:
        raise ValueError(f"unknown character {exc.args[0]!r}: not in the vocabulary") from None


def decode(ids, idx_to_char):
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"ids must be 1-D, got shape {ids.shape}")
    unknown = [int(i) for i in ids.tolist() if i not in idx_to_char]
    if unknown:
        raise ValueError(f"ids holds {unknown[0]}, which is not in the vocabulary")
    return "".join(idx_to_char[int(i)] for i in ids.tolist())


def make_windows(ids, seq_length):
    ids = np.asarray(ids)
    if ids.ndim != 1 or not (ids.size == 0 or np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"ids must be 1-D integer ids, got {ids.dtype} of shape {ids.shape}")
    if isinstance(seq_length, bool) or not isinstance(seq_length, (int, np.integer)):
        raise ValueError(f"seq_length must be an int, got {seq_length!r}")
    if seq_length < 1 or seq_length >= len(ids):
        raise ValueError(f"seq_length must be in [1, {len(ids) - 1}], got {seq_length}")
    windows, targets = [], []
    for start in range(len(ids) - seq_length):
        windows.append(ids[start : start + seq_length].tolist())
        targets.append(int(ids[start + seq_length]))
    return np.array(windows, dtype=np.int32), np.array(targets, dtype=np.int32)
