"""Validators of the report formats grading platforms read: Gradescope's results.json
(autograder specifications) and exercism's results.json v3 (GitHub Classroom's grader)."""

from __future__ import annotations

import pytest

# ------------------------------------------------------------------ gradescope's fields

# gradescope/autograder_samples docs/specs.md ("Autograder Specifications", output format)
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
    """Only documented fields, with documented values; the score is the tests' total."""
    assert set(data) <= GRADESCOPE_TOP, set(data) - GRADESCOPE_TOP
    assert isinstance(data.get("score", 0), int | float)
    assert isinstance(data.get("execution_time", 0), int | float)
    assert isinstance(data.get("output", ""), str)
    assert data.get("visibility", "visible") in VISIBILITY
    assert data.get("stdout_visibility", "visible") in VISIBILITY
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert data.get(key, "text") in OUTPUT_FORMATS
    assert isinstance(data.get("extra_data", {}), dict)
    assert "score" in data or all("score" in t for t in data.get("tests", []))
    total = 0.0
    for test in data.get("tests", []):
        assert set(test) <= GRADESCOPE_TEST, set(test) - GRADESCOPE_TEST
        assert isinstance(test["score"], int | float)
        assert isinstance(test["max_score"], int | float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test.get("status", "passed") in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
        assert test.get("visibility", "visible") in VISIBILITY
        for key in ("output_format", "name_format"):
            assert test.get(key, "text") in OUTPUT_FORMATS
        assert isinstance(test.get("name", ""), str) and isinstance(test.get("output", ""), str)
        assert isinstance(test.get("number", ""), str)
        assert all(isinstance(t, str) for t in test.get("tags", []))
        assert isinstance(test.get("extra_data", {}), dict)
        total += test["score"]
    if data.get("tests"):
        assert data["score"] == pytest.approx(total)


# ------------------------------------------------------------------ exercism v3


def validate_exercism_v3(data: dict) -> None:
    """exercism/docs building/tooling/test-runners/interface.md (v3), plus GitHub Classroom's
    `max_score` and per-test `score` (classroom-resources/autograding-grading-reporter)."""
    allowed_top = {"version", "status", "message", "tests", "max_score"}
    allowed_test = {"name", "status", "message", "output", "test_code", "task_id", "score"}
    assert set(data) <= allowed_top, set(data) - allowed_top
    assert data["version"] == 3
    assert data["status"] in ("pass", "fail", "error")
    if data["status"] == "error":
        assert isinstance(data["message"], str) and data["message"]
    else:
        assert data.get("message") is None  # "either set the value to null or omit the key"
    assert isinstance(data["tests"], list)
    assert isinstance(data["max_score"], int | float) and data["max_score"] >= 0
    for test in data["tests"]:
        assert set(test) <= allowed_test, set(test) - allowed_test
        assert isinstance(test["name"], str) and test["name"]
        assert test["status"] in ("pass", "fail", "error")
        for key in ("message", "output", "test_code"):
            assert test.get(key) is None or isinstance(test[key], str)
        assert len(test.get("output") or "") <= 500
        assert isinstance(test.get("task_id", 1), int)
        assert 0 <= test.get("score", 0) <= data["max_score"]
    if data["status"] == "pass":
        assert all(t["status"] == "pass" for t in data["tests"])
    else:
        assert any(t["status"] != "pass" for t in data["tests"]) or data["status"] == "error"


def classroom_points(data: dict) -> float:
    """What the grading reporter's NotifyClassroom sends: the sum of the tests' scores."""
    return sum(t.get("score", 0) for t in data["tests"]) if data.get("max_score") else 0.0
