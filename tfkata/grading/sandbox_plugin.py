"""The pytest plugin of a grading sandbox (`-p tfkata.grading.sandbox_plugin`).

It streams one signed JSON record per kata to the grader, on a pipe inherited from the
supervisor, as soon as that kata's last test is done:

    {"type": "collected", "katas": {NAME: [nodeid, ...]}, "errors": [...]}   after collection
    {"type": "start", "kata": NAME}                                          at its first test
    {"type": "kata", "kata": NAME, "tests": [...], "violations": [...]}       after its last test

A kata's record is written only after an integrity check, run in this process after the
kata's tests: the harness, pytest, hypothesis, the test modules, their helpers and a few
libraries they rely on (numpy, math, builtins, tensorflow's top level) still hold the very
functions and classes they held before any kata module was loaded; no pytest plugin was
added; the files of the test suite are unchanged; no process started by the kata is still
running (any such process is killed). On a violation the record says what changed and the
process ends at once (a patch would persist into the next kata).

This is tamper-*evidence*, not a proof: the kata module runs in this process. What it buys is
that the generic ways of faking a pass (patching pytest or the harness, rewriting the tests,
registering a plugin, forging the report) are seen, and that the grader (which also checks the
test count against its own collection and re-hashes the suite) never takes a report it cannot
authenticate."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import sys
import time
import types
from pathlib import Path

import pytest

from tfkata.pytest_plugin import kata_name_of

_WATCH_PREFIXES = ("_pytest", "pluggy", "tfkata", "kata_testing", "hypothesis")
_WATCH_EXACT = (
    "builtins",
    "pytest",
    "math",
    "operator",
    "numpy",
    "numpy.testing",
    "numpy.linalg",
    "tensorflow",
    "tensorflow.debugging",
)
_PLAIN = (int, float, complex, str, bytes, bool, type(None))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfkata-grading")
    group.addoption("--grading-channel-fd", type=int, default=None)
    group.addoption("--grading-key-fd", type=int, default=None)
    group.addoption("--grading-mode", default="grade", choices=("grade", "collect"))
    group.addoption("--grading-pidns", action="store_true")


def pytest_configure(config: pytest.Config) -> None:
    fd = config.getoption("--grading-channel-fd")
    if fd is None:
        return
    key_fd = config.getoption("--grading-key-fd")
    key = b""
    while chunk := os.read(key_fd, 4096):
        key += chunk
    os.close(key_fd)
    # move the channel to a fresh descriptor number
    moved = os.dup(fd)
    os.close(fd)
    if not config.getoption("--grading-pidns"):
        _become_subreaper()
    grading = _Grading(config, moved, hmac.new(key, digestmod=hashlib.sha256))
    del key
    config.pluginmanager.register(_hooks_of(grading), "tfkata-grading")


class _Plugin:
    """A hashable holder for the hook closures."""

    def __init__(self, **hooks) -> None:
        self.__dict__.update(hooks)


def _become_subreaper() -> None:
    """Without a PID namespace, orphans of the kata's processes (a double fork, a daemon in its
    own session) reparent to this process, so the end-of-kata check finds them."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _hooks_of(grading: _Grading) -> _Plugin:
    """The plugin pluggy calls: closures over methods bound now, before any kata code runs, so
    that patching _Grading, this module or the registered plugin object later changes nothing
    in the checking path (pluggy keeps the functions it registered)."""
    collectreport = grading.pytest_collectreport
    collection_finish = grading.pytest_collection_finish
    logstart = grading.pytest_runtest_logstart
    logreport = grading.pytest_runtest_logreport
    protocol = grading.pytest_runtest_protocol

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        return (yield from protocol(item, nextitem))

    return _Plugin(
        pytest_collectreport=lambda report: collectreport(report),
        pytest_collection_finish=pytest.hookimpl(trylast=True)(
            lambda session: collection_finish(session)
        ),
        pytest_runtest_logstart=lambda nodeid, location: logstart(nodeid, location),
        pytest_runtest_logreport=lambda report: logreport(report),
        pytest_runtest_protocol=pytest_runtest_protocol,
    )


