"""Mutation operators that know TensorFlow and Keras, applied to a reference by an AST rewriter.

`mutants(source, kata)` parses a reference, finds every place an operator applies and returns one
`Mutant` per change: the whole mutated source plus where and what changed. The rewrite is textual
(only the mutated node's source span is replaced, by `ast.unparse` of the changed node), so the
rest of the file, comments and line numbers included, stays as it was.

A mutant's id is `OPERATOR:FUNCTION:HASH` (plus `~N` for the N-th identical change in the same
function): HASH digests the operator, the enclosing function's qualified name and the normalised
source of the node before and after. Inserting or editing an unrelated line leaves every other id
alone, so equivalent mutants can be listed by id in tests/mutants/NAME.toml across runs."""

from __future__ import annotations

import ast
import copy
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# operator -> what it models (printed by `kata mutate --list` and in the README)
OPERATORS: dict[str, str] = {
    "reduce_swap": "reduce_sum <-> reduce_mean (tf, tf.math, keras.ops, np, array methods)",
    "reduce_max_min": "reduce_max <-> reduce_min, max <-> min",
    "axis": "axis=-1 <-> 0 / 1, or the axis argument dropped",
    "keepdims": "keepdims flipped",
    "from_logits": "from_logits flipped, or from_logits=True added to a cross-entropy",
    "training": "training= dropped or flipped",
    "trainable": "an assignment to .trainable flipped",
    "stop_gradient": "tf.stop_gradient(x) -> x",
    "off_by_one": "range() bounds and slice bounds +-1",
    "loss_args": "the first two arguments of a loss / metric call swapped",
    "cast_dropped": "tf.cast(x, dtype) -> x, or a dtype= argument dropped",
    "cast_float32": "a cast to float32 added (convert_to_tensor) or forced (tf.cast to another dtype)",
    "softmax": "softmax / log_softmax removed or applied twice",
    "activation": "an activation= argument of a layer dropped",
    "drop_remainder": "drop_remainder flipped, or drop_remainder=True added to .batch()",
    "shuffle_after_batch": "Dataset.shuffle moved after .batch()",
    "bool_kwarg": "another boolean keyword argument flipped",
    "state_reset": "a state reset (v.assign(0), assign(zeros)) removed",
    "call_dropped": "a method-call statement removed (tape.watch, assign_add, apply_gradients...)",
    "compare": "comparison flipped: < <-> <=, > <-> >=, == <-> !=, is <-> is not, in <-> not in",
    "constant": "a numeric constant +1 / -1",
    "not_dropped": "not x -> x",
    "arith": "+ <-> -, * <-> /, unary minus dropped",
    "loop_once": "a loop's body runs once (break at its end): returning early from a loop",
}

REDUCE_SWAP = {
    "reduce_sum": "reduce_mean",
    "reduce_mean": "reduce_sum",
    "sum": "mean",
    "mean": "sum",
}
REDUCE_MAX_MIN = {
    "reduce_max": "reduce_min",
    "reduce_min": "reduce_max",
    "max": "min",
    "min": "max",
}
REDUCE_MAX_MIN |= {"amax": "amin", "amin": "amax"}
ARRAY_MODULES = {"np", "numpy", "ops", "keras.ops", "tf.experimental.numpy", "tnp", "jnp"}
REDUCERS = {
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_logsumexp",
    "reduce_any", "reduce_all", "argmax", "argmin", "sum", "mean", "max", "min", "softmax",
    "log_softmax", "concat", "stack", "norm", "logsumexp",
}  # fmt: skip
SOFTMAX = {"softmax", "log_softmax"}
SOFTMAX_MODULES = {"tf.nn", "tf.math", "keras.ops", "ops", "keras.activations", "activations"}
LOSS_CALL = re.compile(
    r"loss|crossentropy|entropy|\bmse\b|\bmae\b|hinge|divergence|metric|update_state|criterion",
    re.IGNORECASE,
)
CROSSENTROPY = re.compile(r"crossentropy", re.IGNORECASE)
ZEROS = {"zeros", "zeros_like"}
FLOAT32 = {"tf.float32", "float32", "np.float32", "'float32'", '"float32"'}
SIMPLE = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
CMP_FLIP: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip
CMP_TEXT = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}  # fmt: skip
ARITH_FLIP: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
ARITH_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# keyword arguments with an operator of their own
OWN_KWARGS = {"axis", "keepdims", "from_logits", "training", "drop_remainder"}


