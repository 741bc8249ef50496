"""The grader against hostile submissions (tests/harness/hostile/), and on honest classes.

The corpus runs by default on one cheap kata (gradient_of_square), with an honest second kata
beside the hostile ones that crash or stop the test process, to show that the student's other
katas are still graded normally. Every case is graded with the kata-file policy on (the `#
expect:` status); the cases with a `# without-policy:` line are graded a second time with the
policy off, so the defences behind it (the sandbox, the channel, the integrity checks, the
read-only yardsticks) are tested on their own. Each student costs at least one TensorFlow start
(a policy refusal costs none), so each run grades its whole corpus in one call, two at a time."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sysconfig
import uuid
from pathlib import Path

import pytest

from tfkata.grading import Limits, grade
from tfkata.manifest import load_manifest
from tfkata.policy import check_source

# The corpus grades ~30 student folders (a TensorFlow start-up each, three 15 s endless loops):
# a few minutes on 2 cores, so it runs in CI's own step (`pytest -m hostile`), not by default.
pytestmark = pytest.mark.hostile

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "hostile"
HOSTILE_KATA = "gradient_of_square"
# katas whose tests are quick; the first one present is the honest second kata
CHEAP_SECOND = ("char_vocab", "discretize", "shapes_and_params", "activation_gradients")
# hostile cases that end or stop the test process: their student also holds an honest kata
WITH_SECOND = {"os_exit_in_function", "loop_in_function", "spawn_process"}
TIMEOUT = 15.0  # per kata: each endless loop costs this much; the honest katas here need ~2 s
RUNTIME = "-without-policy"  # suffix of the students graded with the kata-file policy off


def cases() -> dict[str, str]:
    """case -> expected status with the policy on, from the `# expect:` line of each file."""
    found = {}
    for folder in sorted(p for p in CORPUS.iterdir() if (p / f"{HOSTILE_KATA}.py").is_file()):
        text = (folder / f"{HOSTILE_KATA}.py").read_text()
        found[folder.name] = re.search(r"^# expect: (\w+)", text, re.M).group(1)
    return found


def runtime_cases() -> dict[str, str]:
    """case -> expected status with the policy off (the `# without-policy:` line)."""
    found = {}
    for case in cases():
        text = (CORPUS / case / f"{HOSTILE_KATA}.py").read_text()
        match = re.search(r"^# without-policy: (\w+)", text, re.M)
        if match:
            found[case] = match.group(1)
    return found


def second_kata() -> str | None:
    for name in CHEAP_SECOND:
        if (ROOT / "tests" / f"test_{name}.py").is_file() and (
            ROOT / "solutions" / f"{name}.py"
        ).is_file():
            return name
    return None


def fill(text: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    return text


def build_student(
    dest: Path, case: str | None, second: str | None, places: dict[str, str] | str
) -> Path:
    """A student folder: the reference kata with the case's override appended (or the plain
    reference for an honest student), and an honest copy of `second`. `places` fills in the
    case's {PLACEHOLDERS} (a str: the marker)."""
    if isinstance(places, str):
        places = {"MARKER": places, "PROJECT_ROOT": str(ROOT)}
    dest.mkdir(parents=True)
    reference = (ROOT / "solutions" / f"{HOSTILE_KATA}.py").read_text()
    text = reference
    if case is not None:
        override = fill((CORPUS / case / f"{HOSTILE_KATA}.py").read_text(), places)
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


def write_targets(places: dict[str, str]) -> list[Path]:
    """Where write_outside_the_sandbox may leave a marker file if a write got through."""
    marker = f"tfkata-hostile-{places['MARKER']}"
    dirs = ("SITE_PACKAGES", "PYTHON_HOME", "PROJECT_ROOT", "OTHER_STUDENT", "HOME")
    return [Path(places[d]) / marker for d in dirs] + [ROOT / "tfkata" / "grading" / marker]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    second = second_kata()
    marker = f"tfkata-hostile-{uuid.uuid4().hex[:10]}"
    classroom = tmp_path_factory.mktemp("class")
    copy = tmp_path_factory.mktemp("elsewhere") / "solutions"  # another copy of the reference
    shutil.copytree(ROOT / "solutions", copy, ignore=shutil.ignore_patterns("__pycache__"))
    places = {
        "MARKER": marker,
        "PROJECT_ROOT": str(ROOT),
        "SOLUTIONS_COPY": str(copy),
        "SITE_PACKAGES": sysconfig.get_paths()["purelib"],
        "PYTHON_HOME": os.path.realpath(os.sys.base_prefix),
        "OTHER_STUDENT": str(classroom / "honest"),
        "HOME": os.path.expanduser("~"),
    }
    before_files = {p: p.read_bytes() for p in (ROOT / "conftest.py", ROOT / "info.toml")}
    for case in cases():
        text = fill((CORPUS / case / f"{HOSTILE_KATA}.py").read_text(), places)
        runs = not check_source(text)  # refused by the policy: no process, no second kata
        with_second = second if case in WITH_SECOND and runs else None
        build_student(classroom / case, case, with_second, places)
    build_student(classroom / "honest", None, second, places)
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
    runtime_class = tmp_path_factory.mktemp("class-without-policy")
    for case in runtime_cases():
        with_second = second if case in WITH_SECOND else None
        build_student(runtime_class / f"{case}{RUNTIME}", case, with_second, places)
    runtime = grade(
        load_manifest(ROOT),
        sorted(p for p in runtime_class.iterdir()),
        out=tmp_path_factory.mktemp("reports-without-policy"),
        katas=katas,
        jobs=2,
        limits=Limits(timeout=TIMEOUT, startup=180, kata_policy=False),
    )
    return run, marker, second, before, runtime, places, before_files


