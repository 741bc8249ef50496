"""What the learner sees: colours, the progress bar, a check's verdict, a long check's liveness."""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO

from tfkata.runner import LiveState, RunReport, TestResult


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def paint(text: str, colour: str) -> str:
    codes = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}
    return f"\033[{codes[colour]}m{text}\033[0m" if _use_colour() else text


def progress_bar(done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else 0
    bar = "#" * filled + "-" * (width - filled)
    pct = 100 * done / total if total else 0
    return f"[{bar}] {done}/{total} katas done ({pct:.0f}%)"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def describe_failure(result: TestResult) -> str:
    lines = [paint(f"  ✗ {result.test}", "red")]
    if result.doc:
        lines.append(f"    property: {result.doc}")
    if result.message:
        lines.append(_indent(result.message))
    return "\n".join(lines)


def not_started(name: str, katas_dir_label: str, total: int | None = None) -> str:
    tests = f"all {total} tests stop" if total else "every test stops"
    return paint(
        f"… {name}: not started: {tests} at NotImplementedError. Open "
        f"{katas_dir_label}/{name}.py and replace the `raise NotImplementedError(...)` lines.",
        "yellow",
    )


def verdict(name: str, report: RunReport, katas_dir_label: str) -> tuple[bool, str]:
    """(passed, text) for one kata's run."""
    results = report.for_kata(name)
    if report.collection_errors and not results:
        first = report.collection_errors[0]["message"].strip().splitlines()[-1:]
        return False, paint(f"✗ {name}: its tests could not be collected: {' '.join(first)}", "red")
    if not results:
        return False, paint(f"✗ {name}: no test ran", "red")
    failures = [r for r in results if r.outcome in ("failed", "error")]
    skipped = [r for r in results if r.outcome == "skipped"]
    total = len(results)
    if not failures and not skipped:
        return True, paint(f"✓ {name}: all {total} tests pass.", "green")
    if not failures:
        return False, paint(f"? {name}: {len(skipped)} of {total} tests were skipped", "yellow")
    reasons = {r.reason for r in failures}
    if reasons == {"load_error"}:
        return False, paint(f"✗ {failures[0].message}", "red")
    if reasons == {"missing"}:
        return False, paint(f"✗ {failures[0].message}", "red")
    if len(failures) == total and reasons == {"not_implemented"}:
        return False, not_started(name, katas_dir_label, total)
    # tests that stop at a stub's NotImplementedError are not failures of the code written so far
    waiting = [r for r in failures if r.reason == "not_implemented"]
    failed = [r for r in failures if r.reason != "not_implemented"]
    started = total - len(waiting)
    later = ""
    if waiting:
        functions = list(dict.fromkeys(r.function or "?" for r in waiting))
        tests = "test waits" if len(waiting) == 1 else "tests wait"
        later = f"; not started: {', '.join(functions)} ({len(waiting)} {tests} on them)"
    if not failed:
        text = f"… {name}: the {started} tests that reach your code pass{later}."
        return False, paint(text, "yellow")
    head = paint(f"✗ {name}: {len(failed)} of {started} tests fail{later}.", "red")
    parts = [head, "", describe_failure(failed[0])]
    rest = failed[1:]
    if rest:
        parts.append("")
        parts.append(f"  and {len(rest)} more:")
        for r in rest[:8]:
            first = (r.message.splitlines() or [""])[0]
            parts.append(f"  ✗ {r.test}: {first[:110]}")
        if len(rest) > 8:
            parts.append(f"  ... ({len(rest) - 8} more)")
    return False, "\n".join(parts)


class LiveStatus:
    """Shows that a long check is alive (a tfkata.runner progress callback). On a terminal: one
    line, rewritten, from TTY_AFTER seconds on, and wiped when the check ends (a fast check
    shows nothing). Elsewhere (a log, an IDE's console): a plain line every PLAIN_EVERY seconds
    from PLAIN_AFTER on."""

    TTY_AFTER = 2.0
    PLAIN_AFTER = 10.0
    PLAIN_EVERY = 15.0

    def __init__(self, name: str, stream: TextIO | None = None) -> None:
        self.name = name
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown = ""
        self.next_plain = self.PLAIN_AFTER

    def text(self, state: LiveState) -> str:
        elapsed = f"{state.elapsed:.0f} s"
        if state.total is None:
            return f"… checking {self.name}: starting TensorFlow and the tests ({elapsed})"
        text = f"… checking {self.name}: {state.done} of {state.total} tests done"
        if state.failed:
            text += f", {state.failed} not passed"
        if state.running and state.running_since is not None:
            running = state.elapsed - (state.running_since - state.started)
            if running >= 3:
                test = state.running.split("::")[-1]
                limit = f" of its {state.limit:g} s limit" if state.limit else ""
                text += f"; {test} running for {running:.0f} s{limit}"
        return f"{text} ({elapsed})"

    def __call__(self, state: LiveState) -> None:
        if state.finished:
            if self.tty and self.shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
            self.shown = ""
            return
        if self.tty:
            if state.elapsed < self.TTY_AFTER:
                return
            width = shutil.get_terminal_size((80, 24)).columns
            text = self.text(state)[: max(width - 1, 20)]
            if text != self.shown:
                self.stream.write("\r\033[K" + text)
                self.stream.flush()
                self.shown = text
        elif state.elapsed >= self.next_plain:
            self.next_plain = state.elapsed + self.PLAIN_EVERY
            self.shown = self.text(state)
            self.stream.write(self.shown + "\n")
            self.stream.flush()
