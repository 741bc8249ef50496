"""Globs the folder without checking it exists: a mistyped logdir silently reads as no values.

Rejected by: test_read_scalars_of_a_missing_folder_is_an_error
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    points = []
    for path in sorted(tf.io.gfile.glob(os.path.join(os.fspath(logdir), "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag == tag:
                    points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(points, key=lambda p: p[0])
