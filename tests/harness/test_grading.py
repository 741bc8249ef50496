"""The grader's judgement and reports, without running any child process (fast)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tfkata.cli import main
from tfkata.grading.grader import (
    STATUSES,
    KataResult,
    StudentResult,
    TestOutcome,
    clean,
    default_hide,
    judge_incident,
    judge_record,
    student_name_map,
)
from tfkata.grading.reports import (
    ReportWriter,
    class_csv,
    gradescope_json,
    junit_xml,
    student_json,
)
from tfkata.grading.sandbox import ChildRun, Limits

EXPECTED = ["tests/test_k.py::test_a", "tests/test_k.py::test_b[1]", "tests/test_k.py::test_c"]


def entry(
    nodeid: str, outcome: str = "passed", reason: str | None = None, message: str = ""
) -> dict:
    return {
        "nodeid": nodeid,
        "doc": "The property.",
        "outcome": outcome,
        "reason": reason,
        "message": message,
        "duration": 0.1,
    }


def record(*entries: dict, violations: list[str] | None = None) -> dict:
    return {"type": "kata", "kata": "k", "tests": list(entries), "violations": violations or []}


# ------------------------------------------------------------------ judging one kata


def test_every_expected_test_passing_is_a_pass():
    result = judge_record("k", record(*(entry(n) for n in EXPECTED)), EXPECTED)
    assert (result.status, result.tests_passed, result.tests_total) == ("pass", 3, 3)


def test_a_failing_test_is_a_fail_with_the_property_and_the_message():
    failing = entry(EXPECTED[1], "failed", "assertion", "square_grad(3.0) returned 27.0")
    result = judge_record("k", record(entry(EXPECTED[0]), failing, entry(EXPECTED[2])), EXPECTED)
    assert result.status == "fail"
    assert result.tests_passed == 2
    bad = [t for t in result.tests if t.status == "fail"]
    assert bad[0].name == "test_b[1]"
    assert "The property." in bad[0].message and "27.0" in bad[0].message
    assert "test_b[1]" in result.message


@pytest.mark.parametrize("subset", [EXPECTED[:2], EXPECTED[:1], []], ids=["one", "two", "all"])
def test_tests_that_vanished_make_an_error_even_if_the_rest_passed(subset):
    result = judge_record("k", record(*(entry(n) for n in subset)), EXPECTED)
    assert result.status == "error"
    assert f"{len(subset)} of 3 tests reported" in result.message


def test_unknown_extra_tests_make_an_error():
    extra = entry("tests/test_k.py::test_planted")
    result = judge_record("k", record(*(entry(n) for n in EXPECTED), extra), EXPECTED)
    assert result.status == "error"
    assert "unknown" in result.message


def test_a_violation_makes_an_error_whatever_the_tests_said():
    result = judge_record(
        "k",
        record(*(entry(n) for n in EXPECTED), violations=["the test harness was modified: x"]),
        EXPECTED,
    )
    assert result.status == "error"
    assert "harness was modified" in result.message


def test_a_load_error_is_an_error_with_its_message():
    load = "(setup) k.py: line 3: SyntaxError: expected ':'"
    result = judge_record(
        "k", record(*(entry(n, "error", "load_error", load) for n in EXPECTED)), EXPECTED
    )
    assert result.status == "error"
    assert result.message == "k.py: line 3: SyntaxError: expected ':'"


def test_importing_the_reference_is_an_error_that_says_so():
    load = "(setup) k.py: line 1: importing it raised ImportError: import of 'solutions' refused"
    result = judge_record(
        "k", record(*(entry(n, "error", "load_error", load) for n in EXPECTED)), EXPECTED
    )
    assert result.status == "error"
    assert result.message.startswith("imports the reference solutions, which is not allowed")


def test_running_out_of_memory_is_an_error():
    oom = entry(EXPECTED[0], "failed", "exception", "MemoryError: ")
    result = judge_record("k", record(oom, *(entry(n) for n in EXPECTED[1:])), EXPECTED)
    assert result.status == "error"
    assert "memory" in result.message


def test_skipped_tests_are_not_a_pass():
    skipped = entry(EXPECTED[2], "skipped", message="no GPU")
    result = judge_record("k", record(*(entry(n) for n in EXPECTED[:2]), skipped), EXPECTED)
    assert result.status == "fail"


def test_an_endless_kata_is_a_timeout_and_a_vanished_process_an_error():
    limits = Limits(timeout=7)
    timed = judge_incident(
        "k", ChildRun(katas=["k"], started=["k"], timed_out="k"), EXPECTED, limits
    )
    assert timed.status == "timeout" and "7 s" in timed.message
    gone = judge_incident(
        "k", ChildRun(katas=["k"], started=["k"], exit={"returncode": 0}), EXPECTED, limits
    )
    assert gone.status == "error" and "exited with code 0" in gone.message
    loud = judge_incident("k", ChildRun(katas=["k"], started=["k"], overflow="k"), EXPECTED, limits)
    assert loud.status == "error" and "MB of output" in loud.message
    forged = judge_incident("k", ChildRun(katas=["k"], forged=["bad signature"]), EXPECTED, limits)
    assert forged.status == "error" and "report channel" in forged.message


def test_messages_are_deterministic_and_short():
    text = "/tmp/tfkata-grade-ab12/sbx-x7_k/impl/k.py: line 3: <function f at 0x7f3a2b1c9d30>"
    assert clean(text) == "k.py: line 3: <function f at 0x…>"
    assert len(clean("x" * 5000)) <= 600


# ------------------------------------------------------------------ names and hiding


def test_student_names_are_unique_and_stable(tmp_path: Path):
    folders = [tmp_path / "a" / "ann", tmp_path / "b" / "ann", tmp_path / "bo b"]
    names = [n for n, _ in student_name_map(folders)]
    assert names == ["ann", "ann-2", "bo_b"]


def test_the_project_is_hidden_but_never_the_python_installation(tmp_path: Path):
    import sys

    root = Path(sys.prefix).parent  # a "project" that holds the virtualenv
    hidden = default_hide(root, [tmp_path / "s1"], [tmp_path])
    assert root not in hidden
    assert tmp_path in hidden and tmp_path / "s1" not in hidden  # nested: the outer one only
    plain = default_hide(tmp_path / "proj", [], [])
    assert plain == [tmp_path / "proj"]


# ------------------------------------------------------------------ reports


def student(name: str = "ann") -> StudentResult:
    tests = [
        TestOutcome("test_a", "pass", "", 0.2),
        TestOutcome("test_b", "fail", "wrong <x> & y", 0.1),
    ]
    return StudentResult(
        name=name,
        path=f"/class/{name}",
        katas={
            "k1": KataResult(
                "k1",
                "pass",
                2,
                2,
                0.5,
                tests=[TestOutcome("test_a", "pass"), TestOutcome("test_b", "pass")],
            ),
            "k2": KataResult("k2", "fail", 1, 2, 0.3, "1 of 2 tests fail", tests=tests),
            "k3": KataResult("k3", "timeout", 0, 4, 30.0, "its tests ran longer than 30 s"),
            "k4": KataResult("k4", "missing", 0, 3, 0.0, "k4.py not found"),
            "k5": KataResult(
                "k5", "error", 0, 1, 0.0, "k5.py: line 1: SyntaxError", output="Traceback"
            ),
        },
        duration=12.5,
        isolation="namespaces",
    )


WEIGHTS = {"k1": 2.0, "k2": 1.0, "k3": 1.0, "k4": 1.0, "k5": 0.5}

GRADESCOPE_TOP = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
GRADESCOPE_TEST = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
OUTPUT_FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def validate_gradescope(data: dict) -> None:
    """Gradescope's documented results.json fields (autograder specifications)."""
    assert set(data) <= GRADESCOPE_TOP, set(data) - GRADESCOPE_TOP
    assert isinstance(data["score"], (int, float))
    assert isinstance(data.get("execution_time", 0), (int, float))
    assert data.get("visibility", "visible") in VISIBILITY
    assert data.get("stdout_visibility", "visible") in VISIBILITY
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert data.get(key, "text") in OUTPUT_FORMATS
    assert isinstance(data.get("extra_data", {}), dict)
    total = 0.0
    for test in data["tests"]:
        assert set(test) <= GRADESCOPE_TEST, set(test) - GRADESCOPE_TEST
        assert isinstance(test["score"], (int, float)) and isinstance(
            test["max_score"], (int, float)
        )
        assert 0 <= test["score"] <= test["max_score"]
        assert test.get("status", "passed") in ("passed", "failed")
        assert test.get("visibility", "visible") in VISIBILITY
        assert isinstance(test.get("name", ""), str) and isinstance(test.get("output", ""), str)
        assert isinstance(test.get("number", ""), str)
        assert all(isinstance(t, str) for t in test.get("tags", []))
        total += test["score"]
    assert data["score"] == pytest.approx(total)


