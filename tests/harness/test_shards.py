"""`kata grade --shard K/N` as separate processes, merged, equals one run over the whole class
(every report format, timings aside); `--shard auto` reads the batch systems' variables."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tfkata.grading.shards import shard_of

ROOT = Path(__file__).resolve().parents[2]
KATA = "q_learning"  # its tests need NumPy and gymnasium only: no TensorFlow start per student
FORMATS = ["json", "csv", "junit", "gradescope", "exercism"]


def kata(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tfkata.cli", *args],
        cwd=cwd,
        env={**os.environ, "TFKATA_ROOT": str(ROOT), "NO_COLOR": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def make_class(root: Path) -> list[str]:
    """Four students: two right, one wrong, one without the file; names chosen so that each
    of two shards gets some (sha256 decides, fixed forever)."""
    names = ["ann", "bob", "cid", "dee"]
    assert {shard_of(n, 2) for n in names} == {1, 2}
    right = (ROOT / "solutions" / f"{KATA}.py").read_text()
    for name in names:
        (root / name).mkdir(parents=True)
    (root / "ann" / f"{KATA}.py").write_text(right)
    (root / "cid" / f"{KATA}.py").write_text(right)
    (root / "bob" / f"{KATA}.py").write_text(
        right
        + "\n\ndef linear_epsilon(episode, initial=1.0, final=0.01, decay_episodes=100):\n    raise NotImplementedError\n"
    )
    return names


_TIME_ATTR = re.compile(r' time="[0-9.]+"')


def normalised(folder: Path) -> dict[str, object]:
    """Every report file, timings removed."""
    out: dict[str, object] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            out[rel] = _drop_timings(json.loads(text))
        elif path.suffix == ".xml":
            out[rel] = _TIME_ATTR.sub("", text)
        else:
            out[rel] = text
    return out


# measurements, not results: timings, the address space a process reached, and the warning
# that the checkout changed while a run read it (other work going on in the same checkout)
MEASURED = ("duration", "collect_duration", "execution_time", "jobs", "vm_peak_mb", "warnings")


def _drop_timings(value, top: bool = True):
    if isinstance(value, dict):
        return {
            k: _drop_timings(v, False)
            for k, v in value.items()
            if k not in MEASURED or (k == "warnings" and not top)
        }
    if isinstance(value, list):
        return [_drop_timings(v, False) for v in value]
    return value


@pytest.mark.e2e
def test_shards_run_apart_and_merged_equal_the_unsharded_report(tmp_path: Path):
    make_class(tmp_path / "class")
    common = ["grade", "--class", str(tmp_path / "class"), "--kata", KATA, "--timeout", "120"]
    common += [a for f in FORMATS for a in ("--format", f)]
    procs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "tfkata.cli", *common),
                *("--shard", f"{k}/2", "-o", str(tmp_path / f"shard{k}")),
            ],
            cwd=tmp_path,
            env={**os.environ, "TFKATA_ROOT": str(ROOT), "NO_COLOR": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for k in (1, 2)
    ]
    whole = kata(*common, "-o", str(tmp_path / "whole"), cwd=tmp_path)
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    assert whole.returncode == 0, whole.stderr
    assert all(p.returncode == 0 for p in procs), outputs
    shard_students = [
        [
            s["name"]
            for s in json.loads((tmp_path / f"shard{k}" / "report.json").read_text())["students"]
        ]
        for k in (1, 2)
    ]
    assert sorted(shard_students[0] + shard_students[1]) == ["ann", "bob", "cid", "dee"]
    assert all(shard_students)

    merged = kata(
        "grade",
        "merge",
        str(tmp_path / "shard2"),
        str(tmp_path / "shard1"),
        "-o",
        str(tmp_path / "merged"),
        cwd=tmp_path,
    )
    assert merged.returncode == 0, merged.stderr
    assert "merged 2 shards: 4 students" in merged.stdout
    got, want = normalised(tmp_path / "merged"), normalised(tmp_path / "whole")
    assert sorted(got) == sorted(want)
    for rel in want:
        assert got[rel] == want[rel], rel
    statuses = {s["name"]: s["katas"][0]["status"] for s in want["report.json"]["students"]}
    assert statuses == {"ann": "pass", "bob": "fail", "cid": "pass", "dee": "missing"}

    # a shard left out, or given twice, is named
    one = kata("grade", "merge", str(tmp_path / "shard1"), "-o", str(tmp_path / "m2"), cwd=tmp_path)
    assert one.returncode == 2 and "shard 2/2 missing" in one.stderr
    assert "Traceback" not in one.stderr
    twice = kata(
        "grade",
        "merge",
        str(tmp_path / "shard1"),
        str(tmp_path / "shard1"),
        str(tmp_path / "shard2"),
        "-o",
        str(tmp_path / "m3"),
        cwd=tmp_path,
    )
    assert twice.returncode == 2 and "shard 1/2 given twice" in twice.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"JOB_COMPLETION_INDEX": "1", "TFKATA_SHARD_COUNT": "2"},  # Kubernetes Indexed Job
        {"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "2"},
        {"TFKATA_SHARD": "2/2"},  # a GitHub Actions matrix entry
    ],
    ids=["kubernetes", "slurm", "github-matrix"],
)
def test_shard_auto_picks_the_batch_systems_index(tmp_path: Path, env: dict):
    """Shard 2 of 2 from each engine's variables; a shard drawing no student still reports.
    (Graded for real on a class whose shard 2 is empty: no test process is needed.)"""
    names = [n for n in ("ann", "bob", "cid", "dee", "eve", "fay") if shard_of(n, 2) == 1]
    for name in names:
        (tmp_path / "class" / name).mkdir(parents=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "JOB_COMP"))}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tfkata.cli",
            "grade",
            "--class",
            str(tmp_path / "class"),
            "--shard",
            "auto",
            "--kata",
            KATA,
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=tmp_path,
        env={**clean, "TFKATA_ROOT": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "shard 2/2: no student" in proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["shard"]["index"] == 2 and report["shard"]["count"] == 2
    assert report["shard"]["class_students"] == len(names) and report["students"] == []


def test_shard_auto_without_a_batch_system_is_a_one_line_error(tmp_path: Path):
    (tmp_path / "class" / "ann").mkdir(parents=True)
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLURM_", "JOB_COMP", "TFKATA_SHARD"))
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tfkata.cli",
            "grade",
            "--class",
            str(tmp_path / "class"),
            "--shard",
            "auto",
        ],
        cwd=tmp_path,
        env={**clean, "TFKATA_ROOT": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("kata: --shard auto: none of") and "Traceback" not in proc.stderr
    shutil.rmtree(tmp_path / "class")
