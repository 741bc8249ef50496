"""Adds a Dropout layer between the hidden layers "for regularization": the docstring's network
has none, and with dropout the Q-values of a training-mode call are noisy.

Rejected by: test_build_q_network_has_exactly_the_three_dense_layers
"""


def build_q_network(state_dim, num_actions):
    state_dim = _positive_int(state_dim, "state_dim")
    num_actions = _positive_int(num_actions, "num_actions")
    return keras.Sequential(
        [
            keras.Input(shape=(state_dim,)),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(num_actions),
        ]
    )
