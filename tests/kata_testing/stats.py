"""Sound statistical checks for tests of samplers (temperature sampling, ε-greedy, replay buffers).

Every check here is a *bound*, not a heuristic: a correct sampler fails it with probability at
most `alpha` (over the randomness of the seed), whatever the sample size. The tests pin their seeds,
so a run is reproducible; the bound is what makes the pinned seed a fair one.

The per-class bound is Bernstein's inequality for a sum S of n independent Bernoulli(p) draws:
    P(|S − n·p| ≥ t) ≤ 2·exp(−t² / (2·(n·p·(1 − p) + t/3))),
solved for t at probability δ, with a Bonferroni split δ = alpha / k over the k classes checked.
It needs no normal approximation, so it is valid for small n·p too (and for p = 0 or 1)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def bernstein_halfwidth(n: int, p: float, delta: float) -> float:
    """t such that a Binomial(n, p) count leaves [n·p − t, n·p + t] with probability ≤ delta."""
    log_term = math.log(2.0 / delta)
    variance = n * p * (1.0 - p)
    return log_term / 3.0 + math.sqrt(log_term**2 / 9.0 + 2.0 * log_term * variance)


def assert_frequencies(
    counts: Sequence[int] | np.ndarray,
    probs: Sequence[float] | np.ndarray,
    *,
    call: str,
    alpha: float = 1e-6,
    what: str = "",
) -> None:
    """Counts of k outcomes over n = Σcounts draws agree with probabilities `probs`: every count is
    within its Bernstein half-width of n·p (all k checks together fail a correct sampler with
    probability ≤ alpha)."""
    counts = np.asarray(counts, dtype=np.int64)
    probs = np.asarray(probs, dtype=np.float64)
    n = int(counts.sum())
    k = len(probs)
    lines = []
    for outcome, (count, p) in enumerate(zip(counts, probs, strict=True)):
        expected = n * p
        width = bernstein_halfwidth(n, float(p), alpha / k)
        if abs(count - expected) > width:
            lines.append(
                f"  outcome {outcome}: {count} draws, expected {expected:.1f} ± {width:.1f} "
                f"(p = {p:.4f})"
            )
    if lines:
        label = f" ({what})" if what else ""
        freqs = np.round(counts / max(n, 1), 4).tolist()
        raise AssertionError(
            f"{call}: over {n} draws the frequencies {freqs} do not match the probabilities "
            f"{np.round(probs, 4).tolist()}{label}:\n"
            + "\n".join(lines)
            + f"\n  (a correct sampler fails this bound with probability < {alpha:g})"
        )


def empirical_entropy(counts: Sequence[int] | np.ndarray) -> float:
    """The entropy (nats) of the empirical distribution of `counts`."""
    counts = np.asarray(counts, dtype=np.float64)
    freqs = counts[counts > 0] / counts.sum()
    return float(-(freqs * np.log(freqs)).sum())
