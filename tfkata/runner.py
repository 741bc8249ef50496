"""Running kata tests in a child pytest process and reading back its JSON report.

While the child runs, its progress comes back as JSON lines on a pipe (tfkata.pytest_plugin's
Feed): `on_progress` sees every change (tfkata.display.LiveStatus shows a long check is alive),
and if the child ends before its report (a test stuck in one uninterruptible TensorFlow call,
past its hard limit: tfkata.timeouts), the tests it finished are kept, the stuck one is failed
as a timeout, and the rest run in a new child (at most MAX_RESTARTS times). A child that stops
answering altogether (a test far past its hard limit) is killed and treated the same way."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from tfkata.errors import KataError
from tfkata.timeouts import DEFAULT_LIMIT, REASON, hard_grace

MAX_RESTARTS = 3
STALL_MARGIN = 30.0  # seconds past a test's hard limit before the runner kills its child
TICK = 0.25  # seconds between on_progress calls while nothing happens


@dataclass
class TestResult:
    nodeid: str
    kata: str | None
    test: str
    doc: str
    outcome: str  # passed | failed | error | skipped | xfailed | xpassed (tfkata.outcomes)
    reason: str | None
    message: str
    duration: float
    cause: str | None = None
    when: str = ""
    function: str | None = None  # not_implemented: the stub function the test stopped at

    @classmethod
    def from_entry(cls, entry: dict) -> TestResult:
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in entry.items() if k in known}
        data.setdefault("kata", None)
        data.setdefault("test", str(entry.get("nodeid", "")).split("::")[-1])
        data.setdefault("doc", "")
        data.setdefault("outcome", "error")
        data.setdefault("reason", None)
        data.setdefault("message", "")
        data.setdefault("duration", 0.0)
        return cls(**data)


@dataclass
class RunReport:
    exitstatus: int
    duration: float
    tests: list[TestResult] = field(default_factory=list)
    collection_errors: list[dict] = field(default_factory=list)
    output: str = ""
    restarts: int = 0  # child processes ended by a stuck test, whose rest ran in a new one

    def for_kata(self, name: str) -> list[TestResult]:
        return [t for t in self.tests if t.kata == name]

    @property
    def failures(self) -> list[TestResult]:
        return [t for t in self.tests if t.outcome in ("failed", "error")]


@dataclass
class LiveState:
    """What a progress display sees of a run (times from time.monotonic)."""

    katas: Sequence[str]
    started: float
    total: int | None = None  # tests collected, once known
    done: int = 0
    failed: int = 0
    running: str | None = None  # the nodeid of the test running
    running_since: float | None = None
    limit: float | None = None  # that test's time limit
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


ProgressCallback = Callable[[LiveState], None]


def pytest_args(
    katas: Sequence[str],
    impl_dir: Path,
    report_path: Path,
    *,
    workers: int | str | None = None,
    failfast: bool = False,
    extra_args: Sequence[str] = (),
    test_timeout: float | None = None,
) -> list[str]:
    args = [
        *(f"tests/test_{name}.py" for name in katas),
        f"--impl={impl_dir}",
        f"--kata-report={report_path}",
        "-q",
        "--no-header",
        "-p",
        "no:cacheprovider",
        "--tb=no",
        "-o",
        "console_output_style=classic",
    ]
    if workers not in (None, 0, "0"):
        args += ["-n", str(workers)]
    if failfast:
        args.append("--kata-failfast")
    if test_timeout is not None:
        args.append(f"--kata-timeout={test_timeout:g}")
    return args + list(extra_args)


def child_env(profile: str | None = None, env: dict[str, str] | None = None) -> dict[str, str]:
    result = dict(os.environ)
    if profile:
        result["HYPOTHESIS_PROFILE"] = profile
    result.update(env or {})
    return result


def _check_tests_exist(root: Path, katas: Sequence[str]) -> None:
    missing = [f"tests/test_{k}.py" for k in katas if not (root / f"tests/test_{k}.py").is_file()]
    if missing:
        raise KataError(f"no tests for {', '.join(missing)}")


def _read_report(report_path: Path, returncode: int, output: str) -> RunReport:
    if not report_path.is_file():
        tail = "\n".join(output.strip().splitlines()[-5:])
        raise KataError(f"pytest exited with {returncode} before reporting:\n{tail}")
    data = json.loads(report_path.read_text(encoding="utf-8"))
    return RunReport(
        exitstatus=data["exitstatus"],
        duration=data["duration"],
        tests=[TestResult.from_entry(t) for t in data["tests"]],
        collection_errors=data["collection_errors"],
        output=output,
    )


def _timed_out(katas: Sequence[str], timeout: float | None) -> KataError:
    return KataError(f"the tests of {', '.join(katas)} ran longer than {timeout:.0f} s")


# ------------------------------------------------------------------ one child, watched


@dataclass
class _Child:
    """One child's run as seen through its feed."""

    output: str = ""
    returncode: int = 0
    collected: list[str] = field(default_factory=list)
    done: list[dict] = field(default_factory=list)
    stuck: dict | None = None
    killed: bool = False


