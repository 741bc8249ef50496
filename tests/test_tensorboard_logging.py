"""tensorboard_logging: log_scalars writes event files, read_scalars reads them back."""

import tempfile

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from kata_testing import assert_raises_naming
from tensorboard.backend.event_processing import plugin_event_accumulator as tb_reader

TAGS = st.sampled_from(["loss", "epoch/accuracy", "val loss"])
# Numbers that float32 holds exactly: they must come back bit for bit.
FLOAT32_NUMBERS = st.one_of(
    st.floats(width=32, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    st.integers(-(2**24), 2**24),
)


def _tensorboard_view(logdir):
    """What TensorBoard itself loads from logdir: {tag: [(step, value, dtype)]} of the scalars
    plugin (it converts TF1 simple_value summaries to tensors too)."""
    accumulator = tb_reader.EventAccumulator(str(logdir), size_guidance={tb_reader.TENSORS: 0})
    accumulator.Reload()
    view = {}
    for tag in accumulator.PluginTagToContent("scalars"):
        view[tag] = [
            (
                event.step,
                tf.make_ndarray(event.tensor_proto).item(),
                tf.make_ndarray(event.tensor_proto).dtype,
            )
            for event in accumulator.Tensors(tag)
        ]
    return view


def _check_points(result, expected, call):
    if not isinstance(result, list):
        raise AssertionError(
            f"{call} returned {type(result).__name__}; expected a list of (step, value)"
        )
    for point in result:
        if not (
            isinstance(point, tuple)
            and len(point) == 2
            and type(point[0]) is int
            and type(point[1]) is float
        ):
            raise AssertionError(
                f"{call} returned {point!r} in its list; expected (int, float) tuples"
            )
    assert result == expected, f"{call} returned {result}\n  expected {expected}"


@given(tag=TAGS, values=st.lists(FLOAT32_NUMBERS, max_size=30))
def test_values_round_trip_exactly(kata, tag, values):
    """read_scalars gives back exactly what log_scalars wrote: (i, values[i]) for every i, as
    Python ints and floats, however many values (none included)."""
    with tempfile.TemporaryDirectory() as logdir:
        kata.log_scalars(logdir, tag, values)
        result = kata.read_scalars(logdir, tag)
    expected = [(i, float(v)) for i, v in enumerate(values)]
    _check_points(
        result, expected, f"log_scalars(logdir, {tag!r}, {values}); read_scalars(logdir, {tag!r})"
    )


def test_tensorboard_sees_float32_scalars(kata, tmp_path):
    """TensorBoard's own loader finds the values under the tag in its scalars dashboard, at steps
    0, 1, 2..., stored as float32 (so 0.1 is float32(0.1), as read_scalars returns it)."""
    values = [0.1, 2.5, -3.0, 1e-3, 7]
    kata.log_scalars(tmp_path, "loss", values)
    view = _tensorboard_view(tmp_path)
    expected = [(i, float(np.float32(v)), np.dtype(np.float32)) for i, v in enumerate(values)]
    assert view.get("loss") == expected, (
        f"log_scalars(tmp_path, 'loss', {values}): TensorBoard loads {view}; expected "
        f"{{'loss': {expected}}}"
    )
    result = kata.read_scalars(tmp_path, "loss")
    _check_points(result, [(i, v) for i, v, _ in expected], "read_scalars(tmp_path, 'loss')")


def test_reads_what_tf_summary_wrote_sorted_by_step(kata, tmp_path):
    """Events written out of step order, interleaved with another tag and spread over two event
    files, come back sorted by step, only the tag asked for."""
    first = tf.summary.create_file_writer(str(tmp_path))
    with first.as_default():
        for step, value in [(5, 0.5), (1, 0.25), (3, -2.0)]:
            tf.summary.scalar("loss", value, step=step)
            tf.summary.scalar("accuracy", value / 10, step=step + 100)
    first.close()
    second = tf.summary.create_file_writer(str(tmp_path))
    with second.as_default():
        tf.summary.scalar("loss", 8.0, step=0)
        tf.summary.scalar("loss", 4.0, step=4)
    second.close()
    result = kata.read_scalars(tmp_path, "loss")
    expected = [(0, 8.0), (1, 0.25), (3, -2.0), (4, 4.0), (5, 0.5)]
    _check_points(
        result, expected, "read_scalars(<two event files, steps 5, 1, 3 then 0, 4>, 'loss')"
    )


def _write_tf1_events(path, events):
    """An event file as TensorFlow 1 wrote them: TF1 `simple_value` summaries, several tagged
    values in one event. `events` is [(step, {tag: value})]."""
    from tensorflow.core.framework import summary_pb2
    from tensorflow.core.util import event_pb2

    with tf.io.TFRecordWriter(str(path)) as writer:
        writer.write(
            event_pb2.Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString()
        )
        for step, values in events:
            summary = summary_pb2.Summary(
                value=[summary_pb2.Summary.Value(tag=t, simple_value=v) for t, v in values.items()]
            )
            event = event_pb2.Event(wall_time=2.0 + step, step=step, summary=summary)
            writer.write(event.SerializeToString())


def test_reads_tf1_simple_values_and_events_holding_several_values(kata, tmp_path):
    """A TF1 event file (simple_value summaries, several tags in one event) is read too: every
    value of every event, the asked-for tag only."""
    _write_tf1_events(
        tmp_path / "events.out.tfevents.1.tf1-host",
        [(0, {"accuracy": 0.5, "loss": 2.0}), (1, {"accuracy": 0.75, "lr": 0.1, "loss": 1.5})],
    )
    _check_points(
        kata.read_scalars(tmp_path, "loss"),
        [(0, 2.0), (1, 1.5)],
        "read_scalars(<TF1 events holding accuracy, lr and loss together>, 'loss')",
    )


def test_tags_are_kept_apart(kata, tmp_path):
    """Two tags logged into the same folder (two event files) are read back separately."""
    kata.log_scalars(tmp_path, "train/loss", [3.0, 2.0, 1.0])
    kata.log_scalars(tmp_path, "train/accuracy", [0.5, 0.75])
    _check_points(
        kata.read_scalars(tmp_path, "train/loss"),
        [(0, 3.0), (1, 2.0), (2, 1.0)],
        "read_scalars(tmp_path, 'train/loss')",
    )
    _check_points(
        kata.read_scalars(tmp_path, "train/accuracy"),
        [(0, 0.5), (1, 0.75)],
        "read_scalars(tmp_path, 'train/accuracy')",
    )


def test_a_tag_is_matched_exactly(kata, tmp_path):
    """Reading "loss" gives only "loss", not "val_loss" or "loss/epoch" logged in the same folder."""
    kata.log_scalars(tmp_path, "val_loss", [9.0, 8.0])
    kata.log_scalars(tmp_path, "loss", [1.0, 0.5])
    kata.log_scalars(tmp_path, "loss/epoch", [7.0])
    _check_points(
        kata.read_scalars(tmp_path, "loss"),
        [(0, 1.0), (1, 0.5)],
        "read_scalars(<folder with 'val_loss', 'loss', 'loss/epoch'>, 'loss')",
    )


def test_every_point_is_kept_when_steps_repeat(kata, tmp_path):
    """Two runs logged into one folder give every (step, value) of both, sorted by step (a step
    logged twice appears twice)."""
    kata.log_scalars(tmp_path, "loss", [3.0, 2.0, 1.0])
    kata.log_scalars(tmp_path, "loss", [0.5, 0.25])
    result = kata.read_scalars(tmp_path, "loss")
    call = "read_scalars(<two runs: [3, 2, 1] then [0.5, 0.25]>, 'loss')"
    expected = [(0, 0.5), (0, 3.0), (1, 0.25), (1, 2.0), (2, 1.0)]
    if not isinstance(result, list):
        raise AssertionError(f"{call} returned {type(result).__name__}; expected a list")
    steps = [point[0] for point in result]
    assert steps == sorted(steps), f"{call} returned {result}: not sorted by step"
    assert sorted(result) == expected, (
        f"{call} returned {result}\n  expected (in any tie order) {expected}"
    )


def test_subfolders_are_not_read(kata, tmp_path):
    """Only the event files directly in logdir count: runs in subfolders (Keras's TensorBoard
    callback writes logdir/train and logdir/validation) are other runs."""
    kata.log_scalars(tmp_path, "loss", [1.0])
    kata.log_scalars(tmp_path / "validation", "loss", [5.0, 6.0])
    _check_points(
        kata.read_scalars(tmp_path, "loss"),
        [(0, 1.0)],
        "read_scalars(<folder with a 'validation' subfolder>, 'loss')",
    )


def test_values_are_on_disk_when_log_scalars_returns(kata, tmp_path):
    """log_scalars flushes (closes) its writer: a reader that opens the files right after the call
    sees every value, also when only a few were written."""
    kata.log_scalars(tmp_path, "loss", [0.5, 0.25, 0.125])
    files = tf.io.gfile.glob(str(tmp_path / "events.out.tfevents.*"))
    assert files, "log_scalars(tmp_path, 'loss', [...]) wrote no events.out.tfevents.* file"
    records = sum(
        1 for path in files for record in tf.data.TFRecordDataset(path) if b"loss" in record.numpy()
    )
    assert records == 3, (
        f"right after log_scalars(tmp_path, 'loss', [0.5, 0.25, 0.125]) the event files hold "
        f"{records} of the 3 values: close (or flush) the writer before returning"
    )


def test_many_values_are_all_kept(kata, tmp_path):
    """All 200 values come back (TensorBoard's loader keeps only a sample of 10 tensors per tag
    unless told otherwise)."""
    values = np.linspace(-1.0, 1.0, 200, dtype=np.float32)
    kata.log_scalars(tmp_path, "loss", values)
    result = kata.read_scalars(tmp_path, "loss")
    _check_points(
        result, [(i, float(v)) for i, v in enumerate(values)], "read_scalars after 200 values"
    )


def test_accepts_numpy_and_tensor_values_and_creates_the_folder(kata, tmp_path):
    """Values may be NumPy scalars or 0-d tensors; a logdir that does not exist yet is created."""
    logdir = tmp_path / "runs" / "experiment-1"
    values = [np.float32(0.5), tf.constant(1.5), np.int64(3)]
    kata.log_scalars(logdir, "loss", values)
    _check_points(
        kata.read_scalars(logdir, "loss"),
        [(0, 0.5), (1, 1.5), (2, 3.0)],
        "log_scalars(tmp_path / 'runs' / 'experiment-1', 'loss', [np.float32(0.5), tf.constant(1.5), "
        "np.int64(3)]); read_scalars(...)",
    )


def test_read_scalars_of_a_missing_folder_is_an_error(kata, tmp_path):
    """Reading a logdir that does not exist is a ValueError naming logdir (not an empty list)."""
    assert_raises_naming(
        ValueError,
        "logdir",
        kata.read_scalars,
        tmp_path / "missing",
        "loss",
        call="read_scalars(tmp_path / 'missing', 'loss')",
    )


@pytest.mark.parametrize(
    "argument, errors, tag, values",
    [
        ("tag", ValueError, "", [1.0]),
        ("tag", TypeError, 7, [1.0]),
        ("values", TypeError, "loss", [1.0, "two"]),
        ("values", TypeError, "loss", [1.0, None]),
        ("values", TypeError, "loss", None),
    ],
    ids=["empty_tag", "tag_not_str", "value_not_a_number", "value_none", "values_none"],
)
def test_log_scalars_rejects_bad_arguments(kata, tmp_path, argument, errors, tag, values):
    """Errors name the argument: a tag that is not a str, values that are not a sequence, or a
    value that is not a real number is a TypeError (the wrong kind of object); an empty tag is a
    ValueError (a bad value of the right kind)."""
    assert_raises_naming(
        errors,
        argument,
        kata.log_scalars,
        tmp_path,
        tag,
        values,
        call=f"log_scalars(tmp_path, {tag!r}, {values!r})",
    )
