"""Reads with TensorBoard's EventAccumulator and its default size guidance, which keeps a random
sample of only 10 tensor events per tag: long runs come back with values missing.

Rejected by: test_many_values_are_all_kept
"""

import os

import tensorflow as tf
from tensorboard.backend.event_processing import event_accumulator


def read_scalars(logdir, tag):
    logdir = os.fspath(logdir)
    if not tf.io.gfile.isdir(logdir):
        raise ValueError(f"logdir {logdir!r} is not an existing folder")
    accumulator = event_accumulator.EventAccumulator(logdir)
    accumulator.Reload()
    if tag not in accumulator.Tags()["tensors"]:
        return []
    return sorted(
        (int(e.step), float(tf.make_ndarray(e.tensor_proto))) for e in accumulator.Tensors(tag)
    )
