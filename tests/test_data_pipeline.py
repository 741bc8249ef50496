"""data_pipeline: preprocess and make_dataset, a shuffled, batched tf.data pipeline."""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from kata_testing import assert_close, assert_raises_naming, assert_tensor, call_str

# x / 255 and x · (1/255) (e.g. tf.image.convert_image_dtype) may differ by one float32 ulp, which
# is at most 6e-8 in [0, 1].
PIXEL_ATOL = 1e-7


# ------------------------------------------------------------------ preprocess


@given(
    image=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6)),
    label=st.integers(0, 255),
    label_dtype=st.sampled_from([np.uint8, np.int32, np.int64]),
)
def test_preprocess_scales_pixels_to_the_unit_interval(kata, image, label, label_dtype):
    """The image becomes float32 pixel / 255 (in [0, 1], same shape); the label int32, same value."""
    call = call_str("preprocess", image, label_dtype(label))
    result_image, result_label = kata.preprocess(
        tf.constant(image), tf.constant(label, label_dtype)
    )
    assert_tensor(result_image, call=call + " -> image", shape=image.shape, dtype=tf.float32)
    assert_tensor(result_label, call=call + " -> label", shape=(), dtype=tf.int32)
    expected = image.astype(np.float64) / 255.0
    assert_close(
        result_image, expected, call=call + " -> image", rtol=0, atol=PIXEL_ATOL, what="pixel / 255"
    )
    assert_close(result_label, label, call=call + " -> label", rtol=0, atol=0)


def test_preprocess_worked_example(kata):
    """Pixels 0, 51, 255 become exactly 0.0, 0.2 (to float32) and 1.0."""
    image, label = kata.preprocess(np.array([0, 51, 255], np.uint8), np.int64(7))
    call = "preprocess(uint8 [0, 51, 255], int64 7)"
    assert_close(image, [0.0, 0.2, 1.0], call=call + " -> image", rtol=0, atol=PIXEL_ATOL)
    assert float(image[0]) == 0.0 and float(image[2]) == 1.0, f"{call} returned {image.numpy()}"
    assert_tensor(label, call=call + " -> label", shape=(), dtype=tf.int32)
    big = 2**24 + 1  # the first integer float32 cannot hold: a detour through float32 rounds it
    _, label = kata.preprocess(np.array([0], np.uint8), np.int64(big))
    assert int(label) == big, f"preprocess(uint8 [0], int64 {big}) gave label {int(label)}"


def test_preprocess_works_inside_dataset_map(kata):
    """preprocess runs inside Dataset.map (traced as a graph, on symbolic tensors)."""
    x = np.arange(12, dtype=np.uint8).reshape(3, 2, 2) * 20
    y = np.array([2, 0, 1], np.int64)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).map(kata.preprocess)
    call = "Dataset.from_tensor_slices((x, y)).map(preprocess)"
    spec = dataset.element_spec
    assert spec[0].dtype == tf.float32 and spec[1].dtype == tf.int32, (
        f"{call}.element_spec is {spec}"
    )
    images, labels = zip(*dataset, strict=True)
    assert_close(
        np.stack(images), x / 255.0, call=call, rtol=0, atol=PIXEL_ATOL, what="pixel / 255"
    )
    assert_close(np.stack(labels), y, call=call + " labels", rtol=0, atol=0)


def test_preprocess_rejects_float_images(kata):
    """An image of floats is not uint8 pixels (scaling it again is a silent bug): TypeError
    naming image."""
    assert_raises_naming(TypeError, "image", kata.preprocess, np.full((2, 2), 0.5, np.float32), 1)


# ------------------------------------------------------------------ make_dataset


def _examples(n, shape=(3, 2)):
    """n uint8 images whose pixels encode their index (7·i mod 256, distinct for n < 37) and
    labels i: every element of a batch can be traced back to its example."""
    index = np.arange(n)
    x = np.broadcast_to(((7 * index) % 256).astype(np.uint8).reshape(n, 1, 1), (n, *shape)).copy()
    return x, index.astype(np.int64)


def _one_pass(dataset, max_batches, call):
    """The batches of one pass over a learner's dataset, never more than `max_batches`: an
    infinite dataset (a `.repeat()`) fails at once instead of hanging the test."""
    if not isinstance(dataset, tf.data.Dataset):
        raise AssertionError(
            f"{call} returned {type(dataset).__name__}; expected a tf.data.Dataset"
        )
    if int(dataset.cardinality()) == int(tf.data.INFINITE_CARDINALITY):
        raise AssertionError(
            f"{call} returned an infinite dataset (cardinality INFINITE, a .repeat()?): one pass "
            "over it must be one epoch, each example once"
        )
    batches = list(dataset.take(max_batches + 1))
    if len(batches) > max_batches:
        raise AssertionError(
            f"{call} yielded more than {max_batches} batches in one pass; one epoch of these "
            "examples has at most that many"
        )
    return batches


