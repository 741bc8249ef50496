"""Collects the points in a dict {step: value}: when a step was logged twice (two runs in one
folder) only the last value read survives.

Rejected by: test_every_point_is_kept_when_steps_repeat
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    by_step = {}
    for path in sorted(tf.io.gfile.glob(os.path.join(logdir, "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag == tag:
                    by_step[int(event.step)] = float(tf.make_ndarray(value.tensor))
    return sorted(by_step.items())
