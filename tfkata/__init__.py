"""tfkata: the harness (impl loading, pytest plugin, learner CLI, self-check, grading).

Kata content lives at a checkout's root: `katas/` (stubs), `solutions/` (references), `tests/`
(the executable specification), `info.toml` (order, titles, hints) and `docs/katas.md` (the
contract); a built wheel carries it as `tfkata/suite/` (tfkata.project finds either), and
`kata init` writes a learner's workspace from it (tfkata.workspace)."""

__version__ = "0.1.0"


# The notebook API (`%load_ext tfkata`, tfkata.check/hint/solution/progress/show), imported on
# first use so that `import tfkata` stays light (no TensorFlow, no IPython).
def load_ipython_extension(ipython):
    from tfkata.notebook import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):
    from tfkata.notebook import unload_ipython_extension as unload

    unload(ipython)


def check(name, source_or_module):
    """Run kata `name`'s tests on this source (str, module or Path) in a separate process."""
    from tfkata.notebook import check as run

    return run(name, source_or_module)


def hint(name):
    """The next hint for kata `name`."""
    from tfkata.notebook import hint as next_hint

    return next_hint(name)


def solution(name, force=False):
    """The reference solution of kata `name`, once it passes (or with force=True)."""
    from tfkata.notebook import solution as reference

    return reference(name, force=force)


def progress():
    """Every kata's status and a progress bar."""
    from tfkata.notebook import progress as summary

    return summary()


def show(name):
    """Kata `name`'s picture, inline in a notebook."""
    from tfkata.notebook import show as picture

    return picture(name)
