"""Mutation testing (tfkata.mutation): the operators, stable ids, the runner, the listing format."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tfkata.mutation.operators import OPERATORS, mutants, probed_source
from tfkata.mutation.report import Listing, ListingError, judge, load_listing
from tfkata.mutation.runner import KataRun, MutantResult, run_mutation

ROOT = Path(__file__).resolve().parents[2]

# operator, a small source, one line the operator must produce from it
CASES = [
    ("reduce_swap", "def f(x):\n    return tf.reduce_sum(x)\n", "return tf.reduce_mean(x)"),
    ("reduce_swap", "def f(x):\n    return keras.ops.mean(x)\n", "return keras.ops.sum(x)"),
    ("reduce_swap", "def f(x):\n    return np.sum(x)\n", "return np.mean(x)"),
    ("reduce_max_min", "def f(x):\n    return tf.reduce_max(x)\n", "return tf.reduce_min(x)"),
    ("axis", "def f(x):\n    return tf.reduce_sum(x, axis=-1)\n", "tf.reduce_sum(x, axis=0)"),
    ("axis", "def f(x):\n    return tf.reduce_sum(x, axis=-1)\n", "tf.reduce_sum(x, axis=1)"),
    ("axis", "def f(x):\n    return tf.reduce_sum(x, axis=-1)\n", "return tf.reduce_sum(x)"),
    ("axis", "def f(x):\n    return tf.reduce_mean(x, 1)\n", "tf.reduce_mean(x, -1)"),
    ("keepdims", "def f(x):\n    return tf.reduce_max(x, keepdims=True)\n", "keepdims=False"),
    (
        "from_logits",
        "def f():\n    return keras.losses.BinaryCrossentropy(from_logits=True)\n",
        "BinaryCrossentropy(from_logits=False)",
    ),
    (
        "from_logits",
        "def f():\n    return keras.losses.SparseCategoricalCrossentropy()\n",
        "SparseCategoricalCrossentropy(from_logits=True)",
    ),
    ("training", "def f(m, x):\n    return m(x, training=True)\n", "return m(x, training=False)"),
    ("training", "def f(m, x):\n    return m(x, training=True)\n", "return m(x)"),
    ("trainable", "def f(layer):\n    layer.trainable = False\n", "layer.trainable = True"),
    (
        "stop_gradient",
        "def f(a, b):\n    return a * tf.stop_gradient(b + 1)\n",
        "return a * (b + 1)",
    ),
    ("off_by_one", "def f(n):\n    for i in range(n):\n        g(i)\n", "for i in range(n + 1):"),
    ("off_by_one", "def f(x, n):\n    return x[: n]\n", "return x[: n - 1]"),
    ("loss_args", "def f(y, p):\n    return loss_fn(y, p)\n", "return loss_fn(p, y)"),
    ("cast_dropped", "def f(x):\n    return tf.cast(x, tf.float32)\n", "return x"),
    ("cast_float32", "def f(x):\n    return tf.cast(x, tf.int32)\n", "tf.cast(x, tf.float32)"),
    (
        "cast_float32",
        "def f(x):\n    return tf.convert_to_tensor(x)\n",
        "return tf.cast(tf.convert_to_tensor(x), tf.float32)",
    ),
    ("softmax", "def f(z):\n    return tf.nn.softmax(z)\n", "return z"),
    ("softmax", "def f(z):\n    return tf.nn.softmax(z)\n", "tf.nn.softmax(tf.nn.softmax(z))"),
    ("activation", "def f():\n    return Dense(3, activation='relu')\n", "return Dense(3)"),
    ("drop_remainder", "def f(ds):\n    return ds.batch(4)\n", "ds.batch(4, drop_remainder=True)"),
    (
        "drop_remainder",
        "def f(ds, d):\n    return ds.batch(4, drop_remainder=d)\n",
        "drop_remainder=not d",
    ),
    (
        "shuffle_after_batch",
        "def f(ds):\n    return ds.shuffle(8).map(g).batch(4)\n",
        "return ds.map(g).batch(4).shuffle(8)",
    ),
    ("bool_kwarg", "def f(x):\n    return g(x, persistent=True)\n", "g(x, persistent=False)"),
    ("state_reset", "def f(self):\n    self.total.assign(0.0)\n", "    pass"),
    ("call_dropped", "def f(tape, x):\n    tape.watch(x)\n    return x\n", "    pass"),
    ("compare", "def f(x):\n    return x < 3\n", "return x <= 3"),
    ("compare", "def f(x):\n    return x >= 3\n", "return x > 3"),
    ("constant", "def f(x):\n    return x * 3\n", "return x * 4"),
    ("constant", "def f(x):\n    return x * 3\n", "return x * 2"),
    ("not_dropped", "def f(x):\n    return not x\n", "return x"),
    ("arith", "def f(w, g):\n    return w - g\n", "return w + g"),
    ("arith", "def f(x):\n    return -x\n", "return x"),
    ("loop_once", "def f(xs):\n    for x in xs:\n        g(x)\n", "        break"),
]


@pytest.mark.parametrize(("operator", "source", "expected"), CASES)
def test_each_operator_gives_the_expected_mutant(operator: str, source: str, expected: str):
    """Every TF/Keras-aware operator turns a small source into the expected mutated line."""
    found = mutants(source, "k", {operator})
    afters = [m.after for m in found]
    assert any(expected in a for a in afters), f"{operator}: {expected!r} not in {afters}"
    for m in found:
        assert m.operator == operator and m.source != source
        compile(m.source, "k.py", "exec")


def test_every_operator_has_a_case():
    """Each operator listed in OPERATORS is exercised by CASES."""
    assert {c[0] for c in CASES} == set(OPERATORS)


def test_shuffle_statement_moves_after_the_batch_statement():
    """`ds = ds.shuffle(...)` inside an `if`, then `ds = ds.batch(...)`: the if-block moves."""
    source = textwrap.dedent(
        """
        def make(ds, shuffle):
            if shuffle:
                ds = ds.shuffle(10)
            ds = ds.batch(4)
            return ds
        """
    )
    (m,) = mutants(source, "k", {"shuffle_after_batch"})
    assert m.source.index("ds.batch(4)") < m.source.index("ds.shuffle(10)")
    compile(m.source, "k.py", "exec")


def test_docstrings_error_messages_and_imports_are_not_mutated():
    """No mutant of a docstring, a raise statement's message or an import."""
    source = textwrap.dedent(
        '''
        """Module docstring with 3 numbers: 1 < 2."""
        import numpy as np


        def f(x):
            """Doc: 4 > 3."""
            if x < 0:
                raise ValueError(f"x must be >= 0, got {x + 1}")
            return x
        '''
    )
    found = mutants(source, "k")
    assert {m.line for m in found} == {8}, [(m.line, m.description) for m in found]


