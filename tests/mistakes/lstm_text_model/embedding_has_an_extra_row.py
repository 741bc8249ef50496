"""Sizes the Embedding as Embedding(num_chars + 1, units), one row more than there are characters (a
reserved padding id the kata does not have): an unused row of weights, not the model asked for.

Rejected by: test_char_lstm_has_the_weights_of_embedding_lstm_dense
"""

import keras
import tensorflow as tf


class CharLSTM(keras.Model):
    def __init__(self, num_chars, units=256):
        super().__init__()
        self.num_chars = _positive_int(num_chars, "num_chars")
        self.units = _positive_int(units, "units")
        self.embedding = keras.layers.Embedding(self.num_chars + 1, self.units)
        self.lstm = keras.layers.LSTM(self.units)
        self.head = keras.layers.Dense(self.num_chars)

    def call(self, inputs, from_logits=False):
        x = self.embedding(inputs)
        x = self.lstm(x)
        logits = self.head(x)
        if from_logits:
            return logits
        return tf.nn.softmax(logits, axis=-1)
