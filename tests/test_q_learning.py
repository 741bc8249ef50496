"""q_learning: the tabular Q-learning update, ε-greedy exploration, a linear ε schedule, and a
training loop on gymnasium environments (FrozenLake; a time-limited toy)."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.wrappers import TimeLimit
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from kata_testing import assert_close, assert_raises_naming, call_str, fmt
from kata_testing.stats import assert_frequencies, bernstein_halfwidth

# ------------------------------------------------------------------ q_update


@st.composite
def transitions(draw):
    n_states = draw(st.integers(1, 6), label="n_states")
    n_actions = draw(st.integers(1, 4), label="n_actions")
    table = draw(
        hnp.arrays(
            np.float64, (n_states, n_actions), elements=st.floats(-50, 50, allow_subnormal=False)
        ),
        label="q_table",
    )
    return dict(
        q_table=table,
        state=draw(st.integers(0, n_states - 1), label="state"),
        action=draw(st.integers(0, n_actions - 1), label="action"),
        reward=draw(st.floats(-10, 10, allow_subnormal=False), label="reward"),
        next_state=draw(st.integers(0, n_states - 1), label="next_state"),
        terminated=draw(st.booleans(), label="terminated"),
        learning_rate=draw(st.floats(0, 1), label="learning_rate"),
        discount=draw(st.floats(0, 1), label="discount"),
    )


def _target(t, table):
    if t["terminated"]:
        return t["reward"]
    return t["reward"] + t["discount"] * table[t["next_state"]].max()


@given(t=transitions())
def test_q_update_changes_only_q_state_action_by_the_td_rule(kata, t):
    """Q[s, a] ← Q[s, a] + α·(target − Q[s, a]), target = r (terminated) or r + γ·max Q[s'];
    every other entry is untouched; the new value is returned as a float."""
    before = t["q_table"].copy()
    table = t["q_table"]
    args = {k: v for k, v in t.items() if k != "q_table"}
    call = call_str("q_update", before, **args)
    result = kata.q_update(table, **args)
    s, a = t["state"], t["action"]
    expected = before[s, a] + t["learning_rate"] * (_target(t, before) - before[s, a])
    assert_close(
        table[s, a],
        expected,
        call=call + f" -> q_table[{s}, {a}]",
        rtol=1e-12,
        atol=1e-12,
        what="Q + α·(target − Q)",
    )
    assert isinstance(result, float), f"{call} returned {type(result).__name__}; expected a float"
    assert result == table[s, a], f"{call} returned {result}; the table now holds {table[s, a]}"
    others = np.ones(before.shape, bool)
    others[s, a] = False
    np.testing.assert_array_equal(
        table[others], before[others], err_msg=f"{call} changed other entries"
    )


@given(t=transitions())
def test_q_update_with_learning_rate_zero_changes_nothing(kata, t):
    """α = 0 leaves the table exactly as it was."""
    t["learning_rate"] = 0.0
    before = t["q_table"].copy()
    args = {k: v for k, v in t.items() if k != "q_table"}
    result = kata.q_update(t["q_table"], **args)
    call = call_str("q_update", before, **args)
    np.testing.assert_array_equal(t["q_table"], before, err_msg=f"{call} changed the table")
    assert result == before[t["state"], t["action"]], f"{call} returned {result}"


@given(t=transitions())
def test_q_update_with_learning_rate_one_sets_the_target(kata, t):
    """α = 1 replaces Q[s, a] by the target: r + γ·max Q[s'] (or r when terminated)."""
    t["learning_rate"] = 1.0
    before = t["q_table"].copy()
    args = {k: v for k, v in t.items() if k != "q_table"}
    kata.q_update(t["q_table"], **args)
    call = call_str("q_update", before, **args)
    assert_close(
        t["q_table"][t["state"], t["action"]],
        _target(t, before),
        call=call,
        rtol=1e-12,
        atol=1e-12,
        what="the TD target",
    )


def test_q_update_does_not_bootstrap_from_a_terminal_state(kata):
    """terminated: the target is the reward alone, however large Q[s'] is."""
    table = np.array([[0.0, 0.0], [100.0, 50.0]])
    value = kata.q_update(table, 0, 1, 1.0, 1, True, 1.0, 0.9)
    assert value == 1.0 and table[0, 1] == 1.0, (
        f"q_update(Q, 0, 1, reward=1, next_state=1, terminated=True, α=1, γ=0.9) set Q[0, 1] to "
        f"{table[0, 1]}; expected the reward, 1.0 (not 1 + 0.9·100)"
    )


def test_q_update_worked_example(kata):
    """Q[0, 1] = 0.5, r = 1, γ = 0.9, max Q[1] = 2, α = 0.5: target 2.8, new value 1.65."""
    table = np.array([[0.0, 0.5], [2.0, -1.0]])
    value = kata.q_update(table, 0, 1, 1.0, 1, False, 0.5, 0.9)
    assert_close(value, 1.65, call="q_update(Q, 0, 1, 1.0, 1, False, 0.5, 0.9)", rtol=1e-12)
    assert_close(table, [[0.0, 1.65], [2.0, -1.0]], call="the table after that update", rtol=1e-12)


def test_q_update_with_tuple_states(kata):
    """States may be tuples indexing a table of shape [*state_dims, n_actions]."""
    table = np.zeros((3, 4, 2))
    table[2, 3] = [0.5, 4.0]
    before = table.copy()
    value = kata.q_update(table, (1, 2), 0, 1.0, (2, 3), False, 0.5, 0.5)
    call = "q_update(zeros[3, 4, 2], (1, 2), 0, 1.0, (2, 3), False, 0.5, 0.5)"
    expected = before.copy()
    expected[1, 2, 0] = 0.5 * (1.0 + 0.5 * 4.0)
    assert_close(table, expected, call=call, rtol=1e-12)
    assert_close(value, expected[1, 2, 0], call=call, rtol=1e-12)


@pytest.mark.parametrize(
    "argument, kwargs",
    [
        ("learning_rate", {"learning_rate": 1.5}),
        ("learning_rate", {"learning_rate": -0.1}),
        ("discount", {"discount": 1.2}),
        ("discount", {"discount": -0.5}),
    ],
    ids=["lr_above_1", "lr_negative", "discount_above_1", "discount_negative"],
)
def test_q_update_rejects_rates_outside_the_unit_interval(kata, argument, kwargs):
    """learning_rate and discount must lie in [0, 1]: ValueError naming them."""
    args = dict(
        state=0,
        action=0,
        reward=1.0,
        next_state=1,
        terminated=False,
        learning_rate=0.5,
        discount=0.9,
    )
    args.update(kwargs)
    assert_raises_naming(ValueError, argument, kata.q_update, np.zeros((2, 2)), **args)


def test_q_update_rejects_a_table_it_cannot_update_in_place(kata):
    """q_table must be a NumPy array: a nested list is a TypeError naming q_table."""
    assert_raises_naming(
        TypeError, "q_table", kata.q_update, [[0.0, 0.0], [0.0, 0.0]], 0, 0, 1.0, 1, False, 0.5, 0.9
    )


def test_q_update_rejects_an_integer_table(kata):
    """An integer table would silently truncate the new value (0.5 -> 0): TypeError naming
    q_table, and the table is left as it was."""
    table = np.zeros((2, 2), dtype=np.int64)
    assert_raises_naming(
        TypeError,
        "q_table",
        kata.q_update,
        table,
        0,
        0,
        1.0,
        1,
        False,
        0.5,
        0.9,
        call="q_update(<int64 table>, 0, 0, 1.0, 1, False, 0.5, 0.9)",
    )
    assert not table.any(), f"q_update changed the integer table it rejected: {table.tolist()}"


# ------------------------------------------------------------------ epsilon_greedy


def _action_counts(kata, q_values, epsilon, n, seed):
    rng = np.random.default_rng(seed)
    actions = [kata.epsilon_greedy(q_values, epsilon, rng) for _ in range(n)]
    call = call_str("epsilon_greedy", q_values, epsilon, "rng")
    bad = [a for a in actions if isinstance(a, bool) or not isinstance(a, (int, np.integer))]
    assert not bad, f"{call} returned {bad[0]!r} ({type(bad[0]).__name__}); expected an int"
    assert all(0 <= a < len(q_values) for a in actions), (
        f"{call} returned an action outside [0, {len(q_values)})"
    )
    return np.bincount(actions, minlength=len(q_values)), call


@given(
    q_values=hnp.arrays(
        np.float64, st.integers(1, 8), elements=st.floats(-5, 5, allow_subnormal=False)
    ),
    seed=st.integers(0, 2**16),
)
def test_epsilon_greedy_with_epsilon_zero_is_greedy(kata, q_values, seed):
    """ε = 0: always an action with the largest Q-value (any of them when several tie)."""
    rng = np.random.default_rng(seed)
    best = set(np.flatnonzero(q_values == q_values.max()).tolist())
    for _ in range(10):
        action = kata.epsilon_greedy(q_values, 0.0, rng)
        assert action in best, (
            f"{call_str('epsilon_greedy', q_values, 0.0, 'rng')} returned {action}; expected one of {sorted(best)}"
        )


@pytest.mark.parametrize("epsilon", [1.0, 0.3])
def test_epsilon_greedy_frequencies(kata, epsilon):
    """With a unique best action: P(best) = 1 − ε + ε/n, every other action ε/n (the random
    branch draws from all n actions, the greedy one included); 20 000 draws, Bernstein bound."""
    q_values = np.array([0.1, -2.0, 0.7, 0.3])
    counts, call = _action_counts(kata, q_values, epsilon, 20_000, seed=17)
    probs = np.full(4, epsilon / 4)
    probs[2] += 1 - epsilon
    # A correct implementation fails this with probability < 1e-6 (see kata_testing.stats).
    assert_frequencies(counts, probs, call=call, what=f"ε = {epsilon}")


@pytest.mark.parametrize(
    "epsilon, q_values",
    [
        (0.0, np.array([1.0, 3.0, 3.0, 0.0])),
        (0.2, np.array([1.0, 3.0, 3.0, 0.0])),
        (0.2, [1, 3, 3, 0]),
    ],
    ids=["greedy", "explore", "python_ints"],
)
def test_epsilon_greedy_breaks_ties_at_random(kata, epsilon, q_values):
    """Tied best actions share the greedy probability equally (1 − ε)/k + ε/n each, not
    np.argmax's first one: from a table of zeros, every action gets tried. Q-values may come as a
    Python list of ints."""
    counts, call = _action_counts(kata, q_values, epsilon, 20_000, seed=23)
    probs = np.full(4, epsilon / 4)
    probs[[1, 2]] += (1 - epsilon) / 2
    assert_frequencies(counts, probs, call=call, what=f"ε = {epsilon}, actions 1 and 2 tied")


@pytest.mark.parametrize("epsilon", [0.0, 1.0], ids=["greedy", "random"])
def test_epsilon_greedy_returns_a_python_int(kata, epsilon):
    """The action is a Python int (the contract's `-> int`), from the greedy and the random branch
    alike: not a NumPy integer such as rng.choice's np.int64, not a 0-d array."""
    rng = np.random.default_rng(29)
    for q_values in (np.array([0.5, 2.0, 2.0]), [0, 1, 1]):
        call = call_str("epsilon_greedy", q_values, epsilon, "rng")
        for _ in range(5):
            action = kata.epsilon_greedy(q_values, epsilon, rng)
            assert type(action) is int, (
                f"{call} returned {action!r} of type {type(action).__module__}."
                f"{type(action).__qualname__}; expected a Python int (wrap it in int(...))"
            )


def test_epsilon_greedy_is_reproducible_from_the_rng_seed(kata):
    """The same rng seed gives the same sequence of actions."""
    q_values = [0.0, 1.0, 0.5]
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(5)
        runs.append([kata.epsilon_greedy(q_values, 0.5, rng) for _ in range(50)])
    assert runs[0] == runs[1], f"epsilon_greedy with rng seed 5 gave {runs[0]}, then {runs[1]}"


@pytest.mark.parametrize("epsilon", [-0.1, 1.5])
def test_epsilon_greedy_rejects_epsilon_outside_the_unit_interval(kata, epsilon):
    """ε must lie in [0, 1]: ValueError naming epsilon."""
    assert_raises_naming(
        ValueError, "epsilon", kata.epsilon_greedy, [0.0, 1.0], epsilon, np.random.default_rng(0)
    )


def test_epsilon_greedy_rejects_no_actions(kata):
    """An empty q_values has no action to choose: ValueError naming q_values."""
    assert_raises_naming(
        ValueError, "q_values", kata.epsilon_greedy, [], 0.1, np.random.default_rng(0)
    )


# ------------------------------------------------------------------ linear_epsilon


@given(
    episode=st.integers(0, 1000),
    final=st.floats(0, 1),
    span=st.floats(0, 1),
    decay_episodes=st.integers(1, 500),
)
def test_linear_epsilon_decays_linearly_to_its_floor(kata, episode, final, span, decay_episodes):
    """ε(k) = max(final, initial − (initial − final)·k/decay_episodes): initial at 0, linear, never
    below final, never above initial, and never rising."""
    initial = final + span * (1 - final)
    call = call_str(
        "linear_epsilon", episode, initial=initial, final=final, decay_episodes=decay_episodes
    )
    value = kata.linear_epsilon(
        episode, initial=initial, final=final, decay_episodes=decay_episodes
    )
    expected = max(final, initial - (initial - final) * episode / decay_episodes)
    assert_close(value, expected, call=call, rtol=1e-12, atol=1e-12)
    assert final - 1e-12 <= value <= initial + 1e-12, (
        f"{call} = {value} is outside [{final}, {initial}]"
    )
    later = kata.linear_epsilon(
        episode + 1, initial=initial, final=final, decay_episodes=decay_episodes
    )
    assert later <= value + 1e-12, (
        f"ε rose from {value} to {later} between episodes {episode} and {episode + 1}"
    )


def test_linear_epsilon_defaults(kata):
    """Defaults 1.0 → 0.01 over 100 episodes: 1.0, 0.505 at 50, 0.01 at 100 and forever after."""
    for episode, expected in [(0, 1.0), (50, 0.505), (100, 0.01), (101, 0.01), (10_000, 0.01)]:
        assert_close(
            kata.linear_epsilon(episode), expected, call=f"linear_epsilon({episode})", rtol=1e-12
        )


@pytest.mark.parametrize(
    "argument, args, kwargs",
    [
        ("episode", (-1,), {}),
        ("decay_episodes", (3,), {"decay_episodes": 0}),
        ("final", (3,), {"initial": 0.1, "final": 0.5}),
        ("initial", (3,), {"initial": 1.5}),
    ],
    ids=["negative_episode", "zero_decay", "final_above_initial", "initial_above_1"],
)
def test_linear_epsilon_rejects_bad_arguments(kata, argument, args, kwargs):
    """A negative episode, decay_episodes < 1, final > initial or a rate outside [0, 1]:
    ValueError naming the argument."""
    assert_raises_naming(ValueError, argument, kata.linear_epsilon, *args, **kwargs)


# ------------------------------------------------------------------ train_q_table


def _value_iteration(P, n_states, n_actions, discount):
    """Q* from the transition table P[s][a] = [(prob, s', reward, terminated), ...]."""
    q = np.zeros((n_states, n_actions))
    for _ in range(10_000):
        v = q.max(axis=1)
        new = np.array(
            [
                [
                    sum(p * (r + (0.0 if done else discount * v[s2])) for p, s2, r, done in P[s][a])
                    for a in range(n_actions)
                ]
                for s in range(n_states)
            ]
        )
        if np.abs(new - q).max() < 1e-13:
            return new
        q = new
    raise AssertionError("value iteration did not converge")


def test_train_q_table_solves_deterministic_frozen_lake(kata):
    """FrozenLake 4×4 (not slippery), 500 episodes: the greedy policy reaches the goal in 6 steps,
    each of its actions is optimal by value iteration over env.unwrapped.P, with the optimal
    value, and no entry of the table exceeds Q* (Q-learning from zeros stays below it here)."""
    env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=False)
    discount = 0.95
    q_table = kata.train_q_table(env, 500, learning_rate=0.8, discount=discount, seed=0)
    call = (
        "train_q_table(FrozenLake 4x4 not slippery, 500, learning_rate=0.8, discount=0.95, seed=0)"
    )
    assert isinstance(q_table, np.ndarray) and q_table.shape == (16, 4), (
        f"{call} returned {type(q_table).__name__} of shape {np.shape(q_table)}; expected an array [16, 4]"
    )
    q_star = _value_iteration(env.unwrapped.P, 16, 4, discount)
    assert (q_table <= q_star + 1e-9).all() and (q_table >= -1e-9).all(), (
        f"{call}: some entries lie outside [0, Q*]:\n{fmt(q_table - q_star)}"
    )
    state, _ = env.reset(seed=0)
    path = []
    for _ in range(100):
        action = int(np.argmax(q_table[state]))
        path.append((state, action))
        assert q_star[state, action] >= q_star[state].max() - 1e-12, (
            f"{call}: greedy action {action} in state {state} is not optimal (Q* row {fmt(q_star[state])})"
        )
        assert_close(
            q_table[state, action],
            q_star[state, action],
            call=f"{call}[{state}, {action}]",
            rtol=1e-6,
            atol=1e-6,
            what="Q* by value iteration (exact in a deterministic env)",
        )
        state, reward, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            break
    env.close()
    assert reward == 1.0 and len(path) == 6, (
        f"{call}: the greedy policy took {len(path)} steps and got reward {reward}; expected the "
        f"goal in 6 steps (path {path})"
    )


class _EndlessLoop(gym.Env):
    """One state, two actions, reward 1 per step, never terminates: its value is 1 / (1 − γ).
    Only the TimeLimit wrapper ends an episode (truncated). Stepping on after that, without a
    reset, is an error: the training loop must stop at `truncated`."""

    observation_space = gym.spaces.Discrete(1)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, limit):
        self.limit = limit
        self.steps = None

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.steps = 0
        return 0, {}

    def step(self, action):
        if self.steps is None or self.steps >= self.limit:
            raise AssertionError(
                "env.step() called after the episode was truncated, without reset()"
            )
        self.steps += 1
        return 0, 1.0, False, False, {}


