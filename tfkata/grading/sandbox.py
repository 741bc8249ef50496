"""One grading child: a private sandbox folder, a supervised pytest process, its signed records.

The sandbox holds a copy of the test suite taken once per run into memory (tests/, conftest.py,
pyproject.toml, info.toml and the tfkata package itself, never solutions/), the student's kata
files under `impl/`, and private tmp/ and home/ folders. The child is a fresh interpreter in a
new session, started without a shell and with a scrubbed environment; its stdout and stderr are
read through a bounded reader (beyond the cap the run is stopped); the grader enforces the
per-kata wall-clock timeout from the child's "start" records and kills the whole process group
at the end. Results come back as signed JSON lines on a private pipe."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError

SUITE_DIRS_SKIPPED = {"harness", "mistakes", "alternates", "__pycache__", ".hypothesis"}
ROOT_FILES = ("conftest.py", "pyproject.toml", "info.toml")
OUTPUT_KEEP = 4000  # bytes of the child's output kept (head and tail) for messages
CHANNEL_CAP = 32 * 1024 * 1024
# derandomized like every profile of the suite, and without shrinking: a failing submission is
# graded fast, and its falsifying example is still reported.
HYPOTHESIS_PROFILE = "verify"


@dataclass(frozen=True)
class Limits:
    timeout: float = 180.0  # seconds per kata
    startup: float = 180.0  # seconds from start until the first kata starts (TF import, collection)
    memory_mb: int = 4096  # address space of each test process
    max_output_mb: float = 8.0  # what a run may print (stdout + stderr)
    max_file_mb: int = 512  # the largest file a run may write
    namespaces: bool = True  # hide the project and other students where the kernel allows


class Suite:
    """The project's test suite and harness, read once into memory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, bytes] = {}
        for name in ROOT_FILES:
            if (root / name).is_file():
                self.files[name] = (root / name).read_bytes()
        for base in ("tests", "tfkata"):
            for path in sorted((root / base).rglob("*")):
                rel = path.relative_to(root)
                if (
                    path.is_dir()
                    or SUITE_DIRS_SKIPPED & set(rel.parts[1:])
                    or path.suffix == ".pyc"
                ):
                    continue
                if base == "tfkata" and path.suffix != ".py":
                    continue
                self.files[rel.as_posix()] = path.read_bytes()
        self.digests = {k: hashlib.sha256(v).hexdigest() for k, v in self.files.items()}

    def has_tests(self, kata: str) -> bool:
        return f"tests/test_{kata}.py" in self.files

    def materialize(self, dest: Path) -> None:
        for rel, data in self.files.items():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def changed_in(self, dest: Path) -> list[str]:
        """Suite files in a sandbox that no longer match the snapshot."""
        changed = []
        for rel, digest in self.digests.items():
            try:
                if hashlib.sha256((dest / rel).read_bytes()).hexdigest() != digest:
                    changed.append(rel)
            except OSError:
                changed.append(rel)
        return changed

    def changed_in_project(self) -> list[str]:
        return self.changed_in(self.root)


