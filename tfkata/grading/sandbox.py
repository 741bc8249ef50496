"""One grading child, seen from the grader: a private sandbox folder, a supervised pytest
process, and what its signed channel said (a `ChildRun`).

The sandbox folder holds a copy of the test suite taken once per run into memory (tests/,
conftest.py, pyproject.toml, info.toml and the tfkata package itself, never solutions/) and
the student's kata files under `impl/` (and hypothesis' Unicode tables, built once: see
`hypothesis_tables`). The supervisor (tfkata.grading.supervisor) runs pytest
in bubblewrap where it works (that folder read-only, a private /tmp, nothing else of the
machine but the interpreter and the system's libraries), else in Linux namespaces, else in a
process group. Its stdout and stderr are read through a bounded reader (beyond the cap the run
is stopped); the grader enforces the per-kata wall-clock timeout from the "start" records and
kills the whole tree at the end. Records arrive on a private pipe, signed (tfkata.grading.
channel), and each kind has one handler below (`_Reader.on_<kind>`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
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
from tfkata.grading import channel
from tfkata.grading.settings import Limits

__all__ = ["CANCELLED", "ChildRun", "Limits", "Suite", "cancel_all", "run_child"]

SUITE_DIRS_SKIPPED = {"harness", "mistakes", "alternates", "__pycache__", ".hypothesis"}
ROOT_FILES = ("conftest.py", "pyproject.toml", "info.toml")
OUTPUT_KEEP = 4000  # bytes of the child's output kept (head and tail) for messages
# derandomized like every profile of the suite, and without shrinking: a failing submission is
# graded fast, and its falsifying example is still reported.
HYPOTHESIS_PROFILE = "verify"


# Hypothesis' storage directory in each sandbox (its database is off: see conftest.py)
HYPOTHESIS_DIR = ".hypothesis"
_UNICODE_TABLES = (
    "from hypothesis.internal.charmap import charmap, intervals_from_codec\n"
    "charmap()\n"
    "intervals_from_codec('utf-8')\n"
)
_tables: dict[str, bytes] | None = None
_tables_lock = threading.Lock()


def hypothesis_tables() -> dict[str, bytes]:
    """Hypothesis' Unicode tables ({path under its storage directory: bytes}), built once per
    grader in a throwaway interpreter (no kata code involved). Without them every test process
    whose tests draw text (st.text, st.characters) rebuilds them, a scan of all 1.1 M code
    points: ~1.2 s of CPU and ~200 MB of transient memory, in each fresh sandbox (under
    bubblewrap the sandbox is read-only, so not even the first process could keep them).
    Unavailable (another hypothesis, an error): {} and the tests build them as before."""
    global _tables
    with _tables_lock:
        if _tables is None:
            _tables = {}
            with tempfile.TemporaryDirectory(prefix="tfkata-hypothesis-") as tmp:
                env = {
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "HYPOTHESIS_STORAGE_DIRECTORY": tmp,
                }
                try:
                    subprocess.run(
                        [sys.executable, "-c", _UNICODE_TABLES],
                        env=env,
                        cwd=tmp,
                        capture_output=True,
                        timeout=120,
                        check=False,
                    )
                except (OSError, subprocess.SubprocessError):
                    return _tables
                tables = Path(tmp) / "unicode_data"
                for path in sorted(tables.rglob("*.json.gz")):
                    rel = path.relative_to(Path(tmp)).as_posix()
                    _tables[f"{HYPOTHESIS_DIR}/{rel}"] = path.read_bytes()
        return _tables


class Suite:
    """The project's test suite and harness, read once into memory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, bytes] = {}
        self.sources: dict[str, Path] = {}  # where each file was read from
        for name in ROOT_FILES:
            if (root / name).is_file():
                self._add(name, root / name)
        # the harness that runs the grader: the checkout's tfkata/, or the installed package,
        # whose packaged suite (tfkata/suite/, holding solutions/) is never copied
        harness = Path(__file__).resolve().parents[1]
        for base, folder in (("tests", root / "tests"), ("tfkata", harness)):
            for path in sorted(folder.rglob("*")):
                inner = path.relative_to(folder)
                if path.is_dir() or SUITE_DIRS_SKIPPED & set(inner.parts) or path.suffix == ".pyc":
                    continue
                if base == "tfkata" and (path.suffix != ".py" or inner.parts[0] == "suite"):
                    continue
                self._add(f"{base}/{inner.as_posix()}", path)
        self.digests = {k: hashlib.sha256(v).hexdigest() for k, v in self.files.items()}

    def _add(self, rel: str, path: Path) -> None:
        self.files[rel] = path.read_bytes()
        self.sources[rel] = path

    def has_tests(self, kata: str) -> bool:
        return f"tests/test_{kata}.py" in self.files

    def materialize(self, dest: Path) -> None:
        for rel, data in self.files.items():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def changed_in(self, dest: Path | None) -> list[str]:
        """Suite files in a sandbox (None: where they were read from) that no longer match the
        snapshot."""
        changed = []
        for rel, digest in self.digests.items():
            path = self.sources[rel] if dest is None else dest / rel
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                    changed.append(rel)
            except OSError:
                changed.append(rel)
        return changed

    def changed_in_project(self) -> list[str]:
        return self.changed_in(None)


