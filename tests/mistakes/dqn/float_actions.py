"""Builds the sampled actions as a float32 array like the other fields: actions must be integers
(they index the Q-values).

Rejected by: test_replay_buffer_samples_distinct_intact_transitions
"""


class ReplayBuffer:
    """A bounded store of transitions, sampled uniformly without replacement.

    `ReplayBuffer(capacity, seed=None)`: at most `capacity` transitions (a positive int, else
    ValueError naming capacity); when full, adding one drops the oldest. `seed` seeds the
    buffer's own NumPy generator, so the same seed and the same additions give the same samples.
    """

    def __init__(self, capacity, seed=None):
        self.capacity = _positive_int(capacity, "capacity")
        self._transitions = deque(maxlen=self.capacity)
        self._rng = np.random.default_rng(seed)

    def add(self, state, action, reward, next_state, done):
        """Stores one transition (dropping the oldest one when the buffer is full)."""
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
        """`batch_size` distinct transitions, drawn uniformly, as five NumPy arrays:
        states float32 [B, state_dim], actions of an integer dtype [B] (any: int64 here),
        rewards float32 [B], next_states float32 [B, state_dim], dones float32 [B] (1.0 where
        done).

        batch_size must be an int in [1, len(self)]: asking for more than the buffer holds is a
        ValueError naming batch_size.
        """
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
            np.array(actions, dtype=np.float32),
            np.array(rewards, dtype=np.float32),
            np.stack(next_states).astype(np.float32),
            np.array(dones, dtype=np.float32),
        )

    def __len__(self):
        return len(self._transitions)
