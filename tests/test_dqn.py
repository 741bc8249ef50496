"""dqn: a replay buffer, the Q-network, TD targets and the DQN train step, and the whole loop on
CartPole-v1."""

import time

import gymnasium as gym
import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from kata_testing import assert_close, assert_raises_naming, assert_tensor, call_str, fmt
from kata_testing.stats import assert_frequencies

# ------------------------------------------------------------------ ReplayBuffer


def _transition(i, state_dim=3):
    """Transition number i, recognisable from any of its fields."""
    state = np.array([i, -i, 0.5][:state_dim], dtype=np.float64)
    return state, i % 3, float(i), state + 1.0, i % 2 == 0


def _fill(buffer, count, start=0):
    for i in range(start, start + count):
        buffer.add(*_transition(i))


def _check_sample(sample, batch_size, call, state_dim=3):
    """Types, dtypes and shapes of a sample, and each row being one intact transition; returns the
    transition numbers in the sample."""
    assert isinstance(sample, tuple) and len(sample) == 5, (
        f"{call} returned {type(sample).__name__} of length {len(sample)}; expected a tuple of 5 arrays"
    )
    names = ("states", "actions", "rewards", "next_states", "dones")
    shapes = (
        (batch_size, state_dim),
        (batch_size,),
        (batch_size,),
        (batch_size, state_dim),
        (batch_size,),
    )
    for name, arr, shape in zip(names, sample, shapes, strict=True):
        assert isinstance(arr, np.ndarray), (
            f"{call}: {name} is {type(arr).__name__}, not np.ndarray"
        )
        assert arr.shape == shape, (
            f"{call}: {name} has shape {list(arr.shape)}; expected {list(shape)}"
        )
    states, actions, rewards, next_states, dones = sample
    for name, arr in (
        ("states", states),
        ("rewards", rewards),
        ("next_states", next_states),
        ("dones", dones),
    ):
        assert arr.dtype == np.float32, f"{call}: {name} has dtype {arr.dtype}; expected float32"
    assert np.issubdtype(actions.dtype, np.integer), (
        f"{call}: actions have dtype {actions.dtype}; expected ints"
    )
    ids = rewards.astype(np.int64)
    for name, got, want in (
        ("states[:, 0]", states[:, 0], ids),
        ("actions", actions, ids % 3),
        ("next_states[:, 0]", next_states[:, 0], ids + 1),
        ("dones", dones, (ids % 2 == 0).astype(np.float32)),
    ):
        assert np.array_equal(got, want), (
            f"{call}: {name} = {fmt(got)} does not belong to the transitions with rewards {fmt(ids)} "
            f"(expected {fmt(want)}): the fields of a transition must stay together"
        )
    return ids.tolist()


@given(capacity=st.integers(1, 10), count=st.integers(0, 25), seed=st.integers(0, 2**16))
def test_replay_buffer_keeps_the_newest_capacity_transitions(kata, capacity, count, seed):
    """len never exceeds capacity; when full the oldest transitions leave first, so the buffer
    holds exactly the last min(count, capacity) added."""
    buffer = kata.ReplayBuffer(capacity, seed=seed)
    for i in range(count):
        buffer.add(*_transition(i))
        assert len(buffer) == min(i + 1, capacity), (
            f"after {i + 1} additions to ReplayBuffer({capacity}), len is {len(buffer)}; "
            f"expected {min(i + 1, capacity)}"
        )
    if count:
        held = len(buffer)
        call = f"ReplayBuffer({capacity}) after {count} additions: sample({held})"
        ids = _check_sample(buffer.sample(held), held, call)
        expected = list(range(count - held, count))
        assert sorted(ids) == expected, (
            f"{call} holds transitions {sorted(ids)}; expected the newest {expected}"
        )


