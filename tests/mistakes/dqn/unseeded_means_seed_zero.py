"""Turns seed=None into seed 0: every unseeded buffer draws the same samples, where None means
fresh OS entropy (np.random.default_rng(None)).

Rejected by: test_unseeded_replay_buffers_draw_from_fresh_entropy
"""

from collections import deque

import numpy as np


class ReplayBuffer:
    def __init__(self, capacity, seed=None):
        self.capacity = _positive_int(capacity, "capacity")
        self._transitions = deque(maxlen=self.capacity)
        self._rng = np.random.default_rng(0 if seed is None else seed)

    def add(self, state, action, reward, next_state, done):
        self._transitions.append(
            (
                np.asarray(state, dtype=np.float32),
                int(action),
                float(reward),
                np.asarray(next_state, dtype=np.float32),
                float(done),
            )
        )

    def sample(self, batch_size):
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > len(self._transitions):
            raise ValueError(
                f"batch_size {batch_size} is larger than the {len(self._transitions)} "
                "transitions in the buffer"
            )
        indices = self._rng.choice(len(self._transitions), size=batch_size, replace=False)
        batch = [self._transitions[i] for i in indices]
        states, actions, rewards, next_states, dones = zip(*batch, strict=True)
        return (
            np.stack(states).astype(np.float32),
            np.array(actions, dtype=np.int64),
            np.array(rewards, dtype=np.float32),
            np.stack(next_states).astype(np.float32),
            np.array(dones, dtype=np.float32),
        )

    def __len__(self):
        return len(self._transitions)
