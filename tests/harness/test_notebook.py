"""The notebook loop: generated notebooks, `%%kata` cells in a real Jupyter kernel, the
plain-Python API and the pictures. Tests marked `notebook` start kernels and TensorFlow
(`pytest -m notebook`; CI runs them as their own step)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tfkata.manifest import load_manifest
from tfkata.notebook.generate import kata_cell_source, notebooks, stale_notebooks
from tfkata.stubgen import stub_for

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = load_manifest(ROOT)


def test_one_valid_notebook_per_chapter_with_every_kata_as_a_kata_cell():
    """kata notebooks: one nbformat-4 notebook per chapter; each kata is a Markdown cell (its
    docstring), a `%%kata NAME` cell holding the stub's code, and a hint cell."""
    nbformat = pytest.importorskip("nbformat")
    generated = notebooks(MANIFEST)
    assert len(generated) == len(MANIFEST.chapters)
    seen = []
    for text in generated.values():
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith("%%kata "):
                name = cell.source.split()[1]
                seen.append(name)
                stub = stub_for(ROOT / "solutions" / f"{name}.py")
                assert cell.source == kata_cell_source(stub, name).rstrip("\n")
                assert "NotImplementedError" in cell.source
    assert seen == MANIFEST.names()


def test_generated_notebooks_are_deterministic_and_committed_ones_up_to_date():
    """Notebooks are generated, never edited by hand: notebooks/ matches the generator."""
    assert notebooks(MANIFEST) == notebooks(MANIFEST)
    assert stale_notebooks(MANIFEST, ROOT / "notebooks") == []


def test_a_pristine_cell_is_not_started_without_a_test_process(tmp_path: Path):
    """The untouched stub of a cell is 'not started' at once (no TensorFlow start-up)."""
    from tfkata.notebook.session import NotebookSession

    session = NotebookSession(ROOT, state_dir=tmp_path)
    try:
        verdict = session.check("himmelblau", session.pristine("himmelblau"))
        assert verdict.status == "not started"
        assert session._runner is None  # no test process was started
        assert 'data-status="not started"' in verdict._repr_html_()
        assert 'tfkata.hint("himmelblau") (1 of' in str(verdict)
    finally:
        session.close()


def test_a_cell_that_breaks_the_kata_file_policy_is_refused_before_it_runs(tmp_path: Path):
    """The kata-file policy of `kata check` applies to a cell: an error naming the line, and the
    cell is not run in the kernel."""
    from tfkata.notebook.session import NotebookSession

    session = NotebookSession(ROOT, state_dir=tmp_path)
    try:
        verdict = session.check("himmelblau", "import gc\n\n\ndef himmelblau(p):\n    return p\n")
        assert verdict.status == "error" and not verdict.define
        assert "%%kata himmelblau cell line 1" in str(verdict) and "gc" in str(verdict)
        assert session._runner is None
    finally:
        session.close()


def test_hint_solution_and_progress_are_recorded_like_the_cli(tmp_path: Path):
    """tfkata.hint advances through the hints; solution needs a pass (or force); progress reads
    the same .kata-state.json as the CLI."""
    from tfkata.errors import KataError
    from tfkata.notebook.session import NotebookSession, progress_text
    from tfkata.progress import Progress

    session = NotebookSession(ROOT, state_dir=tmp_path)
    try:
        hints = MANIFEST.get("himmelblau").hints
        assert session.hint("himmelblau") == f"Hint 1/{len(hints)} for himmelblau: {hints[0]}"
        assert session.hint("himmelblau").startswith(f"Hint 2/{len(hints)}")
        assert Progress.load(tmp_path).hints_shown["himmelblau"] == 2
        with pytest.raises(KataError, match="not done yet"):
            session.solution("himmelblau")
        assert "def minimize" in session.solution("himmelblau", force=True)
        assert "himmelblau" in progress_text(session)
        with pytest.raises(KataError, match="unknown kata"):
            session.hint("himmelblu")
    finally:
        session.close()


# ------------------------------------------------------------------ a real kernel


def _filled(nb, sources: dict[str, str]):
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("%%kata "):
            name = cell.source.split()[1]
            if name in sources:
                cell.source = f"%%kata {name}\n{sources[name]}"
    return nb


