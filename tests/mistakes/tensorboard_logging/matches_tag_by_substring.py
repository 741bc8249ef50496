"""Keeps every value whose tag *contains* the tag asked for (`tag in value.tag`): reading "loss"
also returns "val_loss" and "loss/epoch".

Rejected by: test_a_tag_is_matched_exactly
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
            for value in event.summary.value:
                if tag in value.tag and value.WhichOneof("value") == "tensor":
                    points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(points, key=lambda point: point[0])
