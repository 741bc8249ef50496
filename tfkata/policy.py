"""The kata-file policy: a cheap static (AST) check of a kata file before it runs, shared by
`kata check` (so a learner hears it first) and `kata grade` (a violation is status `error`).

A kata file

1. imports only what kata code needs: numpy, tensorflow (not its `tensorflow.python`
   internals), keras, gymnasium, tensorboard, and the standard modules in STDLIB (never
   introspection or process control: gc, inspect, ctypes, builtins, importlib, sys, threading,
   signal, atexit, subprocess, ... nor pytest, hypothesis, tfkata, kata_testing, solutions);
   instructors widen the list with `kata grade --allow-import MODULE`;
2. never assigns to (or deletes) an attribute of an imported module or of what it imported
   (`np.isclose = ...`, `keras.layers.Dense = ...`, `Dense.call = ...`, `setattr(tf.nn, ...)`):
   kata code must not change the libraries it uses;
3. never reaches frames, closures, globals or the interpreter's internals: no dunder attribute
   but a few harmless ones (`__init__`, `__name__`, ...), no `f_back`, `tb_frame`, `gi_frame`,
   `_getframe`, `modules`, ...; no `eval`, `exec`, `compile`, `__import__`, `globals`,
   `locals`, `vars`, `breakpoint`, and `getattr` only with a literal attribute name;
4. uses `os` for paths only (os.path, os.fspath, os.listdir, ...), never os._exit, os.system,
   os.kill, os.fork...

This is a policy, not a proof (Python can always be bent further): the grader also isolates
each run and watches the libraries the tests measure against (tfkata.grading)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LIBRARIES = ("numpy", "tensorflow", "keras", "gymnasium", "tensorboard")
STDLIB = (
    "__future__",
    "abc",
    "bisect",
    "collections",
    "contextlib",
    "copy",
    "dataclasses",
    "enum",
    "fractions",
    "functools",
    "heapq",
    "itertools",
    "math",
    "numbers",
    "operator",
    "os",
    "pathlib",
    "random",
    "re",
    "statistics",
    "time",
    "typing",
    "warnings",
)
ALLOWED_IMPORTS = LIBRARIES + STDLIB
# under an allowed root, still refused: internals that reach the interpreter
REFUSED_SUBMODULES = ("tensorflow.python",)
OS_ALLOWED = (
    "path",
    "fspath",
    "listdir",
    "scandir",
    "walk",
    "makedirs",
    "mkdir",
    "sep",
    "getcwd",
    "PathLike",
    "environ",
)
DUNDERS_ALLOWED = (
    "__init__",
    "__name__",
    "__qualname__",
    "__doc__",
    "__class__",
    "__call__",
    "__len__",
    "__iter__",
    "__file__",
)
# attribute (and imported) names that lead to frames, globals, modules or process control
REACHING = frozenset(
    {
        "f_back",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_code",
        "f_trace",
        "tb_frame",
        "tb_next",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "cr_code",
        "ag_frame",
        "ag_code",
        "co_consts",
        "co_code",
        "_getframe",
        "_current_frames",
        "currentframe",
        "getouterframes",
        "getinnerframes",
        "tf_inspect",
        "modules",
        "os",
        "sys",
        "gc",
        "inspect",
        "ctypes",
        "ctypeslib",
        "builtins",
        "importlib",
        "subprocess",
        "threading",
        "signal",
        "atexit",
        "pluginmanager",
        "attrgetter",
        "methodcaller",
    }
)
BUILTINS_REFUSED = frozenset(
    {"eval", "exec", "compile", "__import__", "globals", "locals", "vars", "breakpoint"}
)
WHY_IMPORT = (
    "kata code may import only numpy, tensorflow, keras, gymnasium, tensorboard and a few "
    "standard modules{extra} (docs/katas.md, Kata-file policy)"
)
WHY_CHANGE = "kata code must not change the libraries it uses"
WHY_REACH = "kata code must not reach frames, globals, closures or the interpreter's internals"
WHY_OS = "kata code may use os only for paths (os.path, os.fspath, os.listdir, ...)"
WHY_RUNTIME_CODE = "kata code must not run code built at run time"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str  # "imports gc", "assigns keras.layers.Dense", ...
    why: str

    def __str__(self) -> str:
        return f"{self.path} line {self.line} {self.what}: {self.why}"


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _root(node: ast.AST) -> ast.Name | None:
    """The name an attribute/subscript chain starts from (`x` in x.a[0].b), else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, allowed: tuple[str, ...]) -> None:
        self.path = path
        self.allowed = allowed
        self.found: list[Violation] = []
        self.imported: set[str] = set()  # names bound by import statements
        self.aliases: set[str] = set()  # names bound to (parts of) what was imported
        self.os_names: set[str] = set()  # names bound to the os module
        extra = [m for m in allowed if m not in ALLOWED_IMPORTS]
        self.why_import = WHY_IMPORT.format(
            extra=f" (here also {', '.join(extra)})" if extra else ""
        )

    def add(self, node: ast.AST, what: str, why: str) -> None:
        self.found.append(Violation(self.path, getattr(node, "lineno", 0), what, why))

    # ---------------------------------------------------------------- imports
    def _module_allowed(self, module: str) -> str | None:
        """None if `module` may be imported, else why not."""
        parts = module.split(".")
        if parts[0] not in self.allowed and module not in self.allowed:
            return self.why_import
        if any(module == r or module.startswith(r + ".") for r in REFUSED_SUBMODULES):
            return WHY_REACH
        if any(p in REACHING or (p.startswith("_") and p != "__future__") for p in parts[1:]):
            return WHY_REACH
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            why = self._module_allowed(alias.name)
            if why:
                self.add(node, f"imports {alias.name}", why)
            bound = alias.asname or alias.name.split(".")[0]
            self.imported.add(bound)
            if alias.name == "os" and alias.asname:
                self.os_names.add(alias.asname)
            elif alias.name.split(".")[0] == "os" and not alias.asname:
                self.os_names.add("os")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        if node.level:
            self.add(node, f"imports {module}", self.why_import)
        else:
            why = self._module_allowed(module)
            if why:
                self.add(node, f"imports {module}", why)
        for alias in node.names:
            if alias.name == "*":
                continue
            if alias.name in REACHING or (alias.name.startswith("_") and module != "__future__"):
                self.add(node, f"imports {module}.{alias.name}", WHY_REACH)
            elif module == "os" and alias.name not in OS_ALLOWED:
                self.add(node, f"imports os.{alias.name}", WHY_OS)
            self.imported.add(alias.asname or alias.name)
        self.generic_visit(node)

    # ---------------------------------------------------------------- changing libraries
    def _library_target(self, target: ast.AST) -> str | None:
        """The dotted name of an imported library object a store/delete target changes."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                hit = self._library_target(elt)
                if hit:
                    return hit
            return None
        if not isinstance(target, (ast.Attribute, ast.Subscript)):
            return None
        root = _root(target)
        # an item of a container that merely holds a library value (`best = [np.inf]`) is
        # the kata's own; an item of a library object itself (`np.sctypeDict[...]`) is not
        names = self.imported | self.aliases if isinstance(target, ast.Attribute) else self.imported
        if root is None or root.id not in names:
            return None
        return _dotted(target) or ast.unparse(target)

    def _check_targets(self, node: ast.AST, targets: Iterable[ast.AST], verb: str) -> None:
        for target in targets:
            hit = self._library_target(target)
            if hit:
                self.add(node, f"{verb} {hit}", WHY_CHANGE)

    def _taints(self, value: ast.AST | None) -> bool:
        """Does `value` hand out an imported object itself (not the result of calling it)?"""
        if value is None:
            return False
        called = set()
        for sub in ast.walk(value):
            if isinstance(sub, ast.Call):
                called.add(id(sub.func))
                inner = sub.func
                while isinstance(inner, ast.Attribute):
                    inner = inner.value
                    called.add(id(inner))
        for sub in ast.walk(value):
            if (
                isinstance(sub, ast.Name)
                and sub.id in self.imported | self.aliases
                and id(sub) not in called
            ):
                return True
        return False

    def _bind(self, targets: Iterable[ast.AST], value: ast.AST | None) -> None:
        if not self._taints(value):
            return
        todo = list(targets)
        while todo:  # the names bound, not those inside `x.attr = ...` or `x[i] = ...`
            target = todo.pop()
            if isinstance(target, ast.Name):
                self.aliases.add(target.id)
            elif isinstance(target, (ast.Tuple, ast.List)):
                todo += target.elts
            elif isinstance(target, ast.Starred):
                todo.append(target.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._check_targets(node, node.targets, "assigns")
        self._bind(node.targets, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check_targets(node, [node.target], "assigns")
        self._bind([node.target], node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_targets(node, [node.target], "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        self._check_targets(node, node.targets, "deletes")
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._check_targets(node, [node.target], "assigns")
        self._bind([node.target], node.iter)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind([node.target], node.iter)
        self.generic_visit(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._check_targets(node.context_expr, [node.optional_vars], "assigns")
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind([node.target], node.value)
        self.generic_visit(node)

    # ---------------------------------------------------------------- reaching internals
    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        root = _root(node)
        if _is_dunder(name) and name not in DUNDERS_ALLOWED:
            self.add(node, f"uses {name}", WHY_REACH)
        elif name in REACHING:
            self.add(node, f"uses {_dotted(node) or name}", WHY_REACH)
        elif (
            name.startswith("_")
            and root is not None
            and root.id in self.imported | self.aliases
            and not _is_dunder(name)
        ):
            self.add(node, f"uses {_dotted(node) or name}", WHY_REACH)
        elif (
            isinstance(node.value, ast.Name)
            and node.value.id in self.os_names
            and name not in OS_ALLOWED
        ):
            self.add(node, f"uses os.{name}", WHY_OS)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in BUILTINS_REFUSED:
            why = WHY_RUNTIME_CODE if node.id in ("eval", "exec", "compile") else WHY_REACH
            self.add(node, f"uses {node.id}", why)
        elif _is_dunder(node.id) and node.id not in DUNDERS_ALLOWED:
            self.add(node, f"uses {node.id}", WHY_REACH)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("getattr", "setattr", "delattr"):
            name = node.args[1] if len(node.args) > 1 else None
            literal = isinstance(name, ast.Constant) and isinstance(name.value, str)
            target = node.args[0] if node.args else None
            if not literal:
                self.add(node, f"uses {func.id} with a computed name", WHY_REACH)
            else:
                attr = name.value
                if (_is_dunder(attr) and attr not in DUNDERS_ALLOWED) or attr in REACHING:
                    self.add(node, f"uses {func.id}(..., {attr!r})", WHY_REACH)
            if func.id != "getattr" and target is not None:
                root = _root(target)
                if root is not None and root.id in self.imported | self.aliases:
                    shown = _dotted(target) or ast.unparse(target)
                    attr = name.value if literal else "..."
                    self.add(node, f"assigns {shown}.{attr}", WHY_CHANGE)
        self.generic_visit(node)


def check_source(
    source: str | bytes, path: str = "kata file", extra_imports: Iterable[str] = ()
) -> list[Violation]:
    """Every violation of the policy in `source` (empty: the file may run). A file that does
    not compile has no violations here: running it reports the SyntaxError."""
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return []
    checker = _Checker(path, ALLOWED_IMPORTS + tuple(extra_imports))
    checker.visit(tree)
    return sorted(checker.found, key=lambda v: v.line)


def check_file(
    path: Path, shown: str | None = None, extra_imports: Iterable[str] = ()
) -> list[Violation]:
    return check_source(Path(path).read_bytes(), shown or str(path), extra_imports)


def summary(found: list[Violation]) -> str:
    """One line: the first violation, and how many more there are."""
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return f"{found[0]}{more}"