def _fingerprint(value) -> tuple:
    """What identifies a callable: the object, and for Python functions their code and
    defaults (also through __wrapped__ and hypothesis' inner test)."""
    parts: list = [id(value)]
    seen = 0
    fn = value
    while fn is not None and seen < 6:
        seen += 1
        code = getattr(fn, "__code__", None)
        if isinstance(code, types.CodeType):
            parts.append((id(code), id(getattr(fn, "__defaults__", None))))
        inner = getattr(getattr(fn, "hypothesis", None), "inner_test", None)
        if inner is not None:
            parts.append(("inner", *_fingerprint(inner)))
        fn = getattr(fn, "__wrapped__", None) if not isinstance(fn, type) else None
    return tuple(parts)


def _watchable(value) -> bool:
    return isinstance(
        value,
        (
            types.FunctionType,
            types.BuiltinFunctionType,
            types.MethodType,
            type,
            staticmethod,
            classmethod,
            property,
        ),
    )


def _digest(value) -> str:
    try:
        if type(value).__name__ == "ndarray" and getattr(value, "size", 0) < 1_000_000:
            text = f"{value.dtype}{value.shape}".encode() + value.tobytes()
        else:
            text = repr(value).encode(errors="replace")
    except Exception:  # an odd object: identity only
        text = f"id:{id(value)}".encode()
    return hashlib.sha256(text).hexdigest()


def _data_digest(value):
    """Module-level data of the tests and their helpers (constants, tables, caches): a digest
    that tolerates growth (a cache gaining keys, a list gaining items) but not changes to what
    was there before any kata ran (a tolerance table edited in place, say)."""
    if isinstance(value, dict):
        return ("dict", {_digest(k): _digest(v) for k, v in list(value.items())})
    if isinstance(value, list):
        return ("list", tuple(_digest(v) for v in list(value)))
    if isinstance(value, set):
        return ("set", frozenset(_digest(v) for v in list(value)))
    if (
        isinstance(value, _PLAIN)
        or isinstance(value, (tuple, frozenset))
        or (type(value).__name__ == "ndarray")
    ):
        return ("value", _digest(value))
    return None


def _data_changed(old, new) -> bool:
    if new is None or old[0] != new[0]:
        return True
    kind, before, after = old[0], old[1], new[1]
    if kind == "dict":
        return any(after.get(k) != v for k, v in before.items())
    if kind == "list":
        return after[: len(before)] != before
    if kind == "set":
        return not before <= after
    return before != after


class _Snapshot:
    """Identities of the watched modules' callables and classes (and their methods)."""

    def __init__(self, test_modules: list[str]) -> None:
        self.test_modules = set(test_modules)
        self.modules = self._watched()
        self._take_bound = self._take
        self.entries = {name: self._take(mod, name) for name, mod in self.modules.items()}

    def _watched(self) -> dict[str, types.ModuleType]:
        out = {}
        for name, mod in list(sys.modules.items()):
            if not isinstance(mod, types.ModuleType):
                continue
            if (
                name in _WATCH_EXACT
                or name in self.test_modules
                or (name.startswith(_WATCH_PREFIXES) and name.split(".")[0] in _WATCH_PREFIXES)
            ):
                out[name] = mod
        return out

    def _take(
        self,
        mod: types.ModuleType,
        name: str,
        _fingerprint=_fingerprint,
        _watchable=_watchable,
        _data_digest=_data_digest,
    ) -> dict[str, tuple]:
        entries: dict[str, tuple] = {}
        data = name in self.test_modules or name.startswith("kata_testing")
        try:
            items = list(vars(mod).items())
        except TypeError:
            return entries
        for attr, value in items:
            if attr.startswith("__") and attr.endswith("__"):
                continue
            if isinstance(value, types.ModuleType):
                entries[attr] = ("module", value.__name__)
            elif _watchable(value):
                entries[attr] = ("callable", _fingerprint(value))
                if isinstance(value, type) and getattr(value, "__module__", None) == name:
                    for key, member in list(vars(value).items()):
                        if _watchable(member) or callable(member):
                            inner = getattr(member, "__func__", member)
                            entries[f"{attr}.{key}"] = ("member", _fingerprint(inner))
            elif data:
                digest = _data_digest(value)
                if digest is not None:
                    entries[attr] = ("data", digest)
        return entries

    def changes(self, _data_changed=_data_changed) -> list[str]:
        take = self._take_bound
        found = []
        for name, mod in self.modules.items():
            if sys.modules.get(name) is not mod and name in self.test_modules | {"pytest"}:
                found.append(f"module {name} was replaced in sys.modules")
            before = self.entries[name]
            now = take(mod, name)
            for attr, old in before.items():
                new = now.get(attr)
                if new is None:
                    found.append(f"{name}.{attr} was deleted")
                elif old[0] == "data" and new[0] == "data":
                    if _data_changed(old[1], new[1]):
                        found.append(f"{name}.{attr} was modified")
                elif new != old:
                    if old[0] == "module" and new[0] == "module":
                        # lazy loaders replace themselves by the module they load
                        if old[1].rsplit(".", 1)[-1] == new[1].rsplit(".", 1)[-1]:
                            continue
                    found.append(f"{name}.{attr} was replaced or modified")
            if len(found) > 20:
                break
        return found[:20]