@given(size=st.integers(1, 20), data=st.data())
def test_replay_buffer_samples_distinct_intact_transitions(kata, size, data):
    """A sample holds batch_size different transitions, each with its own state, action, reward,
    next state and done, as float32 / integer arrays of the documented shapes."""
    batch_size = data.draw(st.integers(1, size), label="batch_size")
    buffer = kata.ReplayBuffer(50, seed=data.draw(st.integers(0, 2**16), label="seed"))
    _fill(buffer, size)
    call = f"ReplayBuffer(50) holding {size}: sample({batch_size})"
    ids = _check_sample(buffer.sample(batch_size), batch_size, call)
    assert len(set(ids)) == batch_size, f"{call} repeated transitions: {sorted(ids)}"


def test_replay_buffer_samples_uniformly(kata):
    """Every held transition is equally likely: 10 000 samples of one from 10 transitions match
    the uniform distribution within a Bernstein bound (not always the newest, not biased)."""
    buffer = kata.ReplayBuffer(10, seed=1)
    _fill(buffer, 10)
    counts = np.zeros(10, np.int64)
    for _ in range(10_000):
        counts[int(buffer.sample(1)[2][0])] += 1
    # A correct buffer fails this with probability < 1e-6 (see kata_testing.stats).
    assert_frequencies(counts, np.full(10, 0.1), call="ReplayBuffer(10).sample(1)", what="uniform")


def test_replay_buffer_is_reproducible_from_its_seed(kata):
    """Same seed, same additions: the same samples; another seed: other samples."""

    def draws(seed):
        buffer = kata.ReplayBuffer(100, seed=seed)
        _fill(buffer, 60)
        return [buffer.sample(8)[2].tolist() for _ in range(5)]

    first, second, other = draws(3), draws(3), draws(4)
    assert first == second, f"ReplayBuffer(seed=3) sampled {first}, then {second}"
    assert first != other, "seeds 3 and 4 gave the same samples: is the seed used?"


def test_unseeded_replay_buffers_draw_from_fresh_entropy(kata):
    """seed=None (the default) means fresh OS entropy, as in np.random.default_rng(None): two
    unseeded buffers with the same 100 additions draw different samples of 20 (not the samples
    of some fixed seed). A correct buffer fails this with probability 1 / C(100, 20) < 2e-21."""
    samples = []
    for kwargs in ({}, {"seed": None}):
        buffer = kata.ReplayBuffer(100, **kwargs)
        _fill(buffer, 100)
        samples.append(buffer.sample(20)[2].tolist())
    assert samples[0] != samples[1], (
        f"ReplayBuffer(100) and ReplayBuffer(100, seed=None), same 100 additions: sample(20) gave "
        f"the same transitions {samples[0]} twice; seed=None should draw fresh entropy "
        "(np.random.default_rng(None)), not a fixed seed"
    )


def test_replay_buffer_accepts_gymnasium_transitions(kata):
    """CartPole's float32 observations, NumPy int actions and bool flags go in; float32 comes out."""
    env = gym.make("CartPole-v1")
    obs, _ = env.reset(seed=0)
    buffer = kata.ReplayBuffer(20, seed=0)
    for _ in range(20):
        action = np.int64(env.action_space.sample())
        next_obs, reward, terminated, _, _ = env.step(action)
        buffer.add(obs, action, reward, next_obs, terminated)
        obs = next_obs if not terminated else env.reset()[0]
    states, actions, rewards, next_states, dones = buffer.sample(20)
    env.close()
    for name, arr in (("states", states), ("next_states", next_states)):
        assert arr.shape == (20, 4) and arr.dtype == np.float32, f"{name}: {arr.shape} {arr.dtype}"
    assert set(np.unique(dones).tolist()) <= {0.0, 1.0}, f"dones should be 0/1, got {fmt(dones)}"
    assert ((actions == 0) | (actions == 1)).all() and (rewards == 1.0).all(), (
        "actions/rewards garbled"
    )


