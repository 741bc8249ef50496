"""`kata notebooks DIR`: one Jupyter notebook per chapter, generated from the katas.

For each kata: its teaching docstring as Markdown, a `%%kata NAME` cell holding the stub, and a
hint line. The notebooks are regenerated, never edited by hand: `kata verify` checks that the
committed `notebooks/` match what this module writes (like the stubs). The JSON is written by hand
in nbformat 4.5's layout (deterministic: fixed cell ids, sorted keys), so generating needs no
Jupyter package; the tests validate it with nbformat."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

from tfkata.manifest import Manifest
from tfkata.stubgen import stub_for

INSTALL = (
    "# Colab, Kaggle or a fresh Jupyter: installs tfkata once (on the TensorFlow already there,\n"
    "# when that is a supported release); does nothing where tfkata is installed.\n"
    "import importlib.util\n"
    "\n"
    'if importlib.util.find_spec("tfkata") is None:\n'
    "    %pip install --quiet 'tfkata[notebook]'"
)
LOAD = "%load_ext tfkata"


def _cell_id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


def _source(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and lines[-1].endswith("\n"):
        lines[-1] = lines[-1][:-1]
    return lines


def _markdown(text: str, cid: str) -> dict:
    return {"cell_type": "markdown", "id": cid, "metadata": {}, "source": _source(text)}


def _code(text: str, cid: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cid,
        "metadata": {},
        "outputs": [],
        "source": _source(text),
    }


def kata_cell_source(stub: str, name: str) -> str:
    """The `%%kata NAME` cell: the stub without its module docstring (shown as Markdown above)
    and without the two comment lines addressed to a terminal user."""
    tree = ast.parse(stub)
    lines = stub.splitlines()
    body_start = 0
    if tree.body and isinstance(tree.body[0], ast.Expr):
        first = tree.body[0]
        if isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            body_start = first.end_lineno
    rest = "\n".join(lines[body_start:]).strip("\n")
    return f"%%kata {name}\n{rest}\n"


def docstring_markdown(reference: Path, title: str, name: str) -> str:
    doc = ast.get_docstring(ast.parse(reference.read_text(encoding="utf-8"))) or ""
    head, _, body = doc.partition("\n")
    head = head.removeprefix("Kata: ").strip()
    return f"## {title} (`{name}`)\n\n*{head}*\n\n{body.strip()}\n"


def chapter_notebook(manifest: Manifest, chapter: int) -> dict:
    title = manifest.chapters.get(chapter, "")
    katas = [k for k in manifest.katas if k.chapter == chapter]
    cells = [
        _markdown(
            f"# tfkata, chapter {chapter}: {title}\n\n"
            "Each kata below is one `%%kata NAME` cell: fill in the functions and run the cell. "
            "Its tests run in a separate process (the same tests and verdict as `kata check`), "
            "and the code is defined here in the notebook too, so you can call it. "
            "`tfkata.hint(NAME)` gives the next hint; `tfkata.progress()` shows where you are.",
            _cell_id(str(chapter), "intro"),
        ),
        _code(INSTALL, _cell_id(str(chapter), "install")),
        _code(f"{LOAD}\nimport tfkata", _cell_id(str(chapter), "load")),
    ]
    for kata in katas:
        reference = manifest.root / "solutions" / kata.module_file
        cells.append(
            _markdown(docstring_markdown(reference, kata.title, kata.name), _cell_id(kata.name))
        )
        stub = stub_for(reference)
        cells.append(_code(kata_cell_source(stub, kata.name), _cell_id(kata.name, "kata")))
        cells.append(
            _code(
                f'tfkata.hint("{kata.name}")  # run again for the next hint',
                _cell_id(kata.name, "hint"),
            )
        )
    return {
        "cells": cells,
        "metadata": {
            "colab": {"provenance": []},
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_name(manifest: Manifest, chapter: int) -> str:
    slug = "".join(c if c.isalnum() else "_" for c in manifest.chapters.get(chapter, "").lower())
    slug = "_".join(filter(None, slug.split("_")))
    return f"{chapter:02d}_{slug}.ipynb"


def render(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def notebooks(manifest: Manifest) -> dict[str, str]:
    """File name -> text of every chapter's notebook."""
    chapters = sorted({k.chapter for k in manifest.katas})
    return {notebook_name(manifest, c): render(chapter_notebook(manifest, c)) for c in chapters}


def stale_notebooks(manifest: Manifest, folder: Path) -> list[str]:
    """Names of notebooks in `folder` that differ from (or lack) the generated text."""
    return [
        name
        for name, text in notebooks(manifest).items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def write_notebooks(manifest: Manifest, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in notebooks(manifest).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
