"""The grader's judgement and reports, without running any child process (fast)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_formats import validate_gradescope

from tfkata import outcomes
from tfkata.cli import main
from tfkata.grading import channel
from tfkata.grading.grader import (
    STATUSES,
    Context,
    Expected,
    KataResult,
    StudentResult,
    TestOutcome,
    clean,
    default_hide,
    grade_student,
    judge_incident,
    judge_run,
    student_name_map,
)
from tfkata.grading.reports import (
    ReportWriter,
    class_csv,
    gradescope_json,
    junit_xml,
    student_json,
)
from tfkata.grading.sandbox import ChildRun
from tfkata.grading.settings import Limits

EXPECTED = ["tests/test_k.py::test_a", "tests/test_k.py::test_b[1]", "tests/test_k.py::test_c"]


def entry(
    nodeid: str,
    outcome: str = "passed",
    reason: str | None = None,
    message: str = "",
    cause: str | None = None,
    kata: str = "k",
) -> dict:
    return {
        **outcomes.new_entry(nodeid, kata, "The property."),
        "outcome": outcome,
        "reason": reason,
        "cause": cause,
        "message": message,
        "duration": 0.1,
    }


def ran(*entries: dict, violations: list[str] | None = None, kata: str = "k") -> ChildRun:
    """A run of one kata that ended through pytest's end, with these outcomes."""
    run = ChildRun(katas=[kata], collected={kata: [e["nodeid"] for e in entries]})
    run.started = [kata]
    run.outcomes = {e["nodeid"]: e for e in entries}
    run.checks = {kata: {"kata": kata, "violations": violations or []}}
    run.ended, run.exit = {"exitstatus": 0}, {"returncode": 0}
    return run


# ------------------------------------------------------------------ judging one kata


def test_every_expected_test_passing_is_a_pass():
    result = judge_run("k", ran(*(entry(n) for n in EXPECTED)), EXPECTED)
    assert (result.status, result.tests_passed, result.tests_total) == ("pass", 3, 3)


def test_a_failing_test_is_a_fail_with_the_property_and_the_message():
    failing = entry(EXPECTED[1], "failed", "assertion", "square_grad(3.0) returned 27.0")
    result = judge_run("k", ran(entry(EXPECTED[0]), failing, entry(EXPECTED[2])), EXPECTED)
    assert result.status == "fail"
    assert result.tests_passed == 2
    bad = [t for t in result.tests if t.status == "fail"]
    assert bad[0].name == "test_b[1]"
    assert "The property." in bad[0].message and "27.0" in bad[0].message
    assert "test_b[1]" in result.message


@pytest.mark.parametrize("subset", [EXPECTED[:2], EXPECTED[:1], []], ids=["one", "two", "all"])
def test_tests_that_vanished_make_an_error_even_if_the_rest_passed(subset):
    result = judge_run("k", ran(*(entry(n) for n in subset)), EXPECTED)
    assert result.status == "error"
    assert f"{len(subset)} of 3 tests reported" in result.message


def test_unknown_extra_tests_make_an_error():
    extra = entry("tests/test_k.py::test_planted")
    result = judge_run("k", ran(*(entry(n) for n in EXPECTED), extra), EXPECTED)
    assert result.status == "error"
    assert "unknown" in result.message


def test_a_violation_makes_an_error_whatever_the_tests_said():
    result = judge_run(
        "k",
        ran(*(entry(n) for n in EXPECTED), violations=["the test harness was modified: x"]),
        EXPECTED,
    )
    assert result.status == "error"
    assert "harness was modified" in result.message
    assert result.flags == ["the test harness was modified: x"]


def test_a_load_error_is_an_error_with_its_message():
    load = "k.py: line 3: SyntaxError: expected ':'"
    result = judge_run(
        "k", ran(*(entry(n, "error", "load_error", load) for n in EXPECTED)), EXPECTED
    )
    assert result.status == "error"
    assert result.message == "k.py: line 3: SyntaxError: expected ':'"


