"""The pytest plugin of a grading sandbox (`-p tfkata.grading.sandbox_plugin`).

It tells the grader, on the signed channel (tfkata.grading.channel), as things happen:

    collected  after collection: each kata's tests, collection errors
    start      before a kata's first test
    test       each test's outcome (tfkata.outcomes), once, as soon as its teardown is done:
               fixed before any later code of the kata runs
    kata       after a kata's last test: the integrity check's findings
    end        in pytest's last hook: the plugin's final path (the grader passes nothing from
               a run that did not get here and exit with that status)

The integrity check after each kata (tamper *evidence*: the kata's code runs in this process)
compares with what held before any kata module was loaded: the harness, pytest, hypothesis
(and its settings), the test modules and their helpers, and the yardsticks the tests measure
against (keras.layers / losses / metrics / ops / activations / optimizers, tf, tf.nn, tf.math,
numpy and its dispatcher functions, math, json) still hold the very same objects; every
attribute of every test function is unchanged; no pytest plugin or hook was added; the suite's
files are unchanged; no process started by the kata is still running (they are killed).
The yardstick modules are also made read-only while katas run: assigning an attribute that
exists (`keras.layers.Dense = ...`) raises and is recorded, even if the kata puts it back.

On a finding the process ends at once (a patch would persist into the next kata). The kata
files themselves were checked before the run by tfkata.policy (no gc, inspect, frames...)."""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
import types
from pathlib import Path

import pytest

from tfkata import outcomes
from tfkata.grading import channel
from tfkata.pytest_plugin import kata_name_of

_WATCH_PREFIXES = ("_pytest", "pluggy", "tfkata", "kata_testing", "hypothesis")
_WATCH_EXACT = (
    "builtins",
    "pytest",
    "math",
    "operator",
    "json",
    "json.encoder",
    "json.decoder",
    "hmac",
    "hashlib",
    "numpy",
    "numpy.testing",
    "numpy.linalg",
    "numpy.random",
    "unittest",
)
# the yardsticks, as attribute paths from a top-level module (their sys.modules names vary)
YARDSTICKS = (
    "keras",
    "keras.layers",
    "keras.losses",
    "keras.metrics",
    "keras.ops",
    "keras.activations",
    "keras.optimizers",
    "keras.models",
    "keras.initializers",
    "keras.backend",
    "keras.random",
    "keras.utils",
    "tensorflow",
    "tensorflow.nn",
    "tensorflow.math",
    "tensorflow.linalg",
    "tensorflow.random",
    "tensorflow.debugging",
    "tensorflow.experimental.numpy",
    "numpy",
    "numpy.testing",
    "numpy.linalg",
    "numpy.random",
    "math",
    "json",
)
_PLAIN = (int, float, complex, str, bytes, bool, type(None))
_SKIPPED = pytest.skip.Exception
_MISSING = object()


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
    key = channel.read_key(config.getoption("--grading-key-fd"))
    moved = os.dup(fd)  # the channel on a fresh descriptor number
    os.close(fd)
    if not config.getoption("--grading-pidns"):
        _become_subreaper()
    grading = _Grading(config, channel.Emitter(moved, key, channel.PYTEST))
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
    makereport = grading.pytest_runtest_makereport
    sessionfinish = grading.pytest_sessionfinish
    unconfigure = grading.pytest_unconfigure

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        return (yield from protocol(item, nextitem))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(item, call):
        return (yield from makereport(item, call))

    return _Plugin(
        pytest_collectreport=lambda report: collectreport(report),
        pytest_collection_finish=pytest.hookimpl(trylast=True)(
            lambda session: collection_finish(session)
        ),
        pytest_runtest_logstart=lambda nodeid, location: logstart(nodeid, location),
        pytest_runtest_logreport=lambda report: logreport(report),
        pytest_runtest_protocol=pytest_runtest_protocol,
        pytest_runtest_makereport=pytest_runtest_makereport,
        pytest_sessionfinish=pytest.hookimpl(trylast=True)(lambda session: sessionfinish(session)),
        pytest_unconfigure=pytest.hookimpl(trylast=True)(lambda config: unconfigure(config)),
    )


