"""Learner stubs generated from the reference: the same module docstring, imports, public
signatures, decorators and docstrings, every body replaced by `raise NotImplementedError`.

`katas/NAME.py` is exactly `make_stub(solutions/NAME.py)`: `kata verify` checks it, and
`kata reset NAME` restores a learner's file from it. Private helpers (names starting with `_`,
dunder methods excepted) and code under `if __name__ == "__main__"` are left out."""

from __future__ import annotations

import ast
from pathlib import Path

LINE_LENGTH = 100
STUB_MARKER = "your code here (`kata hint "  # in every stub's NotImplementedError message
HEADER = (
    "# Kata {name}: fill in every function below, then run `kata check {name}`.\n"
    "# Stuck? `kata hint {name}` gives hints, from a nudge to nearly the answer.\n"
)


def _public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _segment(lines: list[str], node: ast.AST) -> list[str]:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return lines[start - 1 : node.end_lineno]


def _header_and_docstring(lines: list[str], node: ast.FunctionDef | ast.ClassDef) -> list[str]:
    """Decorators, the def/class line(s) and the docstring, verbatim."""
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    first = node.body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    end = first.end_lineno if has_doc else first.lineno - 1
    return lines[start - 1 : end]


def _body_indent(lines: list[str], node: ast.FunctionDef | ast.ClassDef) -> str:
    line = lines[node.body[0].lineno - 1]
    return line[: len(line) - len(line.lstrip())]


def _stub_function(lines, node, kata: str, qualname: str) -> list[str]:
    out = _header_and_docstring(lines, node)
    indent = _body_indent(lines, node)
    message = f'"{qualname}: {STUB_MARKER}{kata}`)"'
    line = f"{indent}raise NotImplementedError({message})"
    if len(line) <= LINE_LENGTH:
        out.append(line)
    else:  # the shape `ruff format` gives a long call
        out += [f"{indent}raise NotImplementedError(", f"{indent}    {message}", f"{indent})"]
    return out


def _stub_class(lines, node: ast.ClassDef, kata: str) -> list[str]:
    out = _header_and_docstring(lines, node)
    kept = 0
    for child in node.body[1:] if out and _has_docstring(node) else node.body:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and _public(child.name):
            out.append("")
            out += _stub_function(lines, child, kata, f"{node.name}.{child.name}")
            kept += 1
        elif isinstance(child, (ast.Assign, ast.AnnAssign)) and _public_targets(child):
            out += _segment(lines, child)
            kept += 1
    if not kept:
        out.append(f"{_body_indent(lines, node)}pass")
    return out


def _has_docstring(node) -> bool:
    first = node.body[0]
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def _public_targets(node: ast.Assign | ast.AnnAssign) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return len(names) == len(targets) and all(_public(n) for n in names)


def make_stub(source: str, kata: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines()
    blocks: list[list[str]] = []
    constants: set[int] = set()  # blocks that are assignments
    imports: list[str] = []
    body = tree.body
    docstring: list[str] = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        docstring = _segment(lines, body[0])
        body = body[1:]
    previous_import_end = None
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if previous_import_end is not None:
                # consecutive imports keep the blank lines and comments between their groups
                imports += lines[previous_import_end : node.end_lineno]
            else:
                imports += _segment(lines, node)
            previous_import_end = node.end_lineno
            continue
        previous_import_end = None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _public(node.name):
            blocks.append(_stub_function(lines, node, kata, node.name))
        elif isinstance(node, ast.ClassDef) and _public(node.name):
            blocks.append(_stub_class(lines, node, kata))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _public_targets(node):
            blocks.append(_segment(lines, node))
            constants.add(len(blocks) - 1)
    parts = [HEADER.format(name=kata).rstrip("\n")]
    if docstring:
        parts.append("\n".join(docstring))
    if imports:
        parts.append("\n".join(imports))
    text = "\n\n".join(parts)
    for i, block in enumerate(blocks):
        # like `ruff format`: one blank line between consecutive constants (or after the
        # imports), two around functions and classes
        follows_constant = i == 0 or i - 1 in constants
        gap = "\n\n" if i in constants and follows_constant else "\n\n\n"
        text += gap + "\n".join(block)
    return text + "\n"


def stub_for(reference: Path) -> str:
    return make_stub(reference.read_text(encoding="utf-8"), reference.stem)