def test_importing_the_reference_is_an_error_that_says_so_from_the_cause_not_the_text():
    load = "k.py: line 1: importing it raised ReferenceImportRefused: no"
    cause = outcomes.IMPORTS_REFERENCE
    result = judge_run(
        "k", ran(*(entry(n, "error", "load_error", load, cause) for n in EXPECTED)), EXPECTED
    )
    assert result.status == "error"
    assert result.message.startswith("imports the reference solutions, which is not allowed")
    assert result.flags


def test_running_out_of_memory_is_an_error():
    oom = entry(EXPECTED[0], "failed", "exception", "MemoryError: ", outcomes.OUT_OF_MEMORY)
    result = judge_run("k", ran(oom, *(entry(n) for n in EXPECTED[1:])), EXPECTED)
    assert result.status == "error"
    assert "memory" in result.message


@pytest.mark.parametrize("outcome", ["xfailed", "xpassed"])
def test_xfail_and_xpass_are_errors_never_a_pass(outcome):
    marked = entry(EXPECTED[2], outcome, outcomes.XFAIL, "marked as expected to fail")
    result = judge_run("k", ran(*(entry(n) for n in EXPECTED[:2]), marked), EXPECTED)
    assert result.status == "error"
    assert "xfail" in result.message and result.flags


def test_a_skip_by_kata_code_is_not_a_pass():
    skipped = entry(EXPECTED[2], "skipped", outcomes.SKIPPED, "no GPU")
    result = judge_run("k", ran(*(entry(n) for n in EXPECTED[:2]), skipped), EXPECTED)
    assert result.status == "fail"
    assert "skipped by kata code" in result.message and result.flags


def test_a_skip_the_suite_declares_does_not_cost_the_pass():
    declared = entry(EXPECTED[2], "skipped", outcomes.SKIPPED, "outside", outcomes.SUITE_SKIP)
    result = judge_run("k", ran(*(entry(n) for n in EXPECTED[:2]), declared), EXPECTED)
    assert (result.status, result.tests_passed) == ("pass", 3)
    assert result.tests[2].status == "skip" and "skipped by the suite" in result.tests[2].message


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
    loud = judge_incident(
        "k", ChildRun(katas=["k"], started=["k"], output_overflow="k"), EXPECTED, limits
    )
    assert loud.status == "error" and "MB of output" in loud.message
    forged = judge_incident(
        "k", ChildRun(katas=["k"], forged_lines=["bad signature"]), EXPECTED, limits
    )
    assert forged.status == "error" and "report channel" in forged.message
    flood = judge_incident("k", ChildRun(katas=["k"], channel_overflow=True), EXPECTED, limits)
    assert flood.status == "error" and "report channel" in flood.message


def test_a_run_ended_properly_only_through_its_end_with_that_exit_status():
    run = ran(*(entry(n) for n in EXPECTED))
    assert run.ended_properly
    run.exit = {"returncode": 1}  # an END record, then os._exit(1): not the final path
    assert not run.ended_properly
    run.exit, run.ended = {"returncode": 0}, None
    assert not run.ended_properly
    run.ended, run.late_records = {"exitstatus": 0}, ["test record after the end of the run"]
    assert not run.ended_properly


# ------------------------------------------------------------------ the retry policy, without processes