@pytest.mark.parametrize("case", sorted(cases()))
def test_a_hostile_kata_gets_its_non_pass_status(corpus_run, case):
    run, _, second, *_ = corpus_run
    result = by_name(run)[case][HOSTILE_KATA]
    assert result.status == cases()[case], f"{case}: {result.status}: {result.message}"
    assert result.status != "pass"
    assert result.message, "a non-pass status says why"
    other = by_name(run)[case].get(second)
    if case in WITH_SECOND and other is not None and other.status != "missing":
        assert other.status == "pass", (
            f"{case}: the honest {second} got {other.status}: {other.message}"
        )


@pytest.mark.parametrize("case", sorted(runtime_cases()))
def test_without_the_policy_the_defences_behind_it_hold(corpus_run, case):
    _, _, second, _, runtime, *_ = corpus_run
    katas = by_name(runtime)[f"{case}{RUNTIME}"]
    result = katas[HOSTILE_KATA]
    assert result.status == runtime_cases()[case], f"{case}: {result.status}: {result.message}"
    assert result.message
    if case in WITH_SECOND and second:
        assert katas[second].status == "pass", f"{case}: {katas[second].message}"


POLICY_MESSAGES = {
    "syntax_error": "SyntaxError",
    "import_error": "imports tensorflow_kata_helpers_that_do_not_exist",
    "sys_exit_at_import": "imports sys",
    "import_solutions": "imports solutions",
    "star_import_solutions": "imports solutions",
    "allocate_30gb": "memory",
    "os_exit_in_function": "uses os._exit",
    "print_50mb": "MB of output",
    "write_test_files": "imports sys",
    "delete_test_files": "imports sys",
    "patch_pytest": "imports _pytest",
    "patch_test_module": "imports sys",
    "patch_grader": "imports _pytest",
    "forge_report": "imports json",
    "spawn_process": "imports subprocess",
    "loop_at_import": "longer than",
    "loop_in_function": "longer than",
    "read_solutions": "uses exec",
    "xfail_in_function": "imports pytest",
    "skip_from_kata_code": "were skipped by kata code",
    "forge_via_gc_and_exit": "imports gc",
    "forge_via_caller_frame": "imports sys",
    "patch_json_dumps": "imports json",
    "patch_numpy_isclose": "assigns np.isclose: kata code must not change the libraries it uses",
    "swap_keras_dense": "assigns keras.layers.Dense",
    "patch_tf_math": "assigns tf.math.multiply",
    "vacuous_hypothesis_settings": "imports sys",
    "read_solutions_copy": "No such file",
}
RUNTIME_MESSAGES = {
    "sys_exit_at_import": "SystemExit",
    "os_exit_in_function": "exited with code 0",
    "patch_pytest": "harness was modified",
    "patch_grader": "harness was modified",
    "patch_test_module": "harness was modified",
    "forge_report": "report channel",
    "spawn_process": "still running",
    "xfail_in_function": "xfail",
    "forge_via_caller_frame": "harness was modified",
    "patch_json_dumps": "must not change the libraries it uses: json.dumps",
    "patch_numpy_isclose": "must not change the libraries it uses: numpy.isclose",
    "swap_keras_dense": "must not change the libraries it uses",
    "patch_tf_math": "must not change the libraries it uses",
    "vacuous_hypothesis_settings": "of test",
}


def test_the_messages_say_what_happened(corpus_run):
    run, _, _, _, runtime, *_ = corpus_run
    results = {name: katas[HOSTILE_KATA] for name, katas in by_name(run).items()}
    for case, words in POLICY_MESSAGES.items():
        assert words in results[case].message, f"{case}: {results[case].message}"
    results = {name: katas[HOSTILE_KATA] for name, katas in by_name(runtime).items()}
    messages = dict(RUNTIME_MESSAGES)
    read_only = runtime.isolation == "bwrap"  # the suite's copy cannot even be written
    for case in ("write_test_files", "delete_test_files"):
        messages[case] = "Read-only file system" if read_only else "test suite's files were"
    for case, words in messages.items():
        message = results[f"{case}{RUNTIME}"].message
        assert words in message, f"{case} without the policy: {message}"


