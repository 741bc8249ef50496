"""Always ends with a softmax layer: `from_logits=True` still returns probabilities.

Rejected by: test_char_lstm_from_logits_gives_the_logits_of_its_probabilities
"""

import keras


class CharLSTM(keras.Model):
    def __init__(self, num_chars, units=256):
        super().__init__()
        if num_chars < 1:
            raise ValueError(f"num_chars must be positive, got {num_chars}")
        if units < 1:
            raise ValueError(f"units must be positive, got {units}")
        self.embedding = keras.layers.Embedding(num_chars, units)
        self.lstm = keras.layers.LSTM(units)
        self.head = keras.layers.Dense(num_chars, activation="softmax")

    def call(self, inputs, from_logits=False):
        return self.head(self.lstm(self.embedding(inputs)))