def test_train_q_table_bootstraps_through_truncation(kata):
    """Episodes cut by a TimeLimit (truncated, not terminated) still bootstrap: in an endless
    loop paying 1 per step, the best Q-value converges to 1 / (1 − γ) = 2 for γ = 0.5."""
    env = TimeLimit(_EndlessLoop(limit=3), max_episode_steps=3)
    q_table = kata.train_q_table(env, 200, learning_rate=0.8, discount=0.5, seed=0)
    call = "train_q_table(TimeLimit(endless loop, 3 steps), 200, learning_rate=0.8, discount=0.5)"
    assert np.shape(q_table) == (1, 2), (
        f"{call} returned shape {np.shape(q_table)}; expected (1, 2)"
    )
    # Each update contracts the error by 1 − 0.8·(1 − 0.5) = 0.6; 600 updates leave none.
    assert_close(
        np.max(q_table),
        2.0,
        call=call + " -> max Q",
        rtol=1e-6,
        atol=1e-6,
        what="1 / (1 − γ): truncation is not the end of the MDP",
    )


class _TwoArmedLoop(gym.Env):
    """One state, two actions: action 1 pays 1, action 0 pays 0, never terminates (a TimeLimit
    ends each episode). Once action 1 has been tried it is the greedy action for good (its
    Q-value stays the larger one). Records the actions taken in each episode."""

    observation_space = gym.spaces.Discrete(1)
    action_space = gym.spaces.Discrete(2)

    def __init__(self):
        self.episodes = []

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.episodes.append([])
        return 0, {}

    def step(self, action):
        self.episodes[-1].append(int(action))
        return 0, float(action == 1), False, False, {}


