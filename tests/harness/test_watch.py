"""`kata watch`: re-checks on save (ignoring editors' temporary files) and moves on on success."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tfkata.watch import kata_of_path

FIRST = "gradient_of_square"


def test_kata_of_path_ignores_swap_backup_and_temporary_files(tmp_path: Path):
    names = {FIRST}
    assert kata_of_path(str(tmp_path / f"{FIRST}.py"), tmp_path, names) == FIRST
    for junk in (
        f".{FIRST}.py.swp",
        f"{FIRST}.py~",
        "4913",
        f".#{FIRST}.py",
        f"{FIRST}.py.tmp",
        "other.py",
        f"{FIRST}.pyc",
    ):
        assert kata_of_path(str(tmp_path / junk), tmp_path, names) is None, junk
    assert kata_of_path(str(tmp_path / "sub" / f"{FIRST}.py"), tmp_path, names) is None


class Session:
    """A `kata watch` child whose output lines can be awaited."""

    def __init__(self, root: Path, *args: str) -> None:
        env = dict(os.environ, TFKATA_ROOT=str(root), NO_COLOR="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tfkata.cli", "watch", *args],
            cwd=root,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(
            f"no {text!r} within {timeout} s; output so far:\n{''.join(self.seen)}"
        )

    def send(self, keys: str) -> None:
        self.proc.stdin.write(keys + "\n")
        self.proc.stdin.flush()

    def close(self) -> str:
        try:
            self.send("q")
            self.proc.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.proc.kill()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


@pytest.mark.e2e
def test_watch_rechecks_on_save_and_moves_on(project: Path):
    watch = Session(project)
    try:
        watch.wait_for("not started")
        # editors' temporary files must not trigger a check
        (project / "katas" / f".{FIRST}.py.swp").write_text("junk")
        (project / "katas" / "4913").write_text("")
        time.sleep(1.0)
        # an atomic save (write a temp file, rename over), as vim and many IDEs do
        tmp = project / "katas" / f"{FIRST}.py.tmp"
        shutil.copy2(project / "solutions" / f"{FIRST}.py", tmp)
        tmp.replace(project / "katas" / f"{FIRST}.py")
        watch.wait_for(f"✓ {FIRST}: all")  # however many tests it has
        watch.wait_for("Next kata:")
    finally:
        output = watch.close()
    assert output.count("── checking") == 2, output
    assert watch.proc.returncode == 0


@pytest.mark.e2e
def test_manual_mode_rechecks_on_enter(project: Path):
    watch = Session(project, "--manual")
    try:
        watch.wait_for("not started")
        watch.send("h")
        watch.wait_for("Hint 1/")
        shutil.copy2(project / "solutions" / f"{FIRST}.py", project / "katas" / f"{FIRST}.py")
        watch.send("")
        watch.wait_for(f"✓ {FIRST}: all")  # however many tests it has
    finally:
        output = watch.close()
    assert output.count("── checking") == 2, output
