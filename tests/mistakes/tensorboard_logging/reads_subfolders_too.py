"""Walks the whole tree under logdir (tf.io.gfile.walk): the runs in subfolders, such as the
train/ and validation/ folders of Keras's TensorBoard callback, are mixed into this one.

Rejected by: test_subfolders_are_not_read
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    points = []
    for folder, _, files in tf.io.gfile.walk(logdir):
        for name in sorted(files):
            if not name.startswith("events.out.tfevents."):
                continue
            for record in tf.data.TFRecordDataset(os.path.join(folder, name)):
                event = event_pb2.Event.FromString(record.numpy())
                for value in event.summary.value:
                    if value.tag == tag:
                        points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(points, key=lambda point: point[0])
