"""Benchmarks of the record: CLI start-up, the Word export, an OAS import, and concurrency.

Prints a JSON list of rows {"figure", "size", "ours_ms", "peer", "peer_ms", "ratio", "target"}.
Generated data, fixed seeds; medians of several runs.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import BIN, median_ms, sentence, write_plan

CODES = ["ARG", "BRA", "CAN", "CHL", "COL", "JAM", "LCA", "MEX", "PER", "PRY", "USA", "URY"]


def wp(db: Path, *args: str, who: str = "SECRETARIAT") -> None:
    """Run the CLI."""
    subprocess.run(
        [str(BIN / "workplan"), "--db", str(db), "--as", who, *args],
        check=True,
        capture_output=True,
    )


def populate(db: Path, n: int) -> None:
    """A record with n paragraphs, positions of 35 delegations on most, amendments, reservations."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from workplan.model import Principal
    from workplan.service import Service
    from workplan.store import connect

    plan = db.with_suffix(".md")
    write_plan(plan, n)
    wp(db, "init", "--from-file", str(plan))
    base = connect(db)
    rng = random.Random(1)
    refs = [f"OP{i + 1}" for i in range(n)]
    for code in sorted(set(CODES)):
        svc = Service(base, Principal(id=code))
        for ref in rng.sample(refs, k=min(len(refs), 60)):
            svc.record_position("third-work-plan", ref, rng.choice(["support", "join", "object"]))
        svc.propose("third-work-plan", rng.choice(refs), "modify", text=sentence(rng, 30))
        svc.reserve("third-work-plan", rng.sample(refs, k=3), text=f"{code} reserves. " * 5)


def bench_status(tmp: Path, n: int) -> dict[str, object]:
    """`workplan status --json` as a process vs `sqlite-utils tables DB`."""
    db = tmp / f"status-{n}.db"
    populate(db, n)
    ours = median_ms(
        lambda: subprocess.run(
            [str(BIN / "workplan"), "--db", str(db), "status", "--json"],
            check=True,
            capture_output=True,
        )
    )
    peer = median_ms(
        lambda: subprocess.run(
            [str(BIN / "sqlite-utils"), "tables", str(db)], check=True, capture_output=True
        )
    )
    return {
        "figure": "status --json as a process",
        "size": n,
        "ours_ms": round(ours, 1),
        "peer": "sqlite-utils tables",
        "peer_ms": round(peer, 1),
        "ratio": round(ours / peer, 2),
        "target": "≤ 1.5×",
    }


def bench_docx(tmp: Path, n: int) -> dict[str, object]:
    """Clean export to .docx vs pandoc converting our Markdown export of the same text."""
    db = tmp / f"docx-{n}.db"
    plan = tmp / f"docx-{n}.md"
    write_plan(plan, n)
    wp(db, "import", str(plan), "--id", "bench")
    wp(db, "export", "bench", "--include", "all", "--format", "markdown", "-o", str(tmp / "in.md"))
    out = tmp / "out.docx"

    def ours() -> None:
        wp(db, "export", "bench", "--include", "all", "--format", "docx", "-o", str(out), "--force")

    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    o, p = (
        median_ms(ours, 5),
        median_ms(
            lambda: subprocess.run(
                [pandoc, str(tmp / "in.md"), "-o", str(tmp / "peer.docx")], check=True
            ),
            5,
        ),
    )
    return {
        "figure": "clean export to .docx (process)",
        "size": n,
        "ours_ms": round(o, 1),
        "peer": "pandoc on our Markdown",
        "peer_ms": round(p, 1),
        "ratio": round(o / p, 2),
        "target": "≤ 1.3×",
    }


def bench_import(tmp: Path, n: int) -> dict[str, object]:
    """Import of an OAS text of n paragraphs with footnotes (as a process)."""
    rng = random.Random(3)
    lines = ["RECALLING the commitments of the member states;", "", "RECOMMEND:", ""]
    for i in range(1, n + 1):
        calls = ""
        if i % 50 == 1:
            k = len(lines)
            calls = f"[footnoteRef:{k}]/ [{k}: .\tParaguay joins the consensus. {i}]"
        lines += [f"{i}.\t{sentence(rng)}{calls}", ""]
    src = tmp / f"oas-{n}.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    runs = []
    for k in range(5):
        db = tmp / f"imp-{n}-{k}.db"
        t = time.perf_counter()
        wp(db, "import", str(src), "--id", "imported")
        runs.append((time.perf_counter() - t) * 1000)
    return {
        "figure": "import of an OAS text with footnotes (process)",
        "size": n,
        "ours_ms": round(statistics.median(runs), 1),
        "peer": "—",
        "peer_ms": None,
        "ratio": None,
        "target": "< 1000 ms",
    }


