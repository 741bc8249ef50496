"""The contract check: every kata file exports what docs/katas.md promises.

docs/katas.md has one section per kata (`### `NAME``) whose bullets name its public API in
backticks: `func(a, b=1) -> ...` for a function (in the bullet's head, before its first colon),
`class Name(Base)` followed by its methods' signatures for a class. Each kata file (in katas/, solutions/, or any folder of NAME.py files)
must define those functions, classes and methods with the same parameter names, order and
defaults. Static only: the code is read with `ast`, nothing is imported, so the whole check
runs in well under a second. `kata contract` runs it; `kata verify` includes it."""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from pathlib import Path

CONTRACT = "docs/katas.md"
SPAN = re.compile(r"`([^`]+)`")
NAME = re.compile(r"^([a-z_][a-z0-9_]*)\(")
CLASS = re.compile(r"^class ([A-Za-z_]\w*)(\(.*\))?$")
SECTION = re.compile(r"^### `([a-z_0-9]+)`")

Params = list[tuple[str, str | None]]  # (name, default source or None)


@dataclass
class KataContract:
    funcs: dict[str, Params] = field(default_factory=dict)
    classes: dict[str, dict[str, Params]] = field(default_factory=dict)


def _signature(text: str) -> tuple[str, str] | None:
    """`name(params)` or `name(params) -> ...` (balanced parentheses) -> (name, params)."""
    match = NAME.match(text)
    if not match:
        return None
    depth = 0
    for i in range(match.end() - 1, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            rest = text[i + 1 :].strip()
            if rest and not rest.startswith("->"):
                return None
            return match.group(1), text[match.end() : i]
    return None


def split_params(text: str) -> Params:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    out: Params = []
    for part in parts:
        name, _, default = part.partition("=")
        if name.strip() in ("*", "/"):  # keyword-only and positional-only markers
            continue
        out.append((name.strip(), default.strip() or None))
    return out


def parse_contract(text: str) -> dict[str, KataContract]:
    """{kata: its functions and classes with their parameters}, in the file's order."""
    bullets: dict[str, list[str]] = {}
    kata = None
    for line in text.splitlines():
        section = SECTION.match(line)
        if section:
            kata = section.group(1)
            bullets[kata] = []
        elif line.startswith("## "):
            kata = None
        elif kata is None:
            continue
        elif line.startswith("- "):
            bullets[kata].append(line[2:])
        elif line.startswith("  ") and bullets[kata]:
            bullets[kata][-1] += " " + line.strip()
    spec: dict[str, KataContract] = {}
    for kata, items in bullets.items():
        entry = spec[kata] = KataContract()
        for bullet in items:
            spans = [re.sub(r"\s+", " ", s) for s in SPAN.findall(bullet)]
            if not spans:
                continue
            cls = CLASS.match(spans[0])
            if cls:
                methods = entry.classes.setdefault(cls.group(1), {})
                for span in spans[1:]:
                    sig = _signature(span)
                    if sig and "." not in sig[0]:
                        methods[sig[0]] = split_params(sig[1])
                continue
            for span in _head_spans(bullet):
                sig = _signature(re.sub(r"\s+", " ", span))
                if sig and not hasattr(builtins, sig[0]):
                    entry.funcs[sig[0]] = split_params(sig[1])
    return spec


def _head_spans(bullet: str) -> list[str]:
    """The spans of a function bullet's head, before its first `:` outside backticks: there the
    bullet names its functions (`a(x)`, `b(x) -> T`: ...); a call after it is prose (an example,
    a parameter called, the function it returns), not part of the API."""
    outside = SPAN.sub(lambda m: "`" + "x" * (len(m.group(0)) - 2) + "`", bullet)
    colon = outside.find(":")
    head = bullet if colon < 0 else bullet[:colon]
    return SPAN.findall(head)


def _norm_default(src: str | None) -> str | None:
    if src is None:
        return None
    try:
        number = re.fullmatch(r"[\d_.e+-]+", src)
        return repr(ast.literal_eval(src.replace("_", "") if number else src))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return src.replace(" ", "")


def _code_params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Params:
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + [ast.unparse(d) for d in a.defaults]
    out: Params = [(p.arg, d) for p, d in zip(positional, defaults, strict=True)]
    for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        out.append((p.arg, ast.unparse(d) if d is not None else None))
    if a.vararg:
        out.append(("*" + a.vararg.arg, None))
    if a.kwarg:
        out.append(("**" + a.kwarg.arg, None))
    return out


def _compare(where: str, want: Params, got: Params, is_method: bool) -> list[str]:
    if is_method and got and got[0][0] == "self" and (not want or want[0][0] != "self"):
        got = got[1:]
    extra_ok = [g for g in got[len(want) :] if g[0].startswith("*")]
    if len(got) - len(extra_ok) != len(want):
        return [
            f"{where}: parameters {[n for n, _ in got]} but the contract says "
            f"{[n for n, _ in want]}"
        ]
    problems = []
    for (want_name, want_default), (got_name, got_default) in zip(want, got, strict=False):
        if want_name != got_name:
            problems.append(f"{where}: parameter {got_name!r} where the contract has {want_name!r}")
        elif not want_name.startswith("*") and _norm_default(want_default) != _norm_default(
            got_default
        ):
            problems.append(
                f"{where}: {want_name} defaults to {got_default} where the contract says "
                f"{want_default}"
            )
    return problems


def check_file(path: Path, entry: KataContract, label: str | None = None) -> list[str]:
    """What `path` lacks or gets wrong of `entry` (empty: it matches)."""
    where = label or str(path)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{where}: cannot read: {exc}"]
    except SyntaxError as exc:
        return [f"{where}: syntax error line {exc.lineno}: {exc.msg}"]
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    problems = []
    for name, want in entry.funcs.items():
        if name not in funcs:
            problems.append(f"{where}: missing function {name}")
        else:
            problems += _compare(f"{where}: {name}", want, _code_params(funcs[name]), False)
    for cname, methods in entry.classes.items():
        if cname not in classes:
            problems.append(f"{where}: missing class {cname}")
            continue
        defs = {
            n.name: n
            for n in classes[cname].body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for mname, want in methods.items():
            if mname not in defs:
                problems.append(f"{where}: class {cname} has no method {mname}")
            else:
                problems += _compare(
                    f"{where}: {cname}.{mname}", want, _code_params(defs[mname]), True
                )
    return problems


@dataclass
class ContractResult:
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # NAME.py absent from a folder


def load_contract(root: Path) -> dict[str, KataContract]:
    path = root / CONTRACT
    return parse_contract(path.read_text(encoding="utf-8"))


def check(
    root: Path,
    folders: list[Path] | None = None,
    names: list[str] | None = None,
    manifest_names: list[str] | None = None,
) -> ContractResult:
    """Check `folders` (default: the suite's katas/ and solutions/) against root/docs/katas.md,
    for the katas `names` (default: all in the contract). With `manifest_names` (info.toml's
    katas), also check that the contract and the manifest name the same katas."""
    result = ContractResult()
    contract_path = root / CONTRACT
    if not contract_path.is_file():
        result.problems.append(f"{CONTRACT}: missing (the contract of every kata)")
        return result
    spec = load_contract(root)
    if manifest_names is not None:
        for name in manifest_names:
            if name not in spec:
                result.problems.append(f"{CONTRACT}: no section for kata {name} (info.toml has it)")
        for name in spec:
            if name not in manifest_names:
                result.problems.append(f"{CONTRACT}: kata {name} is not in info.toml")
        for name, entry in spec.items():
            if not entry.funcs and not entry.classes:
                result.problems.append(f"{CONTRACT}: kata {name} names no function or class")
    folders = folders if folders is not None else [root / "katas", root / "solutions"]
    for folder in folders:
        for name, entry in spec.items():
            if names is not None and name not in names:
                continue
            path = folder / f"{name}.py"
            label = _label(path, root)
            if not path.is_file():
                result.missing.append(label)
                continue
            result.checked += 1
            result.problems += check_file(path, entry, label)
    return result


def _label(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
