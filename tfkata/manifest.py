"""The kata manifest (info.toml): order, chapters, titles, hints and grading weights."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError
from tfkata.project import MANIFEST, project_root


@dataclass(frozen=True)
class Kata:
    name: str
    chapter: int
    title: str
    hints: tuple[str, ...]
    weight: float = 1.0

    @property
    def module_file(self) -> str:
        return f"{self.name}.py"

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.name}.py"


@dataclass(frozen=True)
class Manifest:
    root: Path
    katas: tuple[Kata, ...]
    chapters: dict[int, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [k.name for k in self.katas]

    def get(self, name: str) -> Kata:
        for kata in self.katas:
            if kata.name == name:
                return kata
        close = difflib.get_close_matches(name, self.names(), n=1)
        suggestion = f" (did you mean {close[0]!r}?)" if close else ""
        raise KataError(f"unknown kata {name!r}{suggestion}; `kata list` shows them all")

    def index(self, name: str) -> int:
        return self.names().index(self.get(name).name)


def load_manifest(root: Path | None = None) -> Manifest:
    root = root or project_root()
    path = root / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KataError(f"cannot read {path}: {exc}") from None
    chapters = {int(c["number"]): str(c["title"]) for c in data.get("chapter", [])}
    katas = []
    for entry in data.get("kata", []):
        try:
            katas.append(
                Kata(
                    name=str(entry["name"]),
                    chapter=int(entry["chapter"]),
                    title=str(entry["title"]),
                    hints=tuple(str(h) for h in entry.get("hints", [])),
                    weight=float(entry.get("weight", 1.0)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KataError(f"{path}: bad [[kata]] entry {entry!r}: {exc}") from None
    return Manifest(root=root, katas=tuple(katas), chapters=chapters)