def test_ids_are_stable_when_an_unrelated_line_is_inserted():
    """Inserting a function and a statement elsewhere changes no existing mutant's id."""
    reference = (ROOT / "solutions" / "data_pipeline.py").read_text(encoding="utf-8")
    before = {m.id: m.description for m in mutants(reference, "data_pipeline")}
    edited = reference.replace(
        "\ndef preprocess(",
        "\ndef _helper(n):\n    return n * 3 + 1\n\n\ndef preprocess(",
        1,
    ).replace(
        "    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
        "    unused = 1 + 2\n    dataset = tf.data.Dataset.from_tensor_slices((x, y))",
        1,
    )
    assert edited != reference
    after = {m.id: m.description for m in mutants(edited, "data_pipeline")}
    assert len(after) > len(before)
    missing = set(before) - set(after)
    assert not missing, missing
    assert all(after[i] == d for i, d in before.items())


def test_ids_are_unique_and_name_operator_and_function():
    """Ids are unique per kata and read OPERATOR:FUNCTION:HASH[~N]."""
    source = "def f(x):\n    return x[0] + x[0]\n"
    found = mutants(source, "k", {"constant"})
    ids = [m.id for m in found]
    assert len(ids) == len(set(ids)) == 4
    assert all(i.startswith("constant:f:") for i in ids)


