"""The learner's progress, kept in .kata-state.json at the project root (or the workspace).

It is never lost silently: a file that is not valid progress (broken JSON, wrong types, e.g.
after a crash or a bad hand edit) is set aside as `.kata-state.json.damaged-<timestamp>`, with
a one-line warning, and progress starts afresh; a file that cannot be read at all is a
KataError (it would be overwritten). Every write goes to a temporary file in the same folder,
flushed to disk, then renamed over the old one, so a crash mid-write leaves the old or the new
file, never half of one."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError
from tfkata.manifest import Manifest
from tfkata.stubgen import stub_for

STATE_FILE = ".kata-state.json"

DONE, FAILING, CHANGED, NOT_STARTED, MISSING = (
    "done",
    "failing",
    "edited, unchecked",
    "not started",
    "missing",
)


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class Progress:
    path: Path
    current: str | None = None
    katas: dict[str, dict] = field(default_factory=dict)
    hints_shown: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> Progress:
        path = root / STATE_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, UnicodeDecodeError) as exc:
            if isinstance(exc, UnicodeDecodeError):
                problem = "it is not UTF-8 text"
            else:
                raise KataError(f"cannot read {path}: {exc.strerror or exc}") from None
        else:
            try:
                return cls(path=path, **_parse(json.loads(text)))
            except ValueError as exc:  # json.JSONDecodeError is a ValueError
                problem = str(exc).split("\n")[0]
        _set_aside(path, problem)
        return cls(path=path)

    def save(self) -> None:
        data = {"current": self.current, "katas": self.katas, "hints_shown": self.hints_shown}
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=f"{STATE_FILE}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def record(self, name: str, passed: bool, digest: str | None) -> None:
        self.katas[name] = {
            "status": DONE if passed else FAILING,
            "hash": digest,
            "checked_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }

    def forget(self, name: str) -> None:
        self.katas.pop(name, None)
        self.hints_shown.pop(name, None)


def _parse(data: object) -> dict:
    """The fields of a Progress from the file's JSON; a ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, found {type(data).__name__}")
    current = data.get("current")
    katas = data.get("katas", {})
    hints = data.get("hints_shown", {})
    if current is not None and not isinstance(current, str):
        raise ValueError(f"current: expected a kata name, found {current!r}")
    if not isinstance(katas, dict) or not all(
        isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("status"), str)
        for k, v in katas.items()
    ):
        raise ValueError("katas: expected {name: {status, hash, checked_at}}")
    if not isinstance(hints, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in hints.items()
    ):
        raise ValueError("hints_shown: expected {name: count}")
    return {"current": current, "katas": dict(katas), "hints_shown": dict(hints)}


def _set_aside(path: Path, problem: str) -> Path:
    """Rename a damaged progress file out of the way (never over another) and warn once."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        path.rename(target)
    except OSError as exc:
        raise KataError(
            f"{path} is damaged ({problem}) and cannot be set aside: {exc.strerror or exc}"
        ) from None
    print(
        f"kata: warning: {path.name} was damaged ({problem}); kept as {target.name}, "
        "progress starts afresh",
        file=sys.stderr,
    )
    return target


def status_of(manifest: Manifest, progress: Progress, name: str, katas_dir: Path) -> str:
    """done / failing / edited, unchecked / not started / missing, without running any test:
    a check's verdict counts while the file is unchanged since that check."""
    path = katas_dir / f"{name}.py"
    digest = file_hash(path)
    if digest is None:
        return MISSING
    reference = manifest.root / "solutions" / f"{name}.py"
    if reference.is_file():
        pristine = hashlib.sha256(stub_for(reference).encode("utf-8")).hexdigest()
        if pristine == digest:
            return NOT_STARTED
    entry = progress.katas.get(name)
    if entry and entry.get("hash") == digest:
        return entry["status"]
    return CHANGED


def next_unfinished(
    manifest: Manifest, progress: Progress, katas_dir: Path, after: str | None = None
) -> str | None:
    """The first kata not done, in manifest order, starting after `after` (wrapping around)."""
    names = manifest.names()
    start = names.index(after) + 1 if after in names else 0
    for name in names[start:] + names[:start]:
        if status_of(manifest, progress, name, katas_dir) != DONE:
            return name
    return None