# ------------------------------------------------------------------ fingerprints


def _fingerprint(value) -> tuple:
    """What identifies a callable: the object, and for Python functions their code and
    defaults (also through __wrapped__ and hypothesis' inner test)."""
    parts: list = [id(value)]
    depth = 0
    fn = value
    while fn is not None and depth < 6:
        depth += 1
        code = getattr(fn, "__code__", None)
        if isinstance(code, types.CodeType):
            parts.append((id(code), id(getattr(fn, "__defaults__", None))))
        inner = getattr(getattr(fn, "hypothesis", None), "inner_test", None)
        if inner is not None:
            parts.append(("inner", *_fingerprint(inner)))
        fn = getattr(fn, "__wrapped__", None) if not isinstance(fn, type) else None
    return tuple(parts)


def _watchable(value) -> bool:
    """Functions, classes, NumPy's dispatchers and ufuncs, tf's ops: anything callable."""
    return callable(value) or isinstance(value, (staticmethod, classmethod, property))


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


def _resolve(path: str) -> types.ModuleType | None:
    """A module by attribute path from a loaded top-level module (None if not loaded)."""
    head, *rest = path.split(".")
    value = sys.modules.get(head)
    for part in rest:
        value = getattr(value, part, None)
    return value if isinstance(value, types.ModuleType) else None


class _Snapshot:
    """What the watched modules hold, by identity: every attribute, every member of their
    classes, the code and defaults of their functions, and (for the test modules and their
    helpers) a digest of their data. Comparing is a pass over dictionaries by `is`: cheap
    enough to run after every kata."""

    def __init__(self, test_modules: list[str]) -> None:
        self.test_modules = set(test_modules)
        self.yardsticks = {p: m for p in YARDSTICKS if (m := _resolve(p)) is not None}
        self.modules = self._watched()
        self.attrs: dict[str, dict] = {}
        self.classes: list[tuple[str, type, dict]] = []
        self.codes: list[tuple[str, object, object, object]] = []
        self.data: dict[tuple[str, str], tuple] = {}
        seen: set[int] = set()
        for label, mod in self.modules.items():
            try:
                items = list(vars(mod).items())
            except TypeError:
                continue
            keep_data = label in self.test_modules or label.startswith("kata_testing")
            yardstick = label in self.yardsticks
            # module state (counters, caches, flags) changes as the harness runs: watched are
            # what a patch replaces: callables, classes, modules, a yardstick's constants
            attrs = {
                k: v
                for k, v in items
                if not _is_dunder(k)
                and (
                    _watchable(v)
                    or isinstance(v, types.ModuleType)
                    or keep_data
                    or (yardstick and isinstance(v, _PLAIN))
                )
            }
            self.attrs[label] = attrs
            for attr, value in attrs.items():
                where = f"{label}.{attr}"
                if isinstance(value, type):
                    if id(value) not in seen:
                        seen.add(id(value))
                        self.classes.append((where, value, dict(vars(value))))
                        for key, member in vars(value).items():
                            self._code(f"{where}.{key}", getattr(member, "__func__", member))
                elif isinstance(value, types.FunctionType):
                    self._code(where, value)
                elif keep_data:
                    digest = _data_digest(value)
                    if digest is not None:
                        self.data[(label, attr)] = digest

    def _code(self, where: str, fn) -> None:
        if isinstance(fn, types.FunctionType):
            self.codes.append((where, fn, fn.__code__, fn.__defaults__))

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
        for label, mod in self.yardsticks.items():
            out.setdefault(label, mod)
        return out

    def changes(self, _data_changed=_data_changed, _data_digest=_data_digest) -> list[str]:
        found = []
        for name in self.test_modules | {"pytest"}:
            if name in self.modules and sys.modules.get(name) is not self.modules[name]:
                found.append(f"module {name} was replaced in sys.modules")
        for label, before in self.attrs.items():
            now = vars(self.modules[label])
            for attr, old in before.items():
                new = now.get(attr, _MISSING)
                if new is old:
                    continue
                if new is _MISSING:
                    found.append(f"{label}.{attr} was deleted")
                elif (
                    isinstance(old, types.ModuleType)
                    and isinstance(new, types.ModuleType)
                    and old.__name__.rsplit(".", 1)[-1] == new.__name__.rsplit(".", 1)[-1]
                ):
                    continue  # a lazy loader replaced itself by the module it loads
                elif (label, attr) in self.data:
                    continue  # data: judged by its digest below
                else:
                    found.append(f"{label}.{attr} was replaced")
        for where, cls, before in self.classes:
            now = vars(cls)
            for key, old in before.items():
                if now.get(key, _MISSING) is not old:
                    found.append(f"{where}.{key} was replaced or deleted")
        for where, fn, code, defaults in self.codes:
            if fn.__code__ is not code or fn.__defaults__ is not defaults:
                found.append(f"{where} was modified (its code or defaults)")
        for (label, attr), old in self.data.items():
            value = vars(self.modules[label]).get(attr, _MISSING)
            if _data_changed(old, _data_digest(value) if value is not _MISSING else None):
                found.append(f"{label}.{attr} was modified")
        return found[:20]


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _freeze(modules: dict[str, types.ModuleType], attempts: list[str]) -> None:
    """Make the yardstick modules read-only: assigning or deleting an attribute they hold
    raises AttributeError and is recorded in `attempts` (adding a new one, as the import
    system does for a submodule, stays allowed)."""
    frozen_classes: dict[type, type] = {}
    getdict = types.ModuleType.__dict__["__dict__"].__get__
    append = attempts.append

    for mod in modules.values():
        base = type(mod)
        if base not in frozen_classes:

            def __setattr__(self, name, value, _base=base):
                old = getdict(self).get(name, _MISSING)
                if old is not _MISSING and old is not value:
                    label = getdict(self).get("__name__", "?")
                    append(f"{label}.{name} was assigned")
                    raise AttributeError(
                        f"{label}.{name} is read-only while katas are graded: kata code must "
                        "not change the libraries it uses"
                    )
                _base.__setattr__(self, name, value)

            def __delattr__(self, name, _base=base):
                label = getdict(self).get("__name__", "?")
                append(f"{label}.{name} was deleted")
                raise AttributeError(
                    f"{label}.{name} is read-only while katas are graded: kata code must not "
                    "change the libraries it uses"
                )

            frozen_classes[base] = type(
                base.__name__, (base,), {"__setattr__": __setattr__, "__delattr__": __delattr__}
            )
        try:
            mod.__class__ = frozen_classes[base]
        except TypeError:  # an exotic module type: the snapshot still watches it
            pass


