"""Builds the LSTM with `return_sequences=True` and keeps `[:, 0]`: the output after the *first*
character, so the prediction ignores everything the window says after it.

Rejected by: test_char_lstm_predicts_from_the_last_characters
"""

import keras
import tensorflow as tf


class CharLSTM(keras.Model):
    def __init__(self, num_chars, units=256):
        super().__init__()
        if num_chars < 1 or units < 1:
            raise ValueError("num_chars and units must be positive")
        self.embedding = keras.layers.Embedding(num_chars, units)
        self.lstm = keras.layers.LSTM(units, return_sequences=True)
        self.head = keras.layers.Dense(num_chars)

    def call(self, inputs, from_logits=False):
        sequence = self.lstm(self.embedding(inputs))  # [B, T, units]
        logits = self.head(sequence[:, 0])
        return logits if from_logits else tf.nn.softmax(logits)