class FakeChildren:
    """Stands in for sandbox.run_child: each kata behaves as told, in the order given.
    Behaviours: pass, fail, crash (the process ends mid-kata), exit_after_check (all results
    reported, then the process ends before pytest's end), timeout, violation, forge."""

    def __init__(self, behaviour: dict[str, str | list[str]]) -> None:
        self.behaviour = {k: [v] if isinstance(v, str) else list(v) for k, v in behaviour.items()}
        self.calls: list[list[str]] = []

    def tests(self, kata: str) -> list[str]:
        return [f"tests/test_{kata}.py::test_{i}" for i in range(2)]

    def __call__(self, suite, katas, *, student_files, limits, base, jobs, hide) -> ChildRun:
        self.calls.append(list(katas))
        run = ChildRun(katas=list(katas), collected={k: self.tests(k) for k in katas})
        run.isolation = "fake"
        for kata in katas:
            todo = self.behaviour[kata]
            how = todo.pop(0) if len(todo) > 1 else todo[0]
            run.started.append(kata)
            if how == "timeout":
                run.timed_out = kata
                return run
            if how == "crash":
                run.outcomes[self.tests(kata)[0]] = entry(self.tests(kata)[0], kata=kata)
                run.exit = {"returncode": 0}
                return run
            outcome = "failed" if how == "fail" else "passed"
            for nodeid in self.tests(kata):
                run.outcomes[nodeid] = entry(nodeid, outcome, "assertion", "wrong", kata=kata)
            violations = ["the test harness was modified: x"] if how == "violation" else []
            run.checks[kata] = {"kata": kata, "violations": violations}
            if how in ("violation", "exit_after_check"):
                run.exit = {"returncode": 71 if violations else 0}
                return run
            if how == "forge":
                run.forged_lines.append("bad signature on a pytest record")
                return run
        status = int(any(self.behaviour[k][0] == "fail" for k in katas))
        run.ended, run.exit = {"exitstatus": status}, {"returncode": status}
        return run


def grade_fake(tmp_path: Path, behaviour: dict, files: dict[str, str] | None = None):
    folder = tmp_path / "ann"
    folder.mkdir()
    katas = list(behaviour)
    for kata in katas:
        (folder / f"{kata}.py").write_text((files or {}).get(kata, "x = 1\n"))
    fake = FakeChildren(behaviour)
    expected = Expected(tests={k: fake.tests(k) for k in katas}, uncollectable={})
    ctx = Context(None, katas, expected, Limits(timeout=5), tmp_path, 1, [])
    student = grade_student("ann", folder, ctx, run_child=fake)
    return student, fake, {k: r.status for k, r in student.katas.items()}


def test_an_honest_student_costs_one_child(tmp_path: Path):
    student, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": "pass", "c": "fail"})
    assert statuses == {"a": "pass", "b": "pass", "c": "fail"}
    assert fake.calls == [["a", "b", "c"]] and student.children == 1
    assert not any(r.isolated for r in student.katas.values()) and student.flags == []


def test_a_crash_is_the_running_katas_own_the_others_go_on(tmp_path: Path):
    student, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": "crash", "c": "pass"})
    # a: checked before b started, trusted; b alone, crashes again: error; c: a new shared child
    assert fake.calls == [["a", "b", "c"], ["c"], ["b"]]
    assert statuses == {"a": "pass", "b": "error", "c": "pass"}
    assert "exited with code 0" in student.katas["b"].message and student.katas["b"].isolated


def test_an_early_exit_after_the_last_record_is_not_a_pass(tmp_path: Path):
    student, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": "exit_after_check"})
    assert fake.calls == [["a", "b"], ["b"]]
    assert statuses == {"a": "pass", "b": "error"}
    assert "after its tests reported" in student.katas["b"].message
    assert student.flags == ["b: ended the test process after its results were reported"]


def test_a_kata_that_crashed_only_beside_another_passes_alone(tmp_path: Path):
    student, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": ["crash", "pass"]})
    assert fake.calls == [["a", "b"], ["b"]]
    assert statuses == {"a": "pass", "b": "pass"} and student.katas["b"].isolated


def test_a_timeout_is_final_and_costs_one_timeout(tmp_path: Path):
    _, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": "timeout", "c": "pass"})
    assert fake.calls == [["a", "b", "c"], ["c"]]
    assert statuses == {"a": "pass", "b": "timeout", "c": "pass"}


def test_a_violation_beside_other_katas_is_decided_alone(tmp_path: Path):
    _, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": ["violation", "violation"]})
    assert fake.calls == [["a", "b"], ["b"]]
    assert statuses == {"a": "pass", "b": "error"}


def test_a_forged_line_distrusts_every_kata_that_had_started(tmp_path: Path):
    _, fake, statuses = grade_fake(tmp_path, {"a": ["pass", "pass"], "b": ["forge", "pass"]})
    assert fake.calls == [["a", "b"], ["a"], ["b"]]
    assert statuses == {"a": "pass", "b": "pass"}