def validate_junit(text: str) -> ET.Element:
    """The JUnit XML shape CI dashboards read (Jenkins/Surefire): counts agree with the cases."""
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        for kind, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert int(suite.get(attr)) == sum(c.find(kind) is not None for c in cases)
        float(suite.get("time"))
        for case in cases:
            assert case.get("classname") and case.get("name")
            float(case.get("time"))
            assert len(list(case)) <= 1
            for child in case:
                assert (
                    child.tag in ("failure", "error", "skipped")
                    and child.get("message") is not None
                )
    for attr in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(attr)) == sum(int(s.get(attr)) for s in root.findall("testsuite"))
    return root


def validate_student_json(data: dict) -> None:
    """Per kata, in the spirit of exercism's results.json v3."""
    for kata in data["katas"]:
        assert kata["status"] in STATUSES
        assert isinstance(kata["tests_passed"], int) and isinstance(kata["tests_total"], int)
        assert 0 <= kata["tests_passed"] <= kata["tests_total"]
        assert isinstance(kata["duration"], float | int)
        assert isinstance(kata["message"], str) and len(kata["message"]) <= 600
        for test in kata["tests"]:
            assert test["status"] in ("pass", "fail", "error", "skip")
            assert isinstance(test["name"], str)
            if test["status"] != "pass":
                assert test["message"]