@dataclass
class ChildRun:
    """What one child reported, authenticated, plus how it ended."""

    katas: list[str]
    collected: dict[str, list[str]] | None = None
    collection_errors: list[dict] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    sealed: dict[str, dict] = field(default_factory=dict)
    timed_out: str | None = None  # the kata running when its time ran out ("" = startup)
    overflow: str | None = None  # the kata running when the output cap was hit
    forged: list[str] = field(default_factory=list)  # channel lines that failed authentication
    isolation: str = "unknown"
    warnings: list[str] = field(default_factory=list)
    exit: dict | None = None  # the supervisor's view of pytest's end
    returncode: int | None = None
    output_head: str = ""
    output_tail: str = ""
    output_bytes: int = 0
    suite_changed: list[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def running(self) -> str | None:
        """The kata that had started and not been sealed when the run ended."""
        for kata in self.started:
            if kata not in self.sealed:
                return kata
        return None

    def output_excerpt(self, chars: int = 400) -> str:
        """The last lines the run printed, without TensorFlow's log chatter."""
        text = self.output_tail if self.output_bytes > len(self.output_head) else self.output_head
        lines = [ln for ln in text.splitlines() if ln.strip() and not _NOISE.search(ln)]
        return "\n".join(lines[-8:])[-chars:]


# TensorFlow / absl / CUDA start-up logs, and pytest's progress dots: never a student's business
_NOISE = re.compile(
    r"^[IWEF]\d{4} \d\d:\d\d:\d\d|absl::InitializeLog|cuda|oneDNN|TF-TRT|"
    r"cpu_feature_guard|This TensorFlow binary|rebuild TensorFlow|^[.sFEx]+\s*(\[\s*\d+%\])?$"
)


def _child_env(workdir: Path, jobs: int) -> dict[str, str]:
    """A scrubbed environment (nothing of the grader's: no project paths, no credentials).
    The sandbox's conftest (tfkata.tf_env.configure) fills in TensorFlow's settings; only the
    thread pools are sized here, so that `jobs` children share the cores."""
    intra = str(max(1, (os.cpu_count() or 1) // max(1, jobs)))
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HOME": str(workdir / "home"),
        "TMPDIR": str(workdir / "tmp"),
        "KERAS_HOME": str(workdir / "home" / ".keras"),
        "MPLCONFIGDIR": str(workdir / "home" / ".mpl"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONUNBUFFERED": "1",
        "HYPOTHESIS_PROFILE": os.environ.get("TFKATA_GRADE_PROFILE", HYPOTHESIS_PROFILE),
        "NO_COLOR": "1",
        "TF_NUM_INTRAOP_THREADS": intra,
        "OMP_NUM_THREADS": intra,
        "TF_NUM_INTEROP_THREADS": "2",
        "CUDA_VISIBLE_DEVICES": "",
    }


class _Output:
    """Counts what the child prints, keeping only its head and tail."""

    def __init__(self) -> None:
        self.total = 0
        self.head = bytearray()
        self.tail = bytearray()

    def add(self, data: bytes) -> None:
        self.total += len(data)
        if len(self.head) < OUTPUT_KEEP:
            self.head += data[: OUTPUT_KEEP - len(self.head)]
        self.tail += data
        if len(self.tail) > 2 * OUTPUT_KEEP:
            del self.tail[: len(self.tail) - OUTPUT_KEEP]


_LIVE: set[subprocess.Popen] = set()
_LIVE_LOCK = threading.Lock()
CANCELLED = threading.Event()


def cancel_all() -> None:
    """Stop grading now (Ctrl-C, a crash of the grader): no new child starts, running ones die."""
    CANCELLED.set()
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    """Ask the supervisor to end its tree, then kill the whole process group."""
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=3)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_child(
    suite: Suite,
    katas: Sequence[str],
    *,
    student_files: dict[str, Path] | None,
    limits: Limits,
    base: Path,
    jobs: int = 1,
    hide: Sequence[Path] = (),
    mode: str = "grade",
) -> ChildRun:
    """Run the tests of `katas` against `student_files` ({kata: its file}) in a fresh sandbox
    under `base`. mode "collect" only collects (no kata code is involved)."""
    if CANCELLED.is_set():
        raise KataError("grading was interrupted")
    run = ChildRun(katas=list(katas))
    started_at = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="sbx-", dir=base))
    try:
        suite.materialize(workdir)
        impl = workdir / "impl"
        for sub in (impl, workdir / "tmp", workdir / "home"):
            sub.mkdir(parents=True, exist_ok=True)
        for kata, path in (student_files or {}).items():
            shutil.copyfile(path, impl / f"{kata}.py")
        _run(run, suite, workdir, katas, limits, jobs, hide, mode)
        run.suite_changed = suite.changed_in(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        run.duration = round(time.monotonic() - started_at, 3)
    return run


def _run(run, suite, workdir, katas, limits, jobs, hide, mode) -> None:
    key = secrets.token_bytes(32)
    mac = hmac.new(key, digestmod=hashlib.sha256)
    key_r, key_w = os.pipe()
    chan_r, chan_w = os.pipe()
    cmd = [
        sys.executable,
        "-m",
        "tfkata.child",
        *[f"tests/test_{k}.py" for k in katas],
        "--impl=impl",
        "-p",
        "tfkata.grading.sandbox_plugin",
        "--grading-channel-fd",
        str(chan_w),
        "--grading-key-fd",
        "{KEY_FD}",
        "--grading-mode",
        mode,
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-q",
        "--no-header",
        "--tb=no",
        "--capture=no",
        "--continue-on-collection-errors",
        "-o",
        "console_output_style=classic",
    ]
    if mode == "collect":
        cmd.append("--collect-only")
    cfg = {
        "key_fd": key_r,
        "channel_fd": chan_w,
        "memory_bytes": limits.memory_mb * 1024 * 1024 if limits.memory_mb else 0,
        "fsize_bytes": limits.max_file_mb * 1024 * 1024 if limits.max_file_mb else 0,
        "namespaces": limits.namespaces,
        "hide": [str(p) for p in hide],
        "keep": [str(workdir)],
        "cmd": cmd,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tfkata.grading.supervisor", json.dumps(cfg)],
        cwd=workdir,
        env=_child_env(workdir, jobs),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        pass_fds=(key_r, chan_w),
        start_new_session=True,
    )
    with _LIVE_LOCK:
        _LIVE.add(proc)
    os.close(key_r)
    os.close(chan_w)
    os.write(key_w, key)
    os.close(key_w)
    output = _Output()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(chan_r, selectors.EVENT_READ, "chan")
    streams = {"out", "chan"}
    buffer = b""
    channel_bytes = 0
    seqs = {"pytest": 0, "supervisor": 0}
    to_run = set(katas)
    phase, deadline = "", time.monotonic() + limits.startup  # "" = starting up
    try:
        while streams:
            if "chan" not in streams and proc.poll() is not None:
                break  # the supervisor is gone; a leftover may hold stdout open
            wait = deadline - time.monotonic()
            if wait <= 0:
                run.timed_out = phase if phase in katas else ""
                break
            stop = False
            for sel_key, _ in sel.select(timeout=min(wait, 0.5)):
                if sel_key.data == "out":
                    data = os.read(proc.stdout.fileno(), 65536)
                    if not data:
                        sel.unregister(proc.stdout)
                        streams.discard("out")
                        continue
                    output.add(data)
                    if output.total > limits.max_output_mb * 1024 * 1024:
                        run.overflow = phase if phase in katas else ""
                        stop = True
                    continue
                data = os.read(chan_r, 65536)
                if not data:
                    sel.unregister(chan_r)
                    streams.discard("chan")
                    continue
                channel_bytes += len(data)
                if channel_bytes > CHANNEL_CAP:
                    run.forged.append("more than 32 MB written to the report channel")
                    stop = True
                    continue
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    record = _verify(line, mac, seqs, run)
                    if record is None:
                        continue
                    kind = record.get("type")
                    kata = record.get("kata")
                    if kind == "collected":
                        run.collected = record.get("katas") or {}
                        run.collection_errors = record.get("errors") or []
                        to_run = set(katas) & set(run.collected)
                    elif kind == "start" and kata in katas and kata not in run.started:
                        run.started.append(kata)
                        phase, deadline = kata, time.monotonic() + limits.timeout
                    elif kind == "kata" and kata in katas and kata not in run.sealed:
                        run.sealed[kata] = record
                        phase, deadline = "between", time.monotonic() + 60.0
                    elif kind == "supervisor":
                        run.isolation = record.get("isolation", "unknown")
                        if record.get("reason"):
                            run.warnings.append(f"isolation: {record['reason']}")
                    elif kind == "warning":
                        run.warnings.append(str(record.get("message", "")))
                    elif kind == "supervisor_error":
                        run.warnings.append("supervisor: " + str(record.get("message", "")))
                    elif kind == "exit":
                        run.exit = record
                if run.forged:
                    stop = True  # an unauthenticated line: stop trusting this run
            if stop:
                break
            if phase == "between" and to_run <= set(run.sealed):
                phase = "finishing"
    finally:
        sel.close()
        _kill(proc)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        run.returncode = proc.returncode
        with _LIVE_LOCK:
            _LIVE.discard(proc)
        proc.stdout.close()
        os.close(chan_r)
    run.output_bytes = output.total
    run.output_head = output.head.decode(errors="replace")
    run.output_tail = output.tail.decode(errors="replace")


def _verify(line: bytes, mac, seqs: dict[str, int], run: ChildRun) -> dict | None:
    """An authenticated record, in sequence, or None (and the line is counted as forged)."""
    try:
        outer = json.loads(line)
        body = outer["body"]
        expected = mac.copy()
        expected.update(body.encode())
        if not hmac.compare_digest(expected.hexdigest(), str(outer["mac"])):
            raise ValueError("bad signature")
        record = json.loads(body)
        src = record["src"]
        if record["seq"] != seqs[src]:
            raise ValueError("out of sequence")
        seqs[src] += 1
        return record
    except (ValueError, KeyError, TypeError) as exc:
        run.forged.append(f"{type(exc).__name__}: {exc}"[:200])
        return None
