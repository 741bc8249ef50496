"""Results do not depend on xdist's split of tests over workers, nor on test order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tfkata.verify import compose_variant, variants

ROOT = Path(__file__).resolve().parents[2]
KATAS = ("gradient_of_square",)


def outcomes(folder: Path, report: Path, *extra: str) -> dict[str, tuple[str, str]]:
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
            *(f"tests/test_{k}.py" for k in KATAS),
            *extra,
        ],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        timeout=600,
        check=False,
    )
    data = json.loads(report.read_text())
    return {t["nodeid"]: (t["outcome"], t["message"]) for t in data["tests"]}


def test_serial_and_parallel_runs_agree_on_a_failing_variant(tmp_path: Path):
    """With a shipped mistake (so that some tests fail and hypothesis reports falsifying
    examples), a serial run and a `-n 2` run give the same outcome and message for every test."""
    folder = tmp_path / "variant"
    folder.mkdir()
    for kata in KATAS:
        mistake = variants(ROOT, "mistakes", kata)[0]
        (folder / f"{kata}.py").write_text(
            compose_variant(ROOT / "solutions" / f"{kata}.py", mistake)
        )
    serial = outcomes(folder, tmp_path / "serial.json")
    parallel = outcomes(folder, tmp_path / "parallel.json", "-n", "2")
    assert serial, "no test ran"
    assert any(o == "failed" for o, _ in serial.values()), "the mistake should fail some test"
    assert serial == parallel
