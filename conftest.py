"""Root conftest: TensorFlow's environment before anything imports it, hypothesis profiles,
and the tfkata plugin (--impl, the `kata` fixture, friendly failures, JSON reports)."""

import os

from tfkata.tf_env import configure

configure()

from hypothesis import HealthCheck, Phase, settings  # noqa: E402

_COMMON = dict(deadline=None, database=None, print_blob=True, derandomize=True)
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
# default: derandomized, so every run (a learner's, CI's, any xdist split) sees the same examples;
# failures are shrunk to a minimal input, without the slow "explain" phase.
_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
settings.register_profile(
    "default", max_examples=20, suppress_health_check=_SLOW_OK, phases=_SHRINK, **_COMMON
)
settings.register_profile(
    "ci", max_examples=20, suppress_health_check=_SLOW_OK, phases=_SHRINK, **_COMMON
)
# verify: the same examples, without shrinking (faster when a stub or a mistake fails).
settings.register_profile(
    "verify",
    max_examples=20,
    suppress_health_check=_SLOW_OK,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    **_COMMON,
)
# explore: random and many more examples, for developers hunting a counterexample.
settings.register_profile(
    "explore",
    max_examples=300,
    deadline=None,
    derandomize=False,
    suppress_health_check=_SLOW_OK,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


def _no_local_constants() -> None:
    """Hypothesis (>= 6.131) sometimes draws a constant found in any local module loaded so far
    (test modules, kata files), so a derandomized test's examples would depend on test order,
    xdist's split and the folder under test. Derandomized profiles draw only its own constants.
    tests/harness/test_determinism.py checks the behaviour, whatever Hypothesis's internals."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without local constants
        return
    if hasattr(providers, "_get_local_constants"):
        empty = providers.Constants()
        providers._get_local_constants = lambda: empty


if settings.default.derandomize:
    _no_local_constants()

# Plugins are named, not autoloaded (`--disable-plugin-autoload -p xdist.plugin` in pyproject.toml):
# pytest rewrites the asserts of every autoloaded plugin's whole package (all of hypothesis) at
# each start-up where bytecode is not cached, ~1 s of a learner's `kata check`.
# Hypothesis's plugin: with autoload on (`pytest -o addopts=""`, an IDE that replaces addopts)
# pytest has registered its entry point as "hypothesispytest" before this file loads; naming its
# module again would register it twice ("Plugin already registered under a different name").
# With autoload off it is imported here by module, which every supported pytest can do (pytest
# 8.4 cannot load an entry point by name from `pytest_plugins`).
HYPOTHESIS_ENTRY_POINT, HYPOTHESIS_MODULE = "hypothesispytest", "_hypothesis_pytestplugin"


def pytest_addhooks(pluginmanager) -> None:
    if not (
        pluginmanager.has_plugin(HYPOTHESIS_ENTRY_POINT)
        or pluginmanager.has_plugin(HYPOTHESIS_MODULE)
    ):
        pluginmanager.import_plugin(HYPOTHESIS_MODULE)


pytest_plugins = ["tfkata.pytest_plugin"]