def test_what_was_tried_is_flagged_for_the_instructor(corpus_run):
    run, _, _, _, runtime, *_ = corpus_run
    flags = {s.name: s.flags for s in run.students + runtime.students}
    assert flags["honest"] == []
    for case in ("patch_numpy_isclose", "forge_via_gc_and_exit", "skip_from_kata_code"):
        assert flags[case], case
    assert any("policy:" in f for f in flags["patch_numpy_isclose"])
    for case in ("patch_numpy_isclose", "vacuous_hypothesis_settings", "xfail_in_function"):
        assert flags[f"{case}{RUNTIME}"], case
    report = json.loads((run.out / "report.json").read_text())
    assert {s["name"]: bool(s["flags"]) for s in report["students"]}["patch_numpy_isclose"]
    header = (run.out / "class.csv").read_text().splitlines()[0]
    assert header.endswith(",flags")


def test_the_sandbox_is_bubblewrap_where_it_is_installed(corpus_run):
    run, *_ = corpus_run
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed here")
    assert run.isolation == "bwrap"
    assert json.loads((run.out / "report.json").read_text())["isolation"] == "bwrap"


def test_nothing_outside_the_sandbox_can_be_written(corpus_run):
    run, _, _, _, _, places, _ = corpus_run
    result = by_name(run)["write_outside_the_sandbox"][HOSTILE_KATA]
    for path in write_targets(places):
        assert not path.exists(), f"a run wrote {path}"
    if run.isolation != "bwrap":
        pytest.xfail(f"only bubblewrap shows an allow-list, read-only (here: {run.isolation})")
    said = [t.message for t in result.tests if "writable:" in t.message]
    assert said, result.message
    for message in said:  # inside, only the private, throwaway /tmp may be writable (a project
        # cloned under /tmp lies there: it is not bound, so a write lands in the private /tmp)
        found = message.split("writable:", 1)[1].splitlines()[0].split(";")[0].strip()
        assert found == "none" or all(p.strip().startswith("/tmp/") for p in found.split(", ")), (
            message
        )


def test_a_copy_of_the_reference_elsewhere_cannot_be_read(corpus_run):
    run, *_ = corpus_run
    result = by_name(run)["read_solutions_copy"][HOSTILE_KATA]
    assert result.status == "error" and "No such file" in result.message, result.message


def test_processes_left_behind_are_killed(corpus_run):
    _, marker, *_ = corpus_run
    assert marked_processes(marker) == []


def test_an_honest_student_passes_everything(corpus_run):
    run, *_ = corpus_run
    honest = by_name(run)["honest"]
    assert {k: r.status for k, r in honest.items()} == dict.fromkeys(honest, "pass")
    assert all(r.tests_passed == r.tests_total > 0 for r in honest.values())


def test_the_project_and_its_tests_are_untouched(corpus_run):
    run, _, _, before, *_ = corpus_run
    assert suite_digest() == before
    assert not any("changed" in w for w in run.warnings), run.warnings


def test_the_reports_validate(corpus_run):
    from report_formats import validate_gradescope
    from test_grading import validate_junit, validate_student_json

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
        limits=Limits(timeout=TIMEOUT, namespaces=False, kata_policy=False),
    )
    assert run.isolation == "process-group"
    for student in run.students:
        expected = runtime_cases().get(student.name, cases()[student.name])
        assert student.katas[HOSTILE_KATA].status == expected, student.katas[HOSTILE_KATA]
    assert marked_processes(marker) == []


@pytest.mark.slow
def test_the_corpus_in_the_namespace_fallback(tmp_path: Path):
    """Where bubblewrap is missing: Linux namespaces hide the project (a deny-list) and lock it."""
    marker = f"tfkata-hostile-{uuid.uuid4().hex[:10]}"
    chosen = ["read_solutions", "spawn_process", "os_exit_in_function", "patch_numpy_isclose"]
    folders = [build_student(tmp_path / "class" / c, c, None, marker) for c in chosen]
    run = grade(
        load_manifest(ROOT),
        folders,
        out=tmp_path / "out",
        katas=[HOSTILE_KATA],
        jobs=2,
        limits=Limits(timeout=TIMEOUT, isolation="namespaces", kata_policy=False),
    )
    assert run.isolation in ("namespaces", "pid-namespace", "process-group")
    for student in run.students:
        assert student.katas[HOSTILE_KATA].status == "error", student.katas[HOSTILE_KATA]
    assert marked_processes(marker) == []
