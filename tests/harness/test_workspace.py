"""A learner's workspace (`kata init`): what it writes, that it never overwrites the learner's
files, `--update`, and the learner commands run inside it against the suite elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfkata import workspace
from tfkata.cli import main
from tfkata.errors import KataError
from tfkata.manifest import load_manifest
from tfkata.progress import STATE_FILE
from tfkata.project import packaged_suite, project_root
from tfkata.stubgen import stub_for

FIRST = "gradient_of_square"


@pytest.fixture
def ws(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    """A workspace written by `kata init` for the suite copy `project`, made the cwd."""
    dest = tmp_path / "ws"
    monkeypatch.chdir(tmp_path)
    assert main(["init", "ws"]) == 0
    monkeypatch.chdir(dest)
    return dest


def test_init_writes_every_stub_readme_gitignore_editor_settings_and_progress(
    project: Path, ws: Path, capsys
):
    out = capsys.readouterr().out
    names = load_manifest(project).names()
    assert f"added {len(names)} katas in katas/" in out
    assert "Next: `cd ws && kata`" in out
    for name in names:
        assert (ws / "katas" / f"{name}.py").read_text() == stub_for(
            project / "solutions" / f"{name}.py"
        )
    assert "kata watch" in (ws / "README.md").read_text()
    assert ".kata-state*" in (ws / ".gitignore").read_text().splitlines()
    settings = json.loads((ws / ".vscode" / "settings.json").read_text())
    assert settings["python.defaultInterpreterPath"] == sys.executable
    assert json.loads((ws / STATE_FILE).read_text())["current"] == FIRST
    marker = workspace.read_marker(ws)
    assert marker["format"] == workspace.FORMAT and set(marker["stubs"]) == set(names)
    assert not (project / STATE_FILE).exists(), "progress belongs to the workspace"


def test_list_in_the_workspace_shows_every_kata_not_started(project: Path, ws: Path, capsys):
    capsys.readouterr()
    assert main([]) == 0
    out = capsys.readouterr().out
    names = load_manifest(project).names()
    assert f"0/{len(names)} katas done" in out
    assert out.count("not started") == len(names)


def test_commands_find_the_workspace_from_a_subfolder(project: Path, ws: Path, monkeypatch, capsys):
    monkeypatch.chdir(ws / "katas")
    assert workspace.find_workspace() == ws
    assert main(["hint"]) == 0
    assert "Hint 1/" in capsys.readouterr().out
    assert json.loads((ws / STATE_FILE).read_text())["hints_shown"] == {FIRST: 1}
    assert not (project / STATE_FILE).exists()


def test_reset_in_a_workspace_keeps_the_backup_in_the_workspace(project: Path, ws: Path):
    target = ws / "katas" / f"{FIRST}.py"
    target.write_text("my work\n")
    assert main(["reset", FIRST, "--yes"]) == 0
    assert target.read_text() == stub_for(project / "solutions" / f"{FIRST}.py")
    backups = list((ws / ".kata" / "backups").glob(f"{FIRST}.*.py"))
    assert [b.read_text() for b in backups] == ["my work\n"]
    assert not (project / ".kata").exists()


def test_init_in_a_non_empty_folder_never_overwrites(project: Path, tmp_path: Path, capsys):
    dest = tmp_path / "mine"
    (dest / "katas").mkdir(parents=True)
    (dest / "README.md").write_text("my notes\n")
    (dest / ".gitignore").write_text("*.log\n")
    mine = dest / "katas" / f"{FIRST}.py"
    mine.write_text("def square_grad(x):\n    return 2 * x\n")
    assert main(["init", str(dest)]) == 0
    out = capsys.readouterr().out
    assert (dest / "README.md").read_text() == "my notes\n"
    assert (dest / ".gitignore").read_text() == "*.log\n"
    assert mine.read_text() == "def square_grad(x):\n    return 2 * x\n"
    assert f"kept 1 kata file with your work: {FIRST}" in out
    assert "kept your README.md, .gitignore (not overwritten)" in out
    assert (dest / "katas" / "himmelblau.py").is_file()


def test_init_twice_is_one_line_pointing_at_update(project: Path, ws: Path, capsys):
    capsys.readouterr()
    assert main(["init", str(ws)]) == 2
    err = capsys.readouterr().err
    assert "already a kata workspace" in err and "--update" in err and err.count("\n") == 1


def test_init_refuses_a_workspace_inside_a_workspace_and_the_suite(project: Path, ws: Path, capsys):
    assert main(["init", "inner"]) == 2
    assert "inside the kata workspace" in capsys.readouterr().err
    assert not (ws / "inner").exists()
    assert main(["init", str(project)]) == 2
    assert "is the suite itself" in capsys.readouterr().err


def test_update_adds_new_katas_refreshes_untouched_stubs_and_keeps_edited_ones(
    project: Path, ws: Path, capsys
):
    (ws / "katas" / "himmelblau.py").unlink()  # as if himmelblau were new in this release
    edited = ws / "katas" / f"{FIRST}.py"
    edited.write_text(edited.read_text() + "\n# my work\n")
    # a new release changes the reference's docstring, so the stub of dense_layer changes
    reference = project / "solutions" / "dense_layer.py"
    reference.write_text(reference.read_text().replace('"""', '"""New: ', 1))
    (ws / "katas" / "old_kata.py").write_text("x = 1\n")
    (ws / "README.md").unlink()
    capsys.readouterr()
    assert main(["init", "--update"]) == 0
    out = capsys.readouterr().out
    assert "added 1 new kata in katas/: himmelblau" in out
    assert "updated 1 stub you had not edited to the new version: dense_layer" in out
    assert f"kept 1 kata file with your work: {FIRST}" in out
    assert "katas/old_kata.py is not a kata" in out
    assert "added README.md" in out
    assert (ws / "katas" / "dense_layer.py").read_text() == stub_for(reference)
    assert edited.read_text().endswith("# my work\n")
    assert (ws / "katas" / "old_kata.py").read_text() == "x = 1\n"
    assert main(["init", "--update"]) == 0
    assert "nothing to add: the workspace is up to date" in capsys.readouterr().out


def test_update_needs_a_workspace(project: Path, tmp_path: Path, capsys):
    assert main(["init", "--update", str(tmp_path)]) == 2
    assert "is not a kata workspace" in capsys.readouterr().err


def test_the_installed_suite_is_never_the_learners_folder(
    project: Path, tmp_path: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert workspace.learner_home(project) == project  # a checkout: the learner works in it
    monkeypatch.setattr(workspace, "is_packaged", lambda root: True)
    with pytest.raises(KataError, match=r"no kata workspace here .*`kata init"):
        workspace.learner_home(project)


def test_a_workspace_inside_a_checkout_uses_the_packages_suite(project: Path, monkeypatch):
    monkeypatch.delenv("TFKATA_ROOT")
    inner = project / "learner"
    assert main(["init", str(inner)]) == 0
    assert project_root(inner / "katas") == packaged_suite()  # this tfkata's own suite
    assert project_root(project) == project  # the checkout itself, outside the workspace


@pytest.mark.e2e
def test_check_in_a_workspace_runs_the_suites_tests_on_the_workspace_katas(project: Path, ws: Path):
    (ws / "katas" / "himmelblau.py").write_text(
        (project / "solutions" / "himmelblau.py").read_text()
    )
    env = dict(os.environ, TFKATA_ROOT=str(project), NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tfkata.cli", "check", "himmelblau"],
        cwd=ws / "katas",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "himmelblau: all" in proc.stdout and "tests pass" in proc.stdout
    state = json.loads((ws / STATE_FILE).read_text())
    assert state["katas"]["himmelblau"]["status"] == "done"