def test_a_kata_that_breaks_the_policy_never_runs(tmp_path: Path):
    files = {"b": "import gc\n"}
    student, fake, statuses = grade_fake(tmp_path, {"a": "pass", "b": "pass"}, files)
    assert fake.calls == [["a"]]
    assert statuses == {"a": "pass", "b": "error"}
    assert student.katas["b"].message.startswith("b.py line 1 imports gc: kata code may import")
    assert student.flags and student.flags[0].startswith("b: policy: b.py line 1 imports gc")


def test_kata_per_child_runs_each_kata_alone(tmp_path: Path):
    folder = tmp_path / "ann"
    folder.mkdir()
    for kata in "ab":
        (folder / f"{kata}.py").write_text("x = 1\n")
    fake = FakeChildren({"a": "pass", "b": "pass"})
    expected = Expected(tests={k: fake.tests(k) for k in "ab"}, uncollectable={})
    ctx = Context(None, ["a", "b"], expected, Limits(kata_per_child=True), tmp_path, 1, [])
    student = grade_student("ann", folder, ctx, run_child=fake)
    assert fake.calls == [["a"], ["b"]]
    assert {k: r.status for k, r in student.katas.items()} == {"a": "pass", "b": "pass"}


# ------------------------------------------------------------------ the channel


def test_the_channel_accepts_its_own_records_in_order_and_refuses_forged_ones():
    import os

    keys = channel.new_keys()
    read, write = os.pipe()
    pytest_side = channel.Emitter(write, keys[channel.PYTEST], channel.PYTEST)
    pytest_side.emit(channel.START, kata="k")
    pytest_side.emit(channel.END, exitstatus=0)
    os.close(write)
    lines = os.read(read, 65536).splitlines()
    os.close(read)
    verifier = channel.Verifier(keys)
    assert verifier.verify(lines[0])["kata"] == "k"
    with pytest.raises(channel.ForgedLine, match="out of sequence"):
        channel.Verifier(keys).verify(lines[1])  # a record replayed or dropped
    assert verifier.verify(lines[1])["kind"] == channel.END
    outer = json.loads(lines[1])
    forged = {**outer, "src": channel.SUPERVISOR_SOURCE}  # the test process claims the exit
    with pytest.raises(channel.ForgedLine, match="bad signature"):
        channel.Verifier(keys).verify(json.dumps(forged).encode())
    body = json.loads(outer["body"]) | {"exitstatus": 1}
    tampered = {**outer, "body": json.dumps(body)}
    with pytest.raises(channel.ForgedLine):
        channel.Verifier(keys).verify(json.dumps(tampered).encode())
    with pytest.raises(channel.ForgedLine, match="not a channel record"):
        verifier.verify(b"all tests passed")


def test_the_channel_encoding_does_not_go_through_json_dumps(monkeypatch):
    text = channel.encode({"b": [1, 2.5, None, True], "a": "é\n", "c": {"x": (1,)}})
    monkeypatch.setattr(json, "dumps", lambda *a, **k: '{"outcome": "passed"}')
    assert channel.encode({"outcome": "failed"}) == '{"outcome": "failed"}'
    assert json.loads(text) == {"a": "é\n", "b": [1, 2.5, None, True], "c": {"x": [1]}}


# ------------------------------------------------------------------ the outcome schema


class Report:
    """The parts of a pytest TestReport that tfkata.outcomes reads."""

    def __init__(self, when, outcome, longrepr=None, props=(), **extra):
        self.when, self.longrepr, self.duration = when, longrepr, 0.5
        self.passed, self.failed, self.skipped = (
            outcome == o for o in ("passed", "failed", "skipped")
        )
        self.user_properties = list(props)
        self.__dict__.update(extra)


