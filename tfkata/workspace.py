"""A learner's workspace: the folder `kata init` writes, away from the suite.

It holds only what is the learner's: `katas/` (one stub per kata, to fill in), their progress
(`.kata-state.json`), backups from `kata reset` (`.kata/`), a short README, a `.gitignore` and
editor settings. The tests, hints and references stay in the installed package (tfkata/suite/,
or the checkout of an editable install); every learner command run anywhere inside the workspace
tests its `katas/` against them. The workspace is found by walking up from the current folder to
its marker file, `.kata-workspace`.

`kata init DIR` never overwrites a file that is already there. `kata init --update` (after an
upgrade of the package) adds the katas new since and refreshes a stub only while it is exactly
the stub `kata init` wrote (the marker records each one's hash); a file the learner edited is
left alone."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tfkata import __version__
from tfkata.errors import KataError
from tfkata.project import is_packaged, is_suite_root

MARKER = ".kata-workspace"
KATAS = "katas"
DEFAULT_DIR = "tfkata-workspace"
FORMAT = 1

README = """\
# My TensorFlow katas

Each file in `katas/` is one kata: fill in its functions until its tests pass. The tests, hints
and reference solutions come with the installed `tfkata` package; this folder holds only your
work and your progress (`.kata-state.json`).

```text
kata                   # every kata, its status, your progress bar
kata watch             # re-checks your current kata on every save, moves on when it passes
kata check [NAME]      # run one kata's tests once (default: your current kata)
kata hint [NAME]       # the next hint: from a nudge to nearly the answer
kata next              # move on to the next unfinished kata
kata goto NAME         # jump to any kata
kata reset NAME        # restore the pristine stub (asks first, keeps a backup in .kata/backups/)
kata solution NAME     # the reference, once your kata passes (or with --force)
```

Run them from anywhere inside this folder. After upgrading tfkata (`pip install -U tfkata`),
`kata init --update` adds the new katas; it never touches a file you edited.
"""

GITIGNORE = """\
# tfkata: your progress and `kata reset` backups are personal; your katas/ are your work
.kata-state*
.kata/
__pycache__/
"""


def find_workspace(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` (cwd) holding the marker, else None."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / MARKER).is_file():
            return candidate
    return None


def learner_home(root: Path, start: Path | None = None) -> Path:
    """The learner's folder (their katas/ and progress) for commands run from `start` (cwd)
    against the suite `root`: the workspace around `start`; else, in a checkout, the checkout
    itself (as for contributors). The suite inside an installed wheel is never a learner's."""
    here = (start or Path.cwd()).resolve()
    workspace = find_workspace(here)
    packaged = is_packaged(root)
    if workspace is not None:
        nested_checkout = (
            not packaged and here.is_relative_to(root) and root.is_relative_to(workspace)
        )
        return root if nested_checkout else workspace
    if not packaged:
        return root
    raise KataError(
        f"no kata workspace here (no {MARKER} in this folder or above): "
        f"`kata init {DEFAULT_DIR}` writes one, then `cd {DEFAULT_DIR}`"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_marker(workspace: Path) -> dict:
    path = workspace / MARKER
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KataError(f"cannot read {path}: {exc}") from None


def _marker_text(stubs: dict[str, str]) -> str:
    lines = [
        "# A tfkata workspace: `kata` finds it from any folder inside. Written by `kata init`.",
        f"format = {FORMAT}",
        f'tfkata = "{__version__}"',
        "",
        "# The stub each kata file started as (sha256): `kata init --update` replaces a file with",
        "# a newer stub only while it still is exactly this one.",
        "[stubs]",
        *(f'{name} = "{digest}"' for name, digest in sorted(stubs.items())),
    ]
    return "\n".join(lines) + "\n"


def _editor_settings() -> str:
    settings = {
        # the interpreter that has tfkata and TensorFlow, so the editor resolves their imports
        "python.defaultInterpreterPath": sys.executable,
        "files.exclude": {"**/__pycache__": True, ".kata": True},
    }
    return json.dumps(settings, indent=2) + "\n"


@dataclass
class InitReport:
    workspace: Path
    added: list[str] = field(default_factory=list)  # kata names written fresh
    updated: list[str] = field(default_factory=list)  # untouched old stubs replaced
    unchanged: list[str] = field(default_factory=list)  # already the current stub
    kept: list[str] = field(default_factory=list)  # the learner's work, left alone
    files_added: list[str] = field(default_factory=list)
    files_kept: list[str] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)  # katas/*.py that are not katas (any more)

    def lines(self, update: bool) -> list[str]:
        out = []
        if self.added and update:
            out.append(f"added {_n(self.added, 'new kata')} in {KATAS}/: {', '.join(self.added)}")
        elif self.added:
            out.append(f"added {_n(self.added, 'kata')} in {KATAS}/, one stub each")
        if self.updated:
            out.append(
                f"updated {_n(self.updated, 'stub')} you had not edited to the new version: "
                + ", ".join(self.updated)
            )
        if self.kept:
            out.append(f"kept {_n(self.kept, 'kata file')} with your work: {', '.join(self.kept)}")
        if self.unchanged and update:
            out.append(f"{_n(self.unchanged, 'untouched stub')} already current")
        if self.files_added:
            out.append(f"added {', '.join(self.files_added)}")
        if self.files_kept:
            out.append(f"kept your {', '.join(self.files_kept)} (not overwritten)")
        for stray in self.strays:
            out.append(f"{KATAS}/{stray}.py is not a kata of tfkata {__version__}: left alone")
        if update and not (self.added or self.updated or self.files_added):
            out.append("nothing to add: the workspace is up to date")
        return out


