"""Uses keras.layers.GRU instead of the LSTM the kata names: it trains and predicts, but it is
not the model the docstring asks for (another cell, other weights).

Rejected by: test_char_lstm_is_built_around_one_lstm_of_units_units
"""

import keras
import tensorflow as tf


class CharLSTM(keras.Model):
    def __init__(self, num_chars, units=256):
        super().__init__()
        self.num_chars = _positive_int(num_chars, "num_chars")
        self.units = _positive_int(units, "units")
        self.embedding = keras.layers.Embedding(self.num_chars, self.units)
        self.lstm = keras.layers.GRU(self.units)
        self.head = keras.layers.Dense(self.num_chars)

    def call(self, inputs, from_logits=False):
        logits = self.head(self.lstm(self.embedding(inputs)))
        return logits if from_logits else tf.nn.softmax(logits, axis=-1)
