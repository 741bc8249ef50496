"""`kata verify`: mistakes are rejected for their own reason (the `Rejected by:` line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tfkata import runner
from tfkata import verify as verify_module
from tfkata.manifest import load_manifest
from tfkata.verify import node_ids_of_tests, rejected_by, verify

KATA = "gradient_of_square"


def _mistake(path: Path, doc: str) -> Path:
    path.write_text(f'"""{doc}"""\n\n\ndef square_grad(x):\n    return x\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("doc", "names"),
    [
        ("Wrong.\n\nRejected by: test_a, test_b", ["test_a", "test_b"]),
        ("Wrong.\nRejected by: test_a[float32-3], test_b.", ["test_a", "test_b"]),
        (
            "Wrong.\nRejected by: test_a,\n    test_b, test_c\nMore prose.",
            ["test_a", "test_b", "test_c"],
        ),
        ("Wrong, and nothing says which test.", None),
    ],
)
def test_rejected_by_reads_the_docstring_line(tmp_path: Path, doc: str, names):
    """The names of the `Rejected by:` line, [params] dropped, continuation lines included."""
    assert rejected_by(_mistake(tmp_path / "m.py", doc)) == names


def test_node_ids_cover_functions_and_test_classes(tmp_path: Path):
    """Test functions map to `tests/FILE::name`, methods of Test classes to FILE::Class::name."""
    path = tmp_path / "test_k.py"
    path.write_text(
        "def test_a(): pass\n\nclass TestB:\n    def test_c(self): pass\n\ndef helper(): pass\n",
        encoding="utf-8",
    )
    assert node_ids_of_tests(path) == {
        "test_a": "tests/test_k.py::test_a",
        "test_c": "tests/test_k.py::TestB::test_c",
    }


# ---- the verdict, with pytest runs replaced by a fake that reads the mistakes' "# fails:" comment


def _fake_run_pytest(root: Path, katas, impl_dir: Path, *, extra_args=(), **_) -> runner.RunReport:
    """Reference and alternates pass, the stub fails with NotImplementedError, a mistake fails
    the tests its `# fails: test_x test_y` comment names (among those asked for)."""
    names = list(node_ids_of_tests(root / "tests" / f"test_{KATA}.py"))
    asked = [a.split("::")[-1] for a in extra_args if "::" in a] or names
    text = (impl_dir / f"{KATA}.py").read_text(encoding="utf-8")
    fails = set(re.findall(r"# fails: (.*)", text)[0].split()) if "# fails:" in text else set()
    stub = "raise NotImplementedError" in text and impl_dir.name == "stubs"
    tests = []
    for name in asked:
        failed = stub or name in fails
        reason = "not_implemented" if stub else ("exception" if failed else None)
        tests.append(
            runner.TestResult(
                nodeid=f"tests/test_{KATA}.py::{name}",
                kata=KATA,
                test=name,
                doc="",
                outcome="failed" if failed else "passed",
                reason=reason,
                message="boom" if failed else "",
                duration=0.0,
            )
        )
    return runner.RunReport(exitstatus=1, duration=0.0, tests=tests)


@pytest.fixture
def fake_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    names = list(node_ids_of_tests(project / "tests" / f"test_{KATA}.py"))
    first, second = names[0], names[1]
    folder = project / "tests" / "mistakes" / KATA
    folder.mkdir(parents=True)
    cases = {
        "right_reason": (f"Right.\nRejected by: {first}", first),
        "wrong_reason": (f"Wrong reason.\nRejected by: {first}", second),
        "not_caught": (f"Nobody.\nRejected by: {first}", ""),
        "unnamed": ("No line at all.", second),
    }
    for slug, (doc, fails) in cases.items():
        path = _mistake(folder / f"{slug}.py", doc)
        path.write_text(path.read_text(encoding="utf-8") + f"# fails: {fails}\n", encoding="utf-8")
    alt = project / "tests" / "alternates" / KATA
    alt.mkdir(parents=True)
    (alt / "same.py").write_text('"""The same."""\n', encoding="utf-8")
    monkeypatch.setattr(verify_module, "run_pytest", _fake_run_pytest)
    return project


def _verify(project: Path, capsys, **kwargs) -> tuple[int, str]:
    code = verify(load_manifest(project), names=[KATA], workers=1, mutation=False, **kwargs)
    return code, capsys.readouterr().out


def test_a_mistake_must_fail_one_of_its_named_tests(fake_project: Path, capsys):
    """Named tests failing: caught; another test failing: 'caught for the wrong reason';
    nothing failing: 'no test rejects it'; no line: a problem."""
    code, out = _verify(fake_project, capsys)
    assert code == 1
    assert "mistake right_reason" not in out
    assert re.search(r"mistake wrong_reason: caught for the wrong reason: test_\w+ fails", out)
    assert "mistake not_caught: no test rejects it" in out
    assert "1 mistakes without a `Rejected by:` line: unnamed" in out
    assert "note: 1 mistakes" not in out
    assert "mistake unnamed" not in out


def test_a_named_test_that_does_not_exist_is_a_problem(fake_project: Path, capsys):
    """`Rejected by: test_nope` names no test of the file: verify says so."""
    folder = fake_project / "tests" / "mistakes" / KATA
    _mistake(folder / "typo.py", "Typo.\nRejected by: test_nope")
    _, out = _verify(fake_project, capsys)
    assert "mistake typo: `Rejected by:` names test_nope, not a test of" in out


def test_min_mistakes_is_a_module_constant():
    """The lead raises MIN_MISTAKES at the end; it is a plain module constant."""
    assert isinstance(verify_module.MIN_MISTAKES, int) and verify_module.MIN_MISTAKES >= 3