def test_replay_buffer_rejects_sampling_more_than_it_holds(kata):
    """sample(batch_size) with batch_size > len(buffer) (an empty buffer included) is a
    ValueError naming batch_size."""
    buffer = kata.ReplayBuffer(10, seed=0)
    assert_raises_naming(
        ValueError, "batch_size", buffer.sample, 1, call="empty ReplayBuffer.sample(1)"
    )
    _fill(buffer, 4)
    assert_raises_naming(
        ValueError, "batch_size", buffer.sample, 5, call="ReplayBuffer holding 4: sample(5)"
    )


def test_replay_buffer_rejects_a_non_positive_capacity(kata):
    """capacity must be a positive int: ValueError naming capacity."""
    assert_raises_naming(ValueError, "capacity", kata.ReplayBuffer, 0)


# ------------------------------------------------------------------ build_q_network


def _dense_layers(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def _leaf_layers(model):
    """The layers of `model`, nested models opened, InputLayers left out."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += _leaf_layers(layer)
        elif not isinstance(layer, keras.layers.InputLayer):
            found.append(layer)
    return found


def _describe(layer):
    if isinstance(layer, keras.layers.Dense):
        return f"Dense({layer.units}, {getattr(layer.activation, '__name__', layer.activation)})"
    return type(layer).__name__


@pytest.mark.parametrize("state_dim, num_actions", [(4, 2), (3, 5)])
def test_build_q_network_has_exactly_the_three_dense_layers(kata, state_dim, num_actions):
    """The network's layers (nested models opened) are Dense(24, relu), Dense(24, relu),
    Dense(num_actions, linear) and nothing else: no Dropout, normalization or extra layer."""
    model = kata.build_q_network(state_dim, num_actions)
    got = []
    for layer in _leaf_layers(model):
        is_relu = isinstance(layer, keras.layers.ReLU) or (
            isinstance(layer, keras.layers.Activation)
            and getattr(layer.activation, "__name__", "") == "relu"
        )
        if is_relu and got and got[-1].endswith(", linear)"):  # Dense then a ReLU layer: the same
            got[-1] = got[-1].replace(", linear)", ", relu)")
        else:
            got.append(_describe(layer))
    expected = ["Dense(24, relu)", "Dense(24, relu)", f"Dense({num_actions}, linear)"]
    assert got == expected, (
        f"build_q_network({state_dim}, {num_actions}) has the layers {got}; expected {expected}"
    )


@pytest.mark.parametrize("state_dim, num_actions", [(4, 2), (1, 1), (8, 5)])
def test_build_q_network_is_dense24_dense24_linear(kata, state_dim, num_actions):
    """Three Dense layers, 24 → 24 → num_actions, already built, with the parameter count of that
    stack; its output is relu(relu(x·W1 + b1)·W2 + b2)·W3 + b3 (linear: Q-values can be negative)."""
    call = f"build_q_network({state_dim}, {num_actions})"
    model = kata.build_q_network(state_dim, num_actions)
    assert isinstance(model, keras.Model), (
        f"{call} returned {type(model).__name__}, not a keras.Model"
    )
    dense = _dense_layers(model)
    units = [layer.units for layer in dense]
    assert units == [24, 24, num_actions], (
        f"{call} has Dense layers of {units} units; expected [24, 24, {num_actions}]"
    )
    expected_params = (state_dim * 24 + 24) + (24 * 24 + 24) + (24 * num_actions + num_actions)
    assert model.count_params() == expected_params, (
        f"{call} has {model.count_params()} parameters; expected {expected_params}"
    )
    states = np.random.default_rng(0).normal(size=(32, state_dim)).astype(np.float32) * 3
    weights = [(layer.kernel.numpy(), layer.bias.numpy()) for layer in dense]
    for layer, (_, bias) in zip(
        dense, weights, strict=True
    ):  # non-zero biases: a visible ReLU at the end
        layer.bias.assign(bias - 0.5)
    weights = [(kernel, bias - 0.5) for kernel, bias in weights]
    hidden = states.astype(np.float64)
    for i, (kernel, bias) in enumerate(weights):
        hidden = hidden @ kernel + bias
        if i < 2:
            hidden = np.maximum(hidden, 0.0)
    output = model(states)
    assert tuple(output.shape) == (32, num_actions), (
        f"{call}(states[32, {state_dim}]) has shape {list(output.shape)}"
    )
    assert_close(
        output,
        hidden,
        call=f"{call}(states)",
        rtol=1e-5,
        atol=1e-5,
        what="Dense(24, relu) → Dense(24, relu) → Dense(num_actions), linear output",
    )


def test_build_q_network_builds_independent_networks(kata):
    """Two calls give two networks with their own weights (one can serve as the target network)."""
    online, target = kata.build_q_network(4, 2), kata.build_q_network(4, 2)
    before = [w.copy() for w in target.get_weights()]
    online.set_weights([w + 1.0 for w in online.get_weights()])
    for a, b in zip(before, target.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg="changing one network changed the other")


@pytest.mark.parametrize("argument, args", [("state_dim", (0, 2)), ("num_actions", (4, 0))])
def test_build_q_network_rejects_non_positive_sizes(kata, argument, args):
    """state_dim and num_actions must be positive ints: ValueError naming them."""
    assert_raises_naming(ValueError, argument, kata.build_q_network, *args)


# ------------------------------------------------------------------ td_targets


@st.composite
def td_problems(draw):
    batch = draw(st.integers(1, 8), label="B")
    actions = draw(st.integers(1, 4), label="num_actions")
    dtype = draw(st.sampled_from([np.float32, np.float64]), label="dtype")
    floats = st.floats(-50, 50, width=32, allow_subnormal=False)
    rewards = draw(hnp.arrays(dtype, (batch,), elements=floats), label="rewards")
    next_q = draw(hnp.arrays(dtype, (batch, actions), elements=floats), label="next_q_values")
    dones = draw(hnp.arrays(dtype, (batch,), elements=st.sampled_from([0.0, 1.0])), label="dones")
    discount = draw(st.floats(0, 1), label="discount")
    return rewards, next_q, dones, discount


@given(problem=td_problems())
def test_td_targets_match_the_bellman_formula(kata, problem):
    """y = r + γ · maxₐ Q(s', a) · (1 − done), shape [B], in next_q_values' float dtype."""
    rewards, next_q, dones, discount = problem
    call = call_str("td_targets", rewards, next_q, dones, discount)
    result = kata.td_targets(
        tf.constant(rewards), tf.constant(next_q), tf.constant(dones), discount
    )
    assert_tensor(result, call=call, shape=(len(rewards),), dtype=next_q.dtype)
    expected = rewards.astype(np.float64) + discount * next_q.astype(np.float64).max(axis=1) * (
        1 - dones
    )
    tol = 1e-5 if next_q.dtype == np.float32 else 1e-12
    assert_close(result, expected, call=call, rtol=tol, atol=tol, what="r + γ·max Q(s')·(1 − done)")


def test_td_targets_worked_example_and_terminal_transitions(kata):
    """r = [1, 1], Q(s') = [[1, 2], [3, 0]], done = [0, 1], γ = 0.9: [1 + 0.9·2, 1] = [2.8, 1];
    boolean dones and NumPy inputs work, and give float32."""
    call = "td_targets([1, 1], [[1, 2], [3, 0]], [False, True], 0.9)"
    result = kata.td_targets(
        np.array([1.0, 1.0], np.float32),
        np.array([[1.0, 2.0], [3.0, 0.0]], np.float32),
        np.array([False, True]),
        0.9,
    )
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float32)
    assert_close(result, [2.8, 1.0], call=call)


@pytest.mark.parametrize(
    "argument, args",
    [
        ("rewards", (np.zeros(3), np.zeros((2, 2)), np.zeros(2), 0.9)),
        ("dones", (np.zeros(2), np.zeros((2, 2)), np.zeros(3), 0.9)),
        ("next_q_values", (np.zeros(2), np.zeros(2), np.zeros(2), 0.9)),
        ("discount", (np.zeros(2), np.zeros((2, 2)), np.zeros(2), 1.5)),
        ("discount", (np.zeros(2), np.zeros((2, 2)), np.zeros(2), -0.5)),
    ],
    ids=["rewards_length", "dones_length", "next_q_1d", "discount_above_1", "discount_negative"],
)
def test_td_targets_rejects_bad_arguments(kata, argument, args):
    """Mismatched shapes or a discount outside [0, 1]: ValueError naming the argument."""
    assert_raises_naming(ValueError, argument, kata.td_targets, *args)


def test_td_targets_mixed_and_integer_inputs(kata):
    """Inputs are cast to next_q_values' float dtype: float64 rewards (0.1, not a float32 number)
    with float64 Q-values stay exact in float64; float64 rewards and dones with float32 Q-values
    give float32; integer Q-values give float32; discount 1 (no discounting) is allowed."""
    rewards, dones = np.array([0.1, -0.3]), np.array([0.0, 1.0])
    next_q = np.array([[1.0, 2.0], [3.0, 0.0]])
    exact = rewards + 1.0 * next_q.max(axis=1) * (1 - dones)
    for q, dtype in ((next_q, tf.float64), (next_q.astype(np.float32), tf.float32)):
        call = f"td_targets(float64 [0.1, -0.3], {dtype.name} [[1, 2], [3, 0]], [0, 1], 1.0)"
        result = kata.td_targets(rewards, q, dones, 1.0)
        assert_tensor(result, call=call, shape=(2,), dtype=dtype)
        tol = 1e-15 if dtype == tf.float64 else 1e-7
        assert_close(result, exact, call=call, rtol=tol, atol=tol, what="r + max Q(s')·(1 − done)")
    call = "td_targets([1, 1], int [[1, 2], [3, 0]], [0, 1], 0.5)"
    result = kata.td_targets([1, 1], np.array([[1, 2], [3, 0]]), [0, 1], 0.5)
    assert_tensor(result, call=call, shape=(2,), dtype=tf.float32)
    assert_close(result, [2.0, 1.0], call=call)


# ------------------------------------------------------------------ dqn_train_step


class TrainingProbe(keras.layers.Layer):
    """An identity layer that records the `training` flag of every call (through the list's
    append method: Keras would wrap a list stored on a layer into a tracked copy)."""

    def __init__(self, seen, **kwargs):
        super().__init__(**kwargs)
        self._record = seen.append

    def call(self, inputs, training=None):
        self._record(training)
        return inputs


def test_dqn_train_step_calls_the_networks_in_the_right_mode(kata):
    """The Q-network is called with training=True (its Dropout or BatchNorm behave as in
    training); the target network computes constants, in inference mode (training False or
    unset)."""
    seen = {"q_network": [], "target_network": []}
    nets = {}
    for name in seen:
        nets[name] = keras.Sequential(
            [keras.Input((4,)), TrainingProbe(seen[name]), keras.layers.Dense(3)]
        )
        seen[name].clear()  # building the Sequential called the probe symbolically
    batch = _batch(seed=2)
    kata.dqn_train_step(
        nets["q_network"], keras.optimizers.SGD(0.01), batch, 0.9, nets["target_network"]
    )
    q_flags, target_flags = seen["q_network"], seen["target_network"]
    assert q_flags and all(flag is True for flag in q_flags), (
        f"dqn_train_step called q_network with training={q_flags}; expected training=True"
    )
    assert target_flags and not any(target_flags), (
        f"dqn_train_step called target_network with training={target_flags}; expected inference "
        "mode (training=False)"
    )


def _network(seed, num_actions=3):
    """A Q-network built by the test itself (so these tests do not depend on build_q_network)."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(num_actions),
        ]
    )


def _batch(seed, size=16, num_actions=3, action_dtype=np.int64):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(size, 4)).astype(np.float32),
        rng.integers(0, num_actions, size).astype(action_dtype),
        rng.normal(size=size).astype(np.float32),
        rng.normal(size=(size, 4)).astype(np.float32),
        (rng.random(size) < 0.3).astype(np.float32),
    )


