"""Kata: a character-level LSTM language model, and sampling from it with a temperature.

The model reads a window of character ids and predicts the *next* character:

    ids [B, T] --Embedding--> [B, T, units] --LSTM--> [B, units] --Dense--> logits [B, num_chars]

- `keras.layers.Embedding(num_chars, units)` turns each id into a learned vector.
- `keras.layers.LSTM(units)` reads the T vectors in order and (with the default
  `return_sequences=False`) returns only its state after the **last** one: the summary of the
  whole window that the prediction of the next character needs. (With `return_sequences=True` you
  would get one output per position, [B, T, units], and would have to take `[:, -1]` yourself.)
- `keras.layers.Dense(num_chars)` gives one logit per character; a softmax turns them into
  probabilities. Models usually return logits for training (`from_logits=True` losses are
  numerically safer) and probabilities for reading.

Generating text: take the last window, predict the distribution of the next character, *sample*
one (always taking the argmax loops on the same few words), append it, slide the window, repeat.
The **temperature** T reshapes the distribution before sampling: softmax(logits / T).
T → 0 approaches argmax (cautious, repetitive), T = 1 is the model's own distribution, T > 1
flattens it (adventurous, more typos). Shifting all logits by a constant changes nothing, since
softmax(z + c) = softmax(z); that is also why subtracting the max before `exp` is the standard
way to avoid overflow when logits / T is large.

Sampling takes an explicit `numpy.random.Generator` (`rng`), so that a seed reproduces a text.
"""

import keras
import numpy as np
import tensorflow as tf


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _positive_temperature(temperature):
    try:
        value = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number, got {temperature!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return value


class CharLSTM(keras.Model):
    """Embedding(num_chars, units) → LSTM(units) → Dense(num_chars): the next character's
    distribution given a window of character ids.

    `model(ids)` with integer ids [B, T] (any B ≥ 1, T ≥ 1) returns probabilities
    [B, num_chars] (each row sums to 1); `model(ids, from_logits=True)` returns the logits whose
    softmax those probabilities are. num_chars and units must be positive ints (ValueError).
    """

    def __init__(self, num_chars, units=256):
        super().__init__()
        self.num_chars = _positive_int(num_chars, "num_chars")
        self.units = _positive_int(units, "units")
        self.embedding = keras.layers.Embedding(self.num_chars, self.units)
        self.lstm = keras.layers.LSTM(self.units)
        self.head = keras.layers.Dense(self.num_chars)

    def call(self, inputs, from_logits=False):
        """ids [B, T] → probabilities [B, num_chars] (logits when `from_logits`) for the
        character after the last one of each window."""
        x = self.embedding(inputs)  # [B, T, units]
        x = self.lstm(x)  # [B, units]: the state after the last step
        logits = self.head(x)  # [B, num_chars]
        if from_logits:
            return logits
        return tf.nn.softmax(logits, axis=-1)


def sample_with_temperature(logits, temperature, rng):
    """One class id per row of `logits` [B, C], drawn from softmax(logits / temperature) with the
    NumPy generator `rng`; returns an integer np.ndarray of shape [B].

    The softmax is computed stably (the row maximum is subtracted before `exp`) and in float64
    (whatever the logits' dtype, float16 included), so any finite logits and any temperature > 0
    work: tiny temperatures give the argmax, large ones approach uniform. `temperature` ≤ 0 (or
    not finite) is a ValueError; `logits` must be 2-D with at least one class (ValueError naming
    logits); `rng` must be a numpy.random.Generator, not a legacy RandomState, a seed or None
    (TypeError naming rng).
    """
    temperature = _positive_temperature(temperature)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, not {type(rng).__name__}")
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[1] < 1:
        raise ValueError(f"logits must have shape [B, C] with C >= 1, got {list(logits.shape)}")
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite")
    scaled = logits / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    probs = np.exp(scaled)
    probs /= probs.sum(axis=1, keepdims=True)
    # Inverse-CDF sampling, one uniform number per row.
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((logits.shape[0], 1)) * cdf[:, -1:]
    return np.minimum((u >= cdf).sum(axis=1), logits.shape[1] - 1)


def generate(model, seed_ids, length, temperature, rng):
    """`length` new character ids (a list of Python ints), generated one at a time.

    The window starts as `seed_ids` and keeps its length: each step predicts from the last
    len(seed_ids) ids (seed and generated ones together), samples the next id with
    `sample_with_temperature(logits, temperature, rng)`, and slides the window by one. The seed
    itself is not part of the result. `seed_ids` must hold at least one id and `length` must be an
    int ≥ 0 (ValueError naming them). `rng` is passed on to sample_with_temperature, so one that
    is not a numpy.random.Generator is a TypeError naming rng there.
    """
    window = [int(i) for i in np.asarray(seed_ids).reshape(-1)]
    if not window:
        raise ValueError("seed_ids must hold at least one id")
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ValueError(f"length must be an int >= 0, got {length!r}")
    temperature = _positive_temperature(temperature)
    generated = []
    for _ in range(int(length)):
        inputs = tf.constant([window], dtype=tf.int32)
        logits = model(inputs, from_logits=True)
        next_id = int(sample_with_temperature(logits, temperature, rng)[0])
        generated.append(next_id)
        window = [*window[1:], next_id]
    return generated
