"""`kata`: the learner's command-line tool (and the maintainers' self-check)."""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import time
from pathlib import Path

from tfkata import __version__
from tfkata.display import not_started, paint, progress_bar, verdict
from tfkata.errors import KataError
from tfkata.manifest import Manifest, load_manifest
from tfkata.progress import DONE, NOT_STARTED, Progress, file_hash, next_unfinished, status_of
from tfkata.project import is_packaged
from tfkata.stubgen import stub_for
from tfkata.workspace import learner_home

STATUS_COLOUR = {DONE: "green", "failing": "red", NOT_STARTED: "dim", "missing": "red"}


class Workspace:
    """The suite (`root`: tests, references, hints), the learner's folder (`home`: a workspace
    written by `kata init`, or the checkout itself) and their progress, loaded once per command.
    `home`, `katas_dir` and `progress` are resolved on first use, so the maintainers' commands
    run where no learner's folder is."""

    def __init__(self, katas_dir: str | None = None) -> None:
        self.manifest: Manifest = load_manifest()
        self.root = self.manifest.root
        self._katas_dir = katas_dir

    @functools.cached_property
    def home(self) -> Path:
        return learner_home(self.root)

    @functools.cached_property
    def katas_dir(self) -> Path:
        return Path(self._katas_dir).resolve() if self._katas_dir else self.home / "katas"

    @functools.cached_property
    def progress(self) -> Progress:
        return Progress.load(self.home)

    def require_katas_dir(self) -> None:
        if not self.katas_dir.is_dir():
            raise KataError(f"no folder {self.katas_dir}: the learner's kata files live there")

    def status(self, name: str) -> str:
        return status_of(self.manifest, self.progress, name, self.katas_dir)

    def current(self) -> str | None:
        """The kata the learner is on: the one chosen last, else the first unfinished."""
        if self.progress.current in self.manifest.names():
            return self.progress.current
        return next_unfinished(self.manifest, self.progress, self.katas_dir)

    def label(self) -> str:
        try:
            return str(self.katas_dir.relative_to(Path.cwd()))
        except ValueError:
            return str(self.katas_dir)


# ------------------------------------------------------------------ commands


def cmd_list(ws: Workspace, args: argparse.Namespace) -> int:
    current = ws.current()
    done = 0
    chapter = None
    for i, kata in enumerate(ws.manifest.katas, 1):
        if kata.chapter != chapter:
            chapter = kata.chapter
            title = ws.manifest.chapters.get(chapter, "")
            print(paint(f"\nChapter {chapter}: {title}", "bold"))
        status = ws.status(kata.name)
        done += status == DONE
        marker = "→" if kata.name == current else " "
        status_text = paint(f"{status:<17}", STATUS_COLOUR.get(status, "yellow"))
        print(f" {marker} {i:>2}. {kata.name:<22} {status_text} {kata.title}")
    print()
    print(progress_bar(done, len(ws.manifest.katas)))
    if current:
        print(
            f"Current kata: {current}. `kata check` tests it; `kata hint {current}` gives a hint."
        )
    else:
        print(paint("Every kata is done. Congratulations!", "green"))
    return 0


