"""The trusted first process of a grading run: `python -m tfkata.grading.supervisor CONFIG`.

Started by the grader (fresh interpreter, new session) before any student code exists, it
holds the supervisor's channel key, which the test process never sees, and

1. sets resource limits (address space, file size, no core dumps) that its children inherit,
   and makes itself undumpable (no other process of its uid may read its memory);
2. runs pytest in the best sandbox the machine allows, tried in the order of
   `cfg["isolations"]`:
   - "bwrap": bubblewrap builds an allow-list: read-only, the interpreter and its libraries,
     the system's libraries, the suite's and the student's private copy (the sandbox folder);
     a private writable /tmp; new user (uid 65534), PID, network, IPC and UTS namespaces; no
     capabilities, no new privileges, its own session; it dies with this process. This
     supervisor stays outside the sandbox: nothing inside can reach it;
   - "namespaces": new mount and PID namespaces made here: the project, the other students'
     folders, the report folder and the other sandboxes are hidden under empty tmpfs mounts
     (a deny-list), and the test process enters a nested user namespace that locks them;
   - "process-group": a child subreaper and resource limits only;
3. reports on the signed channel (its own key) which sandbox ran and how pytest ended;
   whatever the student left running dies with the sandbox, or is killed here.

Only the standard library is imported (and tfkata.grading.channel, itself standard-only)."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

from tfkata.grading.channel import (
    EXIT,
    SUPERVISOR,
    SUPERVISOR_ERROR,
    SUPERVISOR_SOURCE,
    WARNING,
    Emitter,
    hand_over,
    read_key,
)

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
CLONE_NEWUSER = 0x10000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
SANDBOX_UID = 65534  # "nobody" inside bubblewrap's user namespace
# read-only in the bubblewrap sandbox (when they exist), besides Python's own folders
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
SYSTEM_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/alternatives",
)

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


def _set_limits(cfg: dict) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if cfg.get("memory_bytes"):
        m = int(cfg["memory_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (m, m))
    if cfg.get("fsize_bytes"):
        f = int(cfg["fsize_bytes"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (f, f))


# ------------------------------------------------------------------ processes


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


# ------------------------------------------------------------------ bubblewrap


def python_paths() -> list[str]:
    """The folders the interpreter and its libraries live in (read-only in the sandbox)."""
    import sysconfig

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {p for p in sysconfig.get_paths().values() if p}
    paths.add(os.path.dirname(os.path.realpath(sys.executable)))
    real = sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)} | paths)
    real = [p for p in real if os.path.isdir(p)]
    # nested: keep the outermost
    return [p for p in real if not any(p != q and p.startswith(q + "/") for q in real)]


def bwrap_args(workdir: str, user_namespace: bool = True) -> list[str]:
    """bubblewrap's options for a run in `workdir` (the sandbox folder, read-only)."""
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    if user_namespace:
        args += ["--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    # the private /tmp first: the binds below land on top of it, so an interpreter, a venv or a
    # sandbox folder that lives under /tmp (a CI clone, say) stays visible
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/home"]
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for path in python_paths():
        if not any(path == p or path.startswith(p + "/") for p in SYSTEM_PATHS):
            args += ["--ro-bind", path, path]
    args += ["--ro-bind", workdir, workdir, "--chdir", workdir]
    args += ["--remount-ro", "/"]  # the sandbox's own root (mount points): read-only too
    for key, value in (
        ("HOME", "/tmp/home"),
        ("TMPDIR", "/tmp"),
        ("KERAS_HOME", "/tmp/home/.keras"),
        ("MPLCONFIGDIR", "/tmp/home/.mpl"),
    ):
        args += ["--setenv", key, value]
    return args


def bwrap_probe(workdir: str) -> tuple[list[str] | None, str]:
    """bubblewrap's options that work here (with a user namespace if the kernel allows one),
    or None and why not. Costs one start of the interpreter in a sandbox."""
    if shutil.which("bwrap") is None:
        return None, "bubblewrap (bwrap) is not installed"
    why = ""
    for user_namespace in (True, False):
        args = bwrap_args(workdir, user_namespace)
        try:
            proc = subprocess.run(
                [*args, "--", sys.executable, "-S", "-c", "import os; os.listdir('.')"],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return None, f"bwrap failed: {exc}"
        if proc.returncode == 0:
            return args, "" if user_namespace else "bwrap without a user namespace (refused)"
        why = (proc.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
    return None, f"bwrap cannot build a sandbox here: {why}"


# ------------------------------------------------------------------ namespaces (fallback)


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


# ------------------------------------------------------------------ running pytest


class Supervisor:
    def __init__(self, cfg: dict, channel: Emitter, pytest_key: bytes) -> None:
        self.cfg = cfg
        self.channel = channel
        self.pytest_key = pytest_key

    def run_pytest(self, isolation: str, own_proc: bool, wrap: list[str] | None = None) -> int:
        """Start pytest with its key on a fresh pipe; wait; kill leftovers; report."""
        cfg = self.cfg
        key_r = hand_over(self.pytest_key)
        cmd = [a.replace("{KEY_FD}", str(key_r)) for a in cfg["cmd"]]
        if own_proc:  # /proc shows only this PID namespace: the plugin may kill all but 1, itself
            cmd.append("--grading-pidns")
        if wrap:
            cmd = [*wrap, "--", *cmd]
        uid, gid = os.getuid(), os.getgid()
        preexec = (lambda: _lock_mounts(uid, gid)) if isolation == "namespaces" else None
        fds = (key_r, cfg["channel_fd"])
        started = time.monotonic()
        try:
            proc = subprocess.Popen(cmd, pass_fds=fds, preexec_fn=preexec)
        except (OSError, subprocess.SubprocessError) as exc:
            if preexec is None:
                raise
            # the nested user namespace was refused: run without the lock (mounts still hide)
            self.channel.emit(WARNING, message=f"mount lock unavailable: {exc}")
            proc = subprocess.Popen(cmd, pass_fds=fds)
        os.close(key_r)

        def on_term(signum, frame):  # the grader's timeout: end the whole tree now
            kill_descendants(os.getpid())
            os._exit(128 + signum)

        signal.signal(signal.SIGTERM, on_term)
        status = 0
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid == proc.pid:
                break
        code = os.waitstatus_to_exitcode(status)
        leftovers = kill_descendants(os.getpid())
        self.channel.emit(
            EXIT,
            returncode=code,
            leftover_processes=leftovers,
            duration=round(time.monotonic() - started, 3),
        )
        return code if code >= 0 else 128 - code

    def bwrap(self, args: list[str]) -> int:
        _lib().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        reason = self.cfg.get("isolation_reason", "")
        self.channel.emit(SUPERVISOR, isolation="bwrap", reason=reason)
        return self.run_pytest("bwrap", True, wrap=args)

    def namespaces(self) -> int | None:
        """None when the kernel refuses the namespaces (the caller falls back)."""
        uid, gid = os.getuid(), os.getgid()
        try:
            flags = CLONE_NEWNS | CLONE_NEWPID
            if _lib().unshare(flags) != 0:
                _check(_lib().unshare(flags | CLONE_NEWUSER), "unshare")
                _map_ids(uid, gid)
        except OSError as exc:
            self.reason = str(exc)
            return None
        child = os.fork()  # no threads exist yet in this process: fork is safe here
        if child == 0:  # PID 1 of the new PID namespace
            code = 70
            try:
                isolation, reason, own_proc = (
                    "namespaces",
                    self.cfg.get("isolation_reason", ""),
                    False,
                )
                try:
                    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
                    own_proc = True
                    _hide(self.cfg.get("hide", []), self.cfg.get("keep", []))
                except OSError as exc:  # still PID 1: leftovers die with it, nothing hidden
                    isolation, reason = "pid-namespace", str(exc)
                self.channel.emit(SUPERVISOR, isolation=isolation, reason=reason)
                code = self.run_pytest(isolation, own_proc)
            except BaseException as exc:
                self.channel.emit(SUPERVISOR_ERROR, message=f"{type(exc).__name__}: {exc}")
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

    def process_group(self, reason: str) -> int:
        _lib().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self.channel.emit(SUPERVISOR, isolation="process-group", reason=reason)
        return self.run_pytest("process-group", False)


def main() -> int:
    cfg = json.loads(sys.argv[1])
    supervisor_key = read_key(cfg["supervisor_key_fd"])
    pytest_key = read_key(cfg["pytest_key_fd"])
    _lib().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    channel = Emitter(cfg["channel_fd"], supervisor_key, SUPERVISOR_SOURCE)
    del supervisor_key
    _set_limits(cfg)
    supervisor = Supervisor(cfg, channel, pytest_key)
    reason = cfg.get("isolation_reason", "")
    try:
        for isolation in cfg.get("isolations", ["process-group"]):
            if isolation == "bwrap" and cfg.get("bwrap"):
                return supervisor.bwrap(cfg["bwrap"])
            if isolation == "namespaces" and sys.platform.startswith("linux"):
                supervisor.reason = ""
                code = supervisor.namespaces()
                if code is not None:
                    return code
                reason = "; ".join(r for r in (reason, supervisor.reason) if r)
        return supervisor.process_group(reason)
    except Exception as exc:
        channel.emit(SUPERVISOR_ERROR, message=f"{type(exc).__name__}: {exc}")
        return 70


if __name__ == "__main__":
    sys.exit(main())
