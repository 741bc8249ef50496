"""Puts a ReLU on the output layer as well: Q-values can no longer be negative.

Rejected by: test_build_q_network_is_dense24_dense24_linear, test_build_q_network_has_exactly_the_three_dense_layers
"""

import keras


def build_q_network(state_dim, num_actions):
    if state_dim < 1 or num_actions < 1:
        raise ValueError(
            f"state_dim and num_actions must be positive, got {state_dim}, {num_actions}"
        )
    return keras.Sequential(
        [
            keras.Input(shape=(state_dim,)),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(num_actions, activation="relu"),
        ]
    )
