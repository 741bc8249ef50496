"""The learner's `kata` command: list, hint, reset, next/goto, solution, check, errors."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from harness_helpers import run_kata

from tfkata.cli import build_parser, main
from tfkata.display import LiveStatus, verdict
from tfkata.manifest import load_manifest
from tfkata.progress import STATE_FILE
from tfkata.runner import LiveState, RunReport
from tfkata.runner import TestResult as Result

FIRST = "gradient_of_square"


def test_list_shows_every_kata_in_order_with_status_and_progress(project: Path, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    names = load_manifest(project).names()
    positions = [out.index(f" {name} ") for name in names]
    assert positions == sorted(positions), "katas listed out of manifest order"
    assert "Chapter 1: Autodiff" in out
    assert f"{FIRST}" in out and "not started" in out
    assert f"0/{len(names)} katas done" in out


def test_bare_kata_is_list(project: Path, capsys):
    assert main([]) == 0
    assert "katas done" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "no_such_kata"],
        ["hint", "gradient_of_sqaure"],
        ["reset", "nope"],
        ["goto", "x"],
        ["solution", "nope"],
    ],
)
def test_unknown_kata_is_one_line_and_exit_2(project: Path, capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("kata: unknown kata") and err.count("\n") == 1
    if "sqaure" in argv[1]:
        assert "did you mean 'gradient_of_square'" in err


def test_missing_katas_folder_is_one_line(project: Path, capsys):
    shutil.rmtree(project / "katas")
    assert main(["check", FIRST]) == 2
    err = capsys.readouterr().err
    assert "no folder" in err and err.count("\n") == 1


def test_syntax_error_in_learner_file_is_one_line(project: Path, capsys):
    (project / "katas" / f"{FIRST}.py").write_text("def square_grad(x)\n    return x\n")
    assert main(["check", FIRST]) == 2
    err = capsys.readouterr().err
    assert "line 1: SyntaxError" in err and err.count("\n") == 1 and "Traceback" not in err


def test_outside_a_project_is_one_line(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv("TFKATA_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tfkata.project._installed_root", lambda: tmp_path)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kata: no tfkata project here") and err.count("\n") == 1


def test_hints_come_one_at_a_time_and_stop_at_the_last(project: Path, capsys):
    hints = load_manifest(project).get(FIRST).hints
    seen = []
    for _ in range(len(hints) + 1):
        assert main(["hint", FIRST]) == 0
        seen.append(capsys.readouterr().out)
    for i, hint in enumerate(hints):
        assert f"Hint {i + 1}/{len(hints)}" in seen[i] and hint in seen[i]
    assert f"Hint {len(hints)}/{len(hints)}" in seen[-1] and "last hint" in seen[-1]
    assert main(["hint", FIRST, "--all"]) == 0
    assert capsys.readouterr().out.count("Hint ") == len(hints)


def test_goto_and_next_move_the_current_kata_and_survive_restarts(project: Path, capsys):
    assert main(["goto", "himmelblau"]) == 0
    state = json.loads((project / STATE_FILE).read_text())
    assert state["current"] == "himmelblau"
    assert main(["next"]) == 0
    names = load_manifest(project).names()
    after = json.loads((project / STATE_FILE).read_text())["current"]
    assert names.index(after) == names.index("himmelblau") + 1
    capsys.readouterr()
    assert main(["list"]) == 0
    assert f"→ {names.index(after) + 1:>2}. {after}" in capsys.readouterr().out


def test_solution_is_shown_only_once_solved_or_forced(project: Path, capsys):
    assert main(["solution", FIRST]) == 2
    assert "not done yet" in capsys.readouterr().err
    assert main(["solution", FIRST, "--force"]) == 0
    assert capsys.readouterr().out == (project / "solutions" / f"{FIRST}.py").read_text()


def test_reset_refuses_without_confirmation_then_backs_up(project: Path, capsys, monkeypatch):
    target = project / "katas" / f"{FIRST}.py"
    pristine = target.read_text()
    target.write_text(pristine + "\n# my work\n")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["reset", FIRST]) == 2
    assert "--yes" in capsys.readouterr().err
    assert target.read_text().endswith("# my work\n")
    assert main(["reset", FIRST, "--yes"]) == 0
    assert target.read_text() == pristine
    backups = list((project / ".kata" / "backups").glob(f"{FIRST}.*.py"))
    assert len(backups) == 1 and backups[0].read_text().endswith("# my work\n")


@pytest.mark.e2e
def test_check_stub_then_solution_records_progress(project: Path):
    """End to end in a fresh interpreter: the stub fails in a few lines, the solution passes."""
    stub = run_kata("check", FIRST, cwd=project)
    assert stub.returncode == 1, stub.stdout + stub.stderr
    assert "not started" in stub.stdout and "Traceback" not in stub.stdout
    assert len(stub.stdout.splitlines()) < 8
    shutil.copy2(project / "solutions" / f"{FIRST}.py", project / "katas" / f"{FIRST}.py")
    solved = run_kata("check", cwd=project)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert f"✓ {FIRST}: all" in solved.stdout and "Next: `kata next`" in solved.stdout
    listing = run_kata("list", cwd=project)
    assert f"{FIRST:<22} done" in listing.stdout and "1/" in listing.stdout


@pytest.mark.e2e
def test_check_reports_the_failed_property_and_input(project: Path):
    """A wrong answer is reported as: the property, the call, the expected and actual values."""
    target = project / "katas" / f"{FIRST}.py"
    source = (project / "solutions" / f"{FIRST}.py").read_text()
    target.write_text(source.replace("y = tf.square(x)", "y = x * x * x"))
    result = run_kata("check", FIRST, cwd=project)
    assert result.returncode == 1
    out = result.stdout
    assert "tests fail" in out and "property:" in out
    assert "square_grad(" in out and "expected" in out and "returned" in out
    assert "Traceback" not in out


# ------------------------------------------------------------------ a check's display


def _result(test: str, outcome: str = "passed", reason=None, function=None, message=""):
    return Result(
        nodeid=f"tests/test_{FIRST}.py::{test}",
        kata=FIRST,
        test=test,
        doc="",
        outcome=outcome,
        reason=reason,
        message=message,
        duration=0.1,
        function=function,
    )


def test_a_verdict_names_the_functions_not_started_instead_of_counting_them_as_failures():
    waiting = [
        _result(f"test_w{i}", "failed", "not_implemented", function=f)
        for i, f in enumerate(["second_derivative", "linear_loss_grads", "second_derivative"])
    ]
    wrong = _result("test_x", "failed", "assertion", message="square_grad(1.) returned 3.")
    report = RunReport(0, 1.0, tests=[_result("test_a"), wrong, *waiting])
    passed, text = verdict(FIRST, report, "katas")
    assert not passed
    assert text.splitlines()[0] == (
        f"✗ {FIRST}: 1 of 2 tests fail; not started: second_derivative, linear_loss_grads "
        "(3 tests wait on them)."
    )
    assert "test_w" not in text and "square_grad(1.) returned 3." in text
    report = RunReport(0, 1.0, tests=[_result("test_a"), *waiting])
    assert verdict(FIRST, report, "katas")[1].startswith(
        f"… {FIRST}: the 1 tests that reach your code pass; not started: second_derivative"
    )
    report = RunReport(0, 1.0, tests=waiting)  # nothing written yet: the usual line
    assert "not started: all 3 tests stop at NotImplementedError" in verdict(FIRST, report, "k")[1]


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _state(elapsed: float, **kw) -> LiveState:
    return LiveState(katas=[FIRST], started=time.monotonic() - elapsed, **kw)


def test_a_fast_check_shows_nothing_on_a_terminal_or_elsewhere():
    for tty in (True, False):
        stream = _Stream(tty)
        live = LiveStatus(FIRST, stream)
        live(_state(0.5))
        live(_state(1.5, total=24, done=20))
        live(_state(1.9, total=24, done=24, finished=True))
        assert stream.getvalue() == ""


def test_a_long_check_rewrites_one_line_on_a_terminal_and_wipes_it_at_the_end(monkeypatch):
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((200, 24)))
    stream = _Stream(True)
    live = LiveStatus(FIRST, stream)
    live(_state(2.5))
    live(_state(3.0, total=24, done=5))
    since = time.monotonic() - 12
    live(
        _state(
            20, total=24, done=6, failed=1, running="t::test_slow", running_since=since, limit=60
        )
    )
    live(_state(21, total=24, done=24, finished=True))
    out = stream.getvalue()
    assert "\n" not in out
    frames = out.split("\r\033[K")
    assert frames[1].startswith(f"… checking {FIRST}: starting TensorFlow and the tests")
    assert frames[2].startswith(f"… checking {FIRST}: 5 of 24 tests done (")
    assert frames[3].startswith(
        f"… checking {FIRST}: 6 of 24 tests done, 1 not passed; test_slow running for 12 s of "
        "its 60 s limit ("
    )
    assert frames[-1] == ""  # wiped: the verdict follows on a clean line
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((40, 24)))
    narrow = _Stream(True)
    LiveStatus(FIRST, narrow)(_state(5, total=24, done=5))
    assert len(narrow.getvalue().split("\r\033[K")[1]) == 39  # one line, never wrapped


def test_a_long_check_prints_a_line_now_and_then_when_not_on_a_terminal():
    stream = _Stream(False)
    live = LiveStatus(FIRST, stream)
    for second in range(46):
        live(_state(second + 0.5, total=24, done=min(second, 24)))
    live(_state(46, total=24, done=24, finished=True))
    lines = stream.getvalue().splitlines()
    assert [line.split(" tests done")[0] for line in lines] == [
        f"… checking {FIRST}: 10 of 24",  # from 10 s on, then every 15 s
        f"… checking {FIRST}: 24 of 24",
        f"… checking {FIRST}: 24 of 24",
    ]


def test_check_and_watch_take_a_time_limit(project: Path, capsys):
    parser = build_parser()
    assert parser.parse_args(["check", FIRST, "--timeout", "5"]).timeout == 5
    assert parser.parse_args(["watch", "--timeout", "0"]).timeout == 0
    assert parser.parse_args(["check"]).timeout is None
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--timeout", "-1"])
    assert "--timeout: expected seconds >= 0" in capsys.readouterr().err