def _check(
    ws: Workspace,
    name: str,
    quiet_success: bool = False,
    run=None,
    timeout: float | None = None,
) -> bool:
    """Check one kata and print the verdict. `run` runs the tests (default: a new child,
    tfkata.runner.run_pytest; `kata watch` passes a PrestartedRunner); `timeout`: each test's
    time limit (default: the child's, see tfkata.timeouts). A long check shows it is alive."""
    from tfkata.display import LiveStatus
    from tfkata.runner import run_pytest

    run = run or run_pytest
    ws.require_katas_dir()
    path = ws.katas_dir / f"{name}.py"
    if path.is_file():
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as exc:
            ws.progress.record(name, False, file_hash(path))
            ws.progress.save()
            raise KataError(
                f"{ws.label()}/{name}.py line {exc.lineno}: SyntaxError: {exc.msg}"
            ) from None
        from tfkata.policy import check_file, summary

        found = check_file(path, f"{ws.label()}/{name}.py")
        if found:  # the kata-file policy, as `kata grade` applies it (docs/katas.md)
            ws.progress.record(name, False, file_hash(path))
            ws.progress.save()
            raise KataError(summary(found))
    if ws.status(name) == NOT_STARTED:
        # the pristine stub fails every test at NotImplementedError (`kata verify` proves it):
        # say so at once instead of spending a TensorFlow start-up on it
        passed, text = False, not_started(name, ws.label())
        print(text)
    else:
        digest = file_hash(path)
        report = run(
            ws.root, [name], ws.katas_dir, test_timeout=timeout, on_progress=LiveStatus(name)
        )
        passed, text = verdict(name, report, ws.label())
        print(text)
        ws.progress.record(name, passed, digest)
    if passed:
        nxt = next_unfinished(ws.manifest, ws.progress, ws.katas_dir, after=name)
        done = sum(ws.status(k) == DONE for k in ws.manifest.names())
        print(progress_bar(done, len(ws.manifest.katas)))
        if nxt and not quiet_success:
            print(f"Next: `kata next` moves on to {nxt} ({ws.manifest.get(nxt).title}).")
    else:
        n_hints = len(ws.manifest.get(name).hints)
        shown = ws.progress.hints_shown.get(name, 0)
        hint = f"`kata hint {name}` ({shown + 1} of {n_hints})" if shown < n_hints else "your hints"
        print(
            f"\nNext: edit {ws.label()}/{name}.py, then `kata check {name}` again. Stuck? {hint}."
        )
    ws.progress.save()
    return passed


def cmd_check(ws: Workspace, args: argparse.Namespace) -> int:
    name = ws.manifest.get(args.name).name if args.name else ws.current()
    if name is None:
        print(paint("Every kata is done.", "green"))
        return 0
    ws.progress.current = name
    return 0 if _check(ws, name, timeout=args.timeout) else 1


def cmd_hint(ws: Workspace, args: argparse.Namespace) -> int:
    name = ws.manifest.get(args.name).name if args.name else ws.current()
    if name is None:
        raise KataError("every kata is done: name one, e.g. `kata hint gradient_of_square`")
    hints = ws.manifest.get(name).hints
    if not hints:
        raise KataError(f"{name} has no hints yet")
    shown = ws.progress.hints_shown.get(name, 0)
    if args.all:
        upto = max(shown, 1)
        for i, hint in enumerate(hints[:upto], 1):
            print(f"Hint {i}/{len(hints)} for {name}: {hint}")
        return 0
    index = min(shown, len(hints) - 1)
    print(f"Hint {index + 1}/{len(hints)} for {name}: {hints[index]}")
    if index + 1 < len(hints):
        print(
            paint(f"(`kata hint {name}` again for the next one; --all repeats those seen)", "dim")
        )
    else:
        print(
            paint(
                f"(that was the last hint; `kata solution {name} --force` shows the reference)",
                "dim",
            )
        )
    ws.progress.hints_shown[name] = index + 1
    ws.progress.save()
    return 0


def cmd_reset(ws: Workspace, args: argparse.Namespace) -> int:
    kata = ws.manifest.get(args.name)
    ws.require_katas_dir()
    target = ws.katas_dir / kata.module_file
    pristine = stub_for(ws.root / "solutions" / kata.module_file)
    if target.is_file() and target.read_text(encoding="utf-8") != pristine:
        if not args.yes:
            if not sys.stdin.isatty():
                raise KataError(f"{target} holds your work: pass --yes to overwrite it")
            answer = input(f"Overwrite your work in {target}? A backup is kept. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing changed.")
                return 1
        backup_dir = ws.home / ".kata" / "backups"
        backup_dir.mkdir(parents=True, exist_ok=True)
        backup = backup_dir / f"{kata.name}.{time.strftime('%Y%m%d-%H%M%S')}.py"
        shutil.copy2(target, backup)
        print(f"Your previous file is kept in {backup}")
    target.write_text(pristine, encoding="utf-8")
    ws.progress.forget(kata.name)
    ws.progress.save()
    print(f"{target} is the pristine stub again.")
    return 0


def _move_to(ws: Workspace, name: str) -> int:
    ws.progress.current = name
    ws.progress.save()
    kata = ws.manifest.get(name)
    print(f"Current kata: {name} (chapter {kata.chapter}: {kata.title}), {ws.status(name)}.")
    print(f"Open {ws.label()}/{name}.py, then `kata check` (or `kata watch`).")
    return 0


