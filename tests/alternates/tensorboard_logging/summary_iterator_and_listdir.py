"""Writes with tf.summary.scalar under an explicit default step (tf.summary.experimental.set_step)
and reads each file with tf.compat.v1.train.summary_iterator, in whatever order os.listdir gives,
sorting at the end."""

import os

import numpy as np
import tensorflow as tf


def log_scalars(logdir, tag, values):
    if not isinstance(tag, str):
        raise TypeError(f"tag: expected str, got {type(tag).__name__}")
    if tag == "":
        raise ValueError("tag: must not be empty")
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"values: expected numbers, got {values!r}")
    values = list(values)
    for v in values:
        if isinstance(v, (str, bytes, bool)) or np.asarray(v).dtype.kind not in "iuf":
            raise TypeError(f"values: {v!r} is not a real number")
    writer = tf.summary.create_file_writer(str(logdir))
    with writer.as_default():
        for step, value in enumerate(values):
            tf.summary.experimental.set_step(step)
            tf.summary.scalar(tag, tf.cast(value, tf.float32))
    tf.summary.experimental.set_step(None)
    writer.flush()
    writer.close()


def read_scalars(logdir, tag):
    logdir = str(logdir)
    if not os.path.isdir(logdir):
        raise ValueError(f"logdir: no folder at {logdir}")
    points = []
    for name in os.listdir(logdir):
        if not name.startswith("events.out.tfevents."):
            continue
        for event in tf.compat.v1.train.summary_iterator(os.path.join(logdir, name)):
            for value in event.summary.value:
                if value.tag != tag:
                    continue
                if value.HasField("tensor"):
                    points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
                else:
                    points.append((int(event.step), float(value.simple_value)))
    points.sort(key=lambda point: point[0])
    return points
