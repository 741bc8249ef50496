"""Grading reports, written as each student finishes (atomically: a crash of the grader loses
no finished student):

- `report.json`: the whole run (settings, katas, every student; `complete` turns true at the end);
- `students/NAME.json`: one student, per kata a status in the spirit of exercism's results.json
  v3 (status, message, tests with name/status/message);
- `class.csv`: one row per student, one column per kata (its status), score, max_score, percent;
- `junit/NAME.xml`: JUnit XML per student (a testsuite per kata, a testcase per test);
- `gradescope/NAME/results.json` (or `results.json` when one student is graded): Gradescope's
  autograder format (score, execution_time, per-kata tests with score/max_score/status/output
  in Markdown, visibility; the integrity flags);
- `exercism/NAME/results.json` (or `results.json` for one student): exercism's test-runner
  results.json v3 (status, per-test name/status/message/output, `task_id` = the kata's number)
  plus GitHub Classroom's `max_score` and a `score` per test, as its grading reporter reads.

`student_from_json` reads a student back from report.json, so shard reports can be merged
(tfkata.grading.shards) into what one run over the whole class writes."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from tfkata.grading.grader import KataResult, StudentResult, TestOutcome

FORMATS = ("json", "csv", "junit", "gradescope", "exercism")
REPORT_VERSION = 1


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def score_of(student: StudentResult, weights: dict[str, float]) -> tuple[float, float]:
    score = sum(weights.get(k, 1.0) for k, r in student.katas.items() if r.status == "pass")
    total = sum(weights.get(k, 1.0) for k in student.katas)
    return round(score, 4), round(total, 4)


def kata_json(result: KataResult, weight: float) -> dict:
    data = asdict(result)
    data["weight"] = weight
    data["score"] = weight if result.status == "pass" else 0.0
    data["tests"] = [
        {k: v for k, v in t.items() if v != "" or k in ("name", "status")} for t in data["tests"]
    ]
    return data


def student_json(student: StudentResult, weights: dict[str, float]) -> dict:
    score, total = score_of(student, weights)
    statuses = [r.status for r in student.katas.values()]
    return {
        "name": student.name,
        "path": student.path,
        "status": "pass" if statuses and all(s == "pass" for s in statuses) else "fail",
        "score": score,
        "max_score": total,
        "passed": statuses.count("pass"),
        "katas_total": len(statuses),
        "duration": student.duration,
        "children": student.children,
        "isolation": student.isolation,
        "vm_peak_mb": student.vm_peak_mb,
        "warnings": student.warnings,
        "flags": flags_of(student),
        "katas": [kata_json(r, weights.get(k, 1.0)) for k, r in student.katas.items()],
    }


def class_csv(students: list[StudentResult], katas: list[str], weights: dict[str, float]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *katas, "passed", "score", "max_score", "percent", "flags"])
    for s in students:
        score, total = score_of(s, weights)
        writer.writerow(
            [
                s.name,
                *[s.katas[k].status if k in s.katas else "" for k in katas],
                sum(r.status == "pass" for r in s.katas.values()),
                f"{score:g}",
                f"{total:g}",
                f"{100 * score / total:.1f}" if total else "0.0",
                "; ".join(flags_of(s)),
            ]
        )
    return out.getvalue()


def junit_xml(student: StudentResult) -> str:
    suites = ET.Element("testsuites", name=f"tfkata grading: {student.name}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for kata, result in student.katas.items():
        suite = ET.SubElement(suites, "testsuite", name=kata)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        cases = [(t.name, t.status, t.message, t.duration) for t in result.tests]
        if not cases:  # missing, timeout, crash before any report: one case for the kata
            cases = [(kata, result.status, result.message, result.duration)]
        for name, status, message, duration in cases:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{student.name}.{kata}",
                name=name,
                time=f"{duration:.3f}",
            )
            counts["tests"] += 1
            if status == "pass":
                continue
            first = (message.splitlines() or [status])[0][:200]
            if status == "fail":
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=first, type="fail").text = message
            elif status == "skip":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=first)
            else:  # error, timeout, missing
                if result.status in ("timeout", "missing") and not result.tests:
                    first = f"{result.status}: {first}"
                counts["errors"] += 1
                ET.SubElement(case, "error", message=first, type=result.status).text = message + (
                    "\n" + result.output if result.output else ""
                )
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", str(counts["errors"]))
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", f"{result.duration:.3f}")
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("time", f"{student.duration:.3f}")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def flags_of(student: StudentResult) -> list[str]:
    """The integrity flags of a student (policy violations, tamper findings), as one-liners."""
    out = []
    for flag in getattr(student, "flags", None) or []:
        if isinstance(flag, dict):
            text = flag.get("message") or json.dumps(flag, sort_keys=True)
            out.append(f"{flag['kata']}: {text}" if flag.get("kata") else str(text))
        else:
            out.append(str(flag))
    return out


def _fence(text: str) -> str:
    """`text` as a Markdown code block that nothing inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text}\n{ticks}"


