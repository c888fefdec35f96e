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


def _init_worker(barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier


def _delegate(args: tuple[str, str, int]) -> list[float]:
    path, code, n = args
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from workplan.errors import WorkplanError
    from workplan.model import Principal
    from workplan.service import open_service

    who, _, behalf = code.partition(":")
    svc = open_service(path, Principal(id=who), on_behalf_of=behalf or None)
    svc.negotiation("third-work-plan")  # warm up, then start together
    _BARRIER.wait()
    rng = random.Random(code)
    lat = []
    for i in range(n):
        t = time.perf_counter()
        try:
            if i % 4 == 3:
                svc.propose(
                    "third-work-plan",
                    f"OP{rng.randint(1, 100)}",
                    "modify",
                    text=f"{code} proposal {i}.",
                )
            else:
                svc.record_position(
                    "third-work-plan",
                    f"OP{rng.randint(1, 100)}",
                    rng.choice(["support", "join", "object"]),
                )
        except WorkplanError:
            lat.append(-1.0)
            continue
        lat.append((time.perf_counter() - t) * 1000)
    return lat


def bench_concurrency(tmp: Path) -> dict[str, object]:
    """35 delegation processes × 20 actions at once: errors, p99 latency, all recorded."""
    db = tmp / "soak.db"
    plan = tmp / "soak.md"
    write_plan(plan, 100)
    wp(db, "init", "--from-file", str(plan))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from workplan.model import member_states

    # The 33 active delegations, and the secretariat recording for two of them: 35 processes.
    codes = [d.code for d in member_states() if d.active] + ["SECRETARIAT:ARG", "SECRETARIAT:BRA"]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(codes) + 1)
    with ctx.Pool(len(codes), initializer=_init_worker, initargs=(barrier,)) as pool:
        pending = pool.map_async(_delegate, [(str(db), c, 20) for c in codes])
        barrier.wait()
        t = time.perf_counter()
        results = pending.get()
        wall = time.perf_counter() - t
    lat = sorted(x for r in results for x in r if x >= 0)
    errors = sum(1 for r in results for x in r if x < 0)
    out = subprocess.run(
        [str(BIN / "workplan"), "--db", str(db), "log", "--json"], capture_output=True, check=True
    )
    recorded = sum(
        1
        for e in json.loads(out.stdout)
        if e["action"] in ("position.recorded", "amendment.proposed")
    )
    p99 = lat[int(len(lat) * 0.99) - 1] if lat else 0.0
    return {
        "figure": "35 delegation processes × 20 actions",
        "size": len(codes) * 20,
        "ours_ms": round(p99, 1),
        "peer": "—",
        "peer_ms": None,
        "ratio": None,
        "target": "0 errors, p99 < 250 ms, all recorded",
        "errors": errors,
        "recorded": recorded,
        "actions": len(lat) + errors,
        "actions_per_s": round((len(lat) + errors) / wall, 1),
    }


def main() -> None:
    """Run the record benchmarks and print JSON."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for n in (100, 1000):
            rows.append(bench_status(tmp, n))
        rows.append(bench_docx(tmp, 1000))
        rows.append(bench_import(tmp, 1000))
        rows.append(bench_concurrency(tmp))
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