# attributes hypothesis itself adds to a test function while it runs
_RUNTIME_TEST_ATTRIBUTES = frozenset({"_hypothesis_internal_use_generated_seed"})
# what of a test's hypothesis settings decides how many and which examples run (its pytest
# plugin replaces the settings object of a parametrized test at each call, suppressing one
# more health check: not a change that matters)
_SETTINGS_THAT_MATTER = (
    "max_examples",
    "derandomize",
    "phases",
    "database",
    "deadline",
    "backend",
    "stateful_step_count",
    "report_multiple_bugs",
)


def _attribute_print(name: str, value) -> tuple:
    if name == "_hypothesis_internal_use_settings":
        return ("settings", _digest(tuple(getattr(value, k, None) for k in _SETTINGS_THAT_MATTER)))
    return (id(value),)


def _test_attributes(items: dict[str, pytest.Item]) -> dict[str, dict[str, tuple]]:
    """Every attribute of every test function (hypothesis' settings and handle included):
    nodeid -> {attribute: (identity, digest)}."""
    out = {}
    for nodeid, item in items.items():
        fn = getattr(item, "obj", None)
        try:
            attrs = dict(vars(fn))
        except TypeError:
            attrs = {}
        found = {k: _attribute_print(k, v) for k, v in attrs.items()}
        handle = attrs.get("hypothesis")
        if handle is not None:
            try:
                found |= {f"hypothesis.{k}": (id(v), "") for k, v in vars(handle).items()}
            except TypeError:
                pass
        out[nodeid] = found
    return out


