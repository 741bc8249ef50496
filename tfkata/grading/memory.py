"""Resident memory of a process tree, sampled from /proc (Linux), for the memory-budget mode.

`TreeSampler(pid)` wakes every `interval` seconds and looks at `pid` and every live descendant
(found through the parent links in /proc/*/stat, so it also sees the processes of a grading
sandbox's PID namespace, which keep a pid in ours). Its budget figure, `peak_mb`, is

    resident = the sum of every process's anonymous memory (heap, tensors: private, never
               reclaimable without swap) + the largest file-backed resident set of any one
               process (TensorFlow's libraries, ~370 MB, which the processes share: once)

an estimate of what a container's memory limit charges for the tree. Beside it: the summed RSS
(shared pages once per process: an upper bound), the summed PSS (shared pages split between
every process on the machine that maps them, so other programs using the same TensorFlow make
it too low: not a figure to trust on a shared machine), and the peak per kata (the kata whose
test process, `tests/test_NAME.py` on its command line, was alive).

`LEAN_MALLOC_ENV` is the environment of a test process in that mode. glibc's malloc serves
blocks from 128 KB up with their own mapping, returned to the system when freed, but raises that
threshold (up to 32 MB) to the size of every such block freed, so that TensorFlow's tensors of a
few MB soon come from the heap, whose fragments stay resident: fitting the cnn kata's model grew
its test process by ~100 MB so, where with the threshold fixed at glibc's own starting value it
grows by ~15 MB (a few tenths of a second more system time). glibc reads it when a process
starts, so it is set in the environment the process (and its children) start with."""

from __future__ import annotations

import os
import re
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
LEAN_MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _rollup(pid: int) -> dict[str, int]:
    """Rss, Pss and Anonymous of one process, in bytes ({} when it is gone)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f.read().decode(errors="replace").splitlines():
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss", "Anonymous"):
                    out[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        rss = _rss_bytes(pid)  # no smaps_rollup (old kernel): RSS for all three
        return {"Rss": rss, "Pss": rss, "Anonymous": rss} if rss else {}
    return out


_KATA = re.compile(rb"tests/test_(\w+)\.py")


def _katas_of(pid: int) -> set[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return {m.decode() for m in _KATA.findall(f.read())}
    except OSError:
        return set()


def tree_memory(pid: int) -> dict:
    """Of pid and its live descendants: summed rss, pss and anon bytes, the largest
    file-backed rss of one process, `resident` (see the module), the number of processes and
    the katas whose test files their command lines name."""
    children = _children_map()
    total: dict = {"rss": 0, "pss": 0, "anon": 0, "file_max": 0, "processes": 0, "katas": set()}
    todo = [pid]
    while todo:
        p = todo.pop()
        roll = _rollup(p)
        if roll:
            rss, anon = roll.get("Rss", 0), roll.get("Anonymous", 0)
            total["rss"] += rss
            total["pss"] += roll.get("Pss", 0)
            total["anon"] += anon
            total["file_max"] = max(total["file_max"], rss - anon)
            total["processes"] += 1
            total["katas"] |= _katas_of(p)
        todo.extend(children.get(p, []))
    total["resident"] = total["anon"] + total["file_max"]
    return total


class TreeSampler:
    """Peak memory of a process tree (see the module), sampled in a daemon thread until
    `stop()`. `peak_mb` is the peak `resident` figure, the budget's measure."""

    def __init__(self, pid: int | None = None, interval: float = 0.2) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak_bytes = 0  # resident: summed anonymous + the largest file-backed set
        self.peak_processes = 0
        self.peak_rss_bytes = 0
        self.peak_pss_bytes = 0
        self.peak_anon_bytes = 0
        self.own_peak_bytes = 0  # the root process alone (the grader, without its children)
        self.by_kata: dict[str, int] = {}  # peak resident while that kata's tests ran
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    @property
    def peak_mb(self) -> float:
        return _mb(self.peak_bytes)

    @property
    def own_peak_mb(self) -> float:
        return _mb(self.own_peak_bytes)

    def report(self) -> dict:
        return {
            "peak_resident_mb": self.peak_mb,
            "peak_rss_sum_mb": _mb(self.peak_rss_bytes),
            "peak_pss_sum_mb": _mb(self.peak_pss_bytes),
            "peak_anon_mb": _mb(self.peak_anon_bytes),
            "processes_at_peak": self.peak_processes,
            "grader_rss_mb": self.own_peak_mb,
            "by_kata_mb": {k: _mb(v) for k, v in sorted(self.by_kata.items())},
            "samples": self.samples,
        }

    def sample(self) -> None:
        mem = tree_memory(self.pid)
        self.samples += 1
        if mem["resident"] > self.peak_bytes:
            self.peak_bytes, self.peak_processes = mem["resident"], mem["processes"]
        self.peak_rss_bytes = max(self.peak_rss_bytes, mem["rss"])
        self.peak_pss_bytes = max(self.peak_pss_bytes, mem["pss"])
        self.peak_anon_bytes = max(self.peak_anon_bytes, mem["anon"])
        self.own_peak_bytes = max(self.own_peak_bytes, _rss_bytes(self.pid))
        if len(mem["katas"]) == 1:  # a process for more than one kata: not one kata's peak
            (kata,) = mem["katas"]
            self.by_kata[kata] = max(self.by_kata.get(kata, 0), mem["resident"])

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> TreeSampler:
        self._stop.set()
        self._thread.join(timeout=5)
        return self

    def __enter__(self) -> TreeSampler:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _mb(n: int) -> float:
    return round(n / 2**20, 1)


def sample_command(cmd: list[str], interval: float = 0.2, **popen) -> tuple[int, TreeSampler]:
    """Run `cmd` to its end while sampling its tree: (exit code, the sampler)."""
    import subprocess

    proc = subprocess.Popen(cmd, **popen)
    sampler = TreeSampler(proc.pid, interval)
    while proc.poll() is None:
        sampler.sample()
        time.sleep(interval)
    return proc.returncode, sampler
