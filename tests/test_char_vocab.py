"""char_vocab: a sorted character vocabulary, encoding/decoding, and next-character windows."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from kata_testing import assert_raises_naming, call_str, fmt

# Text over a small alphabet (so characters repeat), plus arbitrary Unicode text.
SMALL_TEXT = st.text(alphabet="abcxyz \n.é😀", min_size=0, max_size=40)
ANY_TEXT = st.text(max_size=40)
# StringLookup treats "\x00" as a C-string terminator: keep it out of the built-in comparison.
LOOKUP_TEXT = st.text(alphabet=st.characters(exclude_characters="\x00"), min_size=1, max_size=40)


def _assert_int32_vector(result, call, length):
    if not isinstance(result, np.ndarray):
        raise AssertionError(f"{call} returned {type(result).__name__}; expected a np.ndarray")
    if result.dtype != np.int32:
        raise AssertionError(f"{call} returned dtype {result.dtype}; expected int32")
    if result.shape != (length,):
        raise AssertionError(f"{call} returned shape {list(result.shape)}; expected [{length}]")


# ------------------------------------------------------------------ build_vocab


@given(text=st.one_of(SMALL_TEXT, ANY_TEXT))
def test_build_vocab_is_sorted_unique_characters_and_two_inverse_maps(kata, text):
    """chars is sorted(set(text)); char_to_idx[c] is c's position; idx_to_char maps back."""
    call = call_str("build_vocab", text)
    chars, char_to_idx, idx_to_char = kata.build_vocab(text)
    expected = sorted(set(text))
    assert isinstance(chars, list), (
        f"{call} gave chars of type {type(chars).__name__}; expected a list of one-character strings"
    )
    assert list(chars) == expected, f"{call} gave chars {list(chars)!r}; expected {expected!r}"
    assert len(char_to_idx) == len(expected), (
        f"{call} gave char_to_idx with {len(char_to_idx)} entries; expected {len(expected)}"
    )
    for idx, char in enumerate(expected):
        assert char_to_idx[char] == idx, (
            f"{call}: char_to_idx[{char!r}] is {char_to_idx[char]!r}; expected {idx}"
        )
        assert idx_to_char[idx] == char, (
            f"{call}: idx_to_char[{idx}] is {idx_to_char[idx]!r}; expected {char!r}"
        )


def test_build_vocab_worked_example(kata):
    """ "hello" -> ['e', 'h', 'l', 'o'] with ids 0..3 in that order."""
    chars, char_to_idx, idx_to_char = kata.build_vocab("hello")
    assert list(chars) == ["e", "h", "l", "o"], f"build_vocab('hello') gave chars {chars!r}"
    assert dict(char_to_idx) == {"e": 0, "h": 1, "l": 2, "o": 3}, (
        f"build_vocab('hello') gave char_to_idx {char_to_idx!r}"
    )
    assert [idx_to_char[i] for i in range(4)] == ["e", "h", "l", "o"], (
        f"build_vocab('hello') gave idx_to_char {idx_to_char!r}"
    )


def test_build_vocab_does_not_depend_on_first_appearance(kata):
    """The same characters in another order give the same vocabulary (sorted, not first-seen)."""
    first = kata.build_vocab("zebra")
    second = kata.build_vocab("arbez")
    assert list(first[0]) == list(second[0]) == ["a", "b", "e", "r", "z"], (
        f"build_vocab('zebra') gave {list(first[0])}, build_vocab('arbez') gave "
        f"{list(second[0])}; expected ['a', 'b', 'e', 'r', 'z'] for both"
    )
    assert dict(first[1]) == dict(second[1]), "char_to_idx depends on the order of the text"


def test_build_vocab_rejects_a_non_string(kata):
    """text must be a str: TypeError naming text."""
    assert_raises_naming(TypeError, "text", kata.build_vocab, ["a", "b"])


# ------------------------------------------------------------------ encode / decode


@given(text=st.one_of(SMALL_TEXT, ANY_TEXT))
def test_decode_inverts_encode(kata, text):
    """decode(encode(t)) == t; encode gives int32 ids, one per character, inside the vocabulary."""
    chars, char_to_idx, idx_to_char = kata.build_vocab(text)
    ids = kata.encode(text, char_to_idx)
    call = call_str("encode", text, "<char_to_idx>")
    _assert_int32_vector(ids, call, len(text))
    if len(text):
        assert ids.min() >= 0 and ids.max() < len(chars), (
            f"{call} returned ids {fmt(ids)} outside [0, {len(chars)})"
        )
    back = kata.decode(ids, idx_to_char)
    assert back == text, f"decode(encode({text!r})) returned {back!r}"


