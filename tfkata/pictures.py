"""Pictures of what a kata computes: `kata show NAME`, and inline after a notebook check passes.

Each picture runs the kata's own code (the learner's file, or any `--impl` folder) on small
synthetic data written here, in a child process: `python -m tfkata.pictures NAME --impl DIR
--out FILE.png`. Needs matplotlib (`pip install 'tfkata[notebook]'`).

- himmelblau: the contour plot of the learner's `himmelblau` with `minimize`'s descent paths
  from four starts (plain gradient descent is memoryless, so the path is `minimize` one step at a
  time).
- training_loop: learning curves, the loss `fit` reports and `evaluate_accuracy` after each epoch.
- dcgan: a 4×4 grid of samples of `build_generator` (untrained: the architecture's raw output).
- lstm_text_model: `generate`'s text at three temperatures from a briefly trained `CharLSTM`.
- tensorboard_logging: the scalars `log_scalars` wrote, as `read_scalars` reads them back."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 6.0, 100  # every picture: 800 × 600 pixels
SIZE = (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
EXTRA_HINT = "pictures need matplotlib: pip install 'tfkata[notebook]'"


class MissingExtra(RuntimeError):
    pass


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingExtra(EXTRA_HINT) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _figure(plt, rows: int = 1, cols: int = 1):
    return plt.subplots(rows, cols, figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, squeeze=False)


def himmelblau(kata: ModuleType, plt):
    import numpy as np

    fig, axes = _figure(plt)
    ax = axes[0][0]
    xs = np.linspace(-5.0, 5.0, 161, dtype=np.float32)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1)
    values = np.asarray(kata.himmelblau(grid))
    ax.contour(xs, xs, np.log1p(values), levels=30, cmap="viridis", linewidths=0.7)
    for start in ([0.0, 0.0], [-1.0, 3.0], [-1.0, -1.0], [1.0, -4.0]):
        point = np.asarray(start, dtype=np.float32)
        path = [point]
        for _ in range(20):
            point = np.asarray(kata.minimize(point, learning_rate=0.01, steps=10))
            path.append(point)
        path = np.array(path)
        ax.plot(path[:, 0], path[:, 1], ".-", markersize=3, label=f"from {tuple(start)}")
        ax.plot(*path[-1], "r*", markersize=10)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("Himmelblau's function (log scale) and gradient descent from four starts")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def training_loop(kata: ModuleType, plt):
    import keras
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    centres = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]], dtype=np.float32)
    y = rng.integers(0, 3, size=600).astype(np.int32)
    x = (centres[y] + 0.6 * rng.standard_normal((600, 2))).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(600, seed=0).batch(32)
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)]
    )
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    losses, accuracies = [], []
    for _ in range(15):
        losses.extend(kata.fit(model, dataset, optimizer, loss_fn, 1))
        accuracies.append(kata.evaluate_accuracy(model, dataset))
    fig, axes = _figure(plt, 2, 1)
    epochs = range(1, len(losses) + 1)
    axes[0][0].plot(epochs, losses, "o-")
    axes[0][0].set_ylabel("loss (fit)")
    axes[0][0].set_title("Learning curves of your fit on three Gaussian blobs")
    axes[1][0].plot(epochs, accuracies, "o-", color="tab:green")
    axes[1][0].set_ylabel("accuracy (evaluate_accuracy)")
    axes[1][0].set_xlabel("epoch")
    axes[1][0].set_ylim(0, 1.05)
    return fig


def dcgan(kata: ModuleType, plt):
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    generator = kata.build_generator(latent_dim=100)
    noise = np.random.default_rng(0).standard_normal((16, 100)).astype(np.float32)
    images = np.asarray(generator(noise, training=False))
    fig, axes = _figure(plt, 4, 4)
    for ax, image in zip((a for row in axes for a in row), images, strict=True):
        ax.imshow(image[..., 0], cmap="gray", vmin=-1.0, vmax=1.0)
        ax.axis("off")
    fig.suptitle("16 samples of your generator (untrained: train it with gan_train_step)")
    return fig


TEXT = (
    "the quick brown fox jumps over the lazy dog. a lazy dog sleeps while the quick fox runs. "
) * 8


def lstm_text_model(kata: ModuleType, plt):
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    chars = sorted(set(TEXT))
    ids = np.array([chars.index(c) for c in TEXT], dtype=np.int32)
    seq = 20
    x = np.stack([ids[i : i + seq] for i in range(len(ids) - seq)])
    y = ids[seq:]
    model = kata.CharLSTM(len(chars), units=64)
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(),
    )
    model.fit(x, y, epochs=6, batch_size=64, verbose=0)
    seed = ids[:seq].tolist()
    fig, axes = _figure(plt)
    ax = axes[0][0]
    ax.axis("off")
    lines = [f"seed: {''.join(chars[i] for i in seed)!r}", ""]
    for temperature in (0.2, 0.8, 1.5):
        out = kata.generate(model, seed, 60, temperature, np.random.default_rng(0))
        lines.append(f"temperature {temperature}:")
        lines.append("  " + "".join(chars[i] for i in out))
        lines.append("")
    ax.text(0.0, 1.0, "\n".join(lines), va="top", family="monospace", fontsize=9, wrap=True)
    ax.set_title("Your CharLSTM after six epochs on a short text, sampled at three temperatures")
    return fig


def tensorboard_logging(kata: ModuleType, plt):
    import math

    values = [math.exp(-i / 8) + 0.05 * math.sin(i) for i in range(40)]
    with tempfile.TemporaryDirectory(prefix="tfkata-show-") as logdir:
        kata.log_scalars(logdir, "loss", values)
        read = kata.read_scalars(logdir, "loss")
    fig, axes = _figure(plt)
    ax = axes[0][0]
    ax.plot([s for s, _ in read], [v for _, v in read], "o-", markersize=3)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title("The scalars your log_scalars wrote, as your read_scalars reads them back")
    return fig


PICTURES: dict[str, Callable] = {
    "himmelblau": himmelblau,
    "training_loop": training_loop,
    "dcgan": dcgan,
    "lstm_text_model": lstm_text_model,
    "tensorboard_logging": tensorboard_logging,
}


def draw(name: str, impl_dir: Path, out: Path) -> Path:
    """Run kata `name` from `impl_dir` and write its picture to `out` (PNG, SIZE pixels)."""
    plt = _pyplot()
    from tfkata.impl import load_kata
    from tfkata.tf_env import configure

    configure()
    fig = PICTURES[name](load_kata(impl_dir, name), plt)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=DPI)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tfkata.pictures")
    parser.add_argument("name", choices=sorted(PICTURES))
    parser.add_argument("--impl", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    try:
        draw(args.name, args.impl, args.out)
    except MissingExtra as exc:
        print(f"kata show: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # the learner's code failed: say where, in one line
        print(
            f"kata show {args.name}: your code raised {type(exc).__name__}: {exc}", file=sys.stderr
        )
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
