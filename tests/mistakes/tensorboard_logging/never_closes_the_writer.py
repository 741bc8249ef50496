"""Keeps one writer per folder in a module-level cache, makes it the default with set_as_default()
(no `with` block, which would flush on exit) and never flushes or closes it: the events wait in
the writer's queue, and a reader right after the call finds the file (nearly) empty.

Rejected by: test_values_are_on_disk_when_log_scalars_returns, test_values_round_trip_exactly
"""

import os

import tensorflow as tf

_WRITERS = {}


def log_scalars(logdir, tag, values):
    _check_tag(tag)
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"values must be a sequence of numbers, not {type(values).__name__}")
    numbers_ = [_as_number(value, i) for i, value in enumerate(values)]
    logdir = os.fspath(logdir)
    if logdir not in _WRITERS:
        _WRITERS[logdir] = tf.summary.create_file_writer(logdir)
    _WRITERS[logdir].set_as_default()
    for step, value in enumerate(numbers_):
        tf.summary.scalar(tag, value, step=step)
