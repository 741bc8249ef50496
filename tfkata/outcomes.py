"""One test's outcome: the entry both the learner's JSON report (`--kata-report`, in
tfkata.pytest_plugin) and the grading plugin (tfkata.grading.sandbox_plugin) build, from the
pytest reports of its phases (in the spirit of exercism's runner/data.py).

    {"nodeid", "kata", "test", "doc", "outcome", "reason", "cause", "when", "message",
     "duration"}

- outcome: passed | failed (the test's own body failed) | error (setup or teardown failed)
  | skipped | xfailed | xpassed. Only "passed" counts as a pass anywhere.
- reason: why a test did not pass, set where it happens (tfkata.messages.summarize, or here):
  assertion, exception, not_implemented, missing, load_error, skipped, xfail.
- cause: what the exception itself says beyond that, as a value (never recovered from the
  message's text): imports_reference, out_of_memory, suite_skip (set by the grading plugin:
  the suite's own pytest.skip or marker, not kata code), or None.
- when: the phase that decided a non-pass (setup | call | teardown), "" when passed.
- message: what a learner reads, at most MESSAGE_CHARS characters."""

from __future__ import annotations

MESSAGE_CHARS = 800
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
ASSERTION = "assertion"
EXCEPTION = "exception"
NOT_IMPLEMENTED = "not_implemented"
MISSING = "missing"
LOAD_ERROR = "load_error"
IMPORTS_REFERENCE = "imports_reference"
OUT_OF_MEMORY = "out_of_memory"
SKIPPED = "skipped"
XFAIL = "xfail"
SUITE_SKIP = "suite_skip"  # a skip the suite itself declares (pytest.skip in tests/, a marker)
REASONS = (ASSERTION, EXCEPTION, NOT_IMPLEMENTED, MISSING, LOAD_ERROR, SKIPPED, XFAIL)
CAUSES = (IMPORTS_REFERENCE, OUT_OF_MEMORY, SUITE_SKIP)
# the user_properties keys tfkata.pytest_plugin sets on each report
KATA_KEY, DOC_KEY, REASON_KEY, CAUSE_KEY, MESSAGE_KEY = (
    "tfkata_kata",
    "tfkata_doc",
    "tfkata_reason",
    "tfkata_cause",
    "tfkata_message",
)


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 2].rstrip() + " …"


def _tail(text: str) -> str:
    """A traceback's end says most: its last MESSAGE_CHARS characters."""
    text = str(text)
    return text if len(text) <= MESSAGE_CHARS else "… " + text[-(MESSAGE_CHARS - 2) :]


def new_entry(nodeid: str, kata: str | None = None, doc: str = "") -> dict:
    return {
        "nodeid": nodeid,
        "kata": kata,
        "test": nodeid.split("::")[-1],
        "doc": doc,
        "outcome": "passed",
        "reason": None,
        "cause": None,
        "when": "",
        "message": "",
        "duration": 0.0,
    }


def update_entry(entry: dict, report) -> dict:
    """Fold one phase's pytest TestReport into `entry` (the first non-pass phase decides)."""
    props = dict(report.user_properties)
    if entry.get("kata") is None:
        entry["kata"] = props.get(KATA_KEY)
    if not entry.get("doc"):
        entry["doc"] = props.get(DOC_KEY, "") or ""
    entry["duration"] = round(entry["duration"] + report.duration, 4)
    xfail = hasattr(report, "wasxfail")
    if entry["outcome"] not in ("passed", "skipped", "xfailed"):
        return entry  # already failed: the first failure decides
    if report.failed:
        entry["outcome"] = "failed" if report.when == "call" else "error"
        entry["reason"] = props.get(REASON_KEY, EXCEPTION)
        entry["cause"] = props.get(CAUSE_KEY)
        given = props.get(MESSAGE_KEY)
        entry["message"] = _short(given) if given else _tail(str(report.longrepr))
        entry["when"] = report.when
    elif report.skipped and entry["outcome"] == "passed":
        longrepr = report.longrepr
        text = str(longrepr[-1]) if isinstance(longrepr, tuple) else str(longrepr or "")
        if xfail:
            entry["outcome"], entry["reason"] = "xfailed", XFAIL
            text = f"marked as expected to fail ({report.wasxfail or 'pytest.xfail'})"
        else:
            entry["outcome"], entry["reason"] = "skipped", SKIPPED
            entry["cause"] = props.get(CAUSE_KEY)
        entry["message"] = _short(text)
        entry["when"] = report.when
    elif report.passed and xfail and entry["outcome"] == "passed":
        entry["outcome"], entry["reason"], entry["when"] = "xpassed", XFAIL, report.when
        entry["message"] = "marked as expected to fail, and passed"
    return entry


def cause_of(exc: BaseException | None) -> str | None:
    """imports_reference or out_of_memory when the exception (or what it wraps) says so."""
    seen = 0
    while exc is not None and seen < 8:
        seen += 1
        name = type(exc).__name__
        if name == "ReferenceImportRefused":
            return IMPORTS_REFERENCE
        if isinstance(exc, MemoryError) or name == "ResourceExhaustedError":
            return OUT_OF_MEMORY
        exc = exc.__cause__ or exc.__context__
    return None