def _reference(q_network, batch, discount, target_network=None, semi_gradient=True):
    """The loss and its gradients, written independently: one-hot selection of Q(s, a), targets
    from the target network (default: the same network), held constant with tf.stop_gradient."""
    states, actions, rewards, next_states, dones = batch
    source = q_network if target_network is None else target_network
    with tf.GradientTape() as tape:
        next_q = source(next_states)
        targets = rewards + discount * tf.reduce_max(next_q, axis=1) * (1.0 - dones)
        if semi_gradient:
            targets = tf.stop_gradient(targets)
        q_values = q_network(states)
        taken = tf.reduce_sum(q_values * tf.one_hot(actions, q_values.shape[1]), axis=1)
        loss = tf.reduce_mean((targets - taken) ** 2)
    return loss, tape.gradient(loss, q_network.trainable_variables)


def _gradient_applied(kata, q_network, batch, discount, target_network=None):
    """Runs the kata's step with SGD(learning_rate=1) and reads the gradient it applied off the
    weights: w_new = w_old − g, so g = w_old − w_new."""
    before = [v.numpy().copy() for v in q_network.trainable_variables]
    optimizer = keras.optimizers.SGD(learning_rate=1.0)
    loss = kata.dqn_train_step(q_network, optimizer, batch, discount, target_network=target_network)
    after = [v.numpy() for v in q_network.trainable_variables]
    return loss, [b - a for b, a in zip(before, after, strict=True)]