@dataclass
class ChildRun:
    """What one child's channel said (authenticated), and how the child ended."""

    katas: list[str]
    collected: dict[str, list[str]] | None = None  # kata -> its tests' node ids
    collection_errors: list[dict] = field(default_factory=list)
    started: list[str] = field(default_factory=list)  # katas whose first test began, in order
    outcomes: dict[str, dict] = field(default_factory=dict)  # nodeid -> its tfkata.outcomes entry
    checks: dict[str, dict] = field(default_factory=dict)  # kata -> its integrity check record
    ended: dict | None = None  # the plugin's END record: pytest's last hook ran
    exit: dict | None = None  # the supervisor's view of how the test process ended
    timed_out: str | None = None  # the kata running when its time ran out ("" = startup)
    output_overflow: str | None = None  # the kata running when the output cap was hit
    channel_overflow: bool = False  # more than the channel cap was written on the channel
    forged_lines: list[str] = field(default_factory=list)  # lines that failed authentication
    late_records: list[str] = field(default_factory=list)  # records out of place (duplicates...)
    isolation: str = "unknown"
    warnings: list[str] = field(default_factory=list)
    returncode: int | None = None
    output_head: str = ""
    output_tail: str = ""
    output_bytes: int = 0
    suite_changed: list[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def untrusted(self) -> bool:
        """Something no honest run produces: forged or misplaced records, a flooded channel."""
        return bool(self.forged_lines or self.late_records or self.channel_overflow)

    @property
    def ended_properly(self) -> bool:
        """The test process ended through the plugin's own final path: its END record came,
        nothing after it, and the supervisor saw the process exit with that very status."""
        if self.ended is None or self.exit is None or self.untrusted:
            return False
        return self.exit.get("returncode") == self.ended.get("exitstatus")

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
    thread pools are sized here, so that `jobs` children share the cores. Under bubblewrap
    the supervisor points HOME and TMPDIR at the sandbox's private /tmp instead."""
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
        "HYPOTHESIS_STORAGE_DIRECTORY": str(workdir / HYPOTHESIS_DIR),
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


# ------------------------------------------------------------------ which sandbox


@dataclass(frozen=True)
class IsolationPlan:
    """The sandboxes a supervisor tries, best first, decided once per grading process."""

    isolations: tuple[str, ...]
    bwrap_user_namespace: bool | None  # None: bubblewrap is not used
    reason: str = ""  # why a better sandbox is not used


_PLANS: dict[tuple[str, ...], IsolationPlan] = {}
_PLANS_LOCK = threading.Lock()


def isolation_plan(limits: Limits) -> IsolationPlan:
    """Probe bubblewrap once (per set of wanted sandboxes) and remember the answer."""
    from tfkata.grading.supervisor import bwrap_probe

    wanted = limits.isolations
    with _PLANS_LOCK:
        if wanted in _PLANS:
            return _PLANS[wanted]
        reason, userns = "", None
        isolations = wanted
        if "bwrap" in wanted:
            probe_dir = tempfile.mkdtemp(prefix="tfkata-probe-")
            try:
                args, reason = bwrap_probe(probe_dir)
            finally:
                shutil.rmtree(probe_dir, ignore_errors=True)
            if args is None:
                isolations = tuple(i for i in wanted if i != "bwrap")
            else:
                userns = "--unshare-user" in args
        _PLANS[wanted] = IsolationPlan(isolations, userns, reason)
        return _PLANS[wanted]


# ------------------------------------------------------------------ one child


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
        for rel, data in hypothesis_tables().items():
            (workdir / rel).parent.mkdir(parents=True, exist_ok=True)
            (workdir / rel).write_bytes(data)
        impl = workdir / "impl"
        for sub in (impl, workdir / "tmp", workdir / "home"):
            sub.mkdir(parents=True, exist_ok=True)
        for kata, path in (student_files or {}).items():
            shutil.copyfile(path, impl / f"{kata}.py")
        _supervise(run, workdir, katas, limits, jobs, hide, mode)
        run.suite_changed = suite.changed_in(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        run.duration = round(time.monotonic() - started_at, 3)
    return run


def _pytest_command(katas: Sequence[str], channel_fd: int, mode: str) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "tfkata.child",
        *[f"tests/test_{k}.py" for k in katas],
        "--impl=impl",
        "-p",
        "tfkata.grading.sandbox_plugin",
        "--grading-channel-fd",
        str(channel_fd),
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
    return cmd


def _supervise(run: ChildRun, workdir, katas, limits: Limits, jobs, hide, mode) -> None:
    from tfkata.grading.memory import LEAN_MALLOC_ENV
    from tfkata.grading.supervisor import bwrap_args

    keys = channel.new_keys()
    verifier = channel.Verifier(keys)
    chan_r, chan_w = os.pipe()
    plan = isolation_plan(limits)
    sup_key_r = channel.hand_over(keys[channel.SUPERVISOR_SOURCE])
    pytest_key_r = channel.hand_over(keys[channel.PYTEST])
    cfg = {
        "supervisor_key_fd": sup_key_r,
        "pytest_key_fd": pytest_key_r,
        "channel_fd": chan_w,
        "memory_bytes": limits.memory_bytes,
        "fsize_bytes": limits.file_bytes,
        "isolations": list(plan.isolations),
        "isolation_reason": plan.reason,
        "bwrap": (
            bwrap_args(str(workdir), plan.bwrap_user_namespace)
            if plan.bwrap_user_namespace is not None
            else None
        ),
        "hide": [str(p) for p in hide],
        "keep": [str(workdir)],
        "cmd": _pytest_command(katas, chan_w, mode),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tfkata.grading.supervisor", json.dumps(cfg)],
        cwd=workdir,
        env=_child_env(workdir, jobs) | (LEAN_MALLOC_ENV if limits.kata_per_child else {}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        pass_fds=(sup_key_r, pytest_key_r, chan_w),
        start_new_session=True,
    )
    with _LIVE_LOCK:
        _LIVE.add(proc)
    for fd in (sup_key_r, pytest_key_r, chan_w):
        os.close(fd)
    reader = _Reader(run, katas, limits, verifier)
    try:
        reader.pump(proc, chan_r)
    finally:
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
    run.output_bytes = reader.output.total
    run.output_head = reader.output.head.decode(errors="replace")
    run.output_tail = reader.output.tail.decode(errors="replace")


class _Reader:
    """Reads a child's output and channel until it ends, its time runs out or it misbehaves;
    one handler per record kind fills in the ChildRun."""

    def __init__(self, run: ChildRun, katas, limits: Limits, verifier: channel.Verifier) -> None:
        self.run = run
        self.katas = set(katas)
        self.limits = limits
        self.verifier = verifier
        self.output = _Output()
        self.to_run = set(katas)  # the katas that collected (known once COLLECTED arrives)
        self.current = ""  # the kata whose clock runs ("" = starting up, None = between katas)
        self.deadline = time.monotonic() + limits.startup
        self.stop = False
        self.handlers = {
            channel.COLLECTED: self.on_collected,
            channel.START: self.on_start,
            channel.TEST: self.on_test,
            channel.KATA: self.on_kata,
            channel.END: self.on_end,
            channel.SUPERVISOR: self.on_supervisor,
            channel.WARNING: self.on_warning,
            channel.SUPERVISOR_ERROR: self.on_supervisor_error,
            channel.EXIT: self.on_exit,
        }

    # ---------------------------------------------------------------- handlers
    def _misplaced(self, record: dict, why: str) -> None:
        self.run.late_records.append(f"{record.get('kind')} record {why}")
        self.stop = True

    def _from_pytest(self, record: dict) -> bool:
        """Records of the test process must come before its END and before its exit."""
        if record.get("src") != channel.PYTEST:
            return True
        if self.run.ended is not None:
            self._misplaced(record, "after the end of the run")
            return False
        return True

    def on_collected(self, record: dict) -> None:
        if self.run.collected is not None:
            return self._misplaced(record, "sent twice")
        self.run.collected = record.get("katas") or {}
        self.run.collection_errors = record.get("errors") or []
        self.to_run = self.katas & set(self.run.collected)

    def on_start(self, record: dict) -> None:
        kata = record.get("kata")
        if kata not in self.katas or kata in self.run.started:
            return self._misplaced(record, f"for {kata!r} out of place")
        self.run.started.append(kata)
        self.current, self.deadline = kata, time.monotonic() + self.limits.timeout

    def on_test(self, record: dict) -> None:
        entry = record.get("entry") or {}
        nodeid = str(entry.get("nodeid", ""))
        kata = record.get("kata")
        if kata != self.current or nodeid in self.run.outcomes or kata in self.run.checks:
            # a second word on a test already decided, or a test of a kata not running
            return self._misplaced(record, f"for {nodeid.split('::')[-1] or '?'} out of place")
        self.run.outcomes[nodeid] = entry

    def on_kata(self, record: dict) -> None:
        kata = record.get("kata")
        if kata != self.current or kata in self.run.checks:
            return self._misplaced(record, f"for {kata!r} out of place")
        self.run.checks[kata] = record
        self.current, self.deadline = None, time.monotonic() + self.limits.between

    def on_end(self, record: dict) -> None:
        self.run.ended = record
        self.current, self.deadline = None, time.monotonic() + self.limits.between

    def on_supervisor(self, record: dict) -> None:
        self.run.isolation = record.get("isolation", "unknown")
        if record.get("reason"):
            self.run.warnings.append(f"isolation: {record['reason']}")

    def on_warning(self, record: dict) -> None:
        self.run.warnings.append(str(record.get("message", "")))

    def on_supervisor_error(self, record: dict) -> None:
        self.run.warnings.append("supervisor: " + str(record.get("message", "")))

    def on_exit(self, record: dict) -> None:
        self.run.exit = record

    # ---------------------------------------------------------------- reading
    def _line(self, line: bytes) -> None:
        try:
            record = self.verifier.verify(line)
        except channel.ForgedLine as exc:
            self.run.forged_lines.append(str(exc)[:200])
            self.stop = True  # an unauthenticated line: stop trusting this run
            return
        if self._from_pytest(record):
            self.handlers[record["kind"]](record)

    def pump(self, proc: subprocess.Popen, chan_r: int) -> None:
        run, limits = self.run, self.limits
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(chan_r, selectors.EVENT_READ, "chan")
        streams = {"out", "chan"}
        buffer = b""
        channel_bytes = 0
        try:
            while streams and not self.stop:
                if "chan" not in streams and proc.poll() is not None:
                    break  # the supervisor is gone; a leftover may hold stdout open
                if run.exit is not None and proc.poll() is not None:
                    break
                wait = self.deadline - time.monotonic()
                if wait <= 0:
                    run.timed_out = self.current if self.current in self.katas else ""
                    if self.current is None:  # between katas, or after the end: not a kata's
                        run.timed_out = None
                        run.warnings.append("the test process did not end after its tests")
                    break
                for sel_key, _ in sel.select(timeout=min(wait, 0.5)):
                    if sel_key.data == "out":
                        data = os.read(proc.stdout.fileno(), 65536)
                        if not data:
                            sel.unregister(proc.stdout)
                            streams.discard("out")
                            continue
                        self.output.add(data)
                        if self.output.total > limits.output_bytes:
                            run.output_overflow = self.current or ""
                            self.stop = True
                        continue
                    data = os.read(chan_r, 65536)
                    if not data:
                        sel.unregister(chan_r)
                        streams.discard("chan")
                        continue
                    channel_bytes += len(data)
                    if channel_bytes > limits.channel_bytes:
                        run.channel_overflow = True
                        self.stop = True
                        continue
                    buffer += data
                    while b"\n" in buffer and not self.stop:
                        line, buffer = buffer.split(b"\n", 1)
                        self._line(line)
        finally:
            sel.close()
