"""The grader against hostile submissions (tests/harness/hostile/), and on honest classes.

The corpus runs by default on one cheap kata (gradient_of_square), with an honest second kata
beside the hostile ones that crash or stop the test process, to show that the student's other
katas are still graded normally. Each student costs at least one TensorFlow start, so the
default run grades the whole corpus in one call, two students at a time."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

from tfkata.grading import Limits, grade
from tfkata.manifest import load_manifest

# The corpus grades ~20 student folders (a TensorFlow start-up each, two 15 s endless loops):
# ~100 s on 2 cores, so it runs in CI's own step (`pytest -m hostile`), not in the default suite.
pytestmark = pytest.mark.hostile

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "hostile"
HOSTILE_KATA = "gradient_of_square"
# katas whose tests are quick; the first one present is the honest second kata
CHEAP_SECOND = ("char_vocab", "discretize", "shapes_and_params", "activation_gradients")
# hostile cases that end or stop the test process: their student also holds an honest kata
WITH_SECOND = {"os_exit_in_function", "loop_in_function", "spawn_process"}
TIMEOUT = 15.0  # per kata: each endless loop costs this much; the honest katas here need ~2 s


def cases() -> dict[str, str]:
    """case -> expected status, from the `# expect:` line of each corpus file."""
    found = {}
    for folder in sorted(p for p in CORPUS.iterdir() if (p / f"{HOSTILE_KATA}.py").is_file()):
        text = (folder / f"{HOSTILE_KATA}.py").read_text()
        found[folder.name] = re.search(r"^# expect: (\w+)", text, re.M).group(1)
    return found


def second_kata() -> str | None:
    for name in CHEAP_SECOND:
        if (ROOT / "tests" / f"test_{name}.py").is_file() and (
            ROOT / "solutions" / f"{name}.py"
        ).is_file():
            return name
    return None


def build_student(dest: Path, case: str | None, second: str | None, marker: str) -> Path:
    """A student folder: the reference kata with the case's override appended (or the plain
    reference for an honest student), and an honest copy of `second`."""
    dest.mkdir(parents=True)
    reference = (ROOT / "solutions" / f"{HOSTILE_KATA}.py").read_text()
    text = reference
    if case is not None:
        override = (CORPUS / case / f"{HOSTILE_KATA}.py").read_text()
        override = override.replace("{MARKER}", marker).replace("{PROJECT_ROOT}", str(ROOT))
        text = reference + "\n\n" + override
    (dest / f"{HOSTILE_KATA}.py").write_text(text)
    if second:
        shutil.copy(ROOT / "solutions" / f"{second}.py", dest / f"{second}.py")
    return dest


def marked_processes(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                found.append(f"{pid}: {cmdline}")
    return found


def suite_digest() -> str:
    files = sorted((ROOT / "tests").glob("test_*.py")) + sorted(
        (ROOT / "tests" / "kata_testing").glob("*.py")
    )
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def by_name(run) -> dict[str, dict[str, object]]:
    return {s.name: s.katas for s in run.students}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    second = second_kata()
    marker = f"tfkata-hostile-{uuid.uuid4().hex[:10]}"
    classroom = tmp_path_factory.mktemp("class")
    for case in cases():
        build_student(classroom / case, case, second if case in WITH_SECOND else None, marker)
    build_student(classroom / "honest", None, second, marker)
    katas = [HOSTILE_KATA] + ([second] if second else [])
    before = suite_digest()
    run = grade(
        load_manifest(ROOT),
        sorted(p for p in classroom.iterdir()),
        out=tmp_path_factory.mktemp("reports"),
        katas=katas,
        jobs=2,
        limits=Limits(timeout=TIMEOUT, startup=180),
        formats=("json", "csv", "junit", "gradescope"),
    )
    return run, marker, second, before


@pytest.mark.parametrize("case", sorted(cases()))
def test_a_hostile_kata_gets_its_non_pass_status(corpus_run, case):
    run, _, second, _ = corpus_run
    expected = cases()[case]
    result = by_name(run)[case][HOSTILE_KATA]
    if case == "read_solutions" and run.isolation != "namespaces":
        pytest.xfail(
            f"the project can only be hidden with Linux namespaces (here: {run.isolation})"
        )
    assert result.status == expected, f"{case}: {result.status}: {result.message}"
    assert result.status != "pass"
    assert result.message, "a non-pass status says why"
    if case in WITH_SECOND and second:
        other = by_name(run)[case][second]
        assert other.status == "pass", (
            f"{case}: the honest {second} got {other.status}: {other.message}"
        )


def test_the_messages_say_what_happened(corpus_run):
    run, *_ = corpus_run
    results = {name: katas[HOSTILE_KATA] for name, katas in by_name(run).items()}
    expectations = {
        "syntax_error": "SyntaxError",
        "import_error": "tensorflow_kata_helpers_that_do_not_exist",
        "sys_exit_at_import": "SystemExit",
        "import_solutions": "reference solutions",
        "star_import_solutions": "reference solutions",
        "allocate_30gb": "memory",
        "os_exit_in_function": "exited with code 0",
        "print_50mb": "MB of output",
        "write_test_files": "test suite's files were modified",
        "delete_test_files": "test suite's files were modified",
        "patch_pytest": "harness was modified",
        "patch_test_module": "harness was modified",
        "patch_grader": "harness was modified",
        "forge_report": "report channel",
        "spawn_process": "still running",
        "loop_at_import": "longer than",
        "loop_in_function": "longer than",
    }
    for case, words in expectations.items():
        assert words in results[case].message, f"{case}: {results[case].message}"


def test_processes_left_behind_are_killed(corpus_run):
    _, marker, _, _ = corpus_run
    assert marked_processes(marker) == []


def test_an_honest_student_passes_everything(corpus_run):
    run, *_ = corpus_run
    honest = by_name(run)["honest"]
    assert {k: r.status for k, r in honest.items()} == dict.fromkeys(honest, "pass")
    assert all(r.tests_passed == r.tests_total > 0 for r in honest.values())


def test_the_project_and_its_tests_are_untouched(corpus_run):
    run, _, _, before = corpus_run
    assert suite_digest() == before
    assert not any("changed" in w for w in run.warnings), run.warnings


def test_the_reports_validate(corpus_run):
    from test_grading import validate_gradescope, validate_junit, validate_student_json

    run, *_ = corpus_run
    report = json.loads((run.out / "report.json").read_text())
    assert report["complete"] is True
    assert len(report["students"]) == len(run.students)
    for student in report["students"]:
        validate_student_json(student)
        validate_junit((run.out / "junit" / f"{student['name']}.xml").read_text())
        validate_gradescope(
            json.loads((run.out / "gradescope" / student["name"] / "results.json").read_text())
        )
    rows = (run.out / "class.csv").read_text().splitlines()
    assert len(rows) == 1 + len(run.students)


# ------------------------------------------------------------------ long runs


@pytest.mark.slow
def test_thirty_copies_of_the_reference_all_pass_identically(tmp_path: Path):
    second = second_kata()
    katas = [HOSTILE_KATA] + ([second] if second else [])
    for i in range(30):
        build_student(tmp_path / "class" / f"s{i:02d}", None, second, "")
    run = grade(
        load_manifest(ROOT),
        sorted((tmp_path / "class").iterdir()),
        out=tmp_path / "out",
        katas=katas,
        jobs=2,
    )
    assert len(run.students) == 30
    rows = (tmp_path / "out" / "class.csv").read_text().splitlines()[1:]
    assert len(rows) == 30
    assert all(row.split(",")[1 : 1 + len(katas)] == ["pass"] * len(katas) for row in rows)

    def no_timing(student):
        return [
            (
                k["name"],
                k["status"],
                k["tests_passed"],
                k["message"],
                [(t["name"], t["status"], t.get("message", "")) for t in k["tests"]],
            )
            for k in student["katas"]
        ]

    report = json.loads((tmp_path / "out" / "report.json").read_text())
    first = no_timing(report["students"][0])
    assert all(no_timing(s) == first for s in report["students"])


@pytest.mark.slow
def test_grading_the_same_folder_twice_gives_the_same_report(tmp_path: Path):
    second = second_kata()
    katas = [HOSTILE_KATA] + ([second] if second else [])
    folders = [
        build_student(tmp_path / "class" / c, c, second, "x")
        for c in ("syntax_error", "patch_pytest")
    ]
    folders.append(build_student(tmp_path / "class" / "honest", None, second, "x"))
    reports = []
    for i in range(2):
        grade(load_manifest(ROOT), folders, out=tmp_path / f"out{i}", katas=katas, jobs=2)
        data = json.loads((tmp_path / f"out{i}" / "report.json").read_text())
        for s in data["students"]:
            s.pop("duration")
            s.pop("vm_peak_mb")  # a measurement, like the timings
            for k in s["katas"]:
                k.pop("duration")
                for t in k["tests"]:
                    t.pop("duration", None)
        reports.append(data["students"])
    assert reports[0] == reports[1]


@pytest.mark.slow
def test_the_corpus_without_namespaces(tmp_path: Path):
    """The fallback where the kernel refuses namespaces: process groups, a subreaper, limits."""
    marker = f"tfkata-hostile-{uuid.uuid4().hex[:10]}"
    chosen = [
        "os_exit_in_function",
        "spawn_process",
        "patch_pytest",
        "import_solutions",
        "print_50mb",
    ]
    folders = [build_student(tmp_path / "class" / c, c, None, marker) for c in chosen]
    run = grade(
        load_manifest(ROOT),
        folders,
        out=tmp_path / "out",
        katas=[HOSTILE_KATA],
        jobs=2,
        limits=Limits(timeout=TIMEOUT, namespaces=False),
    )
    assert run.isolation == "process-group"
    for student in run.students:
        assert student.katas[HOSTILE_KATA].status == cases()[student.name], student.katas[
            HOSTILE_KATA
        ]
    assert marked_processes(marker) == []