@given(text=LOOKUP_TEXT, data=st.data())
def test_encode_and_decode_agree_with_keras_string_lookup(kata, text, data):
    """encode/decode give the same ids/characters as keras.layers.StringLookup over the vocabulary
    (and over a larger one, with characters that are not in the text)."""
    extra = data.draw(st.text(alphabet="!#0AZ~", max_size=4), label="extra vocabulary")
    _, char_to_idx, idx_to_char = kata.build_vocab(text + extra)
    vocabulary = sorted(set(text + extra))
    lookup = keras.layers.StringLookup(vocabulary=vocabulary, num_oov_indices=0)
    expected = lookup(tf.strings.unicode_split(text, "UTF-8")).numpy()
    ids = kata.encode(text, char_to_idx)
    call = call_str("encode", text, "<char_to_idx>")
    _assert_int32_vector(ids, call, len(text))
    np.testing.assert_array_equal(ids, expected, err_msg=f"{call} differs from StringLookup")
    inverse = keras.layers.StringLookup(vocabulary=vocabulary, num_oov_indices=0, invert=True)
    all_ids = np.arange(len(vocabulary), dtype=np.int32)
    expected_text = b"".join(inverse(all_ids).numpy()).decode("utf-8")
    got = kata.decode(all_ids, idx_to_char)
    assert got == expected_text, (
        f"decode(range({len(vocabulary)})) gave {got!r}; expected {expected_text!r}"
    )


def test_encode_decode_worked_example(kata):
    """With the vocabulary of "hello": encode("hell") = [1, 0, 2, 2] and back."""
    _, char_to_idx, idx_to_char = kata.build_vocab("hello")
    ids = kata.encode("hell", char_to_idx)
    _assert_int32_vector(ids, "encode('hell', ...)", 4)
    assert ids.tolist() == [1, 0, 2, 2], (
        f"encode('hell', ...) returned {fmt(ids)}; expected [1, 0, 2, 2]"
    )
    assert kata.decode([3, 2, 1], idx_to_char) == "olh", "decode([3, 2, 1], ...) should be 'olh'"
    assert kata.decode(tf.constant([1, 0]), idx_to_char) == "he", "decode accepts a tensor of ids"
    empty = kata.encode("", char_to_idx)
    _assert_int32_vector(empty, "encode('', ...)", 0)
    assert kata.decode(empty, idx_to_char) == "", "decode of no ids is ''"


def test_encode_rejects_an_unknown_character_naming_it(kata):
    """A character outside the vocabulary is a ValueError whose message shows that character."""
    _, char_to_idx, _ = kata.build_vocab("hello")
    assert_raises_naming(ValueError, "z", kata.encode, "hez", char_to_idx)


@given(text=SMALL_TEXT.filter(lambda t: len(t) > 0), data=st.data())
def test_encode_never_skips_an_unknown_character(kata, text, data):
    """Any text with a character outside the vocabulary is a ValueError showing that character
    (as itself or as its repr), never an id of 0 or a shorter array."""
    position = data.draw(st.integers(0, len(text)), label="position")
    _, char_to_idx, _ = kata.build_vocab(text)
    unknown = data.draw(st.sampled_from("QW\t?"), label="unknown character")
    bad = text[:position] + unknown + text[position:]
    call = call_str("encode", bad, "<char_to_idx>")
    try:
        result = kata.encode(bad, char_to_idx)
    except ValueError as exc:
        assert unknown in str(exc) or repr(unknown) in str(exc), (
            f"{call} raised ValueError({str(exc)!r}); its message should show {unknown!r}"
        )
    else:
        raise AssertionError(
            f"{call} returned {fmt(result)}; expected ValueError naming {unknown!r}"
        )


@pytest.mark.parametrize(
    "ids",
    [[0, 4], [0, -1], [0, 1.5], np.array([2.7, 0.0])],
    ids=["too_large", "negative", "fractional", "fractional_array"],
)
def test_decode_rejects_an_id_outside_the_vocabulary(kata, ids):
    """An id that is not in the vocabulary (4 of 4 characters; −1, which a list would quietly read
    from the end; 1.5 or 2.7, which int() would truncate to a real id) is a ValueError naming
    ids."""
    _, _, idx_to_char = kata.build_vocab("hello")
    assert_raises_naming(
        ValueError, "ids", kata.decode, ids, idx_to_char, call=call_str("decode", ids, "<hello>")
    )


def test_decode_accepts_numpy_integer_ids(kata):
    """Ids of any NumPy integer dtype, as an array or as a list of NumPy scalars, decode like the
    same Python ints."""
    _, _, idx_to_char = kata.build_vocab("hello")
    for ids in (
        np.array([3, 2, 1], np.uint8),
        np.array([3, 2, 1], np.int64),
        [np.int64(3), np.int32(2), np.int16(1)],
    ):
        call = call_str("decode", ids, "<hello>")
        got = kata.decode(ids, idx_to_char)
        assert got == "olh", f"{call} returned {got!r}; expected 'olh'"


# ------------------------------------------------------------------ make_windows


@st.composite
def ids_and_seq_length(draw):
    """ids as int32 / int64 / uint8 arrays or a Python list (all must give int32 windows)."""
    dtype = draw(st.sampled_from([np.int32, np.int64, np.uint8]), label="dtype")
    ids = draw(hnp.arrays(dtype, st.integers(2, 30), elements=st.integers(0, 50)), label="ids")
    seq_length = draw(st.integers(1, len(ids) - 1), label="seq_length")
    if draw(st.booleans(), label="as a list"):
        ids = ids.tolist()
    return ids, seq_length


