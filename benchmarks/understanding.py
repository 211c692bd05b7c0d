"""How long hearing one message takes, and how much memory the model holds, beside a baseline.

    .venv/bin/python -m benchmarks.understanding [--rounds 5]

Messages: the held-out sentences of all twelve languages, a sample of training examples, and bad input
(60 KB of text, emoji only, one letter, mixed scripts, a lone surrogate). The baseline, in the same run
and in alternating rounds, is normalisation alone (what every typed message cost before). Memory: the
growth of the process (resident set) and of Python's allocations (tracemalloc) while the model loads
from its cache, as `wegweiser run` loads it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def messages() -> list[str]:
    from bot.understanding.data import load

    found = []
    for path in sorted((ROOT / "tests" / "understanding" / "heldout").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            found.extend(
                text for texts in value.values() for text in texts
            ) if key == "topics" else found.extend(value)
    examples = [example.text for example in load(ROOT / "nlu").examples]
    found.extend(random.Random(0).sample(examples, 500))
    found.extend(["x" * 60_000, "🙂" * 30, "a", "Hallo مرحبا привет ሰላም", "help \ud800 me"])
    return found


def timed(hear: Callable[[str], object], texts: list[str]) -> list[float]:
    took = []
    for text in texts:
        began = time.perf_counter()
        hear(text)
        took.append(time.perf_counter() - began)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from bot.understanding.listener import start
    from bot.understanding.normalize import normalize

    start(ROOT / "nlu")  # make sure the cache holds this data's model
    before = resident_mb()
    tracemalloc.start()
    listener = start(ROOT / "nlu")
    _, peak = tracemalloc.get_traced_memory()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = resident_mb() - before
    texts = messages()
    runs: dict[str, list[float]] = {"normalise only (baseline)": [], "hear (lexicon + model)": []}
    for _ in range(args.rounds):
        runs["normalise only (baseline)"].extend(timed(normalize, texts))
        runs["hear (lexicon + model)"].extend(timed(listener.hear, texts))
    print(f"{len(texts)} messages x {args.rounds} rounds, alternating")
    print(f"{'run':<28} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, took in runs.items():
        took.sort()
        p99 = took[int(len(took) * 0.99) - 1]
        print(f"{name:<28} {statistics.median(took) * 1e3:>8.3f} {p99 * 1e3:>8.3f} {took[-1] * 1e3:>8.3f}")
    print(
        f"memory of the loaded model: +{grown:.1f} MB resident, {held / 2**20:.1f} MB held by Python "
        f"(peak {peak / 2**20:.1f} MB while loading); targets: p99 <= 5 ms, <= 60 MB"
    )


if __name__ == "__main__":
    main()
