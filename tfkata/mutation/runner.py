"""Running mutants against the kata tests: a few long-lived pytest workers, many mutants each.

TensorFlow's import dominates a fresh interpreter, so each worker (tfkata.mutation.worker, one
per core) imports it and collects the test files once, then runs mutant after mutant: the mutant
is written to a folder of its own and the worker's `--impl` folder is pointed at it, so the kata
module is imported afresh through tfkata.impl.load_kata while the test modules stay loaded. A
mutant stops at its first failing test (killed). Tests that killed other mutants of the same
function run first, then the kata's fastest tests.

Reachability: the baseline runs a probed reference (operators.probed_source: a probe at every
place a mutant changes, behaviour kept) and records which tests reach each place. A mutant of a
place no test reaches is "unreached" (a survivor, not run); one reached only in the body of some
tests (eagerly) runs those tests only; one reached during a fixture's setup or while a
tf.function was being traced (a graph later tests may reuse unseen) runs every test, the
reaching ones first. A test file that starts interpreters of its own (subprocess) gets no probes.
`--all-tests` turns the probes off, to check that they lose no kill.

What could leak from one mutant to the next: Keras's session and the seeds are reset before every
test (autouse fixture), fixtures are all torn down after every mutant and the kata module is
dropped. A mutant that hangs past its time limit, or crashes its worker, costs that mutant only:
the worker is killed and a fresh one started. The baseline run of each kata (the reference,
through the same machinery, in reverse test order) gives the tests and their durations; a test
that fails there is left out of the mutants' runs and reported."""

from __future__ import annotations

import json
import os
import queue
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError
from tfkata.mutation.operators import Mutant, mutants, probed_source
from tfkata.mutation.worker import FD_ENV

KILLED = ("killed", "timeout", "crashed")
SURVIVED = ("survived", "unreached")
ALL = "*"  # in KataRun.reach: every test may observe the probe
START_TIMEOUT_S = 300.0
RSS_LIMIT_KB = 3_000_000  # restart a worker that has grown past ~3 GB


@dataclass
class MutantResult:
    id: str
    status: str  # killed | survived | timeout | crashed
    test: str | None = None
    message: str = ""
    duration: float = 0.0
    tests_run: int = 0


@dataclass
class KataRun:
    kata: str
    mutants: list[Mutant]
    results: dict[str, MutantResult] = field(default_factory=dict)
    tests: list[str] = field(default_factory=list)  # the tests the mutants ran against
    baseline_failures: list[str] = field(default_factory=list)
    baseline_messages: dict[str, str] = field(default_factory=dict)  # failed test -> first line
    baseline_duration: float = 0.0
    fixed_order: bool = False  # the tests only pass in file order: no reordering
    # probe -> the tests whose call reached it, plus ALL when a fixture's setup or a tf.function
    # trace (reusable by any later test) reached it; None: no probed baseline, run every test
    reach: dict[tuple[str, int, int], set[str]] | None = None


