"""Counts steps from 1 (enumerate(values, start=1)): every value is logged one step late.

Rejected by: test_values_round_trip_exactly, test_tensorboard_sees_float32_scalars
"""

import os

import tensorflow as tf


def log_scalars(logdir, tag, values):
    _check_tag(tag)
    if values is None or isinstance(values, str):
        raise TypeError("values must be a sequence of numbers")
    values = [_as_number(v, i) for i, v in enumerate(values)]
    writer = tf.summary.create_file_writer(os.fspath(logdir))
    with writer.as_default():
        for step, value in enumerate(values, start=1):
            tf.summary.scalar(tag, value, step=step)
    writer.close()
