"""What the learner sees: colours, the progress bar, a check's verdict."""

from __future__ import annotations

import os
import sys

from tfkata.runner import RunReport, TestResult


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
    ordered = sorted(failures, key=lambda r: r.reason == "not_implemented")
    head = paint(f"✗ {name}: {len(failures)} of {total} tests fail.", "red")
    parts = [head, "", describe_failure(ordered[0])]
    rest = ordered[1:]
    if rest:
        parts.append("")
        parts.append(f"  and {len(rest)} more:")
        for r in rest[:8]:
            first = (r.message.splitlines() or [""])[0]
            parts.append(f"  ✗ {r.test}: {first[:110]}")
        if len(rest) > 8:
            parts.append(f"  ... ({len(rest) - 8} more)")
    return False, "\n".join(parts)