@given(case=ids_and_seq_length())
def test_make_windows_gives_every_window_and_the_next_id(kata, case):
    """X[i] = ids[i:i+L], y[i] = ids[i+L] for all N = len(ids) − L windows; int32; consecutive
    windows overlap (X[i+1][:-1] == X[i][1:] and y[i] == X[i+1][-1])."""
    ids, seq_length = case
    call = call_str("make_windows", ids, seq_length)
    X, y = kata.make_windows(ids, seq_length)
    ids = np.asarray(ids)
    n = len(ids) - seq_length
    for name, arr, shape in (("X", X, (n, seq_length)), ("y", y, (n,))):
        assert isinstance(arr, np.ndarray), (
            f"{call}: {name} is {type(arr).__name__}, not np.ndarray"
        )
        assert arr.shape == shape, (
            f"{call}: {name} has shape {list(arr.shape)}; expected {list(shape)}"
        )
        assert arr.dtype == np.int32, f"{call}: {name} has dtype {arr.dtype}; expected int32"
    for i in range(n):
        np.testing.assert_array_equal(X[i], ids[i : i + seq_length], err_msg=f"{call}: X[{i}]")
        assert y[i] == ids[i + seq_length], (
            f"{call}: y[{i}] is {y[i]}; expected ids[{i + seq_length}]"
        )
    for i in range(n - 1):
        np.testing.assert_array_equal(X[i + 1][:-1], X[i][1:], err_msg=f"{call}: X[{i + 1}][:-1]")
        assert y[i] == X[i + 1][-1], f"{call}: y[{i}] != X[{i + 1}][-1]"


@pytest.mark.parametrize("seq_length", [1, 3, 7])
def test_make_windows_agrees_with_keras_timeseries_dataset(kata, seq_length):
    """Same windows and targets as keras.utils.timeseries_dataset_from_array(ids[:-1], ids[L:], L)."""
    ids = kata.encode("the quick brown fox", kata.build_vocab("the quick brown fox")[1])
    X, y = kata.make_windows(ids, seq_length)
    dataset = keras.utils.timeseries_dataset_from_array(
        ids[:-1],
        targets=ids[seq_length:],
        sequence_length=seq_length,
        batch_size=None,
        shuffle=False,
    )
    pairs = [(x.numpy(), t.numpy()) for x, t in dataset]
    call = call_str("make_windows", ids, seq_length)
    assert len(X) == len(pairs), f"{call} gave {len(X)} windows; Keras makes {len(pairs)}"
    np.testing.assert_array_equal(X, np.stack([p[0] for p in pairs]), err_msg=f"{call}: X")
    np.testing.assert_array_equal(y, np.array([p[1] for p in pairs]), err_msg=f"{call}: y")


def test_make_windows_worked_example(kata):
    """make_windows([5, 6, 7, 8], 2) -> X = [[5, 6], [6, 7]], y = [7, 8]."""
    X, y = kata.make_windows([5, 6, 7, 8], 2)
    assert np.asarray(X).tolist() == [[5, 6], [6, 7]], (
        f"make_windows([5, 6, 7, 8], 2) gave X = {fmt(X)}"
    )
    assert np.asarray(y).tolist() == [7, 8], f"make_windows([5, 6, 7, 8], 2) gave y = {fmt(y)}"
    X, y = kata.make_windows([5, 6, 7, 8], 3)
    assert np.asarray(X).tolist() == [[5, 6, 7]] and np.asarray(y).tolist() == [8], (
        f"make_windows([5, 6, 7, 8], 3) gave X = {fmt(X)}, y = {fmt(y)}; expected [[5, 6, 7]], [8]"
    )


@pytest.mark.parametrize("seq_length", [0, -1, 5, 9], ids=["zero", "negative", "len", "beyond"])
def test_make_windows_rejects_a_seq_length_without_examples(kata, seq_length):
    """seq_length < 1 or >= len(ids) is a ValueError naming seq_length."""
    assert_raises_naming(ValueError, "seq_length", kata.make_windows, np.arange(5), seq_length)


def test_make_windows_rejects_a_fractional_seq_length(kata):
    """seq_length must be an int: 2.5 is a TypeError or ValueError naming seq_length."""
    assert_raises_naming(
        (TypeError, ValueError), "seq_length", kata.make_windows, np.arange(5), 2.5
    )


@pytest.mark.parametrize(
    "ids",
    [np.zeros((3, 4), np.int32), np.array([1.5, 2.7, 3.0, 0.2]), ["a", "b", "c", "d"]],
    ids=["two_dimensional", "floats", "strings"],
)
def test_make_windows_rejects_ids_that_are_not_one_dimensional_integers(kata, ids):
    """ids must be 1-D integer ids: a 2-D array, floats (1.5 is no id; casting would truncate it
    silently) or strings are a ValueError naming ids."""
    assert_raises_naming(ValueError, "ids", kata.make_windows, ids, 2)