def cmd_next(ws: Workspace, args: argparse.Namespace) -> int:
    nxt = next_unfinished(ws.manifest, ws.progress, ws.katas_dir, after=ws.current())
    if nxt is None:
        print(paint("Every kata is done.", "green"))
        return 0
    return _move_to(ws, nxt)


def cmd_goto(ws: Workspace, args: argparse.Namespace) -> int:
    return _move_to(ws, ws.manifest.get(args.name).name)


def cmd_solution(ws: Workspace, args: argparse.Namespace) -> int:
    kata = ws.manifest.get(args.name)
    if ws.status(kata.name) != DONE and not args.force:
        raise KataError(
            f"{kata.name} is not done yet: solve it (`kata check {kata.name}`), "
            "or pass --force to see the reference anyway"
        )
    print((ws.root / "solutions" / kata.module_file).read_text(encoding="utf-8"), end="")
    return 0


def cmd_watch(ws: Workspace, args: argparse.Namespace) -> int:
    from tfkata.runner import PrestartedRunner
    from tfkata.watch import watch

    ws.require_katas_dir()
    with PrestartedRunner(ws.root) as runner:
        check = functools.partial(_check, run=runner, timeout=args.timeout)
        return watch(ws, check=check, manual=args.manual)


def cmd_init(args: argparse.Namespace) -> int:
    """Write a learner's workspace (or bring one up to date): see tfkata.workspace."""
    from tfkata.workspace import DEFAULT_DIR, find_workspace, init_workspace

    if args.dir is not None:
        dest = Path(args.dir)
    elif args.update:
        dest = find_workspace() or Path.cwd()
    else:
        dest = Path(DEFAULT_DIR)
    manifest = load_manifest()
    report = init_workspace(dest, manifest, update=args.update)
    try:
        shown = str(report.workspace.relative_to(Path.cwd())) if not args.dir else args.dir
    except ValueError:
        shown = str(report.workspace)
    if args.update:
        print(f"Updated the kata workspace {shown} for tfkata {__version__}:")
    else:
        print(
            f"Wrote a kata workspace in {shown} ({len(manifest.katas)} katas, tfkata {__version__}):"
        )
    for line in report.lines(args.update):
        print(f"  {line}")
    if not args.update:
        cd = "" if report.workspace == Path.cwd().resolve() else f"cd {shown} && "
        print(f"Next: `{cd}kata` lists the katas; `kata watch` starts the first one.")
    return 0


def cmd_stubs(ws: Workspace, args: argparse.Namespace) -> int:
    if args.write and is_packaged(ws.root):
        raise KataError(
            f"{ws.root} is the installed package's suite: `kata stubs` is for a checkout"
        )
    names = [ws.manifest.get(n).name for n in args.names] if args.names else ws.manifest.names()
    stale = 0
    for name in names:
        reference = ws.root / "solutions" / f"{name}.py"
        if not reference.is_file():
            print(f"{name}: no reference yet (solutions/{name}.py)")
            continue
        stub = stub_for(reference)
        target = ws.root / "katas" / f"{name}.py"
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == stub:
            continue
        stale += 1
        if args.write:
            target.write_text(stub, encoding="utf-8")
            print(f"wrote katas/{name}.py")
        else:
            print(f"katas/{name}.py differs from the stub generated from solutions/{name}.py")
    if not args.write and stale:
        print("`kata stubs --write` regenerates them")
        return 1
    return 0


def cmd_contract(ws: Workspace, args: argparse.Namespace) -> int:
    """Static check of kata files against the contract, docs/katas.md (see tfkata.contract)."""
    from tfkata.contract import check

    names = [ws.manifest.get(n).name for n in args.kata] if args.kata else None
    folders = [Path(d) for d in args.dirs] if args.dirs else None
    for folder in folders or []:
        if not folder.is_dir():
            raise KataError(f"no folder {folder}")
    result = check(ws.root, folders, names, None if folders or names else ws.manifest.names())
    for problem in result.problems:
        print(problem)
    if result.missing:
        print(f"not present ({len(result.missing)}): {', '.join(result.missing)}")
    print(f"contract: {result.checked} kata files checked, {len(result.problems)} mismatches")
    return 1 if result.problems else 0