def test_probed_source_keeps_behaviour_and_reports_each_place_reached():
    """The probed module computes what the reference does and calls the probe at each place."""
    source = textwrap.dedent(
        """
        def f(xs, n=2):
            total = 0
            for x in xs[1:]:
                total += x * n
            if not xs:
                return -1
            return total
        """
    )
    found = mutants(source, "k")
    probes = list(dict.fromkeys(m.probe for m in found))
    seen: list[int] = []

    def probe(i, *value):
        seen.append(i)
        return value[0] if value else None

    plain, probed = {}, {"__tfkata_probe__": probe}
    exec(compile(source, "k.py", "exec"), plain)
    exec(compile(probed_source(source, probes), "k.py", "exec"), probed)
    for args in (([1, 2, 3],), ([],), ([4, 5], 3)):
        assert probed["f"](*args) == plain["f"](*args)
    assert set(seen) == set(range(len(probes)))


# ---- the listing (tests/mutants/NAME.toml) and the gate


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mutants" / "k.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_listing_reads_equivalents_and_known_survivors(tmp_path: Path):
    """A well-formed file gives id -> reason and the known survivors."""
    path = _write(
        tmp_path,
        """
        known_survivors = ["constant:f:00000002"]

        [[equivalent]]
        id = "constant:f:00000001"
        reason = "the value is clipped right after"
        """,
    )
    listing = load_listing(path)
    assert listing.equivalent == {"constant:f:00000001": "the value is clipped right after"}
    assert listing.known_survivors == ["constant:f:00000002"]
    assert load_listing(tmp_path / "absent.toml") == Listing()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[equivalent]]\nid = 'a'\n", "reason is missing"),
        ("[[equivalent]]\nreason = 'r'\n", "id is missing"),
        ("[[equivalent]]\nid = 'a'\nreason = '''two\nlines'''\n", "reason must be one line"),
        (
            "[[equivalent]]\nid = 'a'\nreason = 'r'\n[[equivalent]]\nid = 'a'\nreason = 'r'\n",
            "twice",
        ),
        ("equivalents = []\n", "unknown key 'equivalents'"),
        ("[[equivalent]]\nid = 'a'\nreason = 'r'\nwhy = 'x'\n", "unknown key 'why'"),
        ("known_survivors = 'a'\n", "must be a list"),
        ("known_survivors = ['a']\n[[equivalent]]\nid = 'a'\nreason = 'r'\n", "both"),
        ("[[equivalent]\n", "not valid TOML"),
    ],
)
def test_listing_errors_are_one_line_messages(tmp_path: Path, text: str, message: str):
    """Each malformed listing is a ListingError of one line naming the file and the problem."""
    path = _write(tmp_path, text)
    with pytest.raises(ListingError) as info:
        load_listing(path)
    text = str(info.value)
    assert "\n" not in text and message in text and "k.toml" in text


def _run(statuses: dict[str, str]) -> KataRun:
    source = "def f(x):\n    return x * 3 + 5\n"
    found = mutants(source, "k", {"constant"})
    run = KataRun("k", found, tests=["t"])
    for m, status in zip(found, statuses.values(), strict=False):
        run.results[m.id] = MutantResult(m.id, status, "t" if status != "survived" else None)
    return run


def test_gate_counts_equivalents_out_of_the_rate_and_flags_everything_unlisted():
    """Kill rate = killed / non-equivalent; unlisted survivors, stale ids, killed
    'equivalents' and killed known survivors are all problems."""
    run = _run({"a": "killed", "b": "survived", "c": "survived", "d": "timeout"})
    ids = [m.id for m in run.mutants]
    ok = judge(run, Listing({ids[1]: "why"}, [ids[2]]))
    assert (ok.killed, ok.equivalent, ok.survived, ok.known) == (2, 1, 1, 1)
    assert ok.rate == (2, 3) and ok.problems == []
    bad = judge(run, Listing({ids[0]: "why", "gone:f:1": "old"}, [ids[3]]))
    text = "\n".join(bad.problems)
    assert "listed as equivalent but" in text and "now killed" in text
    assert "stale id gone:f:1" in text
    assert sum(p.startswith("survivor ") for p in bad.problems) == 2


