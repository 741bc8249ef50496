"""A class too big for one machine: `kata grade --shard K/N` grades a deterministic share of
it, `kata grade merge OUT1 OUT2 ... -o OUT` joins the shards' report folders into the report
one run over the whole class writes (JSON, CSV, JUnit, Gradescope, exercism), timings aside.

The share is decided by the student's name only (sha256 of the folder's sanitised base name,
never Python's salted hash()), so every shard computes the same split wherever it runs, and
folders whose names clash (alice, alice-2) land in the same shard, keeping their suffixes.

`--shard auto` reads the batch system's own variables: a Kubernetes Indexed Job's
JOB_COMPLETION_INDEX (0-based; N from `auto/N` or $TFKATA_SHARD_COUNT), a SLURM array's
SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT), or $TFKATA_SHARD
("K/N", e.g. from a GitHub Actions matrix)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tfkata.errors import KataError

SHARD_KEY = "shard"
# report.json keys that are timings (ignored when shards are compared, recomputed on merge)
TIMING_KEYS = ("duration", "collect_duration")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise KataError(f"--shard: {what} must be a whole number, not {text!r}") from None


def parse_shard(spec: str, env: Mapping[str, str] | None = None) -> Shard:
    """'K/N' (1 <= K <= N), 'auto' or 'auto/N' (from the batch system's variables)."""
    env = os.environ if env is None else env
    head, _, tail = spec.partition("/")
    if head == "auto":
        count = _int(tail, "N") if tail else None
        shard = _from_env(env, count)
    else:
        if not tail:
            raise KataError(f"--shard wants K/N (e.g. 2/4) or auto, not {spec!r}")
        shard = Shard(_int(head, "K"), _int(tail, "N"))
    if shard.count < 1 or not 1 <= shard.index <= shard.count:
        raise KataError(f"--shard {shard}: K must be between 1 and N")
    return shard


def _from_env(env: Mapping[str, str], count: int | None) -> Shard:
    if env.get("TFKATA_SHARD"):
        shard = parse_shard(env["TFKATA_SHARD"], {})
        if count is not None and count != shard.count:
            raise KataError(f"--shard auto/{count}: TFKATA_SHARD={shard} says {shard.count}")
        return shard
    if env.get("SLURM_ARRAY_TASK_ID"):
        task = _int(env["SLURM_ARRAY_TASK_ID"], "SLURM_ARRAY_TASK_ID")
        low = _int(env.get("SLURM_ARRAY_TASK_MIN", "0"), "SLURM_ARRAY_TASK_MIN")
        total = count or _int(env.get("SLURM_ARRAY_TASK_COUNT", "0"), "SLURM_ARRAY_TASK_COUNT")
        if not total:
            raise KataError("--shard auto: SLURM_ARRAY_TASK_COUNT is not set (use auto/N)")
        return Shard(task - low + 1, total)
    if env.get("JOB_COMPLETION_INDEX"):
        index = _int(env["JOB_COMPLETION_INDEX"], "JOB_COMPLETION_INDEX")
        total = count or _int(env.get("TFKATA_SHARD_COUNT", "0"), "TFKATA_SHARD_COUNT")
        if not total:
            raise KataError(
                "--shard auto: JOB_COMPLETION_INDEX is set but not the number of shards "
                "(use auto/N or $TFKATA_SHARD_COUNT, = the Job's completions)"
            )
        return Shard(index + 1, total)
    raise KataError(
        "--shard auto: none of TFKATA_SHARD, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX is set"
    )


def shard_of(key: str, count: int) -> int:
    """The 1-based shard of a student's name: stable across machines, runs and Pythons."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def class_digest(names: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()[:16]


def select(folders: Sequence[Path], shard: Shard) -> tuple[list[Path], dict]:
    """This shard's folders (in their order) and the record that goes into its report."""
    from tfkata.grading.grader import student_name_map

    named = student_name_map(folders)
    keys = [student_name_map([f])[0][0] for f in folders]  # base name, before clash suffixes
    mine = [
        f
        for (_, f), key in zip(named, keys, strict=True)
        if shard_of(key, shard.count) == shard.index
    ]
    record = {
        "index": shard.index,
        "count": shard.count,
        "class_students": len(named),
        "class_digest": class_digest([n for n, _ in named]),
        "students": [
            n
            for (n, _), key in zip(named, keys, strict=True)
            if shard_of(key, shard.count) == shard.index
        ],
    }
    return mine, record


def stamp(out: Path, record: dict, formats: Sequence[str]) -> None:
    """Add the shard record (and the formats asked for) to a finished shard's report.json."""
    from tfkata.grading.reports import _atomic_write

    path = out / "report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[SHARD_KEY] = {**record, "formats": sorted(set(formats) | {"json"})}
    _atomic_write(path, json.dumps(data, indent=2) + "\n")


def write_empty(out: Path, record: dict, formats: Sequence[str]) -> None:
    """The report of a shard that drew no student (a small class, many shards)."""
    from tfkata.grading.reports import REPORT_VERSION, _atomic_write

    out.mkdir(parents=True, exist_ok=True)
    data = {
        "version": REPORT_VERSION,
        "kind": "tfkata-grading",
        "complete": True,
        "students": [],
        SHARD_KEY: {**record, "formats": sorted(set(formats) | {"json"})},
    }
    _atomic_write(out / "report.json", json.dumps(data, indent=2) + "\n")


# ------------------------------------------------------------------ merging


def _load(folder: Path) -> dict:
    path = folder / "report.json" if folder.is_dir() else folder
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KataError(f"merge: {folder} holds no report.json") from None
    except (OSError, ValueError) as exc:
        raise KataError(f"merge: cannot read {path}: {exc}") from None
    if data.get("kind") != "tfkata-grading":
        raise KataError(f"merge: {path} is not a tfkata grading report")
    if not data.get("complete"):
        raise KataError(f"merge: {path} is not complete (that shard was interrupted?)")
    if SHARD_KEY not in data:
        raise KataError(f"merge: {path} is not a shard's report (graded without --shard)")
    return data


def _comparable(data: dict) -> dict:
    """A shard's run-level fields that every shard must share."""
    skip = {"students", SHARD_KEY, "complete", "warnings", "isolation", *TIMING_KEYS}
    out = {k: v for k, v in data.items() if k not in skip}
    if "settings" in out:
        out["settings"] = {k: v for k, v in out["settings"].items() if k != "jobs"}
    return out


def merge(folders: Sequence[Path], out: Path, formats: Sequence[str] | None = None) -> dict:
    """Join shard report folders into `out`; returns the merged report.json."""
    from tfkata.grading.reports import ReportWriter, student_from_json

    if not folders:
        raise KataError("merge: name the shards' report folders (kata grade merge OUT1 OUT2 ...)")
    loaded = [(f, _load(f)) for f in folders]
    first_folder, first = loaded[0]
    count = first[SHARD_KEY]["count"]
    seen: dict[int, Path] = {}
    for folder, data in loaded:
        shard = data[SHARD_KEY]
        if shard["count"] != count:
            raise KataError(
                f"merge: {folder} is shard {shard['index']}/{shard['count']}, "
                f"{first_folder} one of {count}"
            )
        if shard["class_digest"] != first[SHARD_KEY]["class_digest"]:
            raise KataError(f"merge: {folder} graded another class than {first_folder}")
        if shard["index"] in seen:
            raise KataError(
                f"merge: shard {shard['index']}/{count} given twice: {seen[shard['index']]} "
                f"and {folder}"
            )
        seen[shard["index"]] = folder
    missing = [i for i in range(1, count + 1) if i not in seen]
    if missing:
        names = ", ".join(f"{i}/{count}" for i in missing)
        raise KataError(f"merge: shard{'s' if len(missing) > 1 else ''} {names} missing")
    graded = [(f, d) for f, d in loaded if d.get("students") or "katas" in d]
    if not graded:
        raise KataError("merge: no shard graded any student")
    ref_folder, ref = graded[0]
    for folder, data in graded[1:]:
        if _comparable(data) != _comparable(ref):
            diff = sorted(
                k
                for k in set(_comparable(data)) | set(_comparable(ref))
                if _comparable(data).get(k) != _comparable(ref).get(k)
            )
            raise KataError(
                f"merge: {folder} and {ref_folder} were graded differently ({', '.join(diff)})"
            )
    shard_formats = {tuple(d[SHARD_KEY]["formats"]) for _, d in loaded}
    if formats is None and len(shard_formats) > 1:
        raise KataError("merge: the shards wrote different formats; choose with --format")
    chosen = set(formats) if formats else set(shard_formats.pop())
    students = []
    for folder, data in loaded:
        listed = set(data[SHARD_KEY]["students"])
        got = {s["name"] for s in data["students"]}
        if got != listed:
            lost = ", ".join(sorted(listed - got)) or "none"
            raise KataError(f"merge: {folder} does not hold all of its students (missing: {lost})")
        students += data["students"]
    names = [s["name"] for s in students]
    if len(names) != first[SHARD_KEY]["class_students"] or len(set(names)) != len(names):
        raise KataError("merge: the shards' students do not add up to the class")
    # run-level fields in the order one run writes them, timings combined
    header = {}
    for key, value in ref.items():
        if key in ("version", "kind", "complete", "katas", "students", SHARD_KEY):
            continue
        header[key] = value
    for key in TIMING_KEYS:
        if key in header:
            header[key] = max(float(d.get(key) or 0.0) for _, d in graded)
    warnings: list[str] = []
    for _, data in graded:
        warnings += [w for w in data.get("warnings", []) if w not in warnings]
    if "warnings" in header:
        header["warnings"] = warnings
    if "isolation" in header:
        # as run.grade: the sandboxes that ran (a student refused by the policy ran none)
        modes = {s.get("isolation", "unknown") for s in students if s.get("children")} or {
            "none (no test ran)"
        }
        header["isolation"] = (
            modes.pop() if len(modes) == 1 else "mixed: " + ", ".join(sorted(modes))
        )
    katas = [k["name"] for k in ref["katas"]]
    weights = {k["name"]: k["weight"] for k in ref["katas"]}
    titles = {k["name"]: k["title"] for k in ref["katas"]}
    writer = ReportWriter(out, chosen, katas, weights, titles, header, single=len(names) == 1)
    for data in sorted(students, key=lambda s: s["name"]):
        writer.add(student_from_json(data))
    writer.finish({})
    return json.loads((out / "report.json").read_text(encoding="utf-8"))