_BARRIER: Any = None

#: The floor's tables: one event row and one position row a write, as an action makes.
FLOOR_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT,
    document TEXT, payload TEXT, hash TEXT);
CREATE TABLE IF NOT EXISTS positions (document TEXT, paragraph TEXT, delegation TEXT,
    stance TEXT, note TEXT, at TEXT, PRIMARY KEY (document, paragraph, delegation));
"""


def _init_worker(barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier


def _open_delegate(path: str, code: str) -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from workplan.model import Principal
    from workplan.service import open_service

    who, _, behalf = code.partition(":")
    svc = open_service(path, Principal(id=who), on_behalf_of=behalf or None)
    svc.negotiation("third-work-plan")  # warm up
    return svc


def _act(svc: Any, code: str, i: int, rng: random.Random) -> float:
    """One delegation action (a position, every fourth a proposal): ms, or -1 for an error."""
    from workplan.errors import WorkplanError

    t = time.perf_counter()
    try:
        if i % 4 == 3:
            svc.propose(
                "third-work-plan", f"OP{rng.randint(1, 100)}", "modify", text=f"{code} {i}."
            )
        else:
            svc.record_position(
                "third-work-plan",
                f"OP{rng.randint(1, 100)}",
                rng.choice(["support", "join", "object"]),
            )
    except WorkplanError:
        return -1.0
    return (time.perf_counter() - t) * 1000


def _delegate(args: tuple[str, str, int]) -> list[float]:
    """n actions in a row, started together with the other processes."""
    path, code, n = args
    svc = _open_delegate(path, code)
    _BARRIER.wait()
    rng = random.Random(code)
    return [_act(svc, code, i, rng) for i in range(n)]


def _poisson_delegate(args: tuple[str, str, float, float]) -> list[float]:
    """Actions at Poisson arrivals (mean gap `mean` s) for `seconds`, started together."""
    path, code, seconds, mean = args
    svc = _open_delegate(path, code)
    _BARRIER.wait()
    rng = random.Random(code)
    start, lat, i = time.monotonic(), [], 0
    due = start + rng.expovariate(1 / mean)
    while due < start + seconds:
        time.sleep(max(0.0, due - time.monotonic()))
        lat.append(_act(svc, code, i, rng))
        i += 1
        due += rng.expovariate(1 / mean)
    return lat


def _floor_writer(args: tuple[str, str, int]) -> list[float]:
    """The floor: a bare sqlite3 loop making the same writes as an action (BEGIN IMMEDIATE,
    one event row and one position row, WAL, synchronous=FULL), no workplan code at all."""
    import sqlite3

    path, code, n = args
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA synchronous = FULL")
    _BARRIER.wait()
    rng = random.Random(code)
    lat = []
    for i in range(n):
        t = time.perf_counter()
        try:
            para, at = f"OP{rng.randint(1, 100)}", "2026-03-02T14:00:00+00:00"
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO events (at, actor, action, document, payload, hash)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [at, code, "position.recorded", "third-work-plan", f'{{"n": {i}}}', "0" * 64],
            )
            conn.execute(
                "INSERT OR REPLACE INTO positions VALUES (?, ?, ?, ?, ?, ?)",
                ["third-work-plan", para, code, rng.choice(["support", "object"]), "", at],
            )
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            lat.append(-1.0)
            continue
        lat.append((time.perf_counter() - t) * 1000)
    conn.close()
    return lat


def _run_pool(worker: Any, jobs: list[Any]) -> tuple[list[list[float]], float]:
    """Run one process a job, all released together by a barrier: (latencies, wall s)."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs) + 1)
    with ctx.Pool(len(jobs), initializer=_init_worker, initargs=(barrier,)) as pool:
        pending = pool.map_async(worker, jobs)
        barrier.wait()
        t = time.perf_counter()
        results = pending.get()
        wall = time.perf_counter() - t
    return results, wall