def _assert_grads(got, expected, call, what):
    # Recovering g from float32 weights rounds at ~1e-7·|w|, and the reference sums the batch in
    # another order than the kata may: 1e-5 is far below the differences the test looks for.
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert_close(g, e, call=f"{call}: gradient of weight {i}", rtol=1e-4, atol=1e-5, what=what)


@pytest.mark.parametrize("action_dtype", [np.int32, np.int64])
def test_dqn_train_step_returns_the_loss_before_the_update(kata, action_dtype):
    """The returned loss is a scalar tf.Tensor equal to mean((y − Q(s, a))²) before the step;
    actions may have any integer dtype."""
    q_network = _network(1)
    batch = _batch(2, action_dtype=action_dtype)
    expected, _ = _reference(q_network, batch, 0.9)
    call = f"dqn_train_step(q, SGD(0.1), batch[16] (actions {np.dtype(action_dtype).name}), 0.9)"
    loss = kata.dqn_train_step(q_network, keras.optimizers.SGD(learning_rate=0.1), batch, 0.9)
    assert_tensor(loss, call=call, shape=())
    assert_close(
        loss, expected, call=call, rtol=1e-5, what="mean squared TD error before the update"
    )
    after, _ = _reference(q_network, batch, 0.9)
    assert not np.isclose(float(after), float(expected), rtol=1e-6), (
        f"{call} did not change the network"
    )


