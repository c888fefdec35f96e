"""The benchmark suite: `make bench` runs it and prints one table, then writes JSON.

Each figure is our median beside a peer's median measured in the same run, and the ratio.
Generated data only, fixed seed; the machine is noisy, so several runs and medians.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of `fn` in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def sentence(rng: random.Random, n: int = 40) -> str:
    """A paragraph of `n` words from the domain's vocabulary."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_plan(path: Path, n: int, seed: int = 7) -> None:
    """A generated plan in the draft format with `n` operative paragraphs."""
    rng = random.Random(seed)
    lines = [
        "---",
        f"id: bench-{n}",
        f"title: Benchmark plan of {n} paragraphs",
        "symbol: BENCH/1",
        "period_start: 2022",
        "period_end: 2027",
        "original_language: English",
        "adopted: null",
        "derived_from: null",
        "numbering: continuous",
        "---",
        "",
        "# Operative {#operative}",
        "",
    ]
    for i in range(n):
        lines += [f"{{#b{n}-{i:05d} .operative}}", sentence(rng), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    """Run a command, failing loudly."""
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})})


def bench_status(tmp: Path, n: int) -> dict[str, object]:
    """`workplan status --json` as a process vs `sqlite-utils tables DB` on the same file."""
    db = tmp / f"status-{n}.db"
    plan = tmp / f"plan-{n}.md"
    write_plan(plan, n)
    run(
        [
            str(BIN / "workplan"),
            "--db",
            str(db),
            "--as",
            "SECRETARIAT",
            "init",
            "--from-file",
            str(plan),
        ]
    )
    ours = median_ms(lambda: run([str(BIN / "workplan"), "--db", str(db), "status", "--json"]))
    peer = median_ms(lambda: run([str(BIN / "sqlite-utils"), "tables", str(db)]))
    return {
        "figure": "status --json as a process",
        "size": n,
        "ours_ms": round(ours, 1),
        "peer": "sqlite-utils tables",
        "peer_ms": round(peer, 1),
        "ratio": round(ours / peer, 2),
        "target": "≤ 1.5×",
    }


def bench_diff(tmp: Path, n: int) -> list[dict[str, object]]:
    """Lineage and content diffs of two revisions vs git's word diff on the same texts."""
    sys.path.insert(0, str(ROOT / "src"))
    from workplan.diffing import diff_paragraphs
    from workplan.model.diff import ParaIn

    rng = random.Random(n)
    a = [ParaIn(uid=f"u{i}", ref=f"OP{i + 1}", text=sentence(rng)) for i in range(n)]
    b = []
    for i, p in enumerate(a):
        roll = rng.random()
        if roll < 0.01:
            continue  # deleted
        text = p.text
        if roll < 0.06:
            words = text.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            text = " ".join(words)
        b.append(ParaIn(uid=p.uid, ref="", text=text))
        if roll > 0.99:
            b.append(ParaIn(uid=f"new{i}", ref="", text=sentence(rng)))
    for _ in range(max(1, n // 100)):  # moves
        i, j = rng.randrange(len(b)), rng.randrange(len(b))
        b.insert(j, b.pop(i))
    b = [p.model_copy(update={"ref": f"OP{k + 1}"}) for k, p in enumerate(b)]
    fa, fb = tmp / f"a-{n}.txt", tmp / f"b-{n}.txt"
    fa.write_text("\n".join(p.text for p in a) + "\n", encoding="utf-8")
    fb.write_text("\n".join(p.text for p in b) + "\n", encoding="utf-8")

    def git() -> None:
        subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", str(fa), str(fb)],
            capture_output=True,
        )

    peer = median_ms(git)
    rows = []
    for mode, lineage in (("lineage-aligned", True), ("content-aligned", False)):
        ours = median_ms(lambda lineage=lineage: diff_paragraphs(a, b, by_lineage=lineage))
        rows.append(
            {
                "figure": f"diff of two revisions ({mode})",
                "size": n,
                "ours_ms": round(ours, 1),
                "peer": "git diff --word-diff=porcelain",
                "peer_ms": round(peer, 1),
                "ratio": round(ours / peer, 2),
                "target": "≤ 1.0×" if lineage else "≤ 3×",
            }
        )
    return rows


def main() -> None:
    """Run every benchmark; print a table and write benchmarks/results.json."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for n in (1000, 10000):
            rows += bench_diff(tmp, n)
        for n in (100, 1000):
            rows.append(bench_status(tmp, n))
    width = max(len(str(r["figure"])) for r in rows)
    print(f"{'figure':<{width}}  {'size':>6}  {'ours ms':>9}  {'peer ms':>9}  {'ratio':>6}  target")
    for r in rows:
        print(
            f"{r['figure']!s:<{width}}  {r['size']!s:>6}  {r['ours_ms']!s:>9}  "
            f"{r['peer_ms']!s:>9}  {r['ratio']!s:>6}  {r['target']}"
        )
    out = ROOT / "benchmarks" / "results.json"
    out.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