def _p99(results: list[list[float]]) -> tuple[float, float, int, int]:
    """(p99 ms, median ms, errors, actions) of the processes' latencies (-1 is an error)."""
    lat = sorted(x for r in results for x in r if x >= 0)
    errors = sum(1 for r in results for x in r if x < 0)
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)] if lat else 0.0
    return p99, statistics.median(lat) if lat else 0.0, errors, len(lat) + errors


def _soak_record(tmp: Path, name: str) -> tuple[Path, list[str]]:
    """A record of 100 paragraphs, and the 35 acting principals: the 33 active delegations and
    the secretariat recording for two of them."""
    db = tmp / f"{name}.db"
    plan = tmp / f"{name}.md"
    write_plan(plan, 100)
    wp(db, "init", "--from-file", str(plan))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from workplan.model import member_states

    codes = [d.code for d in member_states() if d.active] + ["SECRETARIAT:ARG", "SECRETARIAT:BRA"]
    return db, codes


def _recorded(db: Path) -> int:
    out = subprocess.run(
        [str(BIN / "workplan"), "--db", str(db), "log", "--json"], capture_output=True, check=True
    )
    return sum(
        1
        for e in json.loads(out.stdout)
        if e["action"] in ("position.recorded", "amendment.proposed")
    )


def bench_floor(tmp: Path, processes: int = 35, n: int = 20) -> tuple[float, float]:
    """The bare sqlite3 floor from `processes` processes × n writes: (p99 ms, median ms)."""
    import sqlite3

    db = tmp / "floor.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(FLOOR_SCHEMA)
    conn.close()
    results, _ = _run_pool(_floor_writer, [(str(db), f"D{k:02d}", n) for k in range(processes)])
    p99, median, errors, _ = _p99(results)
    if errors:
        raise SystemExit(f"the sqlite3 floor itself had {errors} busy errors")
    return p99, median


def bench_concurrency(tmp: Path) -> dict[str, object]:
    """35 delegation processes × 20 actions at once beside the bare sqlite3 floor, same run:
    errors, p99 latency, all recorded."""
    db, codes = _soak_record(tmp, "soak")
    floor_p99, floor_median = bench_floor(tmp, len(codes), 20)
    results, wall = _run_pool(_delegate, [(str(db), c, 20) for c in codes])
    p99, median, errors, actions = _p99(results)
    return {
        "figure": "35 delegation processes × 20 actions (p99)",
        "size": len(codes) * 20,
        "ours_ms": round(p99, 1),
        "peer": "bare sqlite3 loop, same writes, 35 processes (p99)",
        "peer_ms": round(floor_p99, 1),
        "ratio": round(p99 / floor_p99, 2) if floor_p99 else None,
        "target": "0 errors, ≤ 2×, all recorded",
        "errors": errors,
        "recorded": _recorded(db),
        "actions": actions,
        "median_ms": round(median, 1),
        "peer_median_ms": round(floor_median, 1),
        "actions_per_s": round(actions / wall, 1),
    }


def bench_poisson(tmp: Path, seconds: float, mean: float = 2.0) -> dict[str, object]:
    """35 delegates acting at Poisson arrivals, every `mean` s on average, for `seconds`."""
    db, codes = _soak_record(tmp, "poisson")
    results, _ = _run_pool(_poisson_delegate, [(str(db), c, seconds, mean) for c in codes])
    p99, median, errors, actions = _p99(results)
    return {
        "figure": f"35 delegates, one action every {mean:g} s each (Poisson), {seconds:g} s (p99)",
        "size": actions,
        "ours_ms": round(p99, 1),
        "peer": "—",
        "peer_ms": None,
        "ratio": None,
        "target": "0 errors, p99 < 50 ms",
        "errors": errors,
        "recorded": _recorded(db),
        "median_ms": round(median, 1),
    }


def main() -> None:
    """Run the record benchmarks and print JSON."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="a 20 s Poisson run instead of 2 minutes"
    )
    parser.add_argument(
        "--only", choices=["status", "docx", "import", "concurrency", "poisson"], nargs="+"
    )
    args = parser.parse_args()
    only = set(args.only or ["status", "docx", "import", "concurrency", "poisson"])
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "status" in only:
            for n in (100, 1000):
                rows.append(bench_status(tmp, n))
        if "docx" in only:
            rows.append(bench_docx(tmp, 1000))
        if "import" in only:
            rows.append(bench_import(tmp, 1000))
        if "concurrency" in only:
            rows.append(bench_concurrency(tmp))
        if "poisson" in only:
            rows.append(bench_poisson(tmp, 20.0 if args.quick else 120.0))
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