def _n(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _stub_text(root: Path, name: str) -> str | None:
    from tfkata.stubgen import stub_for

    reference = root / "solutions" / f"{name}.py"
    if reference.is_file():  # the pristine stub, exactly as `kata reset` and the status see it
        return stub_for(reference)
    shipped = root / KATAS / f"{name}.py"
    return shipped.read_text(encoding="utf-8") if shipped.is_file() else None


def _write_new(path: Path, text: str) -> bool:
    """Write `text` to `path` unless something is there; True when written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


def init_workspace(dest: Path, manifest, *, update: bool = False) -> InitReport:
    """Write (or with `update`, bring up to date) the workspace `dest` for the suite of
    `manifest` (a tfkata.manifest.Manifest). Never overwrites a learner's file."""
    from tfkata.progress import STATE_FILE, Progress

    dest = dest.resolve()
    root = manifest.root
    if dest.exists() and not dest.is_dir():
        raise KataError(f"{dest} is a file, not a folder")
    if is_suite_root(dest):
        raise KataError(f"{dest} is the suite itself (it holds info.toml and tests/)")
    is_workspace = (dest / MARKER).is_file()
    outer = find_workspace(dest.parent)
    if not is_workspace and outer is not None:
        raise KataError(f"{dest} is inside the kata workspace {outer}: one workspace is enough")
    if update and not is_workspace:
        raise KataError(f"{dest} is not a kata workspace (no {MARKER}): `kata init {dest}`")
    if is_workspace and not update:
        raise KataError(
            f"{dest} is already a kata workspace: `kata init --update` adds the katas new since"
        )
    recorded = dict(read_marker(dest).get("stubs", {})) if is_workspace else {}
    report = InitReport(workspace=dest)
    katas_dir = dest / KATAS
    katas_dir.mkdir(parents=True, exist_ok=True)
    names = manifest.names()
    for name in names:
        stub = _stub_text(root, name)
        if stub is None:
            continue
        target = katas_dir / f"{name}.py"
        if _write_new(target, stub):
            report.added.append(name)
            recorded[name] = _digest(stub)
            continue
        current = target.read_text(encoding="utf-8", errors="replace")
        if current == stub:
            report.unchanged.append(name)
            recorded[name] = _digest(stub)
        elif update and recorded.get(name) == _digest(current):
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(stub, encoding="utf-8")
            os.replace(tmp, target)
            report.updated.append(name)
            recorded[name] = _digest(stub)
        else:
            report.kept.append(name)
    known = set(names)
    report.strays = sorted(p.stem for p in katas_dir.glob("*.py") if p.stem not in known)
    extras = {
        "README.md": README,
        ".gitignore": GITIGNORE,
        ".vscode/settings.json": _editor_settings(),
    }
    for rel, text in extras.items():
        if _write_new(dest / rel, text):
            report.files_added.append(rel)
        elif not update:
            report.files_kept.append(rel)
    if not (dest / STATE_FILE).exists():
        progress = Progress.load(dest)
        progress.current = names[0] if names else None
        progress.save()
        report.files_added.append(STATE_FILE)
    elif not update:
        report.files_kept.append(STATE_FILE)
    tmp = dest / f"{MARKER}.tmp"
    tmp.write_text(_marker_text(recorded), encoding="utf-8")
    os.replace(tmp, dest / MARKER)
    return report
