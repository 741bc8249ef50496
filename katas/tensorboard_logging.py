# Kata tensorboard_logging: fill in every function below, then run `kata check tensorboard_logging`.
# Stuck? `kata hint tensorboard_logging` gives hints, from a nudge to nearly the answer.

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


def log_scalars(logdir, tag, values):
    """Write `values[i]` at step `i` under `tag` with `tf.summary.scalar`, into a new event file
    in `logdir` (created if needed), and flush it.

    Values are stored as float32, as TensorBoard's scalars are. `values` is any sequence of real
    numbers (Python numbers, NumPy scalars, 0-d tensors); an empty one writes no values. Errors
    name the argument: a tag that is not a str, `values` that is not a sequence, or a value in it
    that is not a real number (e.g. a str or None) is a TypeError; an empty tag is a ValueError.
    """
    raise NotImplementedError("log_scalars: your code here (`kata hint tensorboard_logging`)")


def read_scalars(logdir, tag):
    """Every `(step, value)` logged under `tag` in the event files of `logdir`, sorted by step.

    Steps are Python ints and values Python floats, exactly the float32 numbers that were
    written. Reads every event file in the folder (not its subfolders); a tag that was never
    written gives []. A logdir that is not an existing folder is a ValueError naming logdir.
    """
    raise NotImplementedError("read_scalars: your code here (`kata hint tensorboard_logging`)")
