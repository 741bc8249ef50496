"""Results do not depend on xdist's split of tests over workers, nor on test order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfkata.manifest import load_manifest
from tfkata.verify import compose_variant, variants

ROOT = Path(__file__).resolve().parents[2]
KATAS = ("gradient_of_square",)


def outcomes(
    folder: Path, report: Path, *extra: str, katas: tuple[str, ...] = KATAS
) -> dict[str, tuple[str, str]]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--impl={folder}",
            f"--kata-report={report}",
            *(f"tests/test_{k}.py" for k in katas),
            *extra,
        ],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        timeout=1800,
        check=False,
    )
    data = json.loads(report.read_text())
    return {t["nodeid"]: (t["outcome"], t["message"]) for t in data["tests"]}


def first_mistakes(folder: Path, katas: tuple[str, ...]) -> Path:
    folder.mkdir()
    for kata in katas:
        mistake = variants(ROOT, "mistakes", kata)[0]
        (folder / f"{kata}.py").write_text(
            compose_variant(ROOT / "solutions" / f"{kata}.py", mistake)
        )
    return folder


@pytest.mark.e2e
def test_serial_and_parallel_runs_agree_on_a_failing_variant(tmp_path: Path):
    """With a shipped mistake (so that some tests fail and hypothesis reports falsifying
    examples), a serial run and a `-n 2` run give the same outcome and message for every test."""
    folder = first_mistakes(tmp_path / "variant", KATAS)
    serial = outcomes(folder, tmp_path / "serial.json")
    parallel = outcomes(folder, tmp_path / "parallel.json", "-n", "2")
    assert serial, "no test ran"
    assert any(o == "failed" for o, _ in serial.values()), "the mistake should fail some test"
    assert serial == parallel


@pytest.mark.slow
def test_every_kata_gives_the_same_results_in_any_order_and_split(tmp_path: Path):
    """Every kata's first mistake, run serially in catalogue order, serially in reverse order,
    and with `-n 2`: the same outcome and message for every test (about 4 minutes)."""
    katas = tuple(load_manifest(ROOT).names())
    folder = first_mistakes(tmp_path / "variant", katas)
    forward = outcomes(folder, tmp_path / "forward.json", katas=katas)
    backward = outcomes(folder, tmp_path / "backward.json", katas=katas[::-1])
    parallel = outcomes(folder, tmp_path / "parallel.json", "-n", "2", katas=katas)
    assert sum(o == "failed" for o, _ in forward.values()) >= len(katas)
    assert backward == forward
    assert parallel == forward


PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import conftest  # the project's hypothesis profiles
from hypothesis import given, strategies as st

if sys.argv[2] == "with-extra-module":
    import module_full_of_constants  # noqa: F401

drawn = []


@given(st.lists(st.floats(-1e4, 1e4), min_size=30, max_size=30), st.integers(-10**6, 10**6))
def probe(xs, n):
    drawn.append([xs, n])


probe()
print(json.dumps(drawn))
"""


def test_derandomized_examples_do_not_depend_on_which_modules_are_loaded(tmp_path: Path):
    """Hypothesis mixes in constants it finds in every loaded local module (a test module, a
    kata file), so the examples one test sees could change with test order, xdist's split or
    the folder under test. The project's derandomized profiles must not."""
    (tmp_path / "probe.py").write_text(PROBE)
    constants = ", ".join(f"{i}.{i + 1}5, {1000 + 7 * i}" for i in range(200))
    (tmp_path / "module_full_of_constants.py").write_text(f"VALUES = [{constants}]\n")
    env = {k: v for k, v in os.environ.items() if k not in ("HYPOTHESIS_PROFILE", "CI")}

    def drawn(mode: str) -> list:
        proc = subprocess.run(
            [sys.executable, "probe.py", str(ROOT), mode],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(proc.stdout)

    plain = drawn("plain")
    assert len(plain) >= 20
    assert drawn("with-extra-module") == plain
