"""Grading reports, written as each student finishes (atomically: a crash of the grader loses
no finished student):

- `report.json`: the whole run (settings, katas, every student; `complete` turns true at the end);
- `students/NAME.json`: one student, per kata a status in the spirit of exercism's results.json
  v3 (status, message, tests with name/status/message);
- `class.csv`: one row per student, one column per kata (its status), score, max_score, percent;
- `junit/NAME.xml`: JUnit XML per student (a testsuite per kata, a testcase per test);
- `gradescope/NAME/results.json` (or `results.json` when one student is graded): Gradescope's
  autograder format (score, execution_time, per-kata tests with score/max_score/status/output)."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from tfkata.grading.grader import KataResult, StudentResult

FORMATS = ("json", "csv", "junit", "gradescope")
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
        "katas": [kata_json(r, weights.get(k, 1.0)) for k, r in student.katas.items()],
    }


def class_csv(students: list[StudentResult], katas: list[str], weights: dict[str, float]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *katas, "passed", "score", "max_score", "percent"])
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


def gradescope_json(
    student: StudentResult, weights: dict[str, float], titles: dict[str, str]
) -> dict:
    score, total = score_of(student, weights)
    tests = []
    for number, (kata, result) in enumerate(student.katas.items(), 1):
        weight = weights.get(kata, 1.0)
        lines = [f"{result.status}: {result.tests_passed}/{result.tests_total} tests pass"]
        failing = [t for t in result.tests if t.status != "pass"] if result.status == "fail" else []
        if result.message and not failing:
            lines.append(result.message)
        for t in failing[:5]:
            text = t.message if len(t.message) <= 300 else t.message[:290].rstrip() + " …"
            lines.append(f"- {t.name}: {text}")
        if len(failing) > 5:
            lines.append(f"... and {len(failing) - 5} more failing tests")
        tests.append(
            {
                "score": weight if result.status == "pass" else 0.0,
                "max_score": weight,
                "status": "passed" if result.status == "pass" else "failed",
                "name": f"{kata}: {titles.get(kata, kata)}",
                "number": str(number),
                "output": "\n".join(lines),
                "tags": [result.status],
                "visibility": "visible",
            }
        )
    passed = sum(r.status == "pass" for r in student.katas.values())
    return {
        "score": score,
        "execution_time": round(student.duration),
        "output": f"{passed} of {len(student.katas)} katas pass ({score:g}/{total:g} points).",
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"tfkata_isolation": student.isolation},
    }


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