def test_dqn_train_step_applies_the_semi_gradient(kata):
    """Without a target network the targets come from q_network itself but carry no gradient:
    the applied gradient is that of the loss with tf.stop_gradient(targets)."""
    q_network = _network(3)
    batch = _batch(4)
    _, semi = _reference(q_network, batch, 0.99)
    _, full = _reference(q_network, batch, 0.99, semi_gradient=False)
    # The test's premise: the two gradients differ clearly on this batch.
    assert max(float(np.abs(s - f).max()) for s, f in zip(semi, full, strict=True)) > 1e-2
    _, applied = _gradient_applied(kata, q_network, batch, 0.99)
    _assert_grads(
        applied,
        [g.numpy() for g in semi],
        "dqn_train_step(q, SGD(1.0), batch, 0.99)",
        "the semi-gradient (targets held constant)",
    )


def test_dqn_train_step_uses_and_preserves_the_target_network(kata):
    """With target_network, the targets come from it (not from q_network), and its weights are
    exactly unchanged by the step."""
    q_network, target_network = _network(5), _network(6)
    batch = _batch(7)
    target_weights = [w.copy() for w in target_network.get_weights()]
    expected_loss, expected = _reference(q_network, batch, 0.9, target_network=target_network)
    _, online = _reference(q_network, batch, 0.9)
    assert max(float(np.abs(e - o).max()) for e, o in zip(expected, online, strict=True)) > 1e-2
    call = "dqn_train_step(q, SGD(1.0), batch, 0.9, target_network=target)"
    loss, applied = _gradient_applied(kata, q_network, batch, 0.9, target_network=target_network)
    assert_close(
        loss, expected_loss, call=call, rtol=1e-5, what="loss with the target network's targets"
    )
    _assert_grads(applied, [g.numpy() for g in expected], call, "targets from the target network")
    for i, (before, after) in enumerate(
        zip(target_weights, target_network.get_weights(), strict=True)
    ):
        np.testing.assert_array_equal(after, before, err_msg=f"{call} changed target weight {i}")


