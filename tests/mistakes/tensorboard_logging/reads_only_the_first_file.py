"""Reads only the first event file of the folder (glob(...)[0]): whatever a second writer (another
tag, a resumed run) wrote is never seen.

Rejected by: test_reads_what_tf_summary_wrote_sorted_by_step, test_tags_are_kept_apart
"""

import os

import tensorflow as tf
from tensorflow.core.util import event_pb2


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    files = sorted(tf.io.gfile.glob(os.path.join(logdir, "events.out.tfevents.*")))
    points = []
    for record in tf.data.TFRecordDataset(files[:1]):
        event = event_pb2.Event.FromString(record.numpy())
        for value in event.summary.value:
            if value.tag == tag:
                points.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(points)
