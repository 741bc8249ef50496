"""Returns the points in file order: when steps were not written in order (or come from several
files) they are not sorted by step.

Rejected by: test_reads_what_tf_summary_wrote_sorted_by_step
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
                if value.tag == tag:
                    points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return points
