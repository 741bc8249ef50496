"""The pytest plugin behind each kata test's time limit: see tfkata.timeouts for the settings
and how a test is stopped."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from tfkata.timeouts import (
    DEFAULT_LIMIT,
    EXIT_STUCK,
    FOLLOW_UP_LIMIT,
    SLOW_FACTOR,
    TIMEOUT_ENV,
    hard_grace,
    parse_limit,
    timeout_message,
)


class KataTimeout(BaseException):
    """A kata test ran past its time limit (see the module docstring for why a BaseException)."""


class KataPhaseTimeout(pytest.fail.Exception):
    """The same in a test's setup or teardown: there pytest's fixture machinery expects one of
    its own outcomes (a BaseException would leave its set-up state inconsistent)."""


def _limit(value: object, source: str) -> float:
    try:
        return parse_limit(value, source)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def configured_limit(config: pytest.Config) -> float:
    option = config.getoption("--kata-timeout")
    if option is not None:
        return _limit(option, "--kata-timeout")
    env = os.environ.get(TIMEOUT_ENV, "").strip()
    if env:
        return _limit(env, f"${TIMEOUT_ENV}")
    ini = config.getini("kata_timeout")
    if ini not in (None, ""):
        return _limit(ini, "ini option kata_timeout")
    return DEFAULT_LIMIT


class KataTimer:
    """The per-test time limit, as a pytest plugin (one per test process)."""

    def __init__(
        self,
        limit: float,
        kata_of: Callable[[pytest.Item], str | None],
        impl_dir: Path | None,
    ) -> None:
        self.limit = limit
        self.kata_of = kata_of
        self.impl_dir = impl_dir
        self.timed_out_katas: set[str] = set()
        self.on_stuck: list[Callable[[pytest.Item, str], None]] = []
        self.soft = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        self._previous_handler = None
        self._lock = threading.Condition()
        self._item: pytest.Item | None = None
        self._item_limit = 0.0
        self._follow_up = False
        self._deadline = 0.0  # monotonic: the limit of the phase running
        self._watchdog: threading.Thread | None = None
        self._phase = ""
        if self.soft:
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)

    # ------------------------------------------------------------ the limit of one test
    def limit_for(self, item: pytest.Item) -> tuple[float, bool]:
        """(seconds, follow_up) for this item; 0 means no limit."""
        kata = self.kata_of(item)
        if kata is None:
            return 0.0, False
        marker = item.get_closest_marker("kata_timeout")
        if marker is not None and marker.args:
            return _limit(marker.args[0], f"{item.nodeid}: kata_timeout marker"), False
        limit = self.limit * (SLOW_FACTOR if item.get_closest_marker("slow") else 1)
        if limit and kata in self.timed_out_katas and limit > FOLLOW_UP_LIMIT:
            return FOLLOW_UP_LIMIT, True
        return limit, False

    def current_limit(self, nodeid: str) -> float | None:
        """The limit of the test running now, if that is `nodeid` (None: no limit)."""
        item = self._item
        return self._item_limit if item is not None and item.nodeid == nodeid else None

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        limit, follow_up = self.limit_for(item)
        if not limit:
            return (yield)
        with self._lock:
            self._item, self._item_limit, self._follow_up = item, limit, follow_up
            self._deadline = time.monotonic() + limit
            self._lock.notify_all()
        self._start_watchdog()
        try:
            return (yield)
        finally:
            with self._lock:
                self._item = None
                self._lock.notify_all()

    # each phase (setup: fixtures, the kata's import; call: the test; teardown) gets the limit:
    # the first test's setup may import TensorFlow, which is not the learner's time
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        return (yield from self._armed(item, "setup"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item):
        return (yield from self._armed(item, "call"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None):
        return (yield from self._armed(item, "teardown"))

    def _armed(self, item: pytest.Item, phase: str):
        if self._item is not item:
            return (yield)
        with self._lock:
            self._deadline = time.monotonic() + self._item_limit
            self._lock.notify_all()
        if not self.soft:
            return (yield)
        self._phase = phase
        signal.setitimer(signal.ITIMER_REAL, self._item_limit)
        try:
            return (yield)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._phase = ""

    def _on_alarm(self, signum: int, frame) -> None:
        item = self._item
        if item is None:  # the test ended as the timer fired
            return
        kata = self.kata_of(item)
        if kata is not None:
            self.timed_out_katas.add(kata)
        frames = traceback.extract_stack(frame)
        message = timeout_message(
            self._item_limit, frames, self.impl_dir, follow_up=self._follow_up
        )
        if self._phase == "call":
            raise KataTimeout(message)
        raise KataPhaseTimeout(f"({self._phase}) {message}", pytrace=False)

    # ------------------------------------------------------------ the watchdog (hard limit)
    def _start_watchdog(self) -> None:
        if self._watchdog is None:
            self._watchdog = threading.Thread(
                target=self._watch, name="tfkata-timeout-watchdog", daemon=True
            )
            self._watchdog.start()

    def _watch(self) -> None:
        main = threading.main_thread()
        with self._lock:
            while True:
                if self._item is None:
                    self._lock.wait()
                    continue
                item, limit = self._item, self._item_limit
                hard = self._deadline + (hard_grace(limit) if self.soft else 0.0)
                left = hard - time.monotonic()
                if left > 0:
                    self._lock.wait(left)
                    continue
                break
        frame = sys._current_frames().get(main.ident)
        frames = traceback.extract_stack(frame) if frame is not None else []
        message = timeout_message(
            limit, frames, self.impl_dir, follow_up=self._follow_up, stuck=True
        )
        self._stop_process(item, message, frames)

    def _stop_process(
        self, item: pytest.Item, message: str, frames: list[traceback.FrameSummary]
    ) -> None:
        stack = "".join(traceback.format_list(frames[-12:]))
        text = f"\ntfkata: {item.nodeid}: {message}\nwhere it was:\n{stack}"
        try:
            os.write(_original_stderr(item.config), text.encode("utf-8", "replace"))
        except OSError:
            pass
        for callback in self.on_stuck:
            try:
                callback(item, message)
            except Exception:  # the process ends anyway; the runner copes with a missing entry
                pass
        os._exit(EXIT_STUCK)

    def close(self) -> None:
        if self.soft:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous_handler or signal.SIG_DFL)
            self.soft = False


def _original_stderr(config: pytest.Config) -> int:
    """The terminal's stderr even while pytest captures fd 2 (its saved duplicate)."""
    capman = config.pluginmanager.getplugin("capturemanager")
    capturing = getattr(capman, "_global_capturing", None)
    err = getattr(capturing, "err", None)
    saved = getattr(err, "targetfd_save", None)
    return saved if isinstance(saved, int) else 2
