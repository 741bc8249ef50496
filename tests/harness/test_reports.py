"""Report formats for grading platforms (exercism v3 for GitHub Classroom, Gradescope in
Markdown, integrity flags), reading a report back, and shard merging: no child process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from report_formats import classroom_points, validate_exercism_v3, validate_gradescope

from tfkata.errors import KataError
from tfkata.grading.grader import KataResult, StudentResult, TestOutcome
from tfkata.grading.reports import (
    ReportWriter,
    class_csv,
    exercism_json,
    gradescope_json,
    student_from_json,
    student_json,
)
from tfkata.grading.shards import Shard, merge, parse_shard, select, shard_of, stamp

KATAS = ["k1", "k2", "k3", "k4", "k5"]
WEIGHTS = {"k1": 2.0, "k2": 1.0, "k3": 1.0, "k4": 1.0, "k5": 0.5}


def student(name: str = "ann", flags: list | None = None) -> StudentResult:
    s = StudentResult(
        name=name,
        path=f"/class/{name}",
        katas={
            "k1": KataResult(
                "k1",
                "pass",
                2,
                2,
                0.5,
                tests=[TestOutcome("test_a", "pass", "", 0.2), TestOutcome("test_b", "pass")],
            ),
            "k2": KataResult(
                "k2",
                "fail",
                1,
                3,
                0.3,
                "2 of 3 tests fail, first: test_b",
                tests=[
                    TestOutcome("test_a", "pass", "", 0.1),
                    TestOutcome("test_b", "fail", "wrong ``` <x> & *y*", 0.1),
                    TestOutcome("test_c", "skip", "", 0.0),
                ],
            ),
            "k3": KataResult("k3", "timeout", 0, 4, 30.0, "its tests ran longer than 30 s"),
            "k4": KataResult("k4", "missing", 0, 3, 0.0, "k4.py not found"),
            "k5": KataResult("k5", "error", 0, 1, 0.0, "k5.py: line 1: SyntaxError", "x" * 900),
        },
        duration=12.5,
        children=1,
        isolation="namespaces",
    )
    if flags is not None:
        s.flags = flags  # what the grader found (policy violations, tamper findings)
    return s


def test_exercism_v3_has_one_entry_per_test_or_per_unjudged_kata():
    data = exercism_json(student(), KATAS, WEIGHTS)
    validate_exercism_v3(data)
    assert data["status"] == "fail" and data["max_score"] == 5.5
    names = [t["name"] for t in data["tests"]]
    assert names == [
        "k1 > test_a",
        "k1 > test_b",
        "k2 > test_a",
        "k2 > test_b",
        "k2 > test_c",
        "k3",
        "k4",
        "k5",
    ]
    assert [t["task_id"] for t in data["tests"]] == [1, 1, 2, 2, 2, 3, 4, 5]
    by = {t["name"]: t for t in data["tests"]}
    assert by["k2 > test_a"]["status"] == "pass" and "message" not in by["k2 > test_a"]
    assert by["k2 > test_b"]["message"] == "wrong ``` <x> & *y*"
    assert by["k2 > test_c"]["status"] == "fail" and by["k2 > test_c"]["message"] == "skipped"
    assert by["k3"]["status"] == "error" and by["k3"]["message"].startswith("timeout: ")
    assert by["k4"]["status"] == "fail"
    assert by["k5"]["output"].endswith("Please limit to 500 chars]")
    # all-or-nothing per kata, by weight: only k1 (2 points) passed
    assert classroom_points(data) == pytest.approx(2.0)


def test_exercism_status_pass_and_error():
    s = student()
    s.katas = {"k1": s.katas["k1"]}
    data = exercism_json(s, KATAS, WEIGHTS)
    validate_exercism_v3(data)
    assert data["status"] == "pass" and data["message"] is None
    assert classroom_points(data) == pytest.approx(data["max_score"]) == 2.0
    s = student()
    s.katas = {"k3": s.katas["k3"], "k5": s.katas["k5"]}
    data = exercism_json(s, KATAS, WEIGHTS)
    validate_exercism_v3(data)
    assert data["status"] == "error" and "k3: timeout" in data["message"]


# ------------------------------------------------------------------ gradescope, flags


def test_gradescope_output_is_markdown_that_student_text_cannot_break():
    data = gradescope_json(student(), WEIGHTS, {})
    validate_gradescope(data)
    assert data["test_output_format"] == "md"
    k2 = data["tests"][1]
    assert k2["output_format"] == "md" and k2["status"] == "failed"
    # the message holds ``` : it sits in a longer fence, so it cannot close the block
    assert "````text\nwrong ``` <x> & *y*\n````" in k2["output"]
    assert data["tests"][0]["extra_data"] == {"tests_passed": 2, "tests_total": 2}


def test_flags_reach_report_json_the_csv_and_gradescope():
    flags = [
        "dense_layer.py line 12 assigns keras.layers.Dense",
        {"kata": "k2", "message": "imports gc"},
    ]
    s = student(flags=flags)
    assert student_json(s, WEIGHTS)["flags"] == [flags[0], "k2: imports gc"]
    row = next(csv.DictReader(io.StringIO(class_csv([s], KATAS, WEIGHTS))))
    assert row["flags"] == f"{flags[0]}; k2: imports gc"
    gs = gradescope_json(s, WEIGHTS, {})
    assert gs["extra_data"]["flags"] == [flags[0], "k2: imports gc"]
    assert "Integrity flags" in gs["output"] and "`` " not in gs["output"].split("\n")[0]
    assert exercism_json(s, KATAS, WEIGHTS)["message"] is None  # v3: a message means "error"
    s.katas = {"k3": s.katas["k3"]}
    assert "flag: k2: imports gc" in exercism_json(s, KATAS, WEIGHTS)["message"]
    assert student_json(student(), WEIGHTS)["flags"] == []


def test_a_student_read_back_from_report_json_writes_the_same_reports():
    original = student(flags=["one flag"])
    data = json.loads(json.dumps(student_json(original, WEIGHTS)))
    back = student_from_json(data)
    assert student_json(back, WEIGHTS) == student_json(original, WEIGHTS)
    assert exercism_json(back, KATAS, WEIGHTS) == exercism_json(original, KATAS, WEIGHTS)
    assert gradescope_json(back, WEIGHTS, {}) == gradescope_json(original, WEIGHTS, {})


def test_exercism_for_one_student_is_results_json_unless_gradescope_takes_it(tmp_path: Path):
    ReportWriter(tmp_path / "a", {"json", "exercism"}, KATAS, WEIGHTS, {}, {}, True).add(student())
    validate_exercism_v3(json.loads((tmp_path / "a" / "results.json").read_text()))
    both = ReportWriter(
        tmp_path / "b", {"json", "exercism", "gradescope"}, KATAS, WEIGHTS, {}, {}, True
    )
    both.add(student())
    assert "tests" in json.loads((tmp_path / "b" / "results.json").read_text())
    assert json.loads((tmp_path / "b" / "results.json").read_text()).get("version") is None
    validate_exercism_v3(
        json.loads((tmp_path / "b" / "exercism" / "ann" / "results.json").read_text())
    )


# ------------------------------------------------------------------ shards


def test_shard_specs_and_the_batch_systems_variables():
    assert parse_shard("2/4", {}) == Shard(2, 4)
    assert parse_shard("auto", {"JOB_COMPLETION_INDEX": "0", "TFKATA_SHARD_COUNT": "3"}) == Shard(
        1, 3
    )
    assert parse_shard("auto/5", {"JOB_COMPLETION_INDEX": "4"}) == Shard(5, 5)
    slurm = {"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"}
    assert parse_shard("auto", slurm) == Shard(3, 4)
    assert parse_shard("auto", {"TFKATA_SHARD": "2/2"}) == Shard(2, 2)
    for bad, env in [
        ("0/3", {}),
        ("4/3", {}),
        ("x/3", {}),
        ("3", {}),
        ("auto", {}),
        ("auto", {"JOB_COMPLETION_INDEX": "1"}),
        ("auto/3", {"TFKATA_SHARD": "1/2"}),
    ]:
        with pytest.raises(KataError, match="--shard"):
            parse_shard(bad, env)


def test_the_split_is_stable_complete_and_keeps_name_clashes_together(tmp_path: Path):
    # sha256, not hash(): fixed values, the same in every process and on every machine
    assert [shard_of(n, 4) for n in ("alice", "bob", "carol", "dave")] == [
        shard_of(n, 4) for n in ("alice", "bob", "carol", "dave")
    ]
    assert (
        shard_of("alice", 4)
        == int.from_bytes(__import__("hashlib").sha256(b"alice").digest()[:8], "big") % 4 + 1
    )
    folders = []
    for i in range(12):
        (tmp_path / "a" / f"s{i}").mkdir(parents=True)
        folders.append(tmp_path / "a" / f"s{i}")
    (tmp_path / "b" / "s3").mkdir(parents=True)
    folders.append(tmp_path / "b" / "s3")  # named s3-2 in the whole class
    picked = [select(folders, Shard(k, 3)) for k in (1, 2, 3)]
    assert sorted(f for mine, _ in picked for f in mine) == sorted(folders)
    records = [r for _, r in picked]
    assert sorted(n for r in records for n in r["students"]) == sorted(
        [f"s{i}" for i in range(12)] + ["s3-2"]
    )
    assert len({r["class_digest"] for r in records}) == 1
    holder = next(r for r in records if "s3" in r["students"])
    assert "s3-2" in holder["students"]


def _shard_report(out: Path, names: list[str], index: int, count: int, all_names: list[str]):
    from tfkata.grading.shards import class_digest

    writer = ReportWriter(
        out,
        {"json", "csv", "junit", "gradescope", "exercism"},
        KATAS,
        WEIGHTS,
        {},
        {"settings": {"jobs": 1, "timeout": 30}, "skipped_katas": {}},
        single=False,
    )
    for n in names:
        writer.add(student(n))
    writer.finish(
        {"expected_tests": {"k1": 2}, "isolation": "namespaces", "duration": 1.0, "warnings": []}
    )
    record = {
        "index": index,
        "count": count,
        "class_students": len(all_names),
        "class_digest": class_digest(all_names),
        "students": names,
    }
    stamp(out, record, ["json", "csv", "junit", "gradescope", "exercism"])


def test_merging_shards_gives_the_unsharded_report_files(tmp_path: Path):
    names = ["ann", "bob", "cid"]
    _shard_report(tmp_path / "s1", ["bob"], 1, 2, names)
    _shard_report(tmp_path / "s2", ["ann", "cid"], 2, 2, names)
    whole = tmp_path / "whole"
    writer = ReportWriter(
        whole,
        {"json", "csv", "junit", "gradescope", "exercism"},
        KATAS,
        WEIGHTS,
        {},
        {"settings": {"jobs": 1, "timeout": 30}, "skipped_katas": {}},
        single=False,
    )
    for n in names:
        writer.add(student(n))
    writer.finish(
        {"expected_tests": {"k1": 2}, "isolation": "namespaces", "duration": 1.0, "warnings": []}
    )
    merge([tmp_path / "s2", tmp_path / "s1"], tmp_path / "merged")
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(tmp_path / "merged") for p in (tmp_path / "merged").rglob("*") if p.is_file()
    )
    for rel in files:
        assert (tmp_path / "merged" / rel).read_text() == (whole / rel).read_text(), rel


def test_a_missing_a_duplicate_or_a_foreign_shard_is_an_error_naming_it(tmp_path: Path):
    names = ["ann", "bob", "cid"]
    _shard_report(tmp_path / "s1", ["bob"], 1, 3, names)
    _shard_report(tmp_path / "s2", ["ann"], 2, 3, names)
    _shard_report(tmp_path / "s3", ["cid"], 3, 3, names)
    _shard_report(tmp_path / "other", ["cid"], 3, 3, ["cid", "dan"])
    with pytest.raises(KataError, match=r"shard 2/3 missing"):
        merge([tmp_path / "s1", tmp_path / "s3"], tmp_path / "m")
    with pytest.raises(KataError, match=r"shard 1/3 given twice: .*s1 and .*s1"):
        merge([tmp_path / "s1", tmp_path / "s1", tmp_path / "s2"], tmp_path / "m")
    with pytest.raises(KataError, match="another class"):
        merge([tmp_path / "s1", tmp_path / "s2", tmp_path / "other"], tmp_path / "m")
    with pytest.raises(KataError, match=r"no report\.json"):
        merge([tmp_path / "s1", tmp_path / "nothing"], tmp_path / "m")
    data = json.loads((tmp_path / "s3" / "report.json").read_text())
    data["complete"] = False
    (tmp_path / "s3" / "report.json").write_text(json.dumps(data))
    with pytest.raises(KataError, match="not complete"):
        merge([tmp_path / "s1", tmp_path / "s2", tmp_path / "s3"], tmp_path / "m")