def _epoch(dataset, x, call):
    """One pass: the labels in order, after checking dtypes, shapes and image-label pairing."""
    labels, sizes = [], []
    for images, batch_labels in _one_pass(dataset, len(x), call):
        assert_tensor(images, call=call + " -> images", dtype=tf.float32)
        assert_tensor(batch_labels, call=call + " -> labels", dtype=tf.int32)
        if images.shape[1:] != x.shape[1:] or images.shape[0] != batch_labels.shape[0]:
            raise AssertionError(
                f"{call} yielded images {images.shape} with labels {batch_labels.shape}; expected "
                f"[B, {', '.join(map(str, x.shape[1:]))}] and [B]"
            )
        ids = batch_labels.numpy()
        assert_close(
            images,
            x[ids] / 255.0,
            call=call + " -> images",
            rtol=0,
            atol=PIXEL_ATOL,
            what="each label's own image, / 255",
        )
        labels.extend(ids.tolist())
        sizes.append(len(ids))
    return labels, sizes


@given(
    n=st.integers(1, 20),
    batch_size=st.integers(1, 8),
    shuffle=st.booleans(),
    drop_remainder=st.booleans(),
    seed=st.integers(0, 2**16),
    numpy_int=st.booleans(),
)
def test_every_example_exactly_once_per_epoch(
    kata, n, batch_size, shuffle, drop_remainder, seed, numpy_int
):
    """Each epoch yields every example once (drop_remainder: all but the last N mod batch_size),
    in batches of batch_size (a shorter last one unless dropped), images with their own labels."""
    x, y = _examples(n)
    size = np.int64(batch_size) if numpy_int else batch_size
    call = call_str(
        "make_dataset", x, y, size, shuffle=shuffle, seed=seed, drop_remainder=drop_remainder
    )
    dataset = kata.make_dataset(
        x, y, size, shuffle=shuffle, seed=seed, drop_remainder=drop_remainder
    )
    full, rest = divmod(n, batch_size)
    want_sizes = [batch_size] * full + ([] if drop_remainder or rest == 0 else [rest])
    for epoch in (1, 2):
        labels, sizes = _epoch(dataset, x, f"{call}, epoch {epoch}")
        assert sizes == want_sizes, (
            f"{call}, epoch {epoch}: batch sizes {sizes}; expected {want_sizes}"
        )
        assert len(set(labels)) == len(labels), (
            f"{call}, epoch {epoch}: labels {labels} repeat an example"
        )
        if not drop_remainder:
            assert sorted(labels) == list(range(n)), (
                f"{call}, epoch {epoch}: labels {labels}; expected each of 0..{n - 1} once"
            )
        if not shuffle:
            assert labels == list(range(n))[: len(labels)], (
                f"{call}, epoch {epoch}: labels {labels}; without shuffle the order is x's"
            )


@pytest.mark.parametrize("drop_remainder", [False, True])
def test_element_spec(kata, drop_remainder):
    """Batches of float32 images and int32 labels; with drop_remainder the batch dimension is
    known statically (every batch is full)."""
    x, y = _examples(10)
    dataset = kata.make_dataset(x, y, 4, seed=0, drop_remainder=drop_remainder)
    batch = 4 if drop_remainder else None
    want = (tf.TensorSpec((batch, 3, 2), tf.float32), tf.TensorSpec((batch,), tf.int32))
    got = dataset.element_spec
    assert isinstance(got, tuple) and len(got) == 2, f"element_spec is {got}; expected {want}"
    for spec, expected in zip(got, want, strict=True):
        assert spec.dtype == expected.dtype and spec.shape.as_list() == expected.shape.as_list(), (
            f"make_dataset(x[10, 3, 2], y[10], 4, drop_remainder={drop_remainder}).element_spec "
            f"is {got}; expected {want}"
        )


def _order(dataset, n=40):
    """The labels of one (bounded) pass, in order."""
    batches = _one_pass(dataset, n, "make_dataset(...)")
    return [int(label) for _, labels in batches for label in labels.numpy()]


def test_reshuffled_every_epoch(kata):
    """With shuffle, each pass over the same dataset comes in a new order."""
    x, y = _examples(20)
    dataset = kata.make_dataset(x, y, 5, shuffle=True, seed=3)
    orders = [_order(dataset) for _ in range(3)]
    assert len({tuple(o) for o in orders}) == 3, (
        f"make_dataset(..., shuffle=True, seed=3): three epochs came as {orders}; expected a new "
        "order every epoch (reshuffle_each_iteration)"
    )


def test_same_seed_same_orders(kata):
    """Built twice with the same seed, the dataset yields the same order epoch after epoch; another
    seed gives another order."""
    x, y = _examples(20)
    first = kata.make_dataset(x, y, 5, seed=11)
    second = kata.make_dataset(x, y, 5, seed=11)
    for epoch in (1, 2, 3):
        a, b = _order(first), _order(second)
        assert a == b, f"make_dataset(..., seed=11) twice, epoch {epoch}: orders {a} and {b} differ"
    other = _order(kata.make_dataset(x, y, 5, seed=12))
    initial = _order(kata.make_dataset(x, y, 5, seed=11))
    assert other != initial, f"seeds 11 and 12 give the same order {initial}: the seed is not used"