class _Worker:
    """One tfkata.mutation.worker child and the pipe its answers come on."""

    def __init__(self, root: Path, args: list[str], env: dict[str, str], log: Path) -> None:
        self.root, self.args, self.env, self.log = root, args, env, log
        self.proc: subprocess.Popen | None = None
        self.fd = -1
        self.buffer = b""
        self.tests: dict[str, list[str]] = {}
        self.errors: list[str] = []
        self.starts = 0

    def ensure(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        self.close()
        read, write = os.pipe()
        self.starts += 1
        with open(self.log, "a", encoding="utf-8") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tfkata.mutation.worker", *self.args],
                cwd=self.root,
                env={**self.env, FD_ENV: str(write)},
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(write,),
                text=True,
            )
        os.close(write)
        self.fd, self.buffer = read, b""
        ready = self._read(time.monotonic() + START_TIMEOUT_S)
        if ready is None or ready.get("event") != "ready":
            tail = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            self.close()
            raise KataError("mutation worker did not start: " + (tail[-1] if tail else "no output"))
        self.tests, self.errors = ready["tests"], ready["errors"]

    def _read(self, deadline: float) -> dict | None:
        """The next message, or None at EOF (the worker died) or past the deadline."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def run(self, job: dict, timeout: float) -> dict:
        """The worker's `done` answer, or {"event": "timeout" | "crashed", "last": nodeid}."""
        self.ensure()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.close()
            return {"event": "crashed", "last": None}
        deadline = time.monotonic() + timeout
        last = None
        while True:
            message = self._read(deadline)
            if message is None:
                event = "timeout" if self.proc.poll() is None else "crashed"
                self.close()
                return {"event": event, "last": last}
            if message["event"] == "test":
                last = message["nodeid"]
            elif message["event"] == "done":
                if _rss_kb(self.proc.pid) > RSS_LIMIT_KB:
                    self.close()
                return message

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        self.proc = None
        if self.fd >= 0:
            os.close(self.fd)
        self.fd = -1


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def worker_env(parallel: int) -> dict[str, str]:
    env = dict(os.environ)
    intra = str(max(1, (os.cpu_count() or 1) // max(1, parallel)))
    env.update(
        HYPOTHESIS_PROFILE="verify",  # the same examples, no shrinking
        PYTHONDONTWRITEBYTECODE="1",
        TF_NUM_INTRAOP_THREADS=env.get("TF_NUM_INTRAOP_THREADS", intra),
        OMP_NUM_THREADS=env.get("OMP_NUM_THREADS", intra),
    )
    return env


def collect_mutants(
    root: Path, katas: list[str], operators: set[str] | None = None
) -> dict[str, list[Mutant]]:
    out = {}
    for name in katas:
        path = root / "solutions" / f"{name}.py"
        out[name] = mutants(path.read_text(encoding="utf-8"), name, operators)
    return out


class _Scheduler:
    """Orders each mutant's tests: first those that killed mutants of the same function, then
    those that killed mutants of the kata, then the fastest."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_function: dict[tuple[str, str], Counter] = {}
        self.by_kata: dict[str, Counter] = {}

    def order(self, run: KataRun, mutant: Mutant, durations: dict[str, float]) -> list[str]:
        if run.fixed_order:
            return list(run.tests)
        with self.lock:
            f = self.by_function.get((run.kata, mutant.function), Counter())
            k = self.by_kata.get(run.kata, Counter())
            return sorted(run.tests, key=lambda t: (-f[t], -k[t], durations.get(t, 0.0)))

    def killed(self, kata: str, function: str, test: str) -> None:
        with self.lock:
            self.by_function.setdefault((kata, function), Counter())[test] += 1
            self.by_kata.setdefault(kata, Counter())[test] += 1


def run_mutation(
    root: Path,
    katas: list[str],
    parallel: int = 2,
    operators: set[str] | None = None,
    progress: Callable[[str], None] = print,
    probes: bool = True,
    confirm: bool = True,
) -> dict[str, KataRun]:
    """Run every mutant of each kata's reference against tests/test_KATA.py. With `probes`, a
    mutant runs only the tests that reach the code it changes (a probed baseline tells which);
    without, every test (slower, for checking that the probes lose no kill). With `confirm`, a
    survivor that tests/mutants/KATA.toml does not list as equivalent, or a listed one that was
    killed, runs once more in a new worker, so state an earlier mutant left in a long-lived worker
    (or a loaded machine's timeout) cannot decide it; the second run's result counts."""
    use_probes = probes
    missing = [k for k in katas if not (root / f"tests/test_{k}.py").is_file()]
    if missing:
        raise KataError(f"no tests for {', '.join(missing)}")
    runs = {k: KataRun(k, m) for k, m in collect_mutants(root, katas, operators).items()}
    total = sum(len(r.mutants) for r in runs.values())
    parallel = max(1, min(parallel, total or 1))
    tmp = Path(tempfile.mkdtemp(prefix="tfkata-mutate-"))
    args = [
        *(f"tests/test_{k}.py" for k in katas),
        f"--impl={tmp}",
        "-q",
        "--no-header",
        "-p",
        "no:cacheprovider",
        "--tb=no",
        "-o",
        "console_output_style=classic",
    ]
    env = worker_env(parallel)
    workers = [_Worker(root, args, env, tmp / f"worker-{i}.log") for i in range(parallel)]
    durations: dict[str, dict[str, float]] = {k: {} for k in katas}
    scheduler = _Scheduler()
    done = [0]
    lock = threading.Lock()
    failure: list[BaseException] = []

    def serve(worker: _Worker, jobs: queue.Queue, handle: Callable) -> None:
        n = 0
        while not failure:
            try:
                item = jobs.get_nowait()
            except queue.Empty:
                return
            n += 1
            try:
                handle(worker, item, tmp / f"job-{id(worker)}-{n}")
            except BaseException as exc:  # stop the other threads too
                failure.append(exc)
                return

    def pool(items: list, handle: Callable) -> None:
        jobs: queue.Queue = queue.Queue()
        for item in items:
            jobs.put(item)
        threads = [
            threading.Thread(target=serve, args=(w, jobs, handle), daemon=True) for w in workers
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failure:
            raise failure[0]

    def write(folder: Path, kata: str, source: str) -> None:
        folder.mkdir()
        (folder / f"{kata}.py").write_text(source, encoding="utf-8")

    def baseline(worker: _Worker, kata: str, folder: Path) -> None:
        worker.ensure()
        run = runs[kata]
        tests = worker.tests.get(kata, [])
        reference = (root / "solutions" / f"{kata}.py").read_text(encoding="utf-8")
        probes = list(dict.fromkeys(m.probe for m in run.mutants))
        probed = _probed(root, kata, reference, probes) if use_probes else None
        write(folder, kata, probed or reference)
        try:
            job = {"kata": kata, "dir": str(folder), "tests": tests[::-1], "probes": True}
            answer = worker.run(job, 900)
            failed = _failures(answer, tests)
            if failed and probed:  # without the probes, then
                probed = None
                bad = [r for r in answer.get("results", []) if r["nodeid"] in failed]
                why = bad[0]["message"].strip()[:200] if bad else answer.get("event", "")
                progress(
                    f"mutate: {kata}: {failed[0]} fails with reachability probes ({why}); "
                    "every mutant runs every test"
                )
                shutil.rmtree(folder, ignore_errors=True)
                write(folder, kata, reference)
                answer = worker.run({**job, "probes": False}, 900)
                failed = _failures(answer, tests)
            if failed:  # does the file order pass? then keep the file order for every mutant
                again = worker.run({"kata": kata, "dir": str(folder), "tests": tests}, 900)
                still = _failures(again, tests)
                if len(still) < len(failed):
                    run.fixed_order, failed, answer = True, still, again
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if probed is not None:
            run.reach = _reach(answer, probes, set(failed))
        run.baseline_failures = failed
        for r in answer.get("results", []):
            if r["nodeid"] in failed:
                text = r["message"].strip()
                run.baseline_messages[r["nodeid"]] = text.splitlines()[0][:300] if text else ""
        run.tests = [t for t in tests if t not in failed]
        for r in answer.get("results", []):
            durations[kata][r["nodeid"]] = r["duration"]
        run.baseline_duration = sum(durations[kata].get(t, 0.0) for t in run.tests)
        progress(
            f"mutate: {kata}: baseline {len(run.tests)}/{len(tests)} tests pass, "
            f"{run.baseline_duration:.1f} s; {len(run.mutants)} mutants"
            + ("" if run.reach is None else f", {sum(not r for r in run.reach.values())} unreached")
        )

    def one(worker: _Worker, pair: tuple[str, Mutant], folder: Path, fresh: bool = False) -> None:
        kata, mutant = pair
        if fresh:  # a new worker: nothing an earlier mutant left in the process
            worker.close()
        run = runs[kata]
        order = scheduler.order(run, mutant, durations[kata])
        reach = run.reach.get(mutant.probe) if run.reach is not None else None
        if reach == set():  # no test reaches the mutated code: it cannot be killed
            run.results[mutant.id] = MutantResult(mutant.id, "unreached")
            count()
            return
        if reach is not None and ALL not in reach:
            order = [t for t in order if t in reach]
        elif reach is not None:  # first the tests that reach it, then the rest
            order = sorted(order, key=lambda t: t not in reach)
        write(folder, kata, mutant.source)
        timeout = 3 * run.baseline_duration + 30
        started = time.monotonic()
        try:
            answer = worker.run(
                {"kata": kata, "dir": str(folder), "tests": order, "stop": True}, timeout
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        result = _classify(mutant.id, answer, time.monotonic() - started, timeout)
        if result.status == "killed" and result.test:
            scheduler.killed(kata, mutant.function, result.test)
        if fresh and result.status in KILLED:
            result.message = f"killed in a fresh worker: {result.message}"
        run.results[mutant.id] = result
        if not fresh:
            count()

    def count() -> None:
        with lock:
            done[0] += 1
            if done[0] % 50 == 0 or done[0] == total:
                progress(f"mutate: {done[0]}/{total} mutants done")

    started = time.monotonic()
    try:
        pool(list(katas), baseline)
        pending = [(k, m) for k in katas for m in runs[k].mutants if runs[k].tests]
        pool(pending, one)
        if confirm:
            doubtful = _doubtful(root, runs)
            if doubtful:
                progress(
                    f"mutate: {len(doubtful)} mutants that disagree with tests/mutants/ "
                    "run again in fresh workers"
                )
                pool(doubtful, lambda w, pair, folder: one(w, pair, folder, fresh=True))
    finally:
        for w in workers:
            w.close()
        shutil.rmtree(tmp, ignore_errors=True)
    progress(
        f"mutate: {total} mutants of {len(katas)} katas in {time.monotonic() - started:.0f} s "
        f"on {parallel} workers ({sum(w.starts for w in workers)} worker starts)"
    )
    return runs


def _doubtful(root: Path, runs: dict[str, KataRun]) -> list[tuple[str, Mutant]]:
    """Survivors not listed as equivalent, and listed equivalents that were killed (a timeout on
    a loaded machine, state left by an earlier mutant): each is run once more alone."""
    from tfkata.mutation.report import ListingError, listing_path, load_listing

    found = []
    for kata, run in runs.items():
        try:
            equivalent = load_listing(listing_path(root, kata)).equivalent
        except ListingError:
            equivalent = {}  # judge() reports the broken listing
        for m in run.mutants:
            status = run.results.get(m.id, MutantResult(m.id, "")).status
            listed = m.id in equivalent
            if (status == "survived" and not listed) or (status in KILLED and listed):
                found.append((kata, m))
    return found


# a test file that starts interpreters of its own: probes there report to no one
SPAWNS = re.compile(r"\bsubprocess\b|sys\.executable|multiprocessing|\bchild_process\b")


def _probed(root: Path, kata: str, reference: str, probes: list) -> str | None:
    """The reference with reachability probes, or None when they cannot be trusted or built."""
    test_file = root / "tests" / f"test_{kata}.py"
    if SPAWNS.search(test_file.read_text(encoding="utf-8")):
        return None
    text = probed_source(reference, probes)
    try:
        compile(text, f"{kata}.py", "exec")
    except SyntaxError:
        return None
    return text


def _reach(answer: dict, probes: list, failed: set[str]) -> dict:
    reach: dict = {p: set() for p in probes}
    for r in answer.get("results", []):
        if r["nodeid"] in failed or "probes" not in r:
            continue
        fired = r["probes"]
        for i in fired["call"]:
            reach[probes[i]].add(r["nodeid"])
        for i in (*fired["setup"], *fired["traced"]):
            reach[probes[i]].add(ALL)
    return reach


def _failures(answer: dict, tests: list[str]) -> list[str]:
    if answer.get("event") != "done":
        return list(tests)
    return [r["nodeid"] for r in answer["results"] if r["outcome"] in ("failed", "error")]


def _classify(mid: str, answer: dict, duration: float, timeout: float) -> MutantResult:
    event = answer.get("event")
    if event == "timeout":
        return MutantResult(
            mid, "timeout", answer.get("last"), f"no answer within {timeout:.0f} s", duration
        )
    if event == "crashed":
        return MutantResult(mid, "crashed", answer.get("last"), "the worker died", duration)
    results = answer["results"]
    for r in results:
        if r["outcome"] in ("failed", "error"):
            first = r["message"].strip().splitlines()[0] if r["message"].strip() else r["reason"]
            return MutantResult(mid, "killed", r["nodeid"], first or "", duration, len(results))
    return MutantResult(mid, "survived", None, "", duration, len(results))