def test_gradescope_results_follow_the_documented_fields():
    data = gradescope_json(student(), WEIGHTS, {"k1": "First"})
    validate_gradescope(data)
    assert data["score"] == 2.0
    assert [t["status"] for t in data["tests"]] == [
        "passed",
        "failed",
        "failed",
        "failed",
        "failed",
    ]
    assert data["tests"][0] == {
        **data["tests"][0],
        "score": 2.0,
        "max_score": 2.0,
        "name": "k1: First",
    }
    assert "wrong <x> & y" in data["tests"][1]["output"]
    assert "timeout" in data["tests"][2]["output"]


def test_junit_has_a_suite_per_kata_and_a_case_per_test():
    root = validate_junit(junit_xml(student()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["k1", "k2", "k3", "k4", "k5"]
    assert suites["k2"].get("failures") == "1"
    assert suites["k3"].find("testcase/error").get("type") == "timeout"
    assert suites["k4"].find("testcase/error").get("message").startswith("missing")
    assert root.get("tests") == "7"


def test_the_class_csv_has_a_row_per_student_a_column_per_kata_and_a_total():
    text = class_csv([student("ann"), student("bob")], ["k1", "k2", "k3", "k4", "k5"], WEIGHTS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["student"] for r in rows] == ["ann", "bob"]
    assert rows[0]["k1"] == "pass" and rows[0]["k3"] == "timeout" and rows[0]["k4"] == "missing"
    assert (rows[0]["passed"], rows[0]["score"], rows[0]["max_score"]) == ("1", "2", "5.5")


def test_reports_are_written_as_students_finish(tmp_path: Path):
    katas = ["k1", "k2", "k3", "k4", "k5"]
    writer = ReportWriter(
        tmp_path, {"json", "csv", "junit", "gradescope"}, katas, WEIGHTS, {}, {}, False
    )
    assert json.loads((tmp_path / "report.json").read_text())["students"] == []
    writer.add(student("bob"))
    # a crash of the grader here would keep bob: every file is already complete on disk
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["complete"] is False and [s["name"] for s in report["students"]] == ["bob"]
    validate_student_json(json.loads((tmp_path / "students" / "bob.json").read_text()))
    validate_junit((tmp_path / "junit" / "bob.xml").read_text())
    validate_gradescope(json.loads((tmp_path / "gradescope" / "bob" / "results.json").read_text()))
    writer.add(student("ann"))
    writer.finish({"duration": 1.0})
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["complete"] is True and [s["name"] for s in report["students"]] == ["ann", "bob"]
    assert len((tmp_path / "class.csv").read_text().splitlines()) == 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_student_json_scores_with_the_manifest_weights():
    data = student_json(student(), WEIGHTS)
    validate_student_json(data)
    assert (data["score"], data["max_score"], data["passed"]) == (2.0, 5.5, 1)


# ------------------------------------------------------------------ the command line


def test_grade_without_students_is_a_one_line_error(capsys):
    assert main(["grade"]) == 2
    assert "kata: name student folders" in capsys.readouterr().err


def test_grade_rejects_a_missing_folder_and_bad_numbers(tmp_path: Path, capsys):
    assert main(["grade", str(tmp_path / "nobody")]) == 2
    assert "no student folder" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "-j", "0"]) == 2
    assert "-j" in capsys.readouterr().err
    assert main(["grade", "--class", str(tmp_path / "none")]) == 2
    assert "--class" in capsys.readouterr().err
