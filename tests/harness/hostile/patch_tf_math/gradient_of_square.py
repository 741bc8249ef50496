# expect: error
# without-policy: error
# Replaces tf.math / tf.nn functions the tests may compare with (and a Keras op), then
# answers wrongly.
import keras
import tensorflow as tf

tf.math.multiply = lambda a, b, name=None: a
setattr(tf.nn, "relu", lambda features, name=None: features)
keras.ops.multiply = lambda a, b: a


def square_grad(x):
    return x
