"""Benchmark: a repeated `%%kata` check in a real Jupyter kernel (target: under 1.5 s).

Starts an ipykernel, loads the extension, checks one kata once (its test process starts and
imports TensorFlow), then times --repeat re-checks of the same cell, each from the execute
request to the kernel's idle status, as a learner waits for it. Prints the median and all runs.

usage: python bench/notebook_bench.py [--repeat 7] [--kata gradient_of_square]"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--kata", default="gradient_of_square")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds a learner edits")
    args = parser.parse_args()
    from jupyter_client.manager import start_new_kernel

    source = (ROOT / "solutions" / f"{args.kata}.py").read_text(encoding="utf-8")
    cell = f"%%kata {args.kata} --no-define\n{source}"
    with tempfile.TemporaryDirectory(prefix="tfkata-nb-bench-") as tmp:
        km, kc = start_new_kernel(kernel_name="python3", cwd=tmp)
        try:
            kc.execute_interactive("%load_ext tfkata", timeout=120, output_hook=lambda m: None)
            kc.execute_interactive(cell, timeout=300, output_hook=lambda m: None)  # first check
            times = []
            for _ in range(args.repeat):
                time.sleep(args.pause)  # the next test process imports TensorFlow meanwhile
                start = time.perf_counter()
                kc.execute_interactive(cell, timeout=300, output_hook=lambda m: None)
                times.append(time.perf_counter() - start)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    print(
        f"repeat %%kata {args.kata} check: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