def test_train_q_table_explores_on_the_linear_epsilon_schedule(kata):
    """Episode k explores with ε_k = linear_epsilon(k, decay_episodes=episodes // 2): on a two-armed
    loop (160 episodes of 20 steps) the non-greedy action is taken with probability ε_k / 2 (the
    random branch picks either action), in each of three windows of episodes: Bernstein bound."""
    inner = _TwoArmedLoop()
    env = TimeLimit(inner, max_episode_steps=20)
    episodes, decay = 160, 80
    kata.train_q_table(env, episodes, learning_rate=0.5, discount=0.5, seed=3)
    call = "train_q_table(TimeLimit(two-armed loop, 20 steps), 160, seed=3)"
    played = [actions for actions in inner.episodes if actions]  # an extra reset plays nothing
    assert len(played) == episodes, f"{call} played {len(played)} episodes; expected {episodes}"
    first_greedy = next((k for k, actions in enumerate(played) if 1 in actions), episodes)
    assert first_greedy == 0, f"{call}: action 1 was never taken in episode 0"
    windows = [(1, 40), (40, 80), (80, 160)]  # episode 0 is left out: action 1 is not yet known
    problems = []
    for start, stop in windows:
        actions = [a for k in range(start, stop) for a in played[k]]
        rates = [max(0.01, 1.0 - 0.99 * k / decay) / 2 for k in range(start, stop)]
        expected = float(np.mean(rates))
        n, count = len(actions), actions.count(0)
        # The steps' Bernoulli variances add up to at most n·p̄(1 − p̄) (concavity), so the
        # binomial bound with the mean rate is a valid one; alpha 1e-6 split over the windows.
        width = bernstein_halfwidth(n, expected, 1e-6 / len(windows))
        if abs(count - n * expected) > width:
            problems.append(
                f"episodes {start}-{stop - 1}: action 0 taken {count} times in {n} steps, "
                f"expected {n * expected:.1f} ± {width:.1f} (mean ε/2 = {expected:.4f})"
            )
    assert not problems, (
        f"{call}: the exploration does not follow ε_k = max(0.01, 1 − 0.99·k/{decay}):\n  "
        + "\n  ".join(problems)
    )