def test_shuffle_draws_from_the_whole_dataset(kata):
    """The shuffle is uniform over all N examples: across seeds, the first example of an epoch can
    be any of them (a small shuffle buffer would always pick one of the first few)."""
    x, y = _examples(36)
    firsts = [_order(kata.make_dataset(x, y, 4, seed=seed))[0] for seed in range(20)]
    assert max(firsts) >= 18, (
        f"make_dataset(36 examples, batch_size=4, seed=0..19): the first examples were {firsts}, "
        "all from the start of the data; shuffle with a buffer of the whole dataset"
    )


def test_shuffle_mixes_examples_across_batches(kata):
    """Examples are shuffled before batching: batches are not fixed blocks of neighbours
    (shuffling after batch only reorders the blocks)."""
    x, y = _examples(24)
    dataset = kata.make_dataset(x, y, 4, seed=5)
    batches = [
        sorted(labels.numpy().tolist()) for _, labels in _one_pass(dataset, 24, "make_dataset")
    ]
    blocks = [list(range(i, i + 4)) for i in range(0, 24, 4)]
    assert any(batch not in blocks for batch in batches), (
        f"make_dataset(24 examples, batch_size=4, seed=5) yielded the batches {batches}: only the "
        "blocks of 4 neighbours, reordered; shuffle before batch"
    )


def test_leaves_the_callers_arrays_and_the_global_random_stream_untouched(kata):
    """make_dataset and two epochs over it change neither x nor y (no in-place shuffle or scaling)
    and, given a seed, do not touch the global TF random stream (no tf.random.set_seed)."""
    x, y = _examples(12)
    x_before, y_before = x.copy(), y.copy()
    keras.utils.set_random_seed(0)
    expected = [tf.random.uniform([4]).numpy() for _ in range(2)]
    keras.utils.set_random_seed(0)
    first = tf.random.uniform([4]).numpy()
    dataset = kata.make_dataset(x, y, 5, shuffle=True, seed=7)
    _order(dataset)
    _order(dataset)
    second = tf.random.uniform([4]).numpy()
    call = "make_dataset(x, y, 5, shuffle=True, seed=7) and two epochs"
    assert np.array_equal(x, x_before) and np.array_equal(y, y_before), (
        f"{call} changed the caller's arrays: y is now {y.tolist()} (was {y_before.tolist()}); "
        "shuffle the dataset, never the arrays"
    )
    assert np.array_equal(first, expected[0]) and np.array_equal(second, expected[1]), (
        f"{call} changed the global TF random stream (tf.random.uniform after it gave {second}, "
        f"expected {expected[1]}): pass seed= to Dataset.shuffle instead of tf.random.set_seed"
    )


@pytest.mark.parametrize("kind", ["python_lists", "tensors"])
def test_accepts_python_lists_and_tensors(kata, kind):
    """x and y as nested Python lists or as tensors give the same epoch as NumPy arrays."""
    x, y = _examples(7)
    if kind == "python_lists":
        given_x, given_y = x.tolist(), y.tolist()
    else:
        given_x, given_y = tf.constant(x), tf.constant(y)
    call = f"make_dataset(<x, y as {kind}>, 3, shuffle=True, seed=2)"
    dataset = kata.make_dataset(given_x, given_y, 3, shuffle=True, seed=2)
    labels, _ = _epoch(dataset, x, call)
    assert sorted(labels) == list(range(len(x))), (
        f"{call} yielded labels {labels}; expected each of 0..{len(x) - 1} once"
    )


def test_mismatched_lengths_are_an_error(kata):
    """x and y of different lengths: a ValueError that names both x and y."""
    x, y = _examples(5)
    exc = assert_raises_naming(
        ValueError, "y", kata.make_dataset, x, y[:4], 2, call="make_dataset(x[5], y[4], 2)"
    )
    assert re.search(r"\bx\b", str(exc)) and re.search(r"\by\b", str(exc)), (
        f"make_dataset(x[5], y[4], 2) raised ValueError({str(exc)!r}); name both x and y"
    )


@pytest.mark.parametrize(
    "batch_size, errors",
    [(0, ValueError), (-3, ValueError), (2.5, (TypeError, ValueError))],
    ids=["zero", "negative", "float"],
)
def test_bad_batch_size_is_an_error(kata, batch_size, errors):
    """batch_size must be an int of at least 1: an error naming batch_size."""
    x, y = _examples(5)
    assert_raises_naming(
        errors,
        "batch_size",
        kata.make_dataset,
        x,
        y,
        batch_size,
        call=f"make_dataset(x[5], y[5], batch_size={batch_size})",
    )