def _kata_markdown(result: KataResult) -> str:
    lines = [f"**{result.status}**: {result.tests_passed} of {result.tests_total} tests pass"]
    failing = [t for t in result.tests if t.status != "pass"] if result.status == "fail" else []
    if result.message and not failing:
        lines += ["", _fence(result.message)]
    for t in failing[:5]:
        text = t.message if len(t.message) <= 300 else t.message[:290].rstrip() + " …"
        lines += ["", f"`{t.name}` ({t.status})", "", _fence(text or t.status)]
    if len(failing) > 5:
        lines += ["", f"… and {len(failing) - 5} more failing tests"]
    if result.output and result.status != "fail":
        lines += ["", "What it printed (last lines):", "", _fence(result.output)]
    return "\n".join(lines)


def gradescope_json(
    student: StudentResult, weights: dict[str, float], titles: dict[str, str]
) -> dict:
    """Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder
    Specifications"): a test per kata, all-or-nothing for its weight, output in Markdown."""
    score, total = score_of(student, weights)
    tests = []
    for number, (kata, result) in enumerate(student.katas.items(), 1):
        weight = weights.get(kata, 1.0)
        tests.append(
            {
                "score": weight if result.status == "pass" else 0.0,
                "max_score": weight,
                "status": "passed" if result.status == "pass" else "failed",
                "name": f"{kata}: {titles.get(kata, kata)}",
                "number": str(number),
                "output": _kata_markdown(result),
                "output_format": "md",
                "tags": [result.status],
                "visibility": "visible",
                "extra_data": {
                    "tests_passed": result.tests_passed,
                    "tests_total": result.tests_total,
                },
            }
        )
    passed = sum(r.status == "pass" for r in student.katas.values())
    flags = flags_of(student)
    output = [f"{passed} of {len(student.katas)} katas pass ({score:g}/{total:g} points)."]
    if flags:
        output += ["", "**Integrity flags** (reviewed by your instructor):", ""]
        output += [f"- {_inline(f)}" for f in flags]
    return {
        "score": score,
        "execution_time": round(student.duration),
        "output": "\n".join(output),
        "output_format": "md",
        "test_output_format": "md",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"tfkata_isolation": student.isolation, "flags": flags},
    }


