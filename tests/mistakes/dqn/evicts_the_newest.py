"""Keeps a plain list and, when it is full, replaces the *last* transition: the buffer freezes on
its first capacity − 1 transitions and never sees anything newer.

Rejected by: test_replay_buffer_keeps_the_newest_capacity_transitions
"""

import numpy as np


class ReplayBuffer:
    def __init__(self, capacity, seed=None):
        if capacity < 1:
            raise ValueError(f"capacity must be positive, got {capacity}")
        self.capacity = capacity
        self.items = []
        self.rng = np.random.default_rng(seed)

    def add(self, state, action, reward, next_state, done):
        if len(self.items) >= self.capacity:
            self.items.pop()
        self.items.append((state, action, reward, next_state, done))

    def sample(self, batch_size):
        if batch_size > len(self.items):
            raise ValueError(f"batch_size {batch_size} > {len(self.items)} stored")
        picks = [self.items[i] for i in self.rng.choice(len(self.items), batch_size, replace=False)]
        states, actions, rewards, next_states, dones = zip(*picks, strict=True)
        return (
            np.array(states, np.float32),
            np.array(actions),
            np.array(rewards, np.float32),
            np.array(next_states, np.float32),
            np.array(dones, np.float32),
        )

    def __len__(self):
        return len(self.items)
