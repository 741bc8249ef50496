"""Forgets the floor: after decay_episodes the rate keeps falling, below `final` and then below
zero.

Rejected by: test_linear_epsilon_decays_linearly_to_its_floor
"""


def linear_epsilon(episode, initial=1.0, final=0.01, decay_episodes=100):
    if episode < 0:
        raise ValueError(f"episode must be >= 0, got {episode}")
    if decay_episodes < 1:
        raise ValueError(f"decay_episodes must be >= 1, got {decay_episodes}")
    initial = _unit_interval(initial, "initial")
    final = _unit_interval(final, "final")
    if final > initial:
        raise ValueError(f"final ({final}) must not exceed initial ({initial})")
    return initial - (initial - final) * episode / decay_episodes
