"""The short failure messages: the same text in every run, whatever the process."""

from __future__ import annotations

import numpy as np

from tfkata.messages import summarize


def _assertion_from(values: np.ndarray) -> AssertionError:
    try:
        assert np.all(values > 0), f"not all positive, checked with {np.all}"
    except AssertionError as exc:
        return exc
    raise RuntimeError("the assertion should have failed")


def test_messages_carry_no_memory_addresses():
    reason, message = summarize(_assertion_from(np.array([1.0, -1.0])), None, "custom_loss")
    assert reason == "assertion"
    assert "not all positive, checked with <function all>" in message
    assert " at 0x" not in message
