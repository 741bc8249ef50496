"""The grading channel: signed JSON lines from a sandbox to the grader (one home for the
protocol, in the spirit of pytest-xdist's `sendevent` / `worker_<event>`).

Two sources write on it, each with its own key and sequence numbers:

- the supervisor (outside the student's process, and in the bubblewrap sandbox outside the
  sandbox itself): how the sandbox was set up and how the test process ended;
- the pytest plugin inside the test process: what was collected, each test's outcome as soon
  as it is known, each kata's integrity check, and the end of the run.

The pytest process never holds the supervisor's key, so it cannot forge how it ended. Records
are serialized by `encode` below, bound when this module is imported (before any student code
exists): patching `json.dumps` or `json.JSONEncoder` later changes nothing here.

Only the standard library is used (the supervisor imports this module)."""

from __future__ import annotations

import hashlib
import hmac
import json
import json.decoder
import json.encoder
import os

# record kinds (the `kind` field of a record)
COLLECTED = "collected"  # pytest: {katas: {kata: [nodeid]}, errors: [{kata, nodeid, message}]}
START = "start"  # pytest: {kata}: the kata's first test is about to run
TEST = "test"  # pytest: {kata, entry}: one test's outcome (tfkata.outcomes), once, when final
KATA = "kata"  # pytest: {kata, violations, vm_peak_mb, check_ms}: after the kata's last test
END = "end"  # pytest: {exitstatus}: pytest's own last hook ran (the plugin's final path)
SUPERVISOR = "supervisor"  # supervisor: {isolation, reason}: the sandbox that runs the tests
WARNING = "warning"  # either: {message}
SUPERVISOR_ERROR = "supervisor_error"  # supervisor: {message}: it failed to run the tests
EXIT = "exit"  # supervisor: {returncode, leftover_processes, duration}: the test process ended
KINDS = (COLLECTED, START, TEST, KATA, END, SUPERVISOR, WARNING, SUPERVISOR_ERROR, EXIT)

# sources, each with its own key
PYTEST = "pytest"
SUPERVISOR_SOURCE = "supervisor"
SOURCES = (PYTEST, SUPERVISOR_SOURCE)
KEY_BYTES = 32

# bound now: C functions, which no later patch of the json module reaches
_escape = json.encoder.encode_basestring_ascii
_float_repr = float.__repr__
_int_repr = int.__repr__
_decode = json.decoder.JSONDecoder().decode
_new_mac = hmac.new
_sha256 = hashlib.sha256
_compare = hmac.compare_digest
_write = os.write
_dict, _list, _tuple, _str, _int, _float, _bool = dict, list, tuple, str, int, float, bool


def encode(value) -> str:
    """JSON for plain data (dict with str keys, list, tuple, str, int, float, bool, None),
    keys sorted; anything else becomes its str()."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is _str:
        return _escape(value)
    if kind is _int:
        return _int_repr(value)
    if kind is _float:
        if value != value or value in (float("inf"), float("-inf")):
            return "null"
        return _float_repr(value)
    if kind is _dict:
        items = sorted((_str(k), v) for k, v in value.items())
        return "{" + ", ".join(_escape(k) + ": " + encode(v) for k, v in items) + "}"
    if kind is _list or kind is _tuple:
        return "[" + ", ".join(encode(v) for v in value) + "]"
    return _escape(_str(value))


class ForgedLine(ValueError):
    """A channel line that did not come, in sequence, from a holder of the right key."""


class Emitter:
    """Writes signed records of one source on the channel."""

    def __init__(self, fd: int, key: bytes, source: str) -> None:
        self.fd = fd
        self.source = source
        self._mac = _new_mac(key, digestmod=_sha256)
        self.seq = 0

    def emit(self, kind: str, **fields) -> None:
        body = encode({**fields, "kind": kind, "src": self.source, "seq": self.seq})
        self.seq += 1
        mac = self._mac.copy()
        mac.update(body.encode())
        line = encode({"src": self.source, "body": body, "mac": mac.hexdigest()}) + "\n"
        data = line.encode()
        while data:
            try:
                data = data[_write(self.fd, data) :]
            except OSError:  # the grader is gone (it stopped this run): nothing to tell
                return


class Verifier:
    """The grader's side: authenticates lines, in sequence per source."""

    def __init__(self, keys: dict[str, bytes]) -> None:
        self._macs = {src: _new_mac(key, digestmod=_sha256) for src, key in keys.items()}
        self._next = dict.fromkeys(keys, 0)

    def verify(self, line: bytes) -> dict:
        """The record a line carries; raises ForgedLine if it is not authentic or in order."""
        try:
            outer = _decode(line.decode())
            src, body, given = outer["src"], outer["body"], outer["mac"]
            mac = self._macs[src].copy()
            mac.update(body.encode())
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise ForgedLine(f"not a channel record ({type(exc).__name__})") from None
        if not isinstance(given, str) or not _compare(mac.hexdigest(), given):
            raise ForgedLine(f"bad signature on a {src} record")
        record = _decode(body)
        if not isinstance(record, dict) or record.get("src") != src:
            raise ForgedLine("a record whose source does not match its signature")
        if record.get("seq") != self._next[src]:
            raise ForgedLine(f"a {src} record out of sequence (replayed or dropped)")
        if record.get("kind") not in KINDS:
            raise ForgedLine(f"a {src} record of unknown kind {record.get('kind')!r}")
        self._next[src] += 1
        return record


def new_keys() -> dict[str, bytes]:
    return {src: os.urandom(KEY_BYTES) for src in SOURCES}


def read_key(fd: int) -> bytes:
    """A key handed over on a pipe (never in argv or the environment); closes the pipe."""
    key = b""
    while chunk := os.read(fd, 4096):
        key += chunk
    os.close(fd)
    return key


def hand_over(key: bytes) -> int:
    """A pipe holding `key`, for a child to read with read_key; returns its read end."""
    read_end, write_end = os.pipe()
    os.write(write_end, key)
    os.close(write_end)
    return read_end
