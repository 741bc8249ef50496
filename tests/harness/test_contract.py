"""The contract check (tfkata.contract, `kata contract`, part of `kata verify`): kata files
against docs/katas.md, statically."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tfkata import contract
from tfkata.cli import main
from tfkata.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]

SPEC = """\
# Catalogue

## Chapter 1: things

### `toy`
- `scale(x, factor=2.0) -> tf.Tensor`: multiplies; `len(x)` is not a kata function.
- `fit(X, y, *, steps=1_000, lr=0.1)`, `more(a)`: a long
  bullet that wraps; it calls `scale(X, 3)` and returns `step(x) -> loss`, which are prose.
- `class Counter(keras.metrics.Metric)`: `update_state(y_true, y_pred, sample_weight=None)`,
  `result()`, `reset_state()`.

### `empty`
- nothing in backticks names an API here.

## Notes
- `ignored(a)`: outside any kata section.
"""

GOOD = """\
import keras


def scale(x, factor=2.0):
    return x * factor


def fit(X, y, *, steps=1000, lr=0.1):
    return X


def more(a):
    return a


class Counter(keras.metrics.Metric):
    def update_state(self, y_true, y_pred, sample_weight=None):
        pass

    def result(self):
        return 0

    def reset_state(self):
        pass
"""


def test_parse_reads_functions_wrapped_bullets_and_class_methods():
    spec = contract.parse_contract(SPEC)
    assert set(spec) == {"toy", "empty"}
    toy = spec["toy"]
    assert toy.funcs == {
        "scale": [("x", None), ("factor", "2.0")],
        "fit": [("X", None), ("y", None), ("steps", "1_000"), ("lr", "0.1")],
        "more": [("a", None)],
    }
    assert "len" not in toy.funcs and "ignored" not in toy.funcs and "step" not in toy.funcs
    assert toy.classes == {
        "Counter": {
            "update_state": [("y_true", None), ("y_pred", None), ("sample_weight", "None")],
            "result": [],
            "reset_state": [],
        }
    }


def _folder(tmp_path: Path, source: str) -> tuple[Path, Path]:
    root = tmp_path / "suite"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "katas.md").write_text(SPEC, encoding="utf-8")
    folder = root / "katas"
    folder.mkdir()
    (folder / "toy.py").write_text(source, encoding="utf-8")
    return root, folder


def test_a_matching_file_passes_and_1_000_equals_1000(tmp_path: Path):
    root, folder = _folder(tmp_path, GOOD)
    result = contract.check(root, [folder])
    assert result.problems == [] and result.checked == 1
    assert result.missing == ["katas/empty.py"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("def scale(x, factor=2.0)", "def scale(y, factor=2.0)"),
            "parameter 'y' where the contract has 'x'",
        ),
        (("factor=2.0)", "factor=3.0)"), "factor defaults to 3.0 where the contract says 2.0"),
        (("def more(a)", "def less(a)"), "missing function more"),
        (("def fit(X, y, *, steps=1000, lr=0.1)", "def fit(X, y, steps=1000)"), "parameters"),
        (("    def result(self):", "    def value(self):"), "class Counter has no method result"),
        (("class Counter(", "class Count("), "missing class Counter"),
        (("def scale(x, factor=2.0):", "def scale(x, factor=2.0)"), "syntax error"),
    ],
)
def test_each_kind_of_mismatch_is_reported(tmp_path: Path, change, expected):
    root, folder = _folder(tmp_path, GOOD.replace(*change, 1))
    problems = contract.check(root, [folder]).problems
    assert problems and all(p.startswith("katas/toy.py: ") for p in problems)
    assert any(expected in p for p in problems), problems


def test_extra_star_args_and_methods_self_are_allowed(tmp_path: Path):
    source = GOOD.replace("def more(a):", "def more(a, *rest, **options):")
    root, folder = _folder(tmp_path, source)
    assert contract.check(root, [folder]).problems == []


def test_manifest_and_contract_must_name_the_same_katas(tmp_path: Path):
    root, folder = _folder(tmp_path, GOOD)
    problems = contract.check(root, [folder], manifest_names=["toy", "extra"]).problems
    assert "docs/katas.md: no section for kata extra (info.toml has it)" in problems
    assert "docs/katas.md: kata empty is not in info.toml" in problems
    assert "docs/katas.md: kata empty names no function or class" in problems


def test_the_projects_katas_and_solutions_match_the_contract_quickly():
    started = time.perf_counter()
    result = contract.check(ROOT, manifest_names=load_manifest(ROOT).names())
    assert result.problems == []
    assert result.checked == 2 * len(load_manifest(ROOT).katas)
    assert time.perf_counter() - started < 2.0


def test_kata_contract_command_reports_a_changed_signature(project: Path, capsys, tmp_path):
    shutil.copytree(ROOT / "docs", project / "docs")
    assert main(["contract"]) == 0
    assert "0 mismatches" in capsys.readouterr().out
    student = tmp_path / "student"
    shutil.copytree(project / "solutions", student)
    path = student / "himmelblau.py"
    path.write_text(path.read_text().replace("def himmelblau(", "def himmelblau_(", 1))
    assert main(["contract", str(student), "--kata", "himmelblau"]) == 1
    out = capsys.readouterr().out
    assert "himmelblau.py: missing function himmelblau" in out
    assert "1 kata files checked, 1 mismatches" in out
    assert main(["contract", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("kata: no folder")


def test_verify_lint_includes_the_contract(project: Path):
    from tfkata.verify import lint

    shutil.copytree(ROOT / "docs", project / "docs")
    manifest = load_manifest(project)
    stub = project / "katas" / "himmelblau.py"
    stub.write_text(stub.read_text().replace("def himmelblau(", "def himmelblau_(", 1))
    problems = lint(manifest, manifest.names(), whole=True)
    assert "contract: katas/himmelblau.py: missing function himmelblau" in problems