def _inline(text: str) -> str:
    """One line of untrusted text as inline Markdown code."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


EXERCISM_OUTPUT_CHARS = 500  # the interface's limit for a test's `output`


def exercism_json(student: StudentResult, katas: list[str], weights: dict[str, float]) -> dict:
    """exercism's test-runner results.json v3 (exercism/docs building/tooling/test-runners/
    interface.md), with GitHub Classroom's extensions its grading reporter reads: a top-level
    `max_score` and a `score` per test (a passing kata's weight shared among its tests).

    A kata whose tests ran (pass or fail) gives one entry per test, in the suite's order; a
    kata that could not be judged test by test (error, timeout, missing) gives one entry for
    the kata. `task_id` is the kata's number in the graded list (1-based)."""
    _, total = score_of(student, weights)
    tests: list[dict] = []
    for task_id, kata in enumerate(katas, 1):
        result = student.katas.get(kata)
        if result is None:
            continue
        weight = weights.get(kata, 1.0)
        if result.status in ("pass", "fail") and result.tests:
            n = len(result.tests)
            share = round(weight / n, 6) if result.status == "pass" else 0.0
            last = round(weight - share * (n - 1), 6) if result.status == "pass" else 0.0
            for i, t in enumerate(result.tests):
                entry = {
                    "name": f"{kata} > {t.name}",
                    "status": "pass" if t.status == "pass" else "fail",
                    "task_id": task_id,
                    "score": last if i == n - 1 else share,  # the shares add up to the weight
                }
                if t.status != "pass":
                    entry["message"] = t.message or ("skipped" if t.status == "skip" else t.status)
                tests.append(entry)
            continue
        entry = {
            "name": kata,
            "status": "fail" if result.status == "missing" else "error",
            "message": f"{result.status}: {result.message}" if result.message else result.status,
            "task_id": task_id,
            "score": 0.0,
        }
        if result.output:
            output = result.output
            if len(output) > EXERCISM_OUTPUT_CHARS:
                note = " [Output was truncated. Please limit to 500 chars]"
                output = output[: EXERCISM_OUTPUT_CHARS - len(note)] + note
            entry["output"] = output
        tests.append(entry)
    statuses = [r.status for r in student.katas.values()]
    if statuses and all(s == "pass" for s in statuses):
        status, message = "pass", None
    elif (
        statuses
        and not any(r.tests for r in student.katas.values())
        and any(s in ("error", "timeout") for s in statuses)
    ):
        status = "error"  # nothing could run test by test: say why at the top
        message = "; ".join(f"{k}: {r.status}: {r.message}" for k, r in student.katas.items())
    else:
        status, message = "fail", None
    flags = flags_of(student)
    if flags and status == "error":  # the interface wants no top-level message otherwise
        message = "; ".join([message, *("flag: " + f for f in flags)])
    return {
        "version": 3,
        "status": status,
        "message": message,
        "max_score": total,
        "tests": tests,
    }


# ------------------------------------------------------------------ reading a report back


def _pick(cls, data: dict) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def student_from_json(data: dict) -> StudentResult:
    """The StudentResult that `student_json` wrote (report.json's "students" entries)."""
    katas = {}
    for k in data["katas"]:
        kata = KataResult(**_pick(KataResult, k))
        kata.tests = [TestOutcome(**_pick(TestOutcome, t)) for t in k.get("tests", [])]
        katas[kata.name] = kata
    return StudentResult(**_pick(StudentResult, {**data, "katas": katas}))


class ReportWriter:
    """Everything in `out`, rewritten after each student."""

    def __init__(
        self,
        out: Path,
        formats: set[str],
        katas: list[str],
        weights: dict[str, float],
        titles: dict[str, str],
        header: dict,
        single: bool,
    ) -> None:
        self.out = out
        self.formats = formats
        self.katas = katas
        self.weights = weights
        self.titles = titles
        self.header = header
        self.single = single
        self.students: dict[str, StudentResult] = {}
        out.mkdir(parents=True, exist_ok=True)
        self._write_run(complete=False)

    def add(self, student: StudentResult) -> None:
        self.students[student.name] = student
        data = student_json(student, self.weights)
        _atomic_write(
            self.out / "students" / f"{student.name}.json", json.dumps(data, indent=2) + "\n"
        )
        if "junit" in self.formats:
            _atomic_write(self.out / "junit" / f"{student.name}.xml", junit_xml(student))
        if "gradescope" in self.formats:
            path = (
                self.out / "results.json"
                if self.single
                else self.out / "gradescope" / student.name / "results.json"
            )
            gs = gradescope_json(student, self.weights, self.titles)
            _atomic_write(path, json.dumps(gs, indent=2) + "\n")
        if "exercism" in self.formats:
            path = (
                self.out / "results.json"
                if self.single and "gradescope" not in self.formats
                else self.out / "exercism" / student.name / "results.json"
            )
            ex = exercism_json(student, self.katas, self.weights)
            _atomic_write(path, json.dumps(ex, indent=2) + "\n")
        self._write_run(complete=False)

    def ordered(self) -> list[StudentResult]:
        return [self.students[k] for k in sorted(self.students)]

    def _write_run(self, complete: bool, extra: dict | None = None) -> None:
        students = self.ordered()
        data = {
            "version": REPORT_VERSION,
            "kind": "tfkata-grading",
            **self.header,
            **(extra or {}),
            "complete": complete,
            "katas": [
                {"name": k, "title": self.titles.get(k, k), "weight": self.weights.get(k, 1.0)}
                for k in self.katas
            ],
            "students": [student_json(s, self.weights) for s in students],
        }
        _atomic_write(self.out / "report.json", json.dumps(data, indent=2) + "\n")
        if "csv" in self.formats:
            _atomic_write(self.out / "class.csv", class_csv(students, self.katas, self.weights))

    def finish(self, extra: dict) -> None:
        self._write_run(complete=True, extra=extra)
