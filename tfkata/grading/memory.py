"""Resident memory of a process tree, sampled from /proc (Linux), for the memory-budget mode.

`TreeSampler(pid)` wakes every `interval` seconds and sums, over `pid` and every live
descendant (found through the parent links in /proc/*/stat, so it also sees the processes of
a grading sandbox's PID namespace, which keep a pid in ours):

- PSS (proportional set size, /proc/PID/smaps_rollup): each resident page counted once, shared
  pages split between the processes that map them: the physical memory the tree holds, which is
  what a container's memory limit is about. This is the figure the budget is checked against.
- RSS: shared pages (TensorFlow's libraries, ~360 MB of them) counted once per process: an
  upper bound, reported alongside.
- anonymous RSS: the part no kernel can reclaim (heap, tensors) without swap."""

from __future__ import annotations

import os
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


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


def tree_memory(pid: int) -> dict[str, int]:
    """Summed rss, pss and anon bytes, and the number of processes, of pid and its descendants."""
    children = _children_map()
    total = {"rss": 0, "pss": 0, "anon": 0, "processes": 0}
    todo = [pid]
    while todo:
        p = todo.pop()
        roll = _rollup(p)
        if roll:
            total["rss"] += roll.get("Rss", 0)
            total["pss"] += roll.get("Pss", 0)
            total["anon"] += roll.get("Anonymous", 0)
            total["processes"] += 1
        todo.extend(children.get(p, []))
    return total


class TreeSampler:
    """Peak memory of a process tree (see the module), sampled in a daemon thread until
    `stop()`. `peak_mb` is the peak summed PSS; the RSS and anonymous peaks are kept too."""

    def __init__(self, pid: int | None = None, interval: float = 0.2) -> None:
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.peak_bytes = 0  # summed PSS
        self.peak_processes = 0
        self.peak_rss_bytes = 0
        self.peak_anon_bytes = 0
        self.own_peak_bytes = 0  # the root process alone (the grader, without its children)
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    @property
    def peak_mb(self) -> float:
        return round(self.peak_bytes / 2**20, 1)

    @property
    def peak_rss_mb(self) -> float:
        return round(self.peak_rss_bytes / 2**20, 1)

    @property
    def peak_anon_mb(self) -> float:
        return round(self.peak_anon_bytes / 2**20, 1)

    @property
    def own_peak_mb(self) -> float:
        return round(self.own_peak_bytes / 2**20, 1)

    def report(self) -> dict:
        return {
            "peak_pss_mb": self.peak_mb,
            "peak_rss_mb": self.peak_rss_mb,
            "peak_anon_mb": self.peak_anon_mb,
            "processes_at_peak": self.peak_processes,
            "grader_rss_mb": self.own_peak_mb,
            "samples": self.samples,
        }

    def sample(self) -> None:
        mem = tree_memory(self.pid)
        self.samples += 1
        if mem["pss"] > self.peak_bytes:
            self.peak_bytes, self.peak_processes = mem["pss"], mem["processes"]
        self.peak_rss_bytes = max(self.peak_rss_bytes, mem["rss"])
        self.peak_anon_bytes = max(self.peak_anon_bytes, mem["anon"])
        self.own_peak_bytes = max(self.own_peak_bytes, _rss_bytes(self.pid))

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


def sample_command(cmd: list[str], interval: float = 0.2, **popen) -> tuple[int, TreeSampler]:
    """Run `cmd` to its end while sampling its tree: (exit code, the sampler)."""
    import subprocess

    proc = subprocess.Popen(cmd, **popen)
    sampler = TreeSampler(proc.pid, interval)
    while proc.poll() is None:
        sampler.sample()
        time.sleep(interval)
    return proc.returncode, sampler