def test_train_q_table_with_one_to_three_episodes(kata):
    """One episode is enough to train (episodes ≥ 1), and with 3 episodes decay_episodes is
    3 // 2 = 1: episodes 1 and 2 already explore at the floor ε = 0.01 (two-armed loop, 200 steps
    per episode: the non-greedy action about 0.5% of the time, Bernstein bound)."""
    inner = _TwoArmedLoop()
    table = kata.train_q_table(TimeLimit(inner, max_episode_steps=200), 1, seed=0)
    call = "train_q_table(TimeLimit(two-armed loop, 200 steps), 1, seed=0)"
    assert np.shape(table) == (1, 2), f"{call} returned shape {np.shape(table)}; expected (1, 2)"
    inner = _TwoArmedLoop()
    kata.train_q_table(TimeLimit(inner, max_episode_steps=200), 3, seed=0)
    played = [actions for actions in inner.episodes if actions]
    call = "train_q_table(TimeLimit(two-armed loop, 200 steps), 3, seed=0)"
    assert len(played) == 3 and 1 in played[0], f"{call} played {len(played)} episodes"
    later = played[1] + played[2]
    width = bernstein_halfwidth(len(later), 0.005, 1e-6)
    assert later.count(0) <= len(later) * 0.005 + width, (
        f"{call}: in episodes 1 and 2 the non-greedy action was taken {later.count(0)} times in "
        f"{len(later)} steps; at ε = 0.01 expect {len(later) * 0.005:.1f} ± {width:.1f}"
    )


