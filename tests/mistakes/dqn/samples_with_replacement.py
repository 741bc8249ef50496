"""Draws indices with `rng.integers`, i.e. with replacement: one minibatch can hold the same
transition twice.

Rejected by: test_replay_buffer_samples_distinct_intact_transitions
"""

import numpy as np


class ReplayBuffer(ReplayBuffer):  # the reference's buffer, with another sample()
    def sample(self, batch_size):
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > len(self._transitions):
            raise ValueError(f"batch_size {batch_size} > {len(self._transitions)} stored")
        indices = self._rng.integers(0, len(self._transitions), size=batch_size)
        batch = [self._transitions[i] for i in indices]
        states, actions, rewards, next_states, dones = zip(*batch, strict=True)
        return (
            np.stack(states),
            np.array(actions),
            np.array(rewards, np.float32),
            np.stack(next_states),
            np.array(dones, np.float32),
        )
