# Kata lstm_text_model: fill in every function below, then run `kata check lstm_text_model`.
# Stuck? `kata hint lstm_text_model` gives hints, from a nudge to nearly the answer.

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


class CharLSTM(keras.Model):
    """Embedding(num_chars, units) → LSTM(units) → Dense(num_chars): the next character's
    distribution given a window of character ids.

    `model(ids)` with integer ids [B, T] (any B ≥ 1, T ≥ 1) returns probabilities
    [B, num_chars] (each row sums to 1); `model(ids, from_logits=True)` returns the logits whose
    softmax those probabilities are. num_chars and units must be positive ints (ValueError).
    """

    def __init__(self, num_chars, units=256):
        raise NotImplementedError("CharLSTM.__init__: your code here (`kata hint lstm_text_model`)")

    def call(self, inputs, from_logits=False):
        """ids [B, T] → probabilities [B, num_chars] (logits when `from_logits`) for the
        character after the last one of each window."""
        raise NotImplementedError("CharLSTM.call: your code here (`kata hint lstm_text_model`)")


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
    raise NotImplementedError(
        "sample_with_temperature: your code here (`kata hint lstm_text_model`)"
    )


def generate(model, seed_ids, length, temperature, rng):
    """`length` new character ids (a list of Python ints), generated one at a time.

    The window starts as `seed_ids` and keeps its length: each step predicts from the last
    len(seed_ids) ids (seed and generated ones together), samples the next id with
    `sample_with_temperature(logits, temperature, rng)`, and slides the window by one. The seed
    itself is not part of the result. `seed_ids` must hold at least one id and `length` must be an
    int ≥ 0 (ValueError naming them). `rng` is passed on to sample_with_temperature, so one that
    is not a numpy.random.Generator is a TypeError naming rng there.
    """
    raise NotImplementedError("generate: your code here (`kata hint lstm_text_model`)")
