"""`kata verify`: the suite checks itself.

For every kata: the reference passes every test; the pristine stub fails every test, each with
NotImplementedError (no test passes vacuously); every shipped mistake (tests/mistakes/NAME/*.py)
is rejected by at least one test; every shipped alternate (tests/alternates/NAME/*.py), a correct
solution written another way, passes every test. Plus a lint of the project's structure.

A mistake is rejected *for its own reason*: its docstring's `Rejected by: test_a, test_b` line
names the test functions (without [params]) whose property it breaks, and at least one of them
must fail on it; otherwise it is "caught for the wrong reason" (or not caught at all). A mistake
without the line is a problem (it is still run against the whole file, to say what catches it).

Unless --no-mutation, every kata's reference is then mutated (tfkata.mutation, `kata mutate`):
the table shows the kill rate of non-equivalent mutants and the gate of `kata mutate` applies."""

from __future__ import annotations

import ast
import json
import os
import re
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tfkata.display import paint
from tfkata.manifest import Manifest
from tfkata.runner import RunReport, run_pytest
from tfkata.stubgen import stub_for

MIN_MISTAKES = 8  # realistic wrong implementations shipped per kata
REJECTED_BY = re.compile(r"^\s*Rejected by:\s*(.*)$", re.MULTILINE)
MIN_ALTERNATES = 1
BUILTIN_MARKERS = {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings"}
FUTURE_IMPORT = re.compile(r"^from __future__ import .*$", re.MULTILINE)


@dataclass
class KataVerdict:
    name: str
    tests: int = 0
    reference_passed: int = 0
    stub_failed: int = 0
    mistakes: dict[str, bool] = field(default_factory=dict)
    alternates: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mutation: str = "-"  # non-equivalent mutants killed / total, "-" when not run

    @property
    def ok(self) -> bool:
        return not self.problems


def compose_variant(reference: Path, override: Path) -> str:
    """The reference with the override's definitions appended (they replace the reference's)."""
    extra = FUTURE_IMPORT.sub("", override.read_text(encoding="utf-8"))
    rel = "/".join(override.parts[-4:])
    return (
        reference.read_text(encoding="utf-8").rstrip()
        + f"\n\n\n# ---- variant: {rel} ----\n"
        + extra
    )


def rejected_by(path: Path) -> list[str] | None:
    """The test names of a mistake's `Rejected by: test_a, test_b` docstring line (a [param]
    part is dropped; the names may wrap onto the following lines), or None without the line."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        return None
    match = REJECTED_BY.search(doc)
    if match is None:
        return None
    text = match.group(1)
    for line in doc[match.end() :].splitlines()[1:]:
        if not re.fullmatch(r"\s*(test_\w+(\[[^\]]*\])?[,\s]*)+", line):
            break
        text += " " + line
    text = re.sub(r"\[[^\]]*\]", "", text)
    return [n for n in re.split(r"[,\s]+", text.strip().rstrip(".")) if n]


def node_ids_of_tests(test_file: Path) -> dict[str, str]:
    """Test function name -> its pytest node id (without parameters) in `test_file`."""
    rel = f"tests/{test_file.name}"
    out: dict[str, str] = {}
    try:
        tree = ast.parse(test_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return out
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            out[node.name] = f"{rel}::{node.name}"
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                    out.setdefault(item.name, f"{rel}::{node.name}::{item.name}")
    return out


def variants(root: Path, kind: str, name: str) -> list[Path]:
    folder = root / "tests" / kind / name
    return (
        sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))
        if folder.is_dir()
        else []
    )


def lint(manifest: Manifest, names: list[str], whole: bool) -> list[str]:
    root = manifest.root
    problems = []
    for kata in manifest.katas:
        if kata.name not in names:
            continue
        for path in (f"solutions/{kata.module_file}", f"katas/{kata.module_file}", kata.test_file):
            if not (root / path).is_file():
                problems.append(f"{kata.name}: {path} is missing")
        if not kata.title.strip():
            problems.append(f"{kata.name}: no title in info.toml")
        if not kata.hints:
            problems.append(f"{kata.name}: no hints in info.toml")
        reference, stub = root / "solutions" / kata.module_file, root / "katas" / kata.module_file
        if (
            reference.is_file()
            and stub.is_file()
            and stub.read_text(encoding="utf-8") != stub_for(reference)
        ):
            problems.append(
                f"{kata.name}: katas/{kata.module_file} is not the stub generated from the reference "
                f"(`kata stubs --write {kata.name}`)"
            )
        n_mistakes = len(variants(root, "mistakes", kata.name))
        tests = node_ids_of_tests(root / kata.test_file)
        for mistake in variants(root, "mistakes", kata.name):
            unknown = [t for t in rejected_by(mistake) or [] if t not in tests]
            if unknown:
                problems.append(
                    f"{kata.name}: mistake {mistake.stem}: `Rejected by:` names "
                    f"{', '.join(unknown)}, not a test of {kata.test_file}"
                )
        if n_mistakes < MIN_MISTAKES:
            problems.append(
                f"{kata.name}: {n_mistakes} mistakes shipped, at least {MIN_MISTAKES} wanted"
            )
        n_alternates = len(variants(root, "alternates", kata.name))
        if n_alternates < MIN_ALTERNATES:
            problems.append(f"{kata.name}: no alternate (a correct solution written another way)")
    if whole:
        known = set(manifest.names())
        strays = [
            p
            for d in ("katas", "solutions")
            for p in (root / d).glob("*.py")
            if p.stem not in known
        ]
        strays += [p for p in (root / "tests").glob("test_*.py") if p.stem[5:] not in known]
        strays += [
            p
            for d in ("mistakes", "alternates")
            for p in (root / "tests" / d).glob("*")
            if p.name not in known
        ]
        problems += [f"stray file not in info.toml: {p.relative_to(root)}" for p in sorted(strays)]
        problems += _unregistered_markers(root)
        problems += _contract(root)
        problems += _notebooks(manifest)
    return problems


def _notebooks(manifest: Manifest) -> list[str]:
    """notebooks/ holds exactly what `kata notebooks notebooks` generates from the katas."""
    from tfkata.notebook.generate import stale_notebooks

    return [
        f"notebooks/{name} is not the notebook generated from the katas (`kata notebooks`)"
        for name in stale_notebooks(manifest, manifest.root / "notebooks")
    ]


def _unregistered_markers(root: Path) -> list[str]:
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    ini = config.get("tool", {}).get("pytest", {}).get("ini_options", {})
    registered = {m.split(":")[0].split("(")[0].strip() for m in ini.get("markers", [])}
    problems = []
    if "--strict-markers" not in ini.get("addopts", ""):
        problems.append("pyproject.toml: pytest addopts lacks --strict-markers")
    for path in sorted((root / "tests").rglob("*.py")):
        for marker in set(
            re.findall(r"pytest\.mark\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8"))
        ):
            if marker not in registered | BUILTIN_MARKERS:
                problems.append(f"{path.relative_to(root)}: marker {marker!r} is not registered")
    return problems


def _contract(root: Path) -> list[str]:
    """katas/ and solutions/ against docs/katas.md, and the contract against info.toml."""
    from tfkata.contract import check
    from tfkata.manifest import load_manifest

    result = check(root, manifest_names=load_manifest(root).names())
    return [f"contract: {p}" for p in result.problems]


@dataclass
class Job:
    """One serial pytest run: a folder of kata files and the katas to test from it."""

    kind: str  # reference | stubs | mistakes | alternates
    label: str
    folder: Path
    katas: list[str]
    variants: dict[str, Path] = field(default_factory=dict)  # kata -> shipped variant file
    node_ids: list[str] = field(default_factory=list)  # run only these tests (named mistakes)

    @property
    def profile(self) -> str | None:
        return None if self.kind == "reference" else "verify"


def _by_kata(report: RunReport) -> dict[str, list]:
    out: dict[str, list] = {}
    for t in report.tests:
        out.setdefault(t.kata, []).append(t)
    return out


def _jobs(root: Path, runnable: list[str], tmp: Path, parallel: int) -> list[Job]:
    """The reference in `parallel` chunks, the stubs, then the k-th mistake (alternate) of
    every kata in round k: one variant per kata per run, since a run loads NAME.py once."""
    jobs = [
        Job("reference", f"reference {i + 1}/{parallel}", root / "solutions", runnable[i::parallel])
        for i in range(parallel)
        if runnable[i::parallel]
    ]
    stubs = tmp / "stubs"
    stubs.mkdir()
    for n in runnable:
        (stubs / f"{n}.py").write_text(stub_for(root / "solutions" / f"{n}.py"), encoding="utf-8")
    jobs.append(Job("stubs", "stubs", stubs, list(runnable)))
    for kind in ("mistakes", "alternates"):
        pending = {n: variants(root, kind, n) for n in runnable}
        k = 0
        while any(len(paths) > k for paths in pending.values()):
            folder = tmp / f"{kind}-{k}"
            folder.mkdir()
            batch = {n: paths[k] for n, paths in pending.items() if len(paths) > k}
            for n, path in batch.items():
                text = compose_variant(root / "solutions" / f"{n}.py", path)
                (folder / f"{n}.py").write_text(text, encoding="utf-8")
            if kind == "mistakes":  # a named mistake runs its named tests only
                named = {n: _named_ids(root, n, p) for n, p in batch.items()}
                named = {n: ids for n, ids in named.items() if ids}
                whole = {n: p for n, p in batch.items() if n not in named}
                if named:
                    ids = [i for n in named for i in named[n]]
                    subset = {n: batch[n] for n in named}
                    jobs.append(
                        Job(kind, f"{kind} round {k + 1} (named tests)", folder, [], subset, ids)
                    )
                if whole:
                    jobs.append(Job(kind, f"{kind} round {k + 1}", folder, list(whole), whole))
            else:
                jobs.append(Job(kind, f"{kind} round {k + 1}", folder, list(batch), batch))
            k += 1
    return jobs


def _named_ids(root: Path, kata: str, mistake: Path) -> list[str]:
    names = rejected_by(mistake) or []
    ids = node_ids_of_tests(root / "tests" / f"test_{kata}.py")
    return [ids[n] for n in names if n in ids]


def _run_jobs(root: Path, jobs: list[Job], parallel: int) -> dict[int, RunReport]:
    """Run the jobs, `parallel` at a time, largest first; returns reports by job index."""
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].katas or jobs[i].variants))
    reports: dict[int, RunReport] = {}

    def run(i: int) -> RunReport:
        job = jobs[i]
        return run_pytest(
            root,
            job.katas,
            job.folder,
            profile=job.profile,
            failfast=job.kind == "mistakes" and not job.node_ids,
            extra_args=job.node_ids,
        )

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {pool.submit(run, i): i for i in order}
        for future in as_completed(futures):
            i = futures[future]
            reports[i] = future.result()
            print(
                f"verify: {jobs[i].label}: {len(jobs[i].katas or jobs[i].variants)} katas, "
                f"{len(reports[i].tests)} tests, {reports[i].duration:.0f} s",
                flush=True,
            )
    return reports


def _first_line(result) -> str:
    return result.message.splitlines()[0] if result.message else ""


def verify(
    manifest: Manifest,
    names: list[str] | None = None,
    workers="auto",
    json_path=None,
    mutation: bool = True,
) -> int:
    root = manifest.root
    whole = names is None
    names = names or manifest.names()
    started = time.monotonic()
    problems = lint(manifest, names, whole)
    verdicts = {n: KataVerdict(n) for n in names}
    for p in list(problems):
        name, _, rest = p.partition(": ")
        if name in verdicts:
            verdicts[name].problems.append(rest)
            problems.remove(p)
    runnable = [
        n
        for n in names
        if (root / "solutions" / f"{n}.py").is_file() and (root / f"tests/test_{n}.py").is_file()
    ]
    parallel = (os.cpu_count() or 1) if str(workers) == "auto" else max(1, int(workers))
    with tempfile.TemporaryDirectory(prefix="tfkata-verify-") as tmp_name:
        jobs = _jobs(root, runnable, Path(tmp_name), parallel) if runnable else []
        reports = _run_jobs(root, jobs, parallel)
        # a named mistake whose named tests all pass: does any other test reject it?
        retry = [_retry_job(job, reports[i]) for i, job in enumerate(jobs) if job.node_ids]
        retry = [job for job in retry if job is not None]
        retried = _run_jobs(root, retry, parallel) if retry else {}
        other: dict[tuple[str, str], str | None] = {}
        for i, job in enumerate(retry):
            results = _by_kata(retried[i])
            for n, path in job.variants.items():
                failed = [t for t in results.get(n, []) if _rejects(t)]
                other[(n, path.stem)] = failed[0].test if failed else None
    reference: dict[str, list] = {}
    stub: dict[str, list] = {}
    for i, job in enumerate(jobs):
        results = _by_kata(reports[i])
        if job.kind == "reference":
            reference.update(results)
        elif job.kind == "stubs":
            stub.update(results)
    for n in runnable:
        v = verdicts[n]
        ref = reference.get(n, [])
        v.tests = len(ref)
        v.reference_passed = sum(t.outcome == "passed" for t in ref)
        if not ref:
            v.problems.append("reference: no test ran")
        for t in ref:
            if t.outcome != "passed":
                v.problems.append(f"reference: {t.test} {t.outcome}: {_first_line(t)}")
        st = stub.get(n, [])
        v.stub_failed = sum(
            t.outcome in ("failed", "error") and t.reason == "not_implemented" for t in st
        )
        for t in st:
            if t.outcome not in ("failed", "error"):
                v.problems.append(f"stub: {t.test} {t.outcome} on the untouched stub")
            elif t.reason != "not_implemented":
                v.problems.append(
                    f"stub: {t.test} failed without reaching NotImplementedError: {_first_line(t)}"
                )
        if len(st) != len(ref):
            v.problems.append(f"stub: {len(st)} tests ran, the reference ran {len(ref)}")
    for i, job in enumerate(jobs):
        results = _by_kata(reports[i])
        for n, path in job.variants.items():
            got = results.get(n, [])
            v = verdicts[n]
            if job.kind == "mistakes":
                caught = any(_rejects(t) for t in got)
                v.mistakes[path.stem] = caught
                if not caught and job.node_ids and other.get((n, path.stem)):
                    named = ", ".join(rejected_by(path) or [])
                    v.problems.append(
                        f"mistake {path.stem}: caught for the wrong reason: "
                        f"{other[(n, path.stem)]} fails, none of {named} does"
                    )
                elif not caught:
                    v.problems.append(f"mistake {path.stem}: no test rejects it")
            else:
                bad = [t for t in got if t.outcome != "passed"]
                passed = bool(got) and not bad and len(got) == v.tests
                v.alternates[path.stem] = passed
                if not passed:
                    detail = f"{bad[0].test}: {_first_line(bad[0])}" if bad else "tests missing"
                    v.problems.append(f"alternate {path.stem} fails: {detail}")
    for n in names:
        if n not in runnable:
            verdicts[n].problems.append("not runnable: reference or tests missing")
    for n in runnable:
        unnamed = [p.stem for p in variants(root, "mistakes", n) if rejected_by(p) is None]
        if unnamed:
            text = f"{len(unnamed)} mistakes without a `Rejected by:` line: {', '.join(unnamed)}"
            verdicts[n].problems.append(text)
    if mutation:
        _mutation(root, [n for n in runnable if verdicts[n].tests], verdicts, parallel)
    print_table(list(verdicts.values()))
    for p in problems:
        print(paint(f"  lint: {p}", "red"))
    for v in verdicts.values():
        for p in v.notes:
            print(paint(f"  {v.name}: note: {p}", "dim"))
        for p in v.problems:
            print(paint(f"  {v.name}: {p}", "red"))
    ok = not problems and all(v.ok for v in verdicts.values())
    elapsed = time.monotonic() - started
    summary = f"verify: {sum(v.ok for v in verdicts.values())}/{len(verdicts)} katas ok, {len(problems)} lint problems, {elapsed:.0f} s"
    print(paint(summary, "green" if ok else "red"))
    if json_path:
        Path(json_path).write_text(
            json.dumps(
                {"ok": ok, "lint": problems, "katas": [asdict(v) for v in verdicts.values()]},
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if ok else 1


def _rejects(t) -> bool:
    return t.outcome in ("failed", "error") and t.reason not in ("load_error", "missing")


def _retry_job(job: Job, report: RunReport) -> Job | None:
    """The whole files, for the named mistakes of `job` none of whose named tests failed."""
    results = _by_kata(report)
    missed = {n: p for n, p in job.variants.items() if not any(map(_rejects, results.get(n, [])))}
    if not missed:
        return None
    return Job(
        "mistakes",
        job.label.replace("named tests", "other tests"),
        job.folder,
        list(missed),
        missed,
    )


def _mutation(
    root: Path, katas: list[str], verdicts: dict[str, KataVerdict], parallel: int
) -> None:
    """The kill rate of non-equivalent mutants, and `kata mutate`'s gate, per kata."""
    from tfkata.errors import KataError
    from tfkata.mutation.report import judge_all
    from tfkata.mutation.runner import run_mutation

    if not katas:
        return
    try:
        runs = run_mutation(root, katas, parallel)
    except KataError as exc:
        for n in katas:
            verdicts[n].problems.append(f"mutation: {exc}")
        return
    for n, mv in judge_all(root, runs).items():
        v = verdicts[n]
        v.mutation = mv.rate_text
        unlisted = [s["id"] for s in mv.survivors if not s["known"]]
        if unlisted:
            v.problems.append(
                f"mutation: {len(unlisted)} surviving mutants not listed in tests/mutants/{n}.toml "
                f"(`kata mutate --kata {n}` shows them)"
            )
        v.problems += [f"mutation: {p}" for p in mv.problems if not p.startswith("survivor ")]


def print_table(verdicts: list[KataVerdict]) -> None:
    header = f"{'kata':<22} {'reference':>11} {'stub fails':>11} {'mistakes':>9} {'alternates':>10} {'mutants killed':>14}  verdict"
    print()
    print(header)
    print("-" * len(header))
    for v in verdicts:
        caught = f"{sum(v.mistakes.values())}/{len(v.mistakes)}"
        alts = f"{sum(v.alternates.values())}/{len(v.alternates)}"
        mark = paint("ok", "green") if v.ok else paint("MISS", "red")
        print(
            f"{v.name:<22} {f'{v.reference_passed}/{v.tests}':>11} {f'{v.stub_failed}/{v.tests}':>11} "
            f"{caught:>9} {alts:>10} {v.mutation:>14}  {mark}"
        )
    print()