@dataclass(frozen=True)
class Mutant:
    kata: str
    id: str
    operator: str
    function: str  # qualified name of the enclosing function or class, "<module>" at top level
    line: int
    col: int
    description: str
    before: str  # the original source line(s) of the change
    after: str  # the same lines in the mutant
    source: str  # the whole mutated module
    probe: tuple[str, int, int] = ("", 0, 0)  # where a reachability probe goes (probed_source)

    def summary(self) -> dict:
        return {
            "id": self.id,
            "operator": self.operator,
            "function": self.function,
            "line": self.line,
            "col": self.col,
            "description": self.description,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class _Edit:
    """One candidate change: replace the spans of `nodes` (source order) with `texts`."""

    operator: str
    description: str
    spans: list[tuple[int, int, str]]  # (start byte, end byte, replacement)
    key: str  # normalised before/after, for the id
    line: int
    col: int
    probe: tuple[str, int, int] = ("", 0, 0)  # ("expr", start, end) | ("stmt", start, indent)


def dotted(node: ast.AST) -> str:
    """`tf.math.reduce_sum` for the Attribute chain, '' when it is not a plain dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def call_name(call: ast.Call) -> str:
    """Dotted name of what is called; for `obj.method(...)` on a non-name receiver, `.method`."""
    name = dotted(call.func)
    if name:
        return name
    if isinstance(call.func, ast.Attribute):
        return "." + call.func.attr
    if isinstance(call.func, ast.Call):  # keras.losses.X()(a, b)
        return call_name(call.func) + "()"
    return ""


def _split(name: str) -> tuple[str, str]:
    prefix, _, last = name.rpartition(".")
    return prefix, last


def _u(node: ast.AST) -> str:
    return ast.unparse(node)


def _paren(node: ast.AST) -> str:
    text = _u(node)
    return text if isinstance(node, SIMPLE) else f"({text})"


class _Finder(ast.NodeVisitor):
    """Walks a module keeping the qualified name of the enclosing function or class."""

    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.line_starts = [0]
        for i, byte in enumerate(self.data):
            if byte == 10:
                self.line_starts.append(i + 1)
        self.scope: list[str] = []
        self.edits: list[tuple[str, _Edit]] = []
        self.skip: set[int] = set()  # ids of nodes another operator owns (no constant mutant)
        self.statements: list[ast.stmt] = []  # the statements enclosing the node visited

    def visit(self, node: ast.AST):
        if not isinstance(node, ast.stmt):
            return super().visit(node)
        self.statements.append(node)
        try:
            return super().visit(node)
        finally:
            self.statements.pop()

    def statement_key(self) -> str:
        """The innermost enclosing statement, normalised; a compound statement by its header
        only, so editing its body leaves the ids of mutants in its header alone."""
        if not self.statements:
            return ""
        stmt = copy.copy(self.statements[-1])
        for part in ("body", "orelse", "handlers", "finalbody"):
            if getattr(stmt, part, None):
                setattr(stmt, part, [ast.Pass()] if part == "body" else [])
        if hasattr(stmt, "decorator_list"):
            stmt.decorator_list = []
        return _u(stmt)

    # ---- positions
    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.data[start:end].decode("utf-8")

    def add(self, operator: str, description: str, node: ast.AST, replacement: str) -> None:
        start, end = self.span(node)
        key = f"{self.statement_key()} :: {_u(node)} => {replacement}"
        probe = (
            ("stmt", start, node.col_offset) if isinstance(node, ast.stmt) else ("expr", start, end)
        )
        self._push(
            _Edit(
                operator,
                description,
                [(start, end, replacement)],
                key,
                node.lineno,
                node.col_offset,
                probe,
            )
        )

    def add_call(self, operator: str, description: str, call: ast.Call, new: ast.Call) -> None:
        self.add(operator, description, call, _u(new))

    def _push(self, edit: _Edit) -> None:
        self.edits.append((".".join(self.scope) or "<module>", edit))

    # ---- scopes and skipped subtrees
    def _scoped(self, node) -> None:
        self.scope.append(node.name)
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                self.visit(base)
        else:
            self.visit(node.args)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        self._body(body)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Module(self, node: ast.Module) -> None:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        self._body(body)

    def _body(self, body: list[ast.stmt]) -> None:
        self._shuffle_statements(body)
        for stmt in body:
            self.visit(stmt)

    def visit_Raise(self, node: ast.Raise) -> None:
        return  # an error message is not behaviour worth mutating

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return

    def visit_Import(self, node) -> None:
        return

    visit_ImportFrom = visit_Import

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    # ---- statements
    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            name = call_name(call)
            zero = call.func.attr == "assign" and call.args and _is_zero(call.args[0])
            if zero:
                self.add("state_reset", f"drop the reset {_u(call)}", node, "pass")
            else:
                self.add("call_dropped", f"drop the call {name}(...)", node, "pass")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "trainable":
                value = node.value
                flipped = (
                    repr(not value.value)
                    if isinstance(value, ast.Constant) and isinstance(value.value, bool)
                    else f"not {_paren(value)}"
                )
                self.add("trainable", f".trainable = {_u(value)} -> {flipped}", value, flipped)
                self.skip.add(id(value))
        self.generic_visit(node)

    def _loop(self, node) -> None:
        last = node.body[-1]
        if last.lineno != node.lineno and not isinstance(
            last, (ast.Break, ast.Continue, ast.Return)
        ):
            indent = " " * last.col_offset
            start, end = self.span(last)
            original = self.data[start:end].decode("utf-8")
            self._push(
                _Edit(
                    "loop_once",
                    "the loop stops after its first pass (break)",
                    [(start, end, f"{original}\n{indent}break")],
                    f"{_u(node)} => break",
                    node.lineno,
                    node.col_offset,
                    ("stmt", self.span(node)[0], node.col_offset),
                )
            )
        self.generic_visit(node)

    visit_For = visit_While = visit_AsyncFor = _loop

    def _shuffle_statements(self, body: list[ast.stmt]) -> None:
        """`ds = ds.shuffle(...)` (possibly inside an `if`) then, later in the same block,
        `ds = ds.batch(...)`: move the shuffle's statement after the batch's."""
        for i, stmt in enumerate(body):
            name = _shuffle_target(stmt)
            if name is None:
                continue
            for later in body[i + 1 :]:
                if _assigns_batch(later, name):
                    s0, s1 = self.span(stmt)
                    b0, b1 = self.span(later)
                    moved = self.data[s0:s1].decode("utf-8")
                    batch = self.data[b0:b1].decode("utf-8")
                    indent = " " * later.col_offset
                    self._push(
                        _Edit(
                            "shuffle_after_batch",
                            "shuffle moved after batch",
                            [(s0, s1, "pass"), (b0, b1, f"{batch}\n{indent}{moved}")],
                            f"{_u(stmt)} ; {_u(later)} => swapped",
                            stmt.lineno,
                            stmt.col_offset,
                            ("stmt", s0, stmt.col_offset),
                        )
                    )
                    break

    # ---- expressions
    def visit_Call(self, node: ast.Call) -> None:
        name = call_name(node)
        prefix, last = _split(name)
        for op in CALL_OPERATORS:
            op(self, node, name, prefix, last)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            flipped = CMP_FLIP.get(type(op))
            if flipped is None:
                continue
            new = copy.deepcopy(node)
            new.ops[i] = flipped()
            desc = f"{CMP_TEXT[type(op)]} -> {CMP_TEXT[flipped]}"
            self.add("compare", desc, node, _u(new))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add(
                "not_dropped",
                f"not {_u(node.operand)} -> {_u(node.operand)}",
                node,
                _paren(node.operand),
            )
        elif isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
            self.add(
                "arith", f"-{_u(node.operand)} -> {_u(node.operand)}", node, _paren(node.operand)
            )
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        flipped = ARITH_FLIP.get(type(node.op))
        if flipped is not None and not (_is_text(node.left) or _is_text(node.right)):
            new = copy.deepcopy(node)
            new.op = flipped()
            desc = f"{ARITH_TEXT[type(node.op)]} -> {ARITH_TEXT[flipped]}"
            self.add("arith", desc, node, _u(new))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        flipped = ARITH_FLIP.get(type(node.op))
        if flipped is not None:
            new = copy.deepcopy(node)
            new.op = flipped()
            desc = f"{ARITH_TEXT[type(node.op)]}= -> {ARITH_TEXT[flipped]}="
            self.add("arith", desc, node, _u(new))
        self.generic_visit(node)

    def visit_Slice(self, node: ast.Slice) -> None:
        for part in ("lower", "upper"):
            bound = getattr(node, part)
            if bound is None:
                continue
            self.skip.add(id(bound))
            for delta in ("+ 1", "- 1"):
                self.add(
                    "off_by_one",
                    f"slice {part} bound {_u(bound)} {delta}",
                    bound,
                    f"{_paren(bound)} {delta}",
                )
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if id(node) in self.skip or isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        for new in (value + 1, value - 1):
            text = repr(new)
            self.add("constant", f"{value!r} -> {text}", node, text if new >= 0 else f"({text})")


# ---- call operators: each looks at one Call node


def _op_reduce(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    for table, op in ((REDUCE_SWAP, "reduce_swap"), (REDUCE_MAX_MIN, "reduce_max_min")):
        if last not in table or not isinstance(node.func, ast.Attribute | ast.Name):
            continue
        if not prefix and not name.startswith("."):
            if last in ("sum", "mean"):
                continue  # the builtin sum has no mean
        elif last in ("sum", "mean", "max", "min", "amax", "amin") and prefix in ("tf", "tf.math"):
            continue  # not TF functions
        new = copy.deepcopy(node)
        if isinstance(new.func, ast.Attribute):
            new.func.attr = table[last]
        else:
            new.func.id = table[last]
        f.add_call(op, f"{last} -> {table[last]}", node, new)


def _op_axis(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    for i, kw in enumerate(node.keywords):
        if kw.arg == "axis":
            _axis_mutants(f, node, kw.value, lambda new, v, i=i: _set_kw(new, i, v))
            return
    positional = last in REDUCERS and prefix and not name.startswith(".")
    if positional and len(node.args) >= 2 and _int_value(node.args[1]) is not None:
        _axis_mutants(f, node, node.args[1], lambda new, v: _set_arg(new, 1, v), positional=True)


def _axis_mutants(f, node, value, setter, positional=False) -> None:
    f.skip.add(id(value))
    if isinstance(value, ast.UnaryOp):
        f.skip.add(id(value.operand))
    current = _int_value(value)
    if current is not None:
        others = {-1: (0, 1), 0: (-1, 1), 1: (-1, 0)}.get(current, (-1, 0))
        for other in others:
            new = copy.deepcopy(node)
            setter(new, ast.Constant(other))
            f.add_call("axis", f"axis={current} -> axis={other}", node, new)
    new = copy.deepcopy(node)
    if positional:
        del new.args[1]
    else:
        new.keywords = [k for k in new.keywords if k.arg != "axis"]
    f.add_call("axis", f"axis={_u(value)} dropped", node, new)


def _op_bool_kwargs(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    has = {kw.arg for kw in node.keywords}
    for i, kw in enumerate(node.keywords):
        if kw.arg is None:
            continue
        op = kw.arg if kw.arg in OWN_KWARGS - {"axis"} else "bool_kwarg"
        value = kw.value
        is_bool = isinstance(value, ast.Constant) and isinstance(value.value, bool)
        if op == "bool_kwarg" and not is_bool:
            continue
        if op == "training" or is_bool or op in ("from_logits", "drop_remainder", "keepdims"):
            flipped = ast.Constant(not value.value) if is_bool else ast.UnaryOp(ast.Not(), value)
            new = copy.deepcopy(node)
            new.keywords[i].value = flipped
            f.add_call(op, f"{kw.arg}={_u(value)} -> {kw.arg}={_u(flipped)}", node, new)
        if op == "training":
            new = copy.deepcopy(node)
            del new.keywords[i]
            f.add_call(op, f"training={_u(value)} dropped", node, new)
    if "from_logits" not in has and CROSSENTROPY.search(last or name):
        new = copy.deepcopy(node)
        new.keywords.append(ast.keyword("from_logits", ast.Constant(True)))
        f.add_call("from_logits", "from_logits=True added", node, new)
    if last == "batch" and isinstance(node.func, ast.Attribute) and "drop_remainder" not in has:
        new = copy.deepcopy(node)
        new.keywords.append(ast.keyword("drop_remainder", ast.Constant(True)))
        f.add_call("drop_remainder", "drop_remainder=True added", node, new)


def _op_stop_gradient(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    if last == "stop_gradient" and len(node.args) == 1:
        f.add("stop_gradient", "tf.stop_gradient dropped", node, _paren(node.args[0]))


def _op_range(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    if name != "range":
        return
    for i, arg in enumerate(node.args[:2]):
        f.skip.add(id(arg))
        for delta in ("+ 1", "- 1"):
            new = copy.deepcopy(node)
            new.args[i] = ast.parse(f"{_paren(arg)} {delta}", mode="eval").body
            f.add_call("off_by_one", f"range argument {_u(arg)} {delta}", node, new)


def _op_loss_args(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    if not LOSS_CALL.search(name) or name.startswith(("_as", "self._as")):
        return
    if len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
        new = copy.deepcopy(node)
        new.args[0], new.args[1] = new.args[1], new.args[0]
        f.add_call("loss_args", f"{name}: first two arguments swapped", node, new)
    kws = {kw.arg: i for i, kw in enumerate(node.keywords)}
    for a, b in (("y_true", "y_pred"), ("labels", "logits")):
        if a in kws and b in kws:
            new = copy.deepcopy(node)
            ka, kb = new.keywords[kws[a]], new.keywords[kws[b]]
            ka.value, kb.value = kb.value, ka.value
            f.add_call("loss_args", f"{name}: {a}= and {b}= swapped", node, new)


def _op_cast(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    if name in ("tf.cast", "keras.ops.cast", "ops.cast") and len(node.args) >= 1:
        f.add("cast_dropped", f"{name}(x, ...) -> x", node, _paren(node.args[0]))
        dtype = node.args[1] if len(node.args) >= 2 else None
        if dtype is not None and _u(dtype) not in FLOAT32:
            new = copy.deepcopy(node)
            new.args[1] = ast.parse("tf.float32", mode="eval").body
            f.add_call("cast_float32", f"cast to {_u(dtype)} -> cast to tf.float32", node, new)
    elif name == "tf.convert_to_tensor" and node.args:
        f.add(
            "cast_float32",
            "convert_to_tensor(x) -> tf.cast(..., tf.float32)",
            node,
            f"tf.cast({_u(node)}, tf.float32)",
        )
    for i, kw in enumerate(node.keywords):
        if kw.arg == "dtype":
            new = copy.deepcopy(node)
            del new.keywords[i]
            f.add_call("cast_dropped", f"dtype={_u(kw.value)} dropped", node, new)


def _op_softmax(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    if last in SOFTMAX and prefix in SOFTMAX_MODULES and node.args:
        f.add("softmax", f"{name} removed", node, _paren(node.args[0]))
        new = copy.deepcopy(node)
        new.args[0] = copy.deepcopy(node)
        f.add_call("softmax", f"{name} applied twice", node, new)
    for i, kw in enumerate(node.keywords):
        if kw.arg == "activation" and not (
            isinstance(kw.value, ast.Constant) and kw.value.value is None
        ):
            new = copy.deepcopy(node)
            del new.keywords[i]
            f.add_call("activation", f"activation={_u(kw.value)} dropped", node, new)


def _op_shuffle_chain(f: _Finder, node: ast.Call, name: str, prefix: str, last: str) -> None:
    """`x.shuffle(...).map(...).batch(...)` -> `x.map(...).batch(...).shuffle(...)`."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr == "batch"):
        return
    new = copy.deepcopy(node)
    link = new.func  # walk the receiver chain of the copy
    while isinstance(link, ast.Attribute) and isinstance(link.value, ast.Call):
        inner = link.value
        if isinstance(inner.func, ast.Attribute) and inner.func.attr == "shuffle":
            link.value = inner.func.value  # unlink the shuffle
            moved = ast.Call(ast.Attribute(new, "shuffle", ast.Load()), inner.args, inner.keywords)
            f.add("shuffle_after_batch", "shuffle moved after batch", node, _u(moved))
            return
        link = inner.func


CALL_OPERATORS: list[Callable[..., None]] = [
    _op_reduce,
    _op_axis,
    _op_bool_kwargs,
    _op_stop_gradient,
    _op_range,
    _op_loss_args,
    _op_cast,
    _op_softmax,
    _op_shuffle_chain,
]


# ---- helpers


def _int_value(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _set_kw(call: ast.Call, i: int, value: ast.AST) -> None:
    call.keywords[i].value = value


def _set_arg(call: ast.Call, i: int, value: ast.AST) -> None:
    call.args[i] = value


def _is_zero(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str | bytes) and node.value == 0
    if isinstance(node, ast.Call):
        return _split(call_name(node))[1] in ZEROS
    return False


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    )


def _shuffle_target(stmt: ast.stmt) -> str | None:
    """The dataset name N of `N = N.shuffle(...)`, alone or as the only statement of an `if`."""
    if isinstance(stmt, ast.If) and len(stmt.body) == 1 and not stmt.orelse:
        stmt = stmt.body[0]
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "shuffle"
    ):
        return stmt.targets[0].id
    return None


