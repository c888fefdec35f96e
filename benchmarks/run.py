"""The benchmark suite: `make bench` runs every `bench_*.py` here and prints one table.

Each figure is our median beside a peer's median measured in the same run, and the ratio.
Generated data only, fixed seeds; the machine is noisy, so every figure is a median of several
runs. The rows are also written to benchmarks/results.json.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITES = [
    ("bench_diff.py", ["--runs", "5", "--profiles", "issue"]),
    ("bench_record.py", []),
    ("bench_tui.py", []),
    ("bench_imports.py", []),
]


def run_suite(script: str, args: list[str]) -> list[dict[str, object]]:
    """Run one benchmark script and return its JSON rows (an error row if it failed)."""
    path = HERE / script
    if not path.exists():
        return []
    proc = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return [
            {
                "figure": f"{script} failed",
                "size": "",
                "ours_ms": None,
                "peer": tail,
                "peer_ms": None,
                "ratio": None,
                "target": "",
            }
        ]
    out = proc.stdout.strip()
    start = out.find("[")
    rows: list[dict[str, object]] = json.loads(out[start:])
    return rows


def fmt(value: object) -> str:
    """A cell."""
    return "—" if value is None else str(value)


def main() -> None:
    """Run all suites, print the table, write results.json."""
    started = time.time()
    rows: list[dict[str, object]] = []
    for script, args in SUITES:
        rows += run_suite(script, args)
    width = max(len(str(r["figure"])) for r in rows) if rows else 10
    print(f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}")
    print(f"{'figure':<{width}}  {'size':>6}  {'ours ms':>9}  {'peer ms':>9}  {'ratio':>6}  target")
    for r in rows:
        print(
            f"{r['figure']!s:<{width}}  {fmt(r.get('size')):>6}  {fmt(r.get('ours_ms')):>9}  "
            f"{fmt(r.get('peer_ms')):>9}  {fmt(r.get('ratio')):>6}  {fmt(r.get('target'))}"
        )
    print(f"({time.time() - started:.0f} s)")
    (HERE / "results.json").write_text(
        json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
