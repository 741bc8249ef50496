# expect: fail
# Tries to write what later runs load or what belongs to others, through nothing the policy
# refuses (open): the virtual environment's site-packages, the interpreter's folder, the
# project's conftest.py, info.toml and tfkata/grading, another student's folder, $HOME, the
# suite's private copy. Existing files are opened for appending only (nothing is written),
# new files carry the marker. square_grad then says which paths it could write.
import os

_targets = [
    ("new", "{SITE_PACKAGES}"),
    ("new", "{PYTHON_HOME}"),
    ("new", "{PROJECT_ROOT}"),
    ("new", "{PROJECT_ROOT}/tfkata/grading"),
    ("new", "{OTHER_STUDENT}"),
    ("new", "{HOME}"),
    ("new", "tests"),
    ("old", "{PROJECT_ROOT}/conftest.py"),
    ("old", "{PROJECT_ROOT}/info.toml"),
    ("old", "{PROJECT_ROOT}/tfkata/grading/grader.py"),
    ("old", "conftest.py"),
    ("old", "tests/test_gradient_of_square.py"),
]
_written = []
for _kind, _path in _targets:
    _file = os.path.join(_path, "tfkata-hostile-{MARKER}") if _kind == "new" else _path
    try:
        with open(_file, "x" if _kind == "new" else "a"):
            pass
        _written.append(_file)
    except OSError:
        pass


def square_grad(x):
    raise ValueError(f"writable: {', '.join(_written) or 'none'}")