def test_dqn_train_step_reduces_the_td_error_on_a_fixed_batch(kata):
    """Repeated steps on one batch (fixed target network, Adam 3e-2) at least halve the loss within
    25 steps (a correct step gets it to about a fifth)."""
    q_network, target_network = _network(8), _network(9)
    batch = _batch(10, size=32)
    optimizer = keras.optimizers.Adam(learning_rate=3e-2)
    losses = [
        float(kata.dqn_train_step(q_network, optimizer, batch, 0.9, target_network))
        for _ in range(25)
    ]
    assert losses[-1] < 0.5 * losses[0], (
        f"25 dqn_train_step calls on a fixed batch: loss {losses[0]:.4f} → {losses[-1]:.4f}; "
        "expected it to fall to less than half"
    )


# ------------------------------------------------------------------ the whole loop on CartPole


def run_dqn(
    kata,
    env_steps,
    *,
    seed,
    batch_size=64,
    warmup=1_000,
    capacity=50_000,
    discount=0.99,
    learning_rate=1e-3,
    train_every=1,
    target_every=500,
    epsilon_steps=10_000,
    evaluate_every=None,
    evaluate_episodes=10,
    stop_at=None,
    compiled=False,
):
    """The DQN loop built from the kata's pieces: ε-greedy on the online network, every transition
    into the replay buffer (done = terminated: truncation still bootstraps), a train step every
    `train_every` environment steps after `warmup`, the target network refreshed every
    `target_every` steps. `compiled` wraps the train step and the greedy forward pass in
    tf.function (about 15 times faster than eager Keras on this tiny network). Returns the losses,
    the training episodes' returns and the greedy evaluations (step, mean return)."""
    env = gym.make("CartPole-v1")
    q_network = kata.build_q_network(4, 2)
    target_network = kata.build_q_network(4, 2)
    target_network.set_weights(q_network.get_weights())
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    buffer = kata.ReplayBuffer(capacity, seed=seed)
    rng = np.random.default_rng(seed)
    train_step, forward = kata.dqn_train_step, q_network
    if compiled:
        train_step = tf.function(kata.dqn_train_step)
        forward = tf.function(lambda states: q_network(states, training=False))

    def greedy(obs):
        return int(np.argmax(forward(np.asarray(obs, np.float32)[None])[0]))

    def evaluate():
        eval_env, returns = gym.make("CartPole-v1"), []
        for episode in range(evaluate_episodes):
            obs, _ = eval_env.reset(seed=10_000 + episode)
            total, done = 0.0, False
            while not done:
                obs, reward, terminated, truncated, _ = eval_env.step(greedy(obs))
                total += reward
                done = terminated or truncated
            returns.append(total)
        eval_env.close()
        return float(np.mean(returns))

    result = {
        "losses": [],
        "returns": [],
        "evaluations": [],
        "buffer": buffer,
        "q_network": q_network,
    }
    obs, _ = env.reset(seed=seed)
    episode_return = 0.0
    for step in range(1, env_steps + 1):
        epsilon = max(0.05, 1.0 - step / epsilon_steps)
        action = int(rng.integers(2)) if rng.random() < epsilon else greedy(obs)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        buffer.add(obs, action, reward, next_obs, terminated)
        episode_return += reward
        obs = next_obs
        if terminated or truncated:
            result["returns"].append(episode_return)
            episode_return = 0.0
            obs, _ = env.reset()
        if len(buffer) >= warmup and step % train_every == 0:
            loss = train_step(
                q_network, optimizer, buffer.sample(batch_size), discount, target_network
            )
            result["losses"].append(float(loss))
        if step % target_every == 0:
            target_network.set_weights(q_network.get_weights())
        if evaluate_every and step % evaluate_every == 0:
            result["evaluations"].append((step, evaluate()))
            if stop_at is not None and result["evaluations"][-1][1] > stop_at:
                break
    env.close()
    return result


