"""The learner's `kata` command: list, hint, reset, next/goto, solution, check, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from harness_helpers import run_kata

from tfkata.cli import main
from tfkata.manifest import load_manifest
from tfkata.progress import STATE_FILE

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
