"""The kata loop inside a notebook kernel: `%%kata NAME` cells and the plain-Python API.

A check writes the cell's code to a private folder as NAME.py and runs that kata's tests in a
separate process, never in the kernel: a crash, a hang or TensorFlow's global state cannot break
the notebook, and the verdict does not depend on what the notebook did before. The verdict is
`kata check`'s (the same tests, the same per-test time limit, the same text), shown as HTML in
Jupyter and Colab. Like `kata watch`, the session keeps a test process ready with TensorFlow
imported, so a second check costs about a second. Progress is recorded in `.kata-state.json` of
the notebook's folder, as the CLI records it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.display import progress_bar, verdict
from tfkata.errors import KataError
from tfkata.manifest import Manifest, load_manifest
from tfkata.notebook.generate import kata_cell_source
from tfkata.notebook.html import plain, verdict_html
from tfkata.progress import DONE, FAILING, NOT_STARTED, Progress
from tfkata.runner import PrestartedRunner, TestResult
from tfkata.stubgen import stub_for

CELL_LABEL = "notebook"  # display.verdict's folder label, replaced by the cell's name


@dataclass
class Verdict:
    """What a check found. Shown as HTML in Jupyter/Colab and as text elsewhere."""

    name: str
    status: str  # pass | fail | not started | timeout | error
    text: str
    next_step: str = ""
    failures: list[TestResult] = field(default_factory=list)
    define: bool = True  # safe to run the cell in the kernel (no hang or crash at import)

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __str__(self) -> str:
        return plain(self.text + (f"\n\n{self.next_step}" if self.next_step else ""))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        headline = self.text.splitlines()[0] if self.text else self.status
        return verdict_html(self.status, headline, self.failures, self.next_step, str(self))


def _cell_text(text: str, name: str) -> str:
    return text.replace(f"{CELL_LABEL}/{name}.py", f"your %%kata {name} cell")


def _normalized(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


class NotebookSession:
    def __init__(self, root: Path | None = None, state_dir: Path | None = None) -> None:
        self.manifest: Manifest = load_manifest(root)
        self.root = self.manifest.root
        self.state_dir = Path(state_dir or Path.cwd()).resolve()
        self.impl_dir = Path(tempfile.mkdtemp(prefix="tfkata-notebook-"))
        self._runner: PrestartedRunner | None = None

    # ------------------------------------------------------------ state
    def progress(self) -> Progress:
        return Progress.load(self.state_dir)

    def pristine(self, name: str) -> str:
        stub = stub_for(self.root / "solutions" / f"{name}.py")
        return kata_cell_source(stub, name).split("\n", 1)[1]

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        shutil.rmtree(self.impl_dir, ignore_errors=True)

    # ------------------------------------------------------------ check
    def check(self, name: str, source: str, timeout: float | None = None) -> Verdict:
        """Check `source` as kata `name`; `timeout`: each test's time limit in seconds (default:
        `kata check`'s)."""
        name = self.manifest.get(name).name
        path = self.impl_dir / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        try:
            compile(source, f"{name}.py", "exec")
        except SyntaxError as exc:
            result = Verdict(
                name, "error", f"✗ {name}: line {exc.lineno}: SyntaxError: {exc.msg}", define=False
            )
            self._record(name, False, digest)
            return self._with_next_step(result)
        from tfkata.policy import check_source, summary

        found = check_source(source, f"%%kata {name} cell")
        if found:  # the kata-file policy, as `kata check` and `kata grade` apply it
            self._record(name, False, digest)
            return self._with_next_step(Verdict(name, "error", f"✗ {summary(found)}", define=False))
        if _normalized(source) == _normalized(self.pristine(name)):
            text = f"… {name}: not started: every test stops at NotImplementedError. Replace the `raise NotImplementedError(...)` lines of this cell."
            return self._with_next_step(Verdict(name, "not started", text))
        if self._runner is None:
            self._runner = PrestartedRunner(self.root)
        try:
            report = self._runner(self.root, [name], self.impl_dir, test_timeout=timeout)
        except KataError as exc:
            self._record(name, False, digest)
            return self._with_next_step(Verdict(name, "error", f"✗ {name}: {exc}", define=False))
        passed, text = verdict(name, report, CELL_LABEL)
        results = report.for_kata(name)
        failures = [r for r in results if r.outcome in ("failed", "error")]
        reasons = {r.reason for r in failures}
        if passed:
            status = "pass"
        elif "timeout" in reasons:
            status = "timeout"
        elif failures and reasons <= {"not_implemented"} and len(failures) == len(results):
            status = "not started"
        elif reasons & {"load_error", "missing"} or not results:
            status = "error"
        else:
            status = "fail"
        # code that hangs at import must not run in the kernel (the check stopped it; the kernel
        # could not be stopped without losing its state)
        hung = any(r.reason == "timeout" for r in failures)
        self._record(name, passed, digest)
        ordered = sorted(failures, key=lambda r: r.reason == "not_implemented")
        return self._with_next_step(
            Verdict(name, status, _cell_text(text, name), failures=ordered, define=not hung)
        )

    def _record(self, name: str, passed: bool, digest: str) -> None:
        progress = self.progress()
        progress.record(name, passed, digest)
        progress.current = name
        progress.save()

    def _with_next_step(self, result: Verdict) -> Verdict:
        name = result.name
        if result.passed:
            statuses = self.statuses()
            names = self.manifest.names()
            later = names[names.index(name) + 1 :] + names[: names.index(name)]
            nxt = next((n for n in later if statuses[n] != DONE), None)
            done = sum(s == DONE for s in statuses.values())
            result.next_step = progress_bar(done, len(names)) + (
                f"\nNext: {nxt} ({self.manifest.get(nxt).title})." if nxt else ""
            )
        else:
            hints = self.manifest.get(name).hints
            shown = self.progress().hints_shown.get(name, 0)
            hint = (
                f'tfkata.hint("{name}") ({shown + 1} of {len(hints)})'
                if shown < len(hints)
                else "your hints"
            )
            result.next_step = f"Next: edit the cell and run it again. Stuck? {hint}."
        return result

    # ------------------------------------------------------------ hints, solutions, progress
    def hint(self, name: str) -> str:
        kata = self.manifest.get(name)
        if not kata.hints:
            raise KataError(f"{kata.name} has no hints yet")
        progress = self.progress()
        index = min(progress.hints_shown.get(kata.name, 0), len(kata.hints) - 1)
        progress.hints_shown[kata.name] = index + 1
        progress.save()
        return f"Hint {index + 1}/{len(kata.hints)} for {kata.name}: {kata.hints[index]}"

    def solution(self, name: str, force: bool = False) -> str:
        kata = self.manifest.get(name)
        if self.statuses()[kata.name] != DONE and not force:
            raise KataError(
                f"{kata.name} is not done yet: solve it first, or pass force=True to see the "
                "reference anyway"
            )
        return (self.root / "solutions" / kata.module_file).read_text(encoding="utf-8")

    def statuses(self) -> dict[str, str]:
        entries = self.progress().katas
        return {
            n: entries[n]["status"] if n in entries else NOT_STARTED for n in self.manifest.names()
        }

    # ------------------------------------------------------------ pictures
    def picture(self, name: str, timeout: float = 300) -> Path:
        """Draw kata `name`'s picture from the code last checked (or the reference, for a kata
        not checked in this session) in a child process; returns the PNG's path."""
        from tfkata.pictures import PICTURES

        name = self.manifest.get(name).name
        if name not in PICTURES:
            raise KataError(f"{name} has no picture; these do: {', '.join(sorted(PICTURES))}")
        impl = (
            self.impl_dir if (self.impl_dir / f"{name}.py").is_file() else self.root / "solutions"
        )
        out = self.impl_dir / "pictures" / f"{name}.png"
        return run_picture(self.root, name, impl, out, timeout)


def run_picture(root: Path, name: str, impl: Path, out: Path, timeout: float = 300) -> Path:
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "tfkata.pictures", name, f"--impl={impl}", f"--out={out}"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise KataError(f"the picture of {name} took longer than {timeout:.0f} s") from None
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"]
        raise KataError(lines[-1].removeprefix("kata show: "))
    return out


def progress_text(session: NotebookSession) -> str:
    statuses = session.statuses()
    lines = []
    for kata in session.manifest.katas:
        lines.append(f"  {kata.chapter}. {kata.name:<22} {statuses[kata.name]}")
    done = sum(s == DONE for s in statuses.values())
    failing = sum(s == FAILING for s in statuses.values())
    lines.append(progress_bar(done, len(statuses)) + (f", {failing} failing" if failing else ""))
    return "\n".join(lines)
