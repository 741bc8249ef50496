"""The trusted first process of a grading sandbox: `python -m tfkata.grading.supervisor CONFIG`.

Started by the grader (fresh interpreter, new session) before any student code exists in the
process tree, it

1. sets resource limits (address space, file size, no core dumps) that its children inherit;
2. where the kernel allows it, moves into new mount and PID namespaces: it becomes PID 1 of a
   namespace holding only the test run, mounts a fresh /proc, and hides the project (reference
   solutions, tests, .git), the other students' folders, the report folder and the other
   sandboxes under empty tmpfs mounts; the test process then enters a nested user namespace,
   which locks those mounts (it cannot unmount them) and cannot touch the supervisor;
   when PID 1 exits the kernel kills whatever the student left behind;
3. otherwise (no namespaces) it makes itself a child subreaper, so orphans reparent to it,
   and kills every descendant once the tests end;
4. runs pytest, and reports on the signed channel how it ran and how pytest ended.

The per-run secret arrives on a pipe (never in argv or the environment) and is handed to the
pytest plugin on a fresh pipe. Only the standard library is imported here."""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import os
import resource
import signal
import subprocess
import sys
import time

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
CLONE_NEWUSER = 0x10000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 16384, 1 << 18
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1

_libc = None


def _lib():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    _check(
        _lib().mount(
            source.encode(),
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _map_ids(uid: int, gid: int) -> None:
    """Inside a fresh user namespace: keep the same uid/gid (mapping only ourselves)."""
    try:
        _write("/proc/self/setgroups", "deny")
    except FileNotFoundError:
        pass
    _write("/proc/self/uid_map", f"{uid} {uid} 1\n")
    _write("/proc/self/gid_map", f"{gid} {gid} 1\n")


class Channel:
    """Signed JSON lines on the grader's channel (shared with the pytest plugin, own sequence)."""

    def __init__(self, fd: int, key: bytes) -> None:
        self.fd = fd
        self.mac = hmac.new(key, digestmod=hashlib.sha256)
        self.seq = 0

    def emit(self, record: dict) -> None:
        record = {**record, "src": "supervisor", "seq": self.seq}
        self.seq += 1
        body = json.dumps(record, sort_keys=True)
        mac = self.mac.copy()
        mac.update(body.encode())
        data = (json.dumps({"body": body, "mac": mac.hexdigest()}) + "\n").encode()
        while data:
            try:
                n = os.write(self.fd, data)
            except OSError:
                return
            data = data[n:]


def _set_limits(cfg: dict) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if cfg.get("memory_bytes"):
        m = int(cfg["memory_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (m, m))
    if cfg.get("fsize_bytes"):
        f = int(cfg["fsize_bytes"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (f, f))


def _descendants(root_pid: int) -> list[int]:
    """Pids of every live process descending from root_pid (by /proc parent links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_descendants(root_pid: int) -> int:
    """SIGKILL every descendant of root_pid until none is left; returns how many were killed.
    Does nothing when /proc belongs to another PID namespace than ours (its numbers would
    name other processes); there, PID 1's exit ends the namespace instead."""
    try:
        if os.readlink("/proc/self") != str(os.getpid()):
            return 0
    except OSError:
        return 0
    killed: set[int] = set()
    for _ in range(50):
        pids = _descendants(root_pid)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        time.sleep(0.02)
        _reap_all()
    return len(killed)


def _hide(hide: list[str], keep: list[str]) -> None:
    """Empty tmpfs over every `hide` path, then `keep` paths bound back at their own place."""
    keep_fds = {k: os.open(k, os.O_PATH | os.O_DIRECTORY) for k in keep}
    _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
    for path in hide:
        if os.path.isdir(path):
            _mount("tfkata-hidden", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
    for path, fd in keep_fds.items():
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC, None)
        os.close(fd)


def _lock_mounts(uid: int, gid: int) -> None:
    """preexec_fn of the test process (single-threaded parent): a nested user namespace makes
    the supervisor's mounts locked, so the student's code cannot unmount them."""
    _check(_lib().unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare(user)")
    _map_ids(uid, gid)
    _lib().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _run_pytest(cfg: dict, channel: Channel, key: bytes, isolation: str, own_proc: bool) -> int:
    """Start pytest with the key on a fresh pipe; wait; kill leftovers; report; exit code."""
    key_r, key_w = os.pipe()
    os.write(key_w, key)
    os.close(key_w)
    cmd = [a.replace("{KEY_FD}", str(key_r)) for a in cfg["cmd"]]
    if own_proc:  # /proc shows only this PID namespace: the plugin may kill all but 1 and itself
        cmd.append("--grading-pidns")
    uid, gid = os.getuid(), os.getgid()
    preexec = (lambda: _lock_mounts(uid, gid)) if isolation == "namespaces" else None
    started = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, pass_fds=(key_r, cfg["channel_fd"]), preexec_fn=preexec)
    except (OSError, subprocess.SubprocessError) as exc:
        if preexec is None:
            raise
        # the nested user namespace was refused: run without the lock (mounts still hide).
        channel.emit({"type": "warning", "message": f"mount lock unavailable: {exc}"})
        proc = subprocess.Popen(cmd, pass_fds=(key_r, cfg["channel_fd"]))
    os.close(key_r)

    def on_term(signum, frame):  # the grader's timeout: end the whole tree now
        kill_descendants(os.getpid())
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            status = 0
            break
        if pid == proc.pid:
            break
    code = os.waitstatus_to_exitcode(status)
    leftovers = kill_descendants(os.getpid())
    channel.emit(
        {
            "type": "exit",
            "returncode": code,
            "leftover_processes": leftovers,
            "duration": round(time.monotonic() - started, 3),
        }
    )
    return code if code >= 0 else 128 - code


def main() -> int:
    cfg = json.loads(sys.argv[1])
    key = b""
    while chunk := os.read(cfg["key_fd"], 4096):
        key += chunk
    os.close(cfg["key_fd"])
    channel = Channel(cfg["channel_fd"], key)
    _set_limits(cfg)
    isolation, reason = "process-group", ""
    if cfg.get("namespaces", True) and sys.platform.startswith("linux"):
        uid, gid = os.getuid(), os.getgid()
        try:
            flags = CLONE_NEWNS | CLONE_NEWPID
            if _lib().unshare(flags) != 0:
                _check(_lib().unshare(flags | CLONE_NEWUSER), "unshare")
                _map_ids(uid, gid)
            isolation = "namespaces"
        except OSError as exc:
            reason = str(exc)
    if isolation == "namespaces":
        child = os.fork()  # no threads exist yet in this process: fork is safe here
        if child == 0:  # PID 1 of the new PID namespace
            code = 70
            try:
                own_proc = False
                try:
                    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
                    own_proc = True
                    _hide(cfg.get("hide", []), cfg.get("keep", []))
                except OSError as exc:  # still PID 1: leftovers die with it, nothing hidden
                    isolation, reason = "pid-namespace", str(exc)
                channel.emit({"type": "supervisor", "isolation": isolation, "reason": reason})
                code = _run_pytest(cfg, channel, key, isolation, own_proc)
            except BaseException as exc:
                channel.emit(
                    {"type": "supervisor_error", "message": f"{type(exc).__name__}: {exc}"}
                )
            finally:
                os._exit(code)

        def forward(signum, frame):
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass

        signal.signal(signal.SIGTERM, forward)
        while True:
            try:
                _, status = os.waitpid(child, 0)
                break
            except InterruptedError:
                continue
        return max(0, os.waitstatus_to_exitcode(status))
    _lib().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    channel.emit({"type": "supervisor", "isolation": "process-group", "reason": reason})
    return _run_pytest(cfg, channel, key, "process-group", False)


if __name__ == "__main__":
    sys.exit(main())