def test_one_outcome_entry_for_learners_and_the_grader():
    entry_ = outcomes.new_entry("tests/test_k.py::test_a", "k")
    for report in (
        Report(
            "setup",
            "failed",
            "trace",
            [(outcomes.REASON_KEY, "load_error"), (outcomes.MESSAGE_KEY, "k.py: line 1")],
        ),
        Report("call", "skipped", ("f", 1, "Skipped: later")),
        Report("teardown", "passed"),
    ):
        outcomes.update_entry(entry_, report)
    assert (entry_["outcome"], entry_["reason"], entry_["when"]) == ("error", "load_error", "setup")
    assert entry_["message"] == "k.py: line 1" and entry_["duration"] == 1.5
    xfail = outcomes.update_entry(
        outcomes.new_entry("t"), Report("call", "skipped", ("f", 1, "x"), wasxfail="reason")
    )
    assert (xfail["outcome"], xfail["reason"]) == ("xfailed", outcomes.XFAIL)
    xpass = outcomes.update_entry(outcomes.new_entry("t"), Report("call", "passed", wasxfail=""))
    assert xpass["outcome"] == "xpassed"
    long = outcomes.update_entry(outcomes.new_entry("t"), Report("call", "failed", "x" * 5000))
    assert len(long["message"]) <= outcomes.MESSAGE_CHARS


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


def test_merge_is_the_subcommand_and_dot_slash_merge_a_student_folder(
    tmp_path, monkeypatch, capsys
):
    """`kata grade merge` merges shard reports; `kata grade ./merge` grades a folder named merge."""
    monkeypatch.chdir(tmp_path)
    assert main(["grade", "merge"]) == 2
    assert "merge: say where the merged report goes" in capsys.readouterr().err
    assert main(["grade", "./merge"]) == 2
    assert "no student folder merge" in capsys.readouterr().err
    (tmp_path / "merge").mkdir()
    assert main(["grade", "./merge", "-j", "0"]) == 2  # read as a folder: only -j is wrong
    assert "-j must be at least 1" in capsys.readouterr().err


# ------------------------------------------------------------------ the sandbox


def test_bubblewrap_without_user_namespaces_still_sandboxes_and_says_so(tmp_path: Path):
    """Where the kernel refuses user namespaces (simulated: a user namespace whose limit of
    nested ones is 0), bubblewrap runs without one (uid mapping off) and the reason is kept."""
    import shutil
    import subprocess
    import sys

    if not shutil.which("bwrap") or not shutil.which("unshare"):
        pytest.skip("needs bubblewrap and unshare")
    probe = (
        "import sys; from tfkata.grading.supervisor import bwrap_probe; "
        f"args, why = bwrap_probe({str(tmp_path)!r}); "
        "print(args is not None, args is not None and '--unshare-user' in args, why)"
    )
    normal = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    if not normal.stdout.startswith("True"):
        pytest.skip(f"bubblewrap does not run here: {normal.stdout} {normal.stderr[-200:]}")
    refused = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "sh",
            "-c",
            f'echo 0 > /proc/sys/user/max_user_namespaces && exec {sys.executable} -c "{probe}"',
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if refused.returncode != 0:
        pytest.skip(f"cannot simulate refused user namespaces: {refused.stderr[-200:]}")
    assert normal.stdout.split()[:2] == ["True", "True"]
    assert refused.stdout.startswith("True False bwrap without a user namespace"), refused.stdout


def test_sandboxes_get_hypothesis_unicode_tables_where_hypothesis_looks(tmp_path):
    """Built once per grader and copied into each sandbox, hypothesis' Unicode tables are found
    by a fresh interpreter (so a test drawing text does not rebuild them: ~200 MB, ~1.2 s)."""
    import subprocess
    import sys

    from tfkata.grading.sandbox import HYPOTHESIS_DIR, _child_env, hypothesis_tables

    tables = hypothesis_tables()
    assert tables, "hypothesis' Unicode tables could not be built"
    assert all(rel.startswith(f"{HYPOTHESIS_DIR}/unicode_data/") for rel in tables)
    for rel, data in tables.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    env = _child_env(tmp_path, 1)
    assert env["HYPOTHESIS_STORAGE_DIRECTORY"] == str(tmp_path / HYPOTHESIS_DIR)
    # where hypothesis looks for its charmap (the codec tables' file names vary by version)
    probe = "from hypothesis.internal.charmap import charmap_file; print(charmap_file())"
    found = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    looked = found.stdout.strip()
    assert looked in {str(tmp_path / rel) for rel in tables}, found.stdout + found.stderr[-300:]
