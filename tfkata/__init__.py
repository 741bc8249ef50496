"""tfkata: the harness (impl loading, pytest plugin, learner CLI, self-check, grading).

Kata content lives outside this package: `katas/` (stubs), `solutions/` (references), `tests/`
(the executable specification) and `info.toml` (order, titles, hints)."""

__version__ = "0.1.0"
