"""The embedding as one-hot inputs times a learned [num_chars, units] matrix (the lookup an
Embedding layer does, written as a matmul), `return_sequences=True` with the last step taken by
hand, the Gumbel-max trick for sampling (argmax of shifted logits / T plus Gumbel noise), and a
window kept in a NumPy array."""

import keras
import numpy as np
import tensorflow as tf


class CharLSTM(keras.Model):
    def __init__(self, num_chars, units=256):
        super().__init__()
        for name, value in (("num_chars", num_chars), ("units", units)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.num_chars = num_chars
        self.embeddings = self.add_weight(
            shape=(num_chars, units), initializer="uniform", name="embeddings"
        )
        self.lstm = keras.layers.LSTM(units, return_sequences=True)
        self.out = keras.layers.Dense(num_chars)

    def call(self, inputs, from_logits=False):
        one_hot = tf.one_hot(tf.cast(inputs, tf.int32), self.num_chars)
        vectors = tf.matmul(one_hot, self.embeddings)  # [B, T, units]
        logits = self.out(self.lstm(vectors)[:, -1, :])
        if from_logits:
            return logits
        return keras.activations.softmax(logits, axis=-1)


def sample_with_temperature(logits, temperature, rng):
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r}")
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[1] == 0:
        raise ValueError(f"logits should be [B, C] with C >= 1, got shape {logits.shape}")
    # Shift each row so its max is 0 first: at logits of -1e30 / T the Gumbel noise (about 1)
    # would otherwise be lost in rounding, and equal logits would always give the first id.
    shifted = (logits - logits.max(axis=1, keepdims=True)) / temperature
    return np.argmax(shifted + rng.gumbel(size=logits.shape), axis=1)


def generate(model, seed_ids, length, temperature, rng):
    window = np.array(seed_ids, dtype=np.int32).reshape(1, -1)
    if window.shape[1] == 0:
        raise ValueError("seed_ids is empty")
    if length < 0:
        raise ValueError(f"length must not be negative: {length}")
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    out = []
    for _ in range(length):
        probs = np.asarray(model(window), dtype=np.float64)
        with np.errstate(divide="ignore"):
            logits = np.maximum(np.log(probs), -1e30)
        next_id = int(sample_with_temperature(logits, temperature, rng)[0])
        out.append(next_id)
        window = np.roll(window, -1, axis=1)
        window[0, -1] = next_id
    return out
