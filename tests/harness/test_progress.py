"""The learner's progress file, .kata-state.json: never lost silently, written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tfkata.cli import main
from tfkata.errors import KataError
from tfkata.progress import DONE, STATE_FILE, Progress


def _saved(root: Path) -> Progress:
    progress = Progress.load(root)
    progress.current = "dense_layer"
    progress.record("gradient_of_square", True, "abc")
    progress.hints_shown["dense_layer"] = 2
    progress.save()
    return progress


def test_progress_round_trips_and_leaves_no_temporary_file(tmp_path: Path):
    _saved(tmp_path)
    again = Progress.load(tmp_path)
    assert again.current == "dense_layer"
    assert again.katas["gradient_of_square"]["status"] == DONE
    assert again.hints_shown == {"dense_layer": 2}
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]


def test_a_missing_file_is_a_fresh_start_without_a_warning(tmp_path: Path, capsys):
    progress = Progress.load(tmp_path)
    assert (progress.current, progress.katas, progress.hints_shown) == (None, {}, {})
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"current": "dense_layer", "katas": {', "Expecting"),  # cut short by a crash
        ("[1, 2]", "expected a JSON object"),
        ('{"current": 3}', "current: expected a kata name"),
        ('{"katas": {"cnn": "done"}}', "katas: expected"),
        ('{"katas": {"cnn": {"hash": "x"}}}', "katas: expected"),
        ('{"hints_shown": {"cnn": "two"}}', "hints_shown: expected"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_damaged_file_is_set_aside_with_a_one_line_warning(
    tmp_path: Path, capsys, content, problem
):
    path = tmp_path / STATE_FILE
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    original = path.read_bytes()
    progress = Progress.load(tmp_path)
    assert (progress.current, progress.katas, progress.hints_shown) == (None, {}, {})
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err, err
    kept = list(tmp_path.glob(f"{STATE_FILE}.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert kept[0].name in err
    assert not path.exists()
    progress.save()  # the fresh start is saved beside the damaged copy, never over it
    assert kept[0].read_bytes() == original


def test_two_damaged_files_in_one_second_are_both_kept(tmp_path: Path, capsys):
    for text in ("{", "[]"):
        (tmp_path / STATE_FILE).write_text(text, encoding="utf-8")
        Progress.load(tmp_path)
    kept = sorted(p.read_text() for p in tmp_path.glob(f"{STATE_FILE}.damaged-*"))
    assert kept == ["[]", "{"]


def test_an_unreadable_file_is_an_error_not_a_fresh_start(tmp_path: Path):
    (tmp_path / STATE_FILE).mkdir()  # reading it fails: saving would lose it
    with pytest.raises(KataError, match="cannot read"):
        Progress.load(tmp_path)


def test_a_failed_write_keeps_the_previous_file_whole(tmp_path: Path, monkeypatch):
    progress = _saved(tmp_path)
    before = (tmp_path / STATE_FILE).read_bytes()
    progress.current = "cnn"

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        progress.save()
    assert (tmp_path / STATE_FILE).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]


def test_kata_list_warns_once_about_a_damaged_file_and_goes_on(project: Path, capsys):
    (project / STATE_FILE).write_text('{"current": "cnn", "katas": {"cnn": {"sta', "utf-8")
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("kata: warning: .kata-state.json was damaged")
    assert captured.err.count("\n") == 1
    assert "katas done" in captured.out
    assert len(list(project.glob(f"{STATE_FILE}.damaged-*"))) == 1
    assert main(["goto", "cnn"]) == 0  # the next command writes a new, valid file
    assert json.loads((project / STATE_FILE).read_text())["current"] == "cnn"
    assert capsys.readouterr().err == ""
