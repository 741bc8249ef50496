"""Reads `value.simple_value`, as TF1 tutorials do: tf.summary.scalar in TF2 stores a tensor
instead, so every value reads back as 0.0.

Rejected by: test_values_round_trip_exactly, test_tensorboard_sees_float32_scalars
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    points = []
    for path in sorted(tf.io.gfile.glob(os.path.join(logdir, "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            points += [
                (int(event.step), float(v.simple_value))
                for v in event.summary.value
                if v.tag == tag
            ]
    return sorted(points)