class _DenseRewards(gym.Env):
    """Three states, three actions, a different reward for every (state, action) and a random next
    state from the env's own generator (seeded by reset): every step changes the table, so every
    exploration choice (and every draw of the env) shows in it. Records the seed of each reset."""

    observation_space = gym.spaces.Discrete(3)
    action_space = gym.spaces.Discrete(3)
    rewards = np.sqrt(np.arange(2.0, 11.0)).reshape(3, 3)  # √2 … √10: no two alike

    def __init__(self):
        self.seeds = []

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.seeds.append(seed)
        return 0, {}

    def step(self, action):
        state = int(self.np_random.integers(3))
        return state, float(self.rewards[state, action]), False, False, {}


def _dense_run(kata, **kwargs):
    inner = _DenseRewards()
    table = kata.train_q_table(TimeLimit(inner, max_episode_steps=8), 12, **kwargs)
    return np.asarray(table), inner.seeds


def test_train_q_table_seeds_only_the_first_reset(kata):
    """`seed` goes to the first env.reset and only to it: later resets pass no seed (the env's
    generator runs on), else every episode would replay the same draws of the env."""
    for kwargs, seed in (({"seed": 11}, 11), ({}, 0)):
        _, seeds = _dense_run(kata, **kwargs)
        call = call_str("train_q_table", "TimeLimit(dense-reward env, 8 steps)", 12, **kwargs)
        assert seeds and seeds[0] == seed, (
            f"{call}: the first env.reset got seed={seeds[0] if seeds else '(no reset)'}; "
            f"expected seed={seed}"
        )
        assert all(s is None for s in seeds[1:]), (
            f"{call}: env.reset got the seeds {seeds}; expected {seed} once, then None (reseeding "
            "every episode replays the env's same random draws)"
        )


