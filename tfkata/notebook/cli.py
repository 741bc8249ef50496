"""`kata notebooks DIR` and `kata show NAME`: the notebook and picture commands of the CLI."""

from __future__ import annotations

import argparse
from pathlib import Path

from tfkata.errors import KataError
from tfkata.notebook.generate import stale_notebooks, write_notebooks


def cmd_notebooks(ws, args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if args.check:
        stale = stale_notebooks(ws.manifest, folder)
        for name in stale:
            print(f"{folder}/{name} differs from the notebook generated from the katas")
        if stale:
            print(f"`kata notebooks {folder}` regenerates them")
        return 1 if stale else 0
    for path in write_notebooks(ws.manifest, folder):
        print(f"wrote {path}")
    return 0


def cmd_show(ws, args: argparse.Namespace) -> int:
    from tfkata.notebook.session import run_picture
    from tfkata.pictures import EXTRA_HINT, PICTURES

    name = ws.manifest.get(args.name).name
    if name not in PICTURES:
        raise KataError(f"{name} has no picture; these do: {', '.join(sorted(PICTURES))}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise KataError(EXTRA_HINT) from None
    impl = Path(args.impl).resolve() if args.impl else ws.katas_dir
    if not (impl / f"{name}.py").is_file():
        raise KataError(f"no {name}.py in {impl}")
    out = (
        Path(args.output).resolve()
        if args.output
        else ws.katas_dir.parent / ".kata" / "show" / f"{name}.png"
    )
    print(run_picture(ws.manifest.root, name, impl, out))
    return 0


def add_notebook_parsers(sub) -> None:
    p = sub.add_parser("notebooks", help="write one Jupyter notebook per chapter into DIR")
    p.add_argument("dir", nargs="?", default="notebooks")
    p.add_argument("--check", action="store_true", help="only report notebooks that are stale")
    p.set_defaults(func=cmd_notebooks)
    p = sub.add_parser("show", help="draw what a kata computes (a PNG; needs tfkata[notebook])")
    p.add_argument("name")
    p.add_argument("--impl", default=None, help="folder of kata files (default: your katas/)")
    p.add_argument(
        "-o", "--output", default=None, help="PNG to write (default: .kata/show/NAME.png)"
    )
    p.set_defaults(func=cmd_show)
