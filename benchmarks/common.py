"""What the benchmark scripts share: the vocabulary, generated plans, medians."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
WORDS = [
    "member",
    "states",
    "shall",
    "adopt",
    "strengthen",
    "promote",
    "national",
    "policies",
    "victims",
    "trafficking",
    "persons",
    "protection",
    "prevention",
    "cooperation",
    "General",
    "Secretariat",
    "support",
    "training",
    "border",
    "officials",
    "legislation",
    "data",
    "exchange",
    "survivors",
    "assistance",
    "prosecution",
    "offenders",
    "awareness",
    "campaigns",
    "gender",
    "age",
    "disability",
    "culture",
    "languages",
    "children",
    "adolescents",
    "labour",
    "exploitation",
]


def median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    """Median wall time of fn, in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def sentence(rng: random.Random, n: int = 40) -> str:
    """A paragraph of domain words."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_plan(path: Path, n: int, seed: int | None = None) -> None:
    """A generated plan of n operative paragraphs (40 words each) in the draft format."""
    rng = random.Random(n if seed is None else seed)
    lines = [
        "---",
        f"id: bench-{n}",
        f"title: Benchmark plan of {n} paragraphs",
        "symbol: BENCH/1",
        "period_start: 2022",
        "period_end: 2027",
        "---",
        "",
        "# Operative {#operative}",
        "",
    ]
    for i in range(n):
        lines += [f"{{#b{n}-{i:05d} .operative}}", sentence(rng), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