# ---- the runner, on a tiny fake kata


@pytest.fixture
def tiny_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    (root / "solutions").mkdir(parents=True)
    (root / "tests").mkdir()
    for name in ("pyproject.toml", "conftest.py"):
        shutil.copy2(ROOT / name, root / name)
    (root / "solutions" / "tiny.py").write_text(
        "def scale(x):\n    return x * 3\n\n\ndef positive(x):\n    return x > 0\n\n\n"
        "def unused(x):\n    return x - 1\n",
        encoding="utf-8",
    )
    (root / "tests" / "test_tiny.py").write_text(
        textwrap.dedent(
            '''
            def test_scale(kata):
                """scale(x) is 3x."""
                assert kata.scale(2) == 6


            def test_positive(kata):
                """positive tells 5 from -5 (and never looks at 0)."""
                assert kata.positive(5) and not kata.positive(-5)
            '''
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    return root


@pytest.mark.e2e
def test_runner_kills_a_wrong_mutant_and_lets_an_untested_one_survive(tiny_project: Path):
    """`* -> /` is killed by the test of scale; `> -> >=` (0 is never tested) survives after
    running only the test that reaches it; a mutant of code no test reaches is not run."""
    runs = run_mutation(tiny_project, ["tiny"], parallel=1, operators={"arith", "compare"})
    run = runs["tiny"]
    assert run.baseline_failures == [] and len(run.tests) == 2
    status = {m.description: run.results[m.id] for m in run.mutants}
    assert set(status) == {"* -> /", "> -> >=", "- -> +"}
    assert status["* -> /"].status == "killed"
    assert status["* -> /"].test == "tests/test_tiny.py::test_scale"
    assert status["> -> >="].status == "survived" and status["> -> >="].tests_run == 1
    assert status["- -> +"].status == "unreached" and status["- -> +"].tests_run == 0


LEAKY_TESTS = '''
FIRST = []  # module state: kept by a long-lived worker from one mutant's run to the next


def test_scale(kata):
    """scale(x) is 3x (computed once per process: a leak from one mutant to the next)."""
    if not FIRST:
        FIRST.append(kata.scale(2))
    assert FIRST[0] == 6
'''


@pytest.mark.e2e
@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "unconfirmed"])
def test_a_survivor_is_run_again_in_a_fresh_worker(tiny_project: Path, confirm: bool):
    """A test that leaks state from one run to the next lets every mutant survive in the
    long-lived worker; the confirming run in a new worker kills the wrong ones."""
    (tiny_project / "tests" / "test_tiny.py").write_text(LEAKY_TESTS, encoding="utf-8")
    runs = run_mutation(
        tiny_project, ["tiny"], parallel=1, operators={"arith"}, confirm=confirm, progress=str
    )
    run = runs["tiny"]
    status = {m.description: run.results[m.id] for m in run.mutants}
    assert status["- -> +"].status == "unreached"
    if confirm:
        assert status["* -> /"].status == "killed"
        assert status["* -> /"].message.startswith("killed in a fresh worker")
    else:
        assert status["* -> /"].status == "survived"


# ---- the command line


def test_mutate_list_prints_every_mutant_id(capsys):
    """`kata mutate --list --kata NAME` lists the mutants (id, line, change) without running."""
    from tfkata.cli import main

    assert main(["mutate", "--list", "--kata", "discretize"]) == 0
    out = capsys.readouterr().out
    expected = mutants((ROOT / "solutions" / "discretize.py").read_text(encoding="utf-8"), "d")
    assert f"discretize: {len(expected)} mutants" in out
    assert all(m.id in out for m in expected)


def test_mutate_unknown_operator_is_a_one_line_error(capsys):
    """An unknown --operator is a one-line error naming the known ones, exit status 2."""
    from tfkata.cli import main

    assert main(["mutate", "--list", "--operator", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "unknown 'nope'" in err and "reduce_swap" in err