def _attributes_changed(before: dict[str, tuple], now: dict[str, tuple]) -> list[str]:
    changed = [k for k, v in before.items() if now.get(k) != v]
    added = [k for k in now if k not in before and k not in _RUNTIME_TEST_ATTRIBUTES]
    return changed + added


def _hypothesis_settings() -> str:
    try:
        from hypothesis import settings

        return repr(settings.default) + repr(getattr(settings, "_current_profile", None))
    except Exception:  # hypothesis not loaded
        return ""


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


def _frames(exc: BaseException | None):
    """Every (file, exception) of a chain of exceptions' tracebacks."""
    depth = 0
    while exc is not None and depth < 8:
        depth += 1
        tb = exc.__traceback__
        while tb is not None:
            yield tb.tb_frame.f_code.co_filename
            tb = tb.tb_next
        exc = exc.__cause__ or exc.__context__


def kill_leftover_processes(own_namespace: bool) -> list[str]:
    """Kill every process the kata left running; their names. In our own PID namespace (and
    its own /proc) that is everything but PID 1 and us; else our descendants (orphans reparent
    to us: we are a child subreaper)."""
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
    if own_namespace and os.readlink("/proc/self") == str(me):
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


# ------------------------------------------------------------------ the plugin


class _Grading:
    def __init__(self, config: pytest.Config, emitter: channel.Emitter) -> None:
        self.config = config
        self.mode = config.getoption("--grading-mode")
        self.pidns = config.getoption("--grading-pidns")
        self.root = config.rootpath
        self.tests_dir = self.root / "tests"
        self.impl_dir = str((self.root / "impl").resolve())
        self.entries: dict[str, dict] = {}
        self.kata_of: dict[str, str] = {}
        self.current: str | None = None
        self.snapshot: _Snapshot | None = None
        self.plugins: set[int] = set()
        self.hooks: dict[str, tuple] = {}
        # a read-only suite (bubblewrap) cannot change: the grader re-hashes its copy anyway
        self.suite_writable = os.access(self.tests_dir, os.W_OK)
        self.suite = _suite_digests(self.root) if self.suite_writable else {}
        self.collection_errors: list[dict] = []
        self.freeze_attempts: list[str] = []
        # bound now: later patches of the class, this module or tfkata.outcomes do not reach
        # the checks, nor the entries, nor the channel
        self._calls = {
            "emit": emitter.emit,
            "new_entry": outcomes.new_entry,
            "update_entry": outcomes.update_entry,
            "seal": self._seal,
            "violations": self._violations,
            "leftovers": kill_leftover_processes,
            "item_print": self._item_print,
            "hooks": self._hooks,
            "suite_digests": _suite_digests,
            "test_attributes": _test_attributes,
            "attributes_changed": _attributes_changed,
            "hypothesis_settings": _hypothesis_settings,
            "exit": os._exit,
        }

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
        self._calls["emit"](channel.COLLECTED, katas=katas, errors=self.collection_errors)
        if self.mode == "collect":
            return
        self.snapshot = _Snapshot(sorted(modules))
        self._calls["changes"] = self.snapshot.changes
        self.items = {item.nodeid: item for item in session.items}
        self.item_prints = {nodeid: self._item_print(item) for nodeid, item in self.items.items()}
        self.test_attrs = _test_attributes(self.items)
        self.settings = _hypothesis_settings()
        self.plugins = {id(p) for p in self.config.pluginmanager.get_plugins()}
        self.hooks = self._hooks()
        _freeze(self.snapshot.yardsticks, self.freeze_attempts)

    def _item_print(self, item) -> tuple:
        callspec = getattr(item, "callspec", None)
        params = tuple(sorted((k, id(v)) for k, v in callspec.params.items())) if callspec else ()
        markers = tuple(id(m) for m in getattr(item, "own_markers", ()))  # a skip added later
        return (_fingerprint(getattr(item, "obj", None)), params, markers)

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
            self._calls["emit"](channel.START, kata=kata)

    def pytest_runtest_makereport(self, item: pytest.Item, call):
        """Mark a skip the suite itself declared (its pytest.skip in tests/, or a marker)."""
        raised = call.excinfo  # before pytest's unittest plugin turns a SkipTest into a skip
        report = yield
        if report.skipped and raised is not None and not hasattr(report, "wasxfail"):
            if self._skip_by_suite(raised.value):
                report.user_properties.append((outcomes.CAUSE_KEY, outcomes.SUITE_SKIP))
        return report

    def _skip_by_suite(self, exc: BaseException) -> bool:
        if not isinstance(exc, _SKIPPED):
            return False  # unittest.SkipTest and the like: not the suite's pytest.skip
        if any(f.startswith(self.impl_dir) for f in _frames(exc)):
            return False  # kata code was on the way (the skip or what it was raised for)
        own = []  # the skip's own traceback: who called pytest.skip
        tb = exc.__traceback__
        while tb is not None:
            own.append(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        callers = [f for f in own if "/_pytest/" not in f and "/pluggy/" not in f]
        return not callers or callers[-1].startswith(str(self.tests_dir))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        kata = self.kata_of.get(report.nodeid)
        if kata is None:
            return
        entry = self.entries.get(report.nodeid)
        if entry is None:
            entry = self.entries[report.nodeid] = self._calls["new_entry"](report.nodeid, kata)
        self._calls["update_entry"](entry, report)
        if report.when == "teardown":  # final: fixed now, before any later code runs
            self._calls["emit"](channel.TEST, kata=kata, entry=entry)

    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        result = yield
        kata = self.kata_of.get(item.nodeid)
        if kata is not None and (nextitem is None or self.kata_of.get(nextitem.nodeid) != kata):
            self._calls["seal"](kata)
        return result

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.session = session

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """The plugin's final path: nothing of the tests runs after this, and the test process
        (tfkata.child) exits with the status pytest.main returns, which is this one."""
        status = getattr(getattr(self, "session", None), "exitstatus", 0)
        self._calls["emit"](channel.END, exitstatus=int(status))

    # -------------------------------------------------------------- checking a kata
    def _violations(self) -> list[str]:
        calls = self._calls
        found: list[str] = []
        if self.freeze_attempts:
            found += [
                f"kata code must not change the libraries it uses: {a}"
                for a in sorted(set(self.freeze_attempts))[:5]
            ]
        if "changes" in calls:
            found += [f"the test harness was modified: {c}" for c in calls["changes"]()]
        if {id(p) for p in self.config.pluginmanager.get_plugins()} != self.plugins:
            found.append("the test harness was modified: pytest plugins were added or removed")
        elif calls["hooks"]() != self.hooks:
            found.append("the test harness was modified: pytest hooks changed")
        items = getattr(self, "items", {})
        for nodeid, item in items.items():
            if calls["item_print"](item) != self.item_prints[nodeid]:
                found.append(
                    f"the test harness was modified: test {nodeid.split('::')[-1]} was replaced"
                )
                break
        if items:
            attrs = calls["test_attributes"](items)
            for nodeid in items:
                changed = calls["attributes_changed"](self.test_attrs[nodeid], attrs[nodeid])
                if changed:
                    found.append(
                        f"the test harness was modified: {', '.join(changed[:3])} of test "
                        f"{nodeid.split('::')[-1]} changed"
                    )
                    break
            if calls["hypothesis_settings"]() != self.settings:
                found.append("the test harness was modified: hypothesis' settings were changed")
        try:
            now = calls["suite_digests"](self.root) if self.suite_writable else {}
        except OSError as exc:
            now = {"<error>": str(exc)}
        if now != self.suite:
            changed = sorted(
                k for k in set(now) | set(self.suite) if now.get(k) != self.suite.get(k)
            )
            found.append(
                "the test suite's files were modified or deleted: " + ", ".join(changed[:5])
            )
        leftovers = calls["leftovers"](self.pidns)
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
        self._calls["emit"](
            channel.KATA,
            kata=kata,
            violations=violations,
            vm_peak_mb=_vm_peak_mb(),
            check_ms=check_ms,
        )
        if violations:
            self._calls["exit"](71)
