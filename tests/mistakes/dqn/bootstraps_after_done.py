"""Forgets the (1 − done) mask: the target of a final transition still adds γ·max Q(s').

Rejected by: test_td_targets_worked_example_and_terminal_transitions, test_td_targets_match_the_bellman_formula
"""

import tensorflow as tf


def td_targets(rewards, next_q_values, dones, discount):
    discount = _check_discount(discount)
    next_q_values = tf.convert_to_tensor(next_q_values)
    dtype = next_q_values.dtype if next_q_values.dtype.is_floating else tf.float32
    next_q_values = tf.cast(next_q_values, dtype)
    rewards = tf.cast(tf.convert_to_tensor(rewards), dtype)
    if next_q_values.shape.rank != 2 or rewards.shape != (next_q_values.shape[0],):
        raise ValueError("rewards must be [B] and next_q_values [B, num_actions]")
    if tf.convert_to_tensor(dones).shape != rewards.shape:
        raise ValueError("dones must have the shape of rewards")
    return rewards + discount * tf.reduce_max(next_q_values, axis=1)
