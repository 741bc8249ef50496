"""`kata mutate`: mutation testing of the references (see tfkata/mutation/README.md)."""

from __future__ import annotations

import argparse
import os
import time

from tfkata.errors import KataError
from tfkata.mutation.operators import OPERATORS
from tfkata.mutation.report import judge_all, print_report, survivor_text, write_json
from tfkata.mutation.runner import collect_mutants, run_mutation


def _workers(value: str) -> int:
    if value == "auto":
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise KataError(f"--workers: expected a number or auto, got {value!r}") from None
    if n < 1:
        raise KataError(f"--workers: at least 1, got {n}")
    return n


def cmd_mutate(ws, args: argparse.Namespace) -> int:
    names = [ws.manifest.get(n).name for n in args.kata] if args.kata else ws.manifest.names()
    operators = None
    if args.operator:
        unknown = sorted(set(args.operator) - set(OPERATORS))
        if unknown:
            raise KataError(f"--operator: unknown {unknown[0]!r} (known: {', '.join(OPERATORS)})")
        operators = set(args.operator)
    names = [n for n in names if (ws.root / "solutions" / f"{n}.py").is_file()]
    if args.list:
        found = collect_mutants(ws.root, names, operators)
        for kata, ms in found.items():
            print(f"{kata}: {len(ms)} mutants")
            for m in ms:
                print(f"  {m.id}  line {m.line}: {m.description}")
        print(f"{sum(len(ms) for ms in found.values())} mutants")
        return 0
    started = time.monotonic()
    runs = run_mutation(
        ws.root, names, _workers(args.workers), operators, probes=not args.all_tests
    )
    verdicts = judge_all(ws.root, runs)
    print_report(verdicts)
    if args.json:
        write_json(args.json, verdicts, runs)
    bad = [v for v in verdicts.values() if v.problems]
    print(
        f"\nmutate: {len(verdicts) - len(bad)}/{len(verdicts)} katas pass the gate, "
        f"{time.monotonic() - started:.0f} s"
    )
    return 1 if bad else 0


def add_mutate_parser(sub) -> None:
    p = sub.add_parser(
        "mutate", help="mutation testing: mutants of the references the tests must kill"
    )
    p.add_argument("--kata", action="append", help="only this kata (repeatable)")
    p.add_argument("--list", action="store_true", help="list the mutants without running them")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--operator",
        action="append",
        help=f"only this operator (repeatable): {', '.join(OPERATORS)}",
    )
    p.add_argument(
        "-n", "--workers", default="auto", help="worker processes (default: one per core)"
    )
    p.add_argument(
        "--all-tests",
        action="store_true",
        help="run every test on every mutant, not only those that reach the mutated code",
    )
    p.set_defaults(func=cmd_mutate)


__all__ = ["add_mutate_parser", "cmd_mutate", "survivor_text"]
