"""The kata-file policy (tfkata.policy): what a kata file may do, checked before it runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tfkata.cli import main
from tfkata.policy import check_source

ROOT = Path(__file__).resolve().parents[2]
FIRST = "gradient_of_square"


def shipped_files() -> list[Path]:
    return sorted(
        [
            *(ROOT / "solutions").glob("*.py"),
            *(ROOT / "katas").glob("*.py"),
            *(ROOT / "tests" / "alternates").rglob("*.py"),
            *(ROOT / "tests" / "mistakes").rglob("*.py"),
        ]
    )


def violations(source: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [str(v) for v in check_source(textwrap.dedent(source), "k.py", extra)]


def test_every_shipped_reference_alternate_mistake_and_stub_passes():
    files = shipped_files()
    assert len(files) > 100
    bad = {str(p.relative_to(ROOT)): v for p in files if (v := violations(p.read_text()))}
    assert bad == {}


@pytest.mark.parametrize(
    "module",
    [
        "gc",
        "inspect",
        "ctypes",
        "builtins",
        "importlib",
        "sys",
        "threading",
        "signal",
        "atexit",
        "subprocess",
        "traceback",
        "pickle",
        "string",
        "pytest",
        "hypothesis",
        "tfkata",
        "kata_testing",
        "solutions",
        "tensorflow.python.eager",
        "numpy._core",
    ],
)
def test_introspection_process_control_and_the_harness_cannot_be_imported(module):
    for source in (f"import {module}\n", f"from {module} import x\n"):
        found = violations(source)
        assert len(found) == 1 and found[0].startswith(f"k.py line 1 imports {module}"), found


def test_instructors_widen_the_import_list():
    assert violations("import scipy\n") and not violations("import scipy\n", ("scipy",))


@pytest.mark.parametrize(
    "source, what",
    [
        ("import numpy as np\nnp.isclose = lambda *a, **k: True\n", "assigns np.isclose"),
        ("import numpy as np\nnp.allclose = max\n", "assigns np.allclose"),
        ("import keras\nkeras.layers.Dense = object\n", "assigns keras.layers.Dense"),
        ("from keras.layers import Dense\nDense.call = print\n", "assigns Dense.call"),
        ("import tensorflow as tf\nsetattr(tf.nn, 'relu', abs)\n", "assigns tf.nn.relu"),
        ("import tensorflow as tf\ntf.math.add += 1\n", "assigns tf.math.add"),
        ("import numpy as np\ndel np.isclose\n", "deletes np.isclose"),
        ("import keras\nlayers = keras.layers\nlayers.Dense = int\n", "assigns layers.Dense"),
        ("import numpy as np\nfor m in (np,):\n    m.isclose = all\n", "assigns m.isclose"),
        ("import numpy as np\nnp.sctypeDict['x'] = int\n", "assigns np.sctypeDict['x']"),
    ],
)
def test_changing_a_library_is_refused_with_a_line_a_student_understands(source, what):
    found = violations(source)
    assert found, source
    assert found[0].endswith(f"{what}: kata code must not change the libraries it uses")
    assert found[0].startswith("k.py line ")


def test_the_message_names_the_file_the_line_and_the_rule():
    source = "import keras\n\n\n\n\n\n\n\n\n\n\nkeras.layers.Dense = object\n"
    [found] = check_source(source, "katas/dense_layer.py")
    assert str(found) == (
        "katas/dense_layer.py line 12 assigns keras.layers.Dense: "
        "kata code must not change the libraries it uses"
    )


@pytest.mark.parametrize(
    "source, what",
    [
        ("def f(g):\n    return g.__globals__\n", "uses __globals__"),
        ("def f(g):\n    return g.__closure__\n", "uses __closure__"),
        ("x = object.__subclasses__()\n", "uses __subclasses__"),
        ("import numpy as np\nd = np.__dict__\n", "uses __dict__"),
        (
            "try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__\n",
            "uses __traceback__",
        ),
        ("def f(tb):\n    return tb.tb_frame.f_back\n", "uses tb.tb_frame"),
        ("def f(g):\n    return g.gi_frame\n", "uses g.gi_frame"),
        ("x = eval('1')\n", "uses eval"),
        ("exec('x = 1')\n", "uses exec"),
        ("x = __import__('gc')\n", "uses __import__"),
        ("x = globals()\n", "uses globals"),
        ("import numpy as np\nx = vars(np)\n", "uses vars"),
        ("def f(o, name):\n    return getattr(o, name)\n", "uses getattr with a computed name"),
        ("def f(o):\n    return getattr(o, '__globals__')\n", "uses getattr(..., '__globals__')"),
        ("import numpy as np\nx = np._core\n", "uses np._core"),
        ("import operator\nget = operator.attrgetter('x')\n", "uses operator.attrgetter"),
        ("import os\nos._exit(0)\n", "uses os._exit"),
        ("import os\nos.system('ls')\n", "uses os.system"),
        ("from os import kill\n", "imports os.kill"),
        ("import os.path\nx = os.path.os\n", "uses os.path.os"),
    ],
)
def test_reaching_frames_globals_and_process_control_is_refused(source, what):
    found = violations(source)
    assert found and what in found[0], found


def test_ordinary_kata_code_passes():
    source = """
        from __future__ import annotations
        import math
        from collections import deque
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers


        class Dense(keras.layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self._cache = {}

            def build(self, input_shape):
                self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

            def call(self, x):
                return tf.matmul(x, self.kernel)


        def freeze(model, n):
            for layer in model.layers[:n]:
                layer.trainable = False
            best = [np.inf]
            best[0] = math.inf
            q = np.zeros((3, 2))
            q[0, 1] += 1.0
            model.optimizer = keras.optimizers.Adam(learning_rate=0.1)
            name = type(model).__name__
            dense = layers.Dense(3)
            dense.trainable = getattr(model, "trainable", True)
            return model, deque([name, dense, q])
        """
    assert violations(source) == []


def test_a_file_that_does_not_compile_is_left_to_the_syntax_error():
    assert violations("def f(:\n") == []


# ------------------------------------------------------------------ kata check


def test_kata_check_applies_the_policy_first_in_one_line(project: Path, capsys):
    reference = (project / "solutions" / f"{FIRST}.py").read_text()
    (project / "katas" / f"{FIRST}.py").write_text(reference + "\nimport gc\n")
    assert main(["check", FIRST]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{FIRST}.py line" in err and "imports gc: kata code may import only" in err
