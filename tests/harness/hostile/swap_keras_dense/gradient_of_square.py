# expect: error
# without-policy: error
# Swaps keras.layers.Dense for its own class while its function runs, and puts it back
# afterwards (so that a check after the tests sees Keras as it was); also the class's call.
import keras

_dense = keras.layers.Dense
_call = keras.layers.Dense.call


class _Mine(_dense):
    pass


def square_grad(x):
    keras.layers.Dense = _Mine
    keras.layers.Dense.call = lambda self, inputs: inputs
    try:
        return x
    finally:
        keras.layers.Dense.call = _call
        keras.layers.Dense = _dense
