"""Sorts the points by the events' wall_time ("the order they were logged in"), not by step:
steps logged out of order, or a later run's earlier steps, come back out of step order.

Rejected by: test_reads_what_tf_summary_wrote_sorted_by_step
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    timed = []
    for path in tf.io.gfile.glob(os.path.join(logdir, "events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag == tag:
                    number = float(tf.make_ndarray(value.tensor))
                    timed.append((event.wall_time, int(event.step), number))
    return [(step, number) for _, step, number in sorted(timed)]
