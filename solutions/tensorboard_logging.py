"""Kata: logging scalars for TensorBoard, and reading them back.

TensorBoard reads *event files* (`events.out.tfevents.*`) from a log directory. Each file is a
sequence of TFRecords, each record one serialized `Event` protocol buffer with a `step`, a
`wall_time` and a `Summary` holding tagged values.

Writing, in TensorFlow 2:

    writer = tf.summary.create_file_writer(logdir)   # creates logdir and a new event file
    with writer.as_default():
        tf.summary.scalar("loss", 0.25, step=0)       # one value, one tag, one step
    writer.close()                                    # flush to disk

`tf.summary.scalar` stores the value as a float32 *tensor* (`value.tensor`, with the "scalars"
plugin in its metadata). TensorFlow 1 and some other writers used the older `simple_value` field
(also a float32) instead; a reader that wants both checks which one the value holds
(`value.WhichOneof("value")`).

Reading, without TensorBoard's server: `tf.data.TFRecordDataset(path)` yields each record's
bytes, `event_pb2.Event.FromString(...)` parses them, and `tf.make_ndarray(value.tensor)` turns a
tensor proto back into a NumPy value. Every writer opened on a directory starts a file of its
own, so a reader goes through all of them; events carry their step, and the order in the files
need not be the order of the steps.
"""

import numbers
import os

import numpy as np
import tensorflow as tf
from tensorflow.core.util import event_pb2

EVENT_FILE_PATTERN = "events.out.tfevents.*"


def _check_tag(tag):
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a str, not {type(tag).__name__}")
    if not tag:
        raise ValueError("tag must be a non-empty string")


def _as_number(value, index):
    if tf.is_tensor(value) or isinstance(value, np.ndarray):
        array = np.asarray(value)
        if array.shape == () and np.issubdtype(array.dtype, np.number):
            return array
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value
    raise TypeError(f"values[{index}] must be a real number, not {value!r}")


def log_scalars(logdir, tag, values):
    """Write `values[i]` at step `i` under `tag` with `tf.summary.scalar`, into a new event file
    in `logdir` (created if needed), and flush it.

    Values are stored as float32, as TensorBoard's scalars are. `values` is any sequence of real
    numbers (Python numbers, NumPy scalars, 0-d tensors); an empty one writes no values. Errors
    name the argument: a tag that is not a str, `values` that is not a sequence, or a value in it
    that is not a real number (e.g. a str or None) is a TypeError; an empty tag is a ValueError.
    """
    _check_tag(tag)
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"values must be a sequence of numbers, not {type(values).__name__}")
    numbers_ = [_as_number(value, i) for i, value in enumerate(values)]
    writer = tf.summary.create_file_writer(os.fspath(logdir))
    try:
        with writer.as_default():
            for step, value in enumerate(numbers_):
                tf.summary.scalar(tag, value, step=step)
    finally:
        writer.close()


def _number(value):
    """The float in a summary value: a float32 tensor (TF2) or a simple_value (TF1); else None."""
    kind = value.WhichOneof("value")
    if kind == "simple_value":
        return float(value.simple_value)
    if kind == "tensor":
        array = tf.make_ndarray(value.tensor)
        if array.shape == () and np.issubdtype(array.dtype, np.number):
            return float(array)
    return None


def read_scalars(logdir, tag):
    """Every `(step, value)` logged under `tag` in the event files of `logdir`, sorted by step.

    Steps are Python ints and values Python floats, exactly the float32 numbers that were
    written. Reads every event file in the folder (not its subfolders); a tag that was never
    written gives []. A logdir that is not an existing folder is a ValueError naming logdir.
    """
    _check_tag(tag)
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    points = []
    for path in sorted(tf.io.gfile.glob(os.path.join(logdir, EVENT_FILE_PATTERN))):
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                number = _number(value) if value.tag == tag else None
                if number is not None:
                    points.append((int(event.step), number))
    return sorted(points, key=lambda point: point[0])
