# Kata tf_function: fill in every function below, then run `kata check tf_function`.
# Stuck? `kata hint tf_function` gives hints, from a nudge to nearly the answer.

"""Kata: compiling a train step with tf.function, traced once.

`tf.function` turns a Python function into a TensorFlow graph. The first call *traces* it: the
Python body runs once with symbolic tensors, and the recorded graph is what later calls execute,
without Python in the loop. Tracing is expensive, so the thing to watch is *retracing*. By
default a `tf.function` keeps one graph per input signature it has seen (shapes and dtypes of
tensor arguments, values of Python arguments), so a train step called with batches of 32, 32, 32
and then a last batch of 7 is traced twice, and one called with many batch sizes is traced for
each of them.

Two ways around it:

- `input_signature=[tf.TensorSpec(shape=[None, ...], dtype=...), ...]` fixes the signature up
  front; `None` in the batch dimension accepts any batch size. One trace, ever.
- `reduce_retracing=True` lets TensorFlow generalize shapes after it sees a second one: fewer
  traces, but still two (the exact first shape, then the relaxed one).

A second cause of an extra trace: when the first call *creates variables* (a fresh optimizer
creates its slots, e.g. Adam's moments, on its first `apply_gradients`), `tf.function` traces the
function twice, once to create them and once more without creating any. Building the optimizer
beforehand (`optimizer.build(model.trainable_variables)`) avoids that.

Inside the compiled step everything is TensorFlow: Python side effects (printing, appending to a
list, counting) happen only while tracing, not on every call.
"""

import keras
import tensorflow as tf


def make_train_step(model, optimizer, loss_fn):
    """A compiled train step `step(x, y) -> loss` for `model`, traced once for every batch size.

    `step(x, y)` takes a batch of inputs x, float32 [B, *model's input features], and targets y,
    float32 [B, *model's output features] (the shape of the model's output, e.g. one-hot labels),
    for any B ≥ 1. It computes `loss_fn(y, model(x, training=True))`, applies one gradient step
    over `model.trainable_variables` with `optimizer`, and returns the scalar loss computed
    before the update: exactly what the same step computes eagerly.

    Returns a `tf.function` (a `tf.types.experimental.PolymorphicFunction`) with an input
    signature whose batch dimension is None, and builds the optimizer's variables first, so that
    calls with batch sizes 1, 2, 3, ... of the same feature shape all run the graph of a single
    trace.

    A wrong kind of object is a TypeError naming the argument: `model` not a keras.Model,
    `optimizer` not a keras optimizer, `loss_fn` not callable. The shapes come from
    `model.inputs` and `model.outputs` (one each): a model built from a keras.Input, or a
    Sequential that has been called once or built with `model.build`. A model without them is a
    ValueError naming model, since the step's input signature cannot be written down: a Sequential
    never built, and any subclassed keras.Model (in Keras 3 it has no `model.inputs`, even once
    called). x and y may be NumPy arrays or tf.float32 tensors (a tf.data batch).
    """
    raise NotImplementedError("make_train_step: your code here (`kata hint tf_function`)")