def _assert_informative(table, call):
    # A table of zeros (or one left as it started) would make any two runs look alike.
    assert np.shape(table) == (3, 3) and np.count_nonzero(table) >= 6, (
        f"{call} returned\n{fmt(table)}\nexpected a [3, 3] table with most entries updated "
        "(every step of this env pays a reward)"
    )


def test_train_q_table_seed_defaults_to_zero(kata):
    """Without a seed, train_q_table is seeded with 0: the same table as seed=0 (on an env where
    every exploration choice changes the table), and not the table of seed=1."""
    default, zero, one = (_dense_run(kata, **kw)[0] for kw in ({}, {"seed": 0}, {"seed": 1}))
    _assert_informative(default, "train_q_table(dense-reward env, 12)")
    np.testing.assert_array_equal(
        default,
        zero,
        err_msg="train_q_table(env, 12) differs from train_q_table(env, 12, seed=0): the default "
        "seed is 0, for the generator and the first reset",
    )
    assert not np.array_equal(zero, one), (
        "train_q_table(env, 12, seed=0) and seed=1 gave the same table: is the seed used?"
    )


def test_train_q_table_is_reproducible_from_its_seed(kata):
    """The same seed gives the same table (fresh envs whose every step changes the table and
    draws from the env's generator); another seed another one. Then the same on slippery
    FrozenLake."""
    first, second, other = (_dense_run(kata, seed=s)[0] for s in (7, 7, 8))
    _assert_informative(first, "train_q_table(dense-reward env, 12, seed=7)")
    np.testing.assert_array_equal(
        first,
        second,
        err_msg="train_q_table(dense-reward env, 12, seed=7) twice gave different tables: seed the "
        "generator (np.random.default_rng(seed)) and the first env.reset",
    )
    assert not np.array_equal(first, other), (
        "seeds 7 and 8 gave identical tables: is the seed used?"
    )

    def run(seed):
        env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=True)
        table = kata.train_q_table(env, 150, seed=seed)
        env.close()
        return np.asarray(table)

    np.testing.assert_array_equal(
        run(7), run(7), err_msg="train_q_table(slippery FrozenLake, 150, seed=7) twice differ"
    )


def test_train_q_table_rejects_bad_arguments(kata):
    """episodes < 1 is a ValueError naming episodes; a continuous observation space (CartPole) a
    ValueError or TypeError naming env."""
    env = gym.make("FrozenLake-v1", map_name="4x4", is_slippery=False)
    assert_raises_naming(ValueError, "episodes", kata.train_q_table, env, 0)
    assert_raises_naming(
        (ValueError, TypeError), "env", kata.train_q_table, gym.make("CartPole-v1"), 10
    )