def _stalled_entry(nodeid: str, kata: str | None, limit: float) -> dict:
    return {
        "nodeid": nodeid,
        "kata": kata,
        "test": nodeid.split("::")[-1],
        "doc": "",
        "outcome": "failed",
        "reason": REASON,
        "message": (
            f"The test ran far longer than its limit of {limit:g} s and its test "
            "process stopped responding, so it was ended (a call that holds Python itself, e.g. "
            "one huge computation). Likely causes: an endless loop; a dataset that repeats "
            "forever; training for far more steps than the test needs."
        ),
        "duration": 0.0,
    }


def _kata_of_nodeid(nodeid: str) -> str | None:
    name = nodeid.split("::")[0].rsplit("/", 1)[-1]
    return name[5:-3] if name.startswith("test_") and name.endswith(".py") else None


def _watch_child(
    proc: subprocess.Popen,
    feed: int,
    state: LiveState,
    on_progress: ProgressCallback | None,
    limit: float,
    deadline: float | None,
) -> _Child:
    """Read the child's output and feed until it ends; keep `state` and `on_progress` up to
    date; kill it if a test stays far past its hard limit, or at `deadline` (KataError)."""
    run = _Child()
    chunks: list[str] = []
    pending = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(feed, selectors.EVENT_READ, "feed")
    open_streams = 2
    try:
        while open_streams:
            for key, _ in sel.select(timeout=TICK):
                data = os.read(key.fd, 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "out":
                    chunks.append(data.decode("utf-8", "replace"))
                else:
                    pending += data
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        _apply(json.loads(line), run, state)
            now = time.monotonic()
            test_limit = state.limit  # None: that test has no limit (or runs in an xdist worker)
            if (
                state.running is not None
                and state.running_since is not None
                and test_limit
                and now - state.running_since > test_limit + hard_grace(test_limit) + STALL_MARGIN
            ):
                proc.kill()
                run.killed = True
                run.stuck = _stalled_entry(
                    state.running, _kata_of_nodeid(state.running), test_limit
                )
                state.done += 1
                state.failed += 1
                state.running = state.running_since = state.limit = None
                break
            if deadline is not None and now > deadline:
                proc.kill()
                proc.wait()
                raise _timed_out(state.katas, deadline - state.started)
            if on_progress is not None:
                on_progress(state)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        sel.close()
        os.close(feed)
    run.returncode = proc.wait()
    run.output = "".join(chunks)
    if proc.stdout is not None:
        proc.stdout.close()
    return run


def _apply(event: dict, run: _Child, state: LiveState) -> None:
    kind = event.get("event")
    if kind == "collected":
        run.collected = list(event.get("nodeids", []))
        state.total = state.done + len(run.collected)  # a new child: those done, then the rest
    elif kind == "start":
        state.running, state.running_since = event.get("nodeid"), time.monotonic()
        state.limit = event.get("limit")
    elif kind in ("done", "stuck"):
        entry = event.get("entry") or {}
        if kind == "done":
            run.done.append(entry)
        else:
            run.stuck = entry
        state.done += 1
        state.failed += entry.get("outcome") in ("failed", "error")
        state.running = state.running_since = None


def _run_all(
    launch: Callable[[list[str]], tuple[subprocess.Popen, int]],
    katas: Sequence[str],
    base_args: Callable[[Path], list[str]],
    tmp: Path,
    *,
    test_timeout: float | None,
    on_progress: ProgressCallback | None,
    timeout: float | None = None,
) -> RunReport:
    """Run the tests in children from `launch(args) -> (process, feed fd)` until one reports;
    a child ended by a stuck test leaves its finished tests, and the rest run in the next."""
    state = LiveState(katas=katas, started=time.monotonic())
    deadline = state.started + timeout if timeout else None
    limit = DEFAULT_LIMIT if test_timeout is None else test_timeout
    kept: list[dict] = []
    collected: list[str] = []
    timed_out_katas: set[str] = set()
    output = ""
    for attempt in range(MAX_RESTARTS + 1):
        report_path = tmp / f"report-{attempt}.json"
        args = base_args(report_path)
        args += [f"--deselect={e['nodeid']}" for e in kept]
        args += [f"--kata-timed-out={k}" for k in sorted(timed_out_katas)]
        proc, feed = launch(args)
        run = _watch_child(proc, feed, state, on_progress, limit, deadline)
        output += run.output
        if attempt == 0:
            collected = run.collected
        if not run.killed and report_path.is_file():
            report = _read_report(report_path, run.returncode, output)
            if kept:
                report.tests = [TestResult.from_entry(e) for e in kept] + report.tests
                report.exitstatus = report.exitstatus or 1
                report.duration = round(time.monotonic() - state.started, 3)
            report.restarts = attempt
            _finish(state, on_progress)
            return report
        if run.stuck is None:
            _finish(state, on_progress)
            _read_report(report_path, run.returncode, output)  # raises: no report
        kept += [*run.done, run.stuck]
        if run.stuck.get("kata"):
            timed_out_katas.add(run.stuck["kata"])
    # every restart used: the tests never reached are reported as not run
    seen = {e["nodeid"] for e in kept}
    for nodeid in collected:
        if nodeid not in seen:
            entry = _stalled_entry(nodeid, _kata_of_nodeid(nodeid), limit)
            entry.update(
                outcome="error",
                reason="not_run",
                message=f"not run: {MAX_RESTARTS + 1} test processes in a row were ended by "
                "tests stuck past their time limit",
            )
            kept.append(entry)
    _finish(state, on_progress)
    return RunReport(
        exitstatus=1,
        duration=round(time.monotonic() - state.started, 3),
        tests=[TestResult.from_entry(e) for e in kept],
        output=output,
        restarts=MAX_RESTARTS + 1,
    )


def _finish(state: LiveState, on_progress: ProgressCallback | None) -> None:
    state.finished = True
    state.running = None
    if on_progress is not None:
        on_progress(state)


def run_pytest(
    root: Path,
    katas: Sequence[str],
    impl_dir: Path,
    *,
    workers: int | str | None = None,
    profile: str | None = None,
    failfast: bool = False,
    extra_args: Sequence[str] = (),
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    test_timeout: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> RunReport:
    """Run tests/test_NAME.py for each kata against `impl_dir` in a new child interpreter;
    returns the parsed report. `timeout`: of the whole run (a KataError past it);
    `test_timeout`: of each test (--kata-timeout; default: the child's, tfkata.timeouts)."""
    _check_tests_exist(root, katas)
    child_environ = child_env(profile, env)

    def launch(args: list[str]) -> tuple[subprocess.Popen, int]:
        feed_r, feed_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tfkata.child", *args, f"--kata-feed-fd={feed_w}"],
                cwd=root,
                env=child_environ,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(feed_w,),
            )
        except BaseException:
            os.close(feed_r)
            raise
        finally:
            os.close(feed_w)
        return proc, feed_r

    def base_args(report_path: Path) -> list[str]:
        return pytest_args(
            katas,
            impl_dir,
            report_path,
            workers=workers,
            failfast=failfast,
            extra_args=extra_args,
            test_timeout=test_timeout,
        )

    with tempfile.TemporaryDirectory(prefix="tfkata-run-") as tmp:
        return _run_all(
            launch,
            katas,
            base_args,
            Path(tmp),
            test_timeout=test_timeout,
            on_progress=on_progress,
            timeout=timeout,
        )


class PrestartedRunner:
    """Runs kata tests like run_pytest (serially, default options) in a child started ahead: it has
    imported TensorFlow while the learner was editing (see tfkata.child). Each child runs once;
    the next one starts as soon as a run ends. Use as a context manager, or call close()."""

    def __init__(self, root: Path, *, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.env = child_env(None, env)
        self.tmp = tempfile.TemporaryDirectory(prefix="tfkata-watch-")
        self.runs = 0
        self.child: subprocess.Popen | None = None
        self._feed: tuple[int, int] = (-1, -1)  # the child's feed: our end, its fd number
        self._start()

    def _start(self) -> None:
        feed_r, feed_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tfkata.child", "--prestart"],
                cwd=self.root,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(feed_w,),
            )
        except BaseException:
            os.close(feed_r)
            raise
        finally:
            os.close(feed_w)  # the child keeps its copy, under the same number
        self.child, self._feed = proc, (feed_r, feed_w)

    def _take(self) -> tuple[subprocess.Popen, int, int]:
        if self.child is not None and self.child.poll() is not None:
            self._discard()
        if self.child is None:
            self._start()
        child, self.child = self.child, None
        assert child is not None
        return child, *self._feed

    def __call__(
        self,
        root: Path,
        katas: Sequence[str],
        impl_dir: Path,
        *,
        test_timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> RunReport:
        if root != self.root:
            raise ValueError(f"root: this runner's children start in {self.root}, not {root}")
        _check_tests_exist(root, katas)
        self.runs += 1
        tmp = Path(self.tmp.name) / f"run-{self.runs}"
        tmp.mkdir()

        def launch(args: list[str]) -> tuple[subprocess.Popen, int]:
            proc, feed_r, feed_w = self._take()
            line = json.dumps([*args, f"--kata-feed-fd={feed_w}"]) + "\n"
            try:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.close()
            except OSError:  # it died while waiting: its output says why
                pass
            return proc, feed_r

        def base_args(report_path: Path) -> list[str]:
            return pytest_args(katas, impl_dir, report_path, test_timeout=test_timeout)

        try:
            return _run_all(
                launch,
                katas,
                base_args,
                tmp,
                test_timeout=test_timeout,
                on_progress=on_progress,
            )
        finally:
            if self.child is None:
                self._start()  # the next check's child imports TensorFlow while the learner reads

    def _discard(self) -> None:
        if self.child is not None:
            if self.child.poll() is None:  # idle: it has only imported libraries
                self.child.kill()
            self.child.communicate()
            os.close(self._feed[0])
        self.child = None

    def close(self) -> None:
        self._discard()
        self.tmp.cleanup()

    def __enter__(self) -> PrestartedRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