def test_dqn_loop_runs_on_cartpole(kata):
    """A 128-step smoke run of the full loop on CartPole-v1 (buffer, network, targets, a train
    step every 4 environment steps, target refreshes): it completes with finite losses and a
    changed network."""
    steps, warmup = 128, 32
    keras.utils.set_random_seed(0)
    initial = kata.build_q_network(4, 2)
    keras.utils.set_random_seed(0)
    result = run_dqn(
        kata,
        steps,
        seed=0,
        batch_size=32,
        warmup=warmup,
        capacity=1_000,
        train_every=4,
        target_every=50,
        epsilon_steps=steps,
    )
    assert len(result["buffer"]) == steps, (
        f"the buffer holds {len(result['buffer'])} transitions after {steps} steps"
    )
    expected_steps = sum(1 for step in range(1, steps + 1) if step >= warmup and step % 4 == 0)
    losses = np.array(result["losses"])
    assert len(losses) == expected_steps and np.isfinite(losses).all(), (
        f"{len(losses)} train steps, all finite: {bool(np.isfinite(losses).all())}; "
        f"expected {expected_steps} finite losses"
    )
    changed = any(
        not np.array_equal(a, b)
        for a, b in zip(initial.get_weights(), result["q_network"].get_weights(), strict=True)
    )
    assert changed, "the Q-network's weights did not change during training"


@pytest.mark.slow
def test_dqn_learns_cartpole(kata):
    """(slow: about a minute, at most a few) The full loop learns CartPole-v1: a greedy evaluation
    over 10 episodes averages more than 150 within 40 000 environment steps. The train step and
    the greedy forward pass run under tf.function, so dqn_train_step must be traceable (TF ops
    only, no .numpy() inside)."""
    started = time.monotonic()
    result = run_dqn(kata, 40_000, seed=0, evaluate_every=2_000, stop_at=150, compiled=True)
    evaluations = result["evaluations"]
    best_step, best = max(evaluations, key=lambda e: e[1])
    print(
        f"\nDQN on CartPole-v1, greedy evaluations (env step, mean return of 10 episodes): "
        f"{evaluations}; best {best} at step {best_step}; {time.monotonic() - started:.0f} s"
    )
    assert best > 150, f"greedy evaluations (step, mean return): {evaluations}; never above 150"