def _statuses(nb) -> dict[str, list[str]]:
    """kata name -> the verdict statuses shown by its %%kata cell, plus its text outputs."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.source.startswith("%%kata "):
            continue
        name = cell.source.split()[1]
        shown = []
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            if 'data-status="' in html:
                shown.append(html.split('data-status="', 1)[1].split('"', 1)[0])
            if "image/png" in out.get("data", {}):
                shown.append("picture")
        found[name] = shown
    return found


@pytest.mark.notebook
def test_chapter_one_in_a_real_kernel_gives_the_cli_verdicts(tmp_path: Path):
    """Executed headless (nbclient + ipykernel): the references pass (himmelblau's descent path is
    drawn), a stub is not started, a wrong answer shows its failing property, a kata that hangs
    is stopped by the time limit, and the kernel stays usable, with the passing code defined."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    name = "01_autodiff.ipynb"
    nb = nbformat.reads(notebooks(MANIFEST)[name], as_version=4)
    reference = (ROOT / "solutions" / "gradient_of_square.py").read_text(encoding="utf-8")
    cubed = reference.replace("y = tf.square(x)", "y = x * x * x")  # d(x³)/dx instead of 2x
    assert cubed != reference
    hang = "import time\n\nwhile True:\n    time.sleep(0.01)\n"
    _filled(
        nb,
        {
            "gradient_of_square": cubed,
            "linear_regression": (ROOT / "solutions" / "linear_regression.py").read_text("utf-8"),
            "himmelblau": (ROOT / "solutions" / "himmelblau.py").read_text(encoding="utf-8"),
        },
    )
    # activation_gradients stays the stub; a second activation_gradients cell hangs at import
    nb.cells.append(nbformat.v4.new_code_cell(f"%%kata activation_gradients --timeout 3\n{hang}"))
    nb.cells.append(nbformat.v4.new_code_cell("print(1 + 1, float(square_grad(3.0)))"))
    env = dict(os.environ, NO_COLOR="1")
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)
    shown = _statuses(nb)
    texts = "\n".join(
        o.get("data", {}).get("text/plain", o.get("text", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert shown["gradient_of_square"] == ["fail"], texts
    assert shown["linear_regression"] == ["pass"], texts
    assert shown["himmelblau"] == ["pass", "picture"], texts
    assert shown["activation_gradients"] == ["timeout"], (
        texts
    )  # the last cell of that name: the hang
    assert "The test ran longer than 3 s" in texts
    wrong_cell = next(c for c in nb.cells if c.source.startswith("%%kata gradient_of_square"))
    html = json.dumps(wrong_cell.outputs)
    assert "property:" in html
    assert nb.cells[-1].outputs[0]["text"].strip() == "2 27.0"  # the wrong code is defined
    first_stub = next(c for c in nb.cells if c.source.startswith("%%kata activation_gradients"))
    assert "not started" in json.dumps(first_stub.outputs)
    state = json.loads((tmp_path / ".kata-state.json").read_text(encoding="utf-8"))
    assert state["katas"]["gradient_of_square"]["status"] == "failing"
    assert state["katas"]["linear_regression"]["status"] == "done"


@pytest.mark.notebook
@pytest.mark.parametrize(
    "name", ["himmelblau", "training_loop", "dcgan", "lstm_text_model", "tensorboard_logging"]
)
def test_kata_show_writes_a_png_of_the_expected_size(name: str, tmp_path: Path):
    """`kata show NAME` draws the reference's picture: a non-empty 800×600 PNG."""
    pytest.importorskip("matplotlib")
    import matplotlib.image

    from tfkata.notebook.session import run_picture
    from tfkata.pictures import SIZE

    out = run_picture(ROOT, name, ROOT / "solutions", tmp_path / f"{name}.png")
    image = matplotlib.image.imread(out)
    assert (image.shape[1], image.shape[0]) == SIZE
    assert image[..., :3].std() > 0.01  # not blank


def test_kata_show_without_matplotlib_names_the_extra(monkeypatch, capsys):
    """Without matplotlib, `kata show` says which extra to install, in one line, exit 2."""
    import sys

    from tfkata.cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    monkeypatch.chdir(ROOT)
    assert main(["show", "himmelblau"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "kata: pictures need matplotlib: pip install 'tfkata[notebook]'"


def test_kata_show_refuses_a_kata_without_a_picture(monkeypatch, capsys):
    from tfkata.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["show", "discretize"]) == 2
    assert "discretize has no picture" in capsys.readouterr().err
