"""tests/mutants/NAME.toml (what a kata's tests are allowed not to kill) and the report.

Format (see tfkata/mutation/README.md):

    known_survivors = ["constant:make_dataset:a85774b9"]   # optional: survivors not yet killed

    [[equivalent]]
    id = "compare:_length:9daf8a56"
    reason = "one line: why no test can tell this mutant from the reference"

Verdict per kata: every mutant is killed, listed as equivalent, or listed as a known survivor.
Anything else fails the gate: an unlisted survivor, a listed id that matches no mutant (stale),
an "equivalent" mutant some test kills, or a known survivor that is now killed (so the list only
shrinks: remove the line)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tfkata.display import paint
from tfkata.errors import KataError
from tfkata.mutation.runner import KILLED, KataRun

LISTING_DIR = "tests/mutants"


class ListingError(KataError):
    """A tests/mutants/NAME.toml that does not follow the format (one-line message)."""


@dataclass
class Listing:
    equivalent: dict[str, str] = field(default_factory=dict)  # id -> reason
    known_survivors: list[str] = field(default_factory=list)


def listing_path(root: Path, kata: str) -> Path:
    return root / LISTING_DIR / f"{kata}.toml"


def load_listing(path: Path) -> Listing:
    """Parse a tests/mutants/NAME.toml; a missing file is an empty listing."""
    if not path.is_file():
        return Listing()
    where = f"{path.parent.name}/{path.name}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ListingError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(data) - {"equivalent", "known_survivors"}
    if unknown:
        raise ListingError(
            f"{where}: unknown key {sorted(unknown)[0]!r} (allowed: equivalent, known_survivors)"
        )
    listing = Listing()
    entries = data.get("equivalent", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ListingError(f"{where}: equivalent must be an array of tables ([[equivalent]])")
    for n, entry in enumerate(entries, 1):
        extra = set(entry) - {"id", "reason"}
        if extra:
            raise ListingError(f"{where}: equivalent #{n}: unknown key {sorted(extra)[0]!r}")
        mid, reason = entry.get("id"), entry.get("reason")
        if not isinstance(mid, str) or not mid.strip():
            raise ListingError(f"{where}: equivalent #{n}: id is missing")
        if not isinstance(reason, str) or not reason.strip():
            raise ListingError(f"{where}: equivalent #{n} ({mid}): reason is missing")
        if "\n" in reason.strip():
            raise ListingError(f"{where}: equivalent #{n} ({mid}): reason must be one line")
        if mid in listing.equivalent:
            raise ListingError(f"{where}: equivalent #{n}: {mid} is listed twice")
        listing.equivalent[mid] = reason.strip()
    known = data.get("known_survivors", [])
    if not isinstance(known, list) or not all(isinstance(k, str) and k for k in known):
        raise ListingError(f"{where}: known_survivors must be a list of mutant ids")
    for mid in known:
        if mid in listing.equivalent:
            raise ListingError(f"{where}: {mid} is both equivalent and a known survivor")
        if known.count(mid) > 1:
            raise ListingError(f"{where}: known_survivors lists {mid} twice")
    listing.known_survivors = list(known)
    return listing


@dataclass
class KataVerdict:
    kata: str
    total: int = 0
    killed: int = 0
    equivalent: int = 0
    known: int = 0
    survived: int = 0  # every survivor that is not equivalent, known ones included
    problems: list[str] = field(default_factory=list)
    survivors: list[dict] = field(default_factory=list)

    @property
    def rate(self) -> tuple[int, int]:
        """(killed, non-equivalent total)."""
        return self.killed, self.total - self.equivalent

    @property
    def rate_text(self) -> str:
        killed, total = self.rate
        return f"{killed}/{total}" + (f" {100 * killed / total:.0f}%" if total else "")


def judge(run: KataRun, listing: Listing) -> KataVerdict:
    v = KataVerdict(run.kata, total=len(run.mutants))
    ids = {m.id for m in run.mutants}
    for test in run.baseline_failures:
        why = run.baseline_messages.get(test)
        v.problems.append(
            f"the reference fails {test} in the mutation run: it is left out"
            + (f" ({why})" if why else "")
        )
    if run.mutants and not run.tests:
        v.problems.append("no test passes on the reference: no mutant was run")
    known = set(listing.known_survivors)
    for m in run.mutants:
        r = run.results.get(m.id)
        if r is None:
            continue
        if r.status in KILLED:
            v.killed += 1
            by = f"{r.test} ({r.status})" if r.status != "killed" else r.test
            if m.id in listing.equivalent:
                v.problems.append(f"{m.id} is listed as equivalent but {by} kills it")
            elif m.id in known:
                v.problems.append(f"known survivor {m.id} is now killed by {by}: remove it")
            continue
        if m.id in listing.equivalent:
            v.equivalent += 1
            continue
        v.survived += 1
        v.known += m.id in known
        v.survivors.append(
            {**m.summary(), "known": m.id in known, "unreached": r.status == "unreached"}
        )
        if m.id not in known:
            v.problems.append(f"survivor {m.id} (line {m.line}: {m.description})")
    for mid in sorted((set(listing.equivalent) | known) - ids):
        v.problems.append(f"stale id {mid}: no mutant has it (reference changed?)")
    return v


def judge_all(root: Path, runs: dict[str, KataRun]) -> dict[str, KataVerdict]:
    verdicts = {}
    for kata, run in runs.items():
        try:
            listing = load_listing(listing_path(root, kata))
        except ListingError as exc:
            verdicts[kata] = judge(run, Listing())
            verdicts[kata].problems.insert(0, str(exc))
            continue
        verdicts[kata] = judge(run, listing)
    return verdicts


def survivor_text(s: dict) -> str:
    head = f"  {s['id']}  line {s['line']} col {s['col']}: {s['description']}"
    if s.get("unreached"):
        head += "  [no test reaches this code]"
    if s.get("known"):
        head += "  [known survivor]"
    before = [f"    - {ln}" for ln in s["before"].splitlines()]
    after = [f"    + {ln}" for ln in s["after"].splitlines()]
    return "\n".join([head, *before, *after])


def print_report(verdicts: dict[str, KataVerdict], color: bool = True) -> None:
    def p(text: str, colour: str) -> str:
        return paint(text, colour) if color else text

    header = (
        f"{'kata':<22} {'mutants':>7} {'killed':>7} {'equiv':>6} {'survived':>9} {'kill rate':>11}"
    )
    print()
    print(header)
    print("-" * len(header))
    for v in verdicts.values():
        surv = f"{v.survived}" + (f" ({v.known} known)" if v.known else "")
        print(
            f"{v.kata:<22} {v.total:>7} {v.killed:>7} {v.equivalent:>6} {surv:>9} {v.rate_text:>11}"
        )
    total = sum(v.total for v in verdicts.values())
    killed = sum(v.killed for v in verdicts.values())
    equiv = sum(v.equivalent for v in verdicts.values())
    print("-" * len(header))
    rate = f"{killed}/{total - equiv}" + (
        f" {100 * killed / (total - equiv):.0f}%" if total - equiv else ""
    )
    print(f"{'all':<22} {total:>7} {killed:>7} {equiv:>6} {total - killed - equiv:>9} {rate:>11}")
    for v in verdicts.values():
        if v.survivors:
            print(p(f"\n{v.kata}: {len(v.survivors)} surviving mutants", "bold"))
            for s in v.survivors:
                print(survivor_text(s))
    problems = [(v.kata, p_) for v in verdicts.values() for p_ in v.problems]
    if problems:
        print()
        for kata, problem in problems:
            if not problem.startswith("survivor "):
                print(p(f"  {kata}: {problem}", "red"))


def write_json(path: Path, verdicts: dict[str, KataVerdict], runs: dict[str, KataRun]) -> None:
    data = {"katas": []}
    for kata, v in verdicts.items():
        entry = asdict(v)
        entry["mutants"] = [
            {**m.summary(), **asdict(runs[kata].results[m.id])}
            if m.id in runs[kata].results
            else m.summary()
            for m in runs[kata].mutants
        ]
        data["katas"].append(entry)
    Path(path).write_text(json.dumps(data, indent=2), encoding="utf-8")