def cmd_verify(ws: Workspace, args: argparse.Namespace) -> int:
    from tfkata.verify import verify

    names = [ws.manifest.get(n).name for n in args.kata] if args.kata else None
    return verify(
        ws.manifest,
        names=names,
        workers=args.workers,
        json_path=args.json,
        mutation=not args.no_mutation,
    )


# ------------------------------------------------------------------ parser


def _seconds(text: str) -> float:
    from tfkata.timeouts import parse_limit

    try:
        return parse_limit(text, "--timeout")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_timeout(p: argparse.ArgumentParser) -> None:
    from tfkata.timeouts import DEFAULT_LIMIT, TIMEOUT_ENV

    p.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=f"time limit of each test (default {DEFAULT_LIMIT:g}, or ${TIMEOUT_ENV}; 0: none)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kata",
        description="Learn TensorFlow 2 and Keras 3 by making failing tests pass.",
    )
    parser.add_argument("--version", action="version", version=f"tfkata {__version__}")
    parser.add_argument(
        "--katas-dir", default=None, help="the learner's folder of kata files (default: katas/)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="write a workspace: katas/ with every stub, your progress")
    p.add_argument("dir", nargs="?", default=None, help="the folder (default: tfkata-workspace)")
    p.add_argument(
        "--update",
        action="store_true",
        help="add the katas new since (after an upgrade); never touches a file you edited",
    )
    p.set_defaults(func=cmd_init, needs_workspace=False)
    p = sub.add_parser("list", help="every kata with its status, and your progress")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("check", help="run a kata's tests (default: the current kata)")
    p.add_argument("name", nargs="?")
    _add_timeout(p)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("hint", help="the next hint for a kata")
    p.add_argument("name", nargs="?")
    p.add_argument("--all", action="store_true", help="repeat every hint seen so far")
    p.set_defaults(func=cmd_hint)
    p = sub.add_parser("watch", help="re-check the current kata on every save")
    p.add_argument("--manual", action="store_true", help="press Enter to re-check instead")
    _add_timeout(p)
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("reset", help="restore a kata's pristine stub")
    p.add_argument("name")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask before overwriting")
    p.set_defaults(func=cmd_reset)
    p = sub.add_parser("next", help="move on to the next unfinished kata")
    p.set_defaults(func=cmd_next)
    p = sub.add_parser("goto", help="make any kata the current one")
    p.add_argument("name")
    p.set_defaults(func=cmd_goto)
    p = sub.add_parser("solution", help="show the reference solution of a kata you have solved")
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help="show it even if not solved yet")
    p.set_defaults(func=cmd_solution)
    p = sub.add_parser("verify", help="the suite's self-check (reference, stubs, mistakes)")
    p.add_argument("--kata", action="append", help="only this kata (repeatable)")
    p.add_argument(
        "-n", "--workers", default="auto", help="pytest runs at once (default: one per core)"
    )
    p.add_argument("--json", default=None, help="also write the table as JSON to this file")
    p.add_argument(
        "--no-mutation", action="store_true", help="skip the mutation run (faster; no kill rates)"
    )
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser(
        "contract", help="check kata files against the contract, docs/katas.md (static, fast)"
    )
    p.add_argument("dirs", nargs="*", help="folders of NAME.py files (default: katas solutions)")
    p.add_argument("--kata", action="append", help="only this kata (repeatable)")
    p.set_defaults(func=cmd_contract)
    p = sub.add_parser(
        "stubs", help="check (or --write) katas/ against stubs generated from solutions/"
    )
    p.add_argument("names", nargs="*")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=cmd_stubs)
    try:
        from tfkata.grading.cli import add_grade_parser
    except ImportError:
        pass
    else:
        add_grade_parser(sub)
    from tfkata.notebook.cli import add_notebook_parsers

    add_notebook_parsers(sub)
    from tfkata.mutation.cli import add_mutate_parser

    add_mutate_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = cmd_list
    try:
        if getattr(args, "needs_workspace", True):
            ws = Workspace(args.katas_dir)
            return args.func(ws, args)
        return args.func(args)
    except KataError as exc:
        print(f"kata: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nkata: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1


if __name__ == "__main__":
    sys.exit(main())
