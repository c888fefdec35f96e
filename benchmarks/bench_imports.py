"""The import budget of the read path: `python -X importtime`, per package, for two starts.

    .venv/bin/python benchmarks/bench_imports.py [--runs 3]

Runs `workplan status --json` and the TUI's start to its first frame (the script bench_tui.py
times) under `-X importtime` on a generated record of 1,000 paragraphs, and sums each module's
own import time by package (`workplan.<subpackage>`, else the top-level package). Prints a
JSON list of rows (what benchmarks/run.py collects): one a package over 3 ms, the median of
`--runs` runs, and the total. Figures under -X importtime run ~1.5× slower than a plain start;
they say where start-up goes, not how long it takes.

The target the issue sets: the read path imports neither pydantic nor the write side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench_tui import HELLO, OURS, make_db

#: Packages the read path should not import at all (the issue's budget: zero).
NOT_ON_READ_PATH = ("pydantic", "pydantic_core", "annotated_types", "typing_inspection")


def group(module: str) -> str:
    """The package a module's import time is counted under."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "workplan" and len(parts) > 1 else parts[0]


def importtime(cmd: list[str]) -> Counter[str]:
    """Self import time (ms) per package of one run of `cmd` (a Python command line)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True, check=True
    )
    out: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        out[group(name.strip())] += int(own) / 1000
    return out


def budget(label: str, cmd: list[str], runs: int, baseline: Counter[str]) -> list[dict]:
    """Rows for one start: each package over 3 ms (median of runs), then the total."""
    samples = [importtime(cmd) for _ in range(runs)]
    names = {k for s in samples for k in s}
    med = {k: statistics.median(s.get(k, 0.0) for s in samples) for k in names}
    rows = []
    for name, ms in sorted(med.items(), key=lambda kv: -kv[1]):
        if ms < 3.0:
            continue
        rows.append(
            {
                "figure": f"import budget, {label}: {name}",
                "size": 1000,
                "ours_ms": round(ms, 1),
                "peer": "hello-world Textual app" if baseline else "—",
                "peer_ms": round(baseline[name], 1) if name in baseline else None,
                "ratio": None,
                "target": "0 (not on the read path)" if name in NOT_ON_READ_PATH else "-",
            }
        )
    total = statistics.median(sum(s.values()) for s in samples)
    rows.append(
        {
            "figure": f"import budget, {label}: total",
            "size": 1000,
            "ours_ms": round(total, 1),
            "peer": "hello-world Textual app" if baseline else "—",
            "peer_ms": round(sum(baseline.values()), 1) if baseline else None,
            "ratio": round(total / sum(baseline.values()), 2) if baseline else None,
            "target": "-",
        }
    )
    return rows


def main() -> None:
    """Measure both starts and print the rows as a JSON array."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = make_db(Path(d), 1000)
        status = ["-m", "workplan", "--db", str(db), "status", "--json"]
        rows = budget("status --json", status, args.runs, Counter())
        hello = Counter(
            {
                k: statistics.median(v)
                for k, v in _collect([importtime(["-c", HELLO, "0"]) for _ in range(args.runs)])
            }
        )
        # the app as `workplan tui` starts it, without the worker that loads the write side
        # after the first frame ("0": no spawn time to report)
        frame = ["-c", OURS, str(db), "0", "--frame-only"]
        rows += budget("tui first frame", frame, args.runs, hello)
    print(json.dumps(rows, ensure_ascii=False))


def _collect(samples: list[Counter[str]]) -> list[tuple[str, list[float]]]:
    names = {k for s in samples for k in s}
    return [(k, [s.get(k, 0.0) for s in samples]) for k in names]


if __name__ == "__main__":
    main()