def _suite_digests(root: Path) -> dict[str, str]:
    out = {}
    for base in ("tests", "tfkata"):
        for path in sorted((root / base).rglob("*")):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    for name in ("conftest.py", "pyproject.toml", "info.toml"):
        if (root / name).is_file():
            out[name] = hashlib.sha256((root / name).read_bytes()).hexdigest()
    return out


def _vm_peak_mb() -> int:
    """This process's peak address space so far (what --memory-mb caps), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _Grading:
    def __init__(self, config: pytest.Config, fd: int, mac) -> None:
        self.config = config
        self.fd = fd
        self._mac = mac
        self.seq = 0
        self.mode = config.getoption("--grading-mode")
        self.pidns = config.getoption("--grading-pidns")
        self.root = config.rootpath
        self.tests_dir = self.root / "tests"
        self.results: dict[str, dict] = {}
        self.kata_of: dict[str, str] = {}
        self.current: str | None = None
        self.snapshot: _Snapshot | None = None
        self.plugins: set[int] = set()
        self.hooks: dict[str, tuple] = {}
        self.suite = _suite_digests(self.root)
        self.collection_errors: list[dict] = []
        # bound now: later patches of the class or this module do not reach the checks
        self._calls = {
            "seal": self._seal,
            "violations": self._violations,
            "leftovers": self._leftover_processes,
            "emit": self.emit,
            "item_print": self._item_print,
            "hooks": self._hooks,
            "suite_digests": _suite_digests,
            "exit": os._exit,
        }

    # -------------------------------------------------------------- channel
    def emit(self, record: dict) -> None:
        record = {**record, "src": "pytest", "seq": self.seq}
        self.seq += 1
        body = json.dumps(record, sort_keys=True)
        mac = self._mac.copy()
        mac.update(body.encode())
        data = (json.dumps({"body": body, "mac": mac.hexdigest()}) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data) :]

    # -------------------------------------------------------------- collection
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            path = Path(str(report.fspath)) if report.fspath else None
            kata = kata_name_of(path, self.tests_dir) if path else None
            text = str(report.longrepr).strip().splitlines()
            self.collection_errors.append(
                {"kata": kata, "nodeid": report.nodeid, "message": "\n".join(text[-6:])[-600:]}
            )

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        katas: dict[str, list[str]] = {}
        modules = set()
        for item in session.items:
            kata = kata_name_of(item.path, self.tests_dir)
            if kata is None:
                continue
            self.kata_of[item.nodeid] = kata
            katas.setdefault(kata, []).append(item.nodeid)
            module = item.getparent(pytest.Module)
            if module is not None:
                modules.add(module.obj.__name__)
        self.emit({"type": "collected", "katas": katas, "errors": self.collection_errors})
        if self.mode == "collect":
            return
        self.snapshot = _Snapshot(sorted(modules))
        self._calls["changes"] = self.snapshot.changes
        self.items = {item.nodeid: item for item in session.items}
        self.item_prints = {nodeid: self._item_print(item) for nodeid, item in self.items.items()}
        self.plugins = {id(p) for p in self.config.pluginmanager.get_plugins()}
        self.hooks = self._hooks()

    def _item_print(self, item) -> tuple:
        callspec = getattr(item, "callspec", None)
        params = tuple(sorted((k, id(v)) for k, v in callspec.params.items())) if callspec else ()
        return (_fingerprint(getattr(item, "obj", None)), params)

    def _hooks(self) -> dict[str, tuple]:
        out = {}
        for name in dir(self.config.hook):
            caller = getattr(self.config.hook, name, None)
            impls = getattr(caller, "get_hookimpls", None)
            if impls is not None:
                out[name] = tuple(id(i.function) for i in impls())
        return out

    # -------------------------------------------------------------- running
    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        kata = self.kata_of.get(nodeid)
        if kata is not None and kata != self.current:
            self.current = kata
            self.emit({"type": "start", "kata": kata})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        entry = self.results.setdefault(
            report.nodeid,
            {
                "nodeid": report.nodeid,
                "doc": props.get("tfkata_doc", ""),
                "outcome": "passed",
                "reason": None,
                "message": "",
                "duration": 0.0,
            },
        )
        entry["duration"] = round(entry["duration"] + report.duration, 4)
        if report.skipped and entry["outcome"] == "passed":
            if hasattr(report, "wasxfail"):
                entry["outcome"] = "xfailed"
            else:
                entry["outcome"] = "skipped"
                longrepr = report.longrepr
                entry["message"] = str(longrepr[-1]) if isinstance(longrepr, tuple) else ""
        elif report.failed and entry["outcome"] in ("passed", "skipped", "xfailed"):
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["reason"] = props.get("tfkata_reason", "exception")
            message = props.get("tfkata_message") or str(report.longrepr)
            entry["message"] = message[-2000:]
            if report.when != "call":
                entry["message"] = f"({report.when}) " + entry["message"]

    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        result = yield
        kata = self.kata_of.get(item.nodeid)
        if kata is not None and (nextitem is None or self.kata_of.get(nextitem.nodeid) != kata):
            self._calls["seal"](kata)
        return result

    # -------------------------------------------------------------- sealing
    def _leftover_processes(self) -> list[str]:
        me = os.getpid()
        parents: dict[int, int] = {}
        names: dict[int, str] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes().decode(errors="replace")
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if not fields or fields[0] == "Z":
                continue
            parents[int(entry)] = int(fields[1])
            names[int(entry)] = stat[stat.find("(") + 1 : stat.rfind(")")]
        if self.pidns and os.readlink("/proc/self") == str(me):
            # our own PID namespace and its own /proc: everything but PID 1 and us is the kata's
            pids = [p for p in parents if p not in (1, me)]
        else:
            pids, todo = [], [me]
            while todo:
                parent = todo.pop()
                for pid, ppid in parents.items():
                    if ppid == parent:
                        pids.append(pid)
                        todo.append(pid)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        waiting = set(pids)  # reap those that were (or became) our children
        for _ in range(100):
            for pid in list(waiting):
                try:
                    if os.waitpid(pid, os.WNOHANG)[0] == 0:
                        continue
                except OSError:  # not our child: its own parent reaps it
                    pass
                waiting.discard(pid)
            if not waiting:
                break
            time.sleep(0.01)
        return sorted(names.get(p, "?") for p in pids)

    def _violations(self) -> list[str]:
        calls = self._calls
        found: list[str] = []
        if "changes" in calls:
            found += [f"the test harness was modified: {c}" for c in calls["changes"]()]
        if {id(p) for p in self.config.pluginmanager.get_plugins()} != self.plugins:
            found.append("the test harness was modified: pytest plugins were added or removed")
        elif calls["hooks"]() != self.hooks:
            found.append("the test harness was modified: pytest hooks changed")
        for nodeid, item in getattr(self, "items", {}).items():
            if calls["item_print"](item) != self.item_prints[nodeid]:
                found.append(
                    f"the test harness was modified: test {nodeid.split('::')[-1]} was replaced"
                )
                break
        try:
            now = calls["suite_digests"](self.root)
        except OSError as exc:
            now = {"<error>": str(exc)}
        if now != self.suite:
            changed = sorted(
                k for k in set(now) | set(self.suite) if now.get(k) != self.suite.get(k)
            )
            found.append(
                "the test suite's files were modified or deleted: " + ", ".join(changed[:5])
            )
        leftovers = calls["leftovers"]()
        if leftovers:
            found.append(
                f"{len(leftovers)} process(es) started by the kata were still running after its "
                f"tests (killed): {', '.join(leftovers[:5])}"
            )
        return found

    def _seal(self, kata: str) -> None:
        started = time.perf_counter()
        violations = self._calls["violations"]()
        check_ms = round(1000 * (time.perf_counter() - started), 1)
        tests = [
            self.results[nodeid]
            for nodeid, k in self.kata_of.items()
            if k == kata and nodeid in self.results
        ]
        self._calls["emit"](
            {
                "type": "kata",
                "kata": kata,
                "tests": tests,
                "violations": violations,
                "vm_peak_mb": _vm_peak_mb(),
                "check_ms": check_ms,
            }
        )
        if violations:
            self._calls["exit"](71)
