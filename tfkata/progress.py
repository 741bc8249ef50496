"""The learner's progress, kept in .kata-state.json at the project root."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

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
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(
            path=path,
            current=data.get("current"),
            katas=dict(data.get("katas", {})),
            hints_shown=dict(data.get("hints_shown", {})),
        )

    def save(self) -> None:
        data = {"current": self.current, "katas": self.katas, "hints_shown": self.hints_shown}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)

    def record(self, name: str, passed: bool, digest: str | None) -> None:
        self.katas[name] = {
            "status": DONE if passed else FAILING,
            "hash": digest,
            "checked_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }

    def forget(self, name: str) -> None:
        self.katas.pop(name, None)
        self.hints_shown.pop(name, None)


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