def _assigns_batch(stmt: ast.stmt, name: str) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and stmt.value.func.attr == "batch"
    )


def _apply(data: bytes, spans: list[tuple[int, int, str]]) -> bytes:
    for start, end, text in sorted(spans, reverse=True):
        data = data[:start] + text.encode("utf-8") + data[end:]
    return data


def _lines_of(data: bytes, start: int, end: int) -> str:
    """The whole lines of `data` that [start, end) touches."""
    first = data.rfind(b"\n", 0, start) + 1
    last = data.find(b"\n", end)
    return data[first : len(data) if last < 0 else last].decode("utf-8")


def mutants(source: str, kata: str, operators: set[str] | None = None) -> list[Mutant]:
    """Every mutant of `source` (a kata module), in source order; each one compiles."""
    tree = ast.parse(source)
    finder = _Finder(source)
    finder.visit(tree)
    data = finder.data
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    for function, edit in sorted(finder.edits, key=lambda fe: (fe[1].spans[0][0], fe[1].operator)):
        if operators is not None and edit.operator not in operators:
            continue
        mutated = _apply(data, edit.spans)
        if mutated == data:
            continue
        text = mutated.decode("utf-8")
        try:
            compile(text, f"{kata}.py", "exec")
        except SyntaxError:
            continue
        digest = hashlib.sha1(f"{edit.operator}|{function}|{edit.key}".encode()).hexdigest()[:8]
        base = f"{edit.operator}:{function}:{digest}"
        seen[base] = seen.get(base, 0) + 1
        mid = base if seen[base] == 1 else f"{base}~{seen[base]}"
        start = min(s for s, _, _ in edit.spans)
        end = max(e for _, e, _ in edit.spans)
        before = _lines_of(data, start, end)
        growth = len(mutated) - len(data)
        after = _lines_of(mutated, start, max(start, end + growth))
        out.append(
            Mutant(
                kata,
                mid,
                edit.operator,
                function,
                edit.line,
                edit.col + 1,
                edit.description,
                before,
                after,
                text,
                edit.probe,
            )
        )
    return out


def iter_operator_names() -> Iterator[str]:
    yield from OPERATORS


PROBE = "__tfkata_probe__"  # a builtin the mutation worker installs


def probed_source(source: str, probes: list[tuple[str, int, int]]) -> str:
    """The reference with a reachability probe at each place a mutant changes, behaviour kept:
    an expression E becomes `PROBE(i, E)` (which returns E), a statement gets `PROBE(i)` on the
    line before it; i is the probe's index in `probes`."""
    data = source.encode("utf-8")
    inserts: list[tuple[int, int, int, str]] = []  # (position, rank, tie-break, text)
    for i, (kind, start, extra) in enumerate(probes):
        if kind == "expr":
            inserts.append((start, 2, -extra, f"{PROBE}({i}, "))  # outer spans open first
            inserts.append((extra, 0, -start, ")"))  # inner spans close first
        elif kind == "stmt":
            inserts.append((start, 1, 0, f"{PROBE}({i})\n" + " " * extra))
    out, last = [], 0
    for pos, _, _, text in sorted(inserts):
        out.append(data[last:pos])
        out.append(text.encode("utf-8"))
        last = pos
    out.append(data[last:])
    return b"".join(out).decode("utf-8")
