"""TUI benchmarks: start-up to the first frame, cursor moves in the outline, memory.

Prints a JSON array (what benchmarks/run.py collects), one row per figure and size:
{"figure", "size", "ours_ms", "peer", "peer_ms", "ratio", "target"}; the memory rows hold
megabytes in `ours_ms` / `peer_ms` (their figure says so) and add `extra_mb`.

Each database is made through the CLI (`workplan init --from-file PLAN.md` with a generated
plan), then filled with 35 delegations' positions on most paragraphs and some hundreds of
amendments, written straight into the tables (fast, and the TUI only reads them).

The start-up figure times a whole process, from spawn to exit, for our app and for a bare
"hello world" Textual app started the same way (`python -c`, headless); both exit as soon as
their first frame is drawn.

Usage: .venv/bin/python benchmarks/bench_tui.py [--sizes 100,1000,10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BIN, write_plan
from textual.app import App, ComposeResult
from textual.widgets import Static

DOC = "third-work-plan"
STANCES = ["support", "join", "reserve", "ad-ref", "object", "support", "join", "support"]

#: Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited over exec).
PEAK_RSS = """
def peak_rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
"""

#: Our app: open the record, show the draft screen, exit once its first frame is drawn.
OURS = (
    PEAK_RSS
    + """
import sys
from pathlib import Path
from workplan.service import open_service
from workplan.tui import app
from workplan.tui.app import WorkplanApp
from workplan.tui.screens.draft import DraftScreen

class Bench(WorkplanApp):
    CSS_PATH = str(Path(app.__file__).with_name(WorkplanApp.CSS_PATH))

    def on_ready(self) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        screen = self.screen
        ok = isinstance(screen, DraftScreen) and bool(screen.query_one("#outline").uids)
        self.exit(ok)

svc = open_service(sys.argv[1])
ok = Bench(svc).run(headless=True, size=(120, 40))
print("OK" if ok else "NOT-DRAWN", peak_rss_kb())
"""
)

#: The peer: a bare hello-world Textual app, started and stopped the same way.
HELLO = (
    PEAK_RSS
    + """
import sys
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

    def on_ready(self) -> None:
        self.call_after_refresh(self.exit, True)

ok = Hello().run(headless=True, size=(120, 40))
print("OK" if ok else "NOT-DRAWN", peak_rss_kb())
"""
)


def make_db(tmp: Path, n: int, seed: int = 11) -> Path:
    """A record whose third plan has `n` paragraphs, positions and amendments."""
    db, plan = tmp / f"tui-{n}.db", tmp / f"plan-{n}.md"
    write_plan(plan, n)
    subprocess.run(
        [
            str(BIN / "workplan"),
            "--db",
            str(db),
            "--as",
            "SECRETARIAT",
            "init",
            "--from-file",
            str(plan),
        ],
        check=True,
        capture_output=True,
    )
    fill(db, n, seed)
    return db


def fill(db: Path, n: int, seed: int) -> None:
    """35 delegations' positions on ~80% of the paragraphs; n/5 (at most 2,000) amendments."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    codes = [r[0] for r in conn.execute("SELECT code FROM delegations WHERE active ORDER BY code")]
    codes = codes[:35]
    rows = conn.execute(
        "SELECT uid, text FROM paragraphs WHERE document = ? ORDER BY position", [DOC]
    ).fetchall()
    at = "2026-03-02T14:00:00+00:00"
    positions = [
        (DOC, uid, code, rng.choice(STANCES), "", at)
        for uid, _ in rows
        if rng.random() < 0.8
        for code in codes
    ]
    amendments = []
    for seq, (uid, text) in enumerate(rng.sample(rows, min(n // 5, 2000)), start=1):
        words = text.split()
        words[rng.randrange(len(words))] = "strengthened"
        amendments.append(
            (
                DOC,
                f"A{seq}",
                seq,
                "modify",
                uid,
                " ".join(words),
                text,
                1,
                rng.choice(codes),
                at,
                int(rng.random() < 0.1),
            )
        )
    with conn:
        conn.executemany("INSERT INTO positions VALUES (?, ?, ?, ?, ?, ?)", positions)
        conn.executemany(
            "INSERT INTO amendments (document, id, seq, kind, target, text, base_text,"
            " base_version, proposer, created_at, needs_rebase)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            amendments,
        )
    conn.close()


def run_script(script: str, *args: str) -> tuple[float, float]:
    """Wall time (ms) of a `python -c` process and its peak RSS (MB)."""
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, text=True
    )
    ms = (time.perf_counter() - t) * 1000
    status, rss_kb = out.stdout.split()[-2:]
    if status != "OK":
        raise SystemExit(f"the app did not draw its first frame: {out.stdout}{out.stderr}")
    return ms, int(rss_kb) / 1024


def startup(db: Path, runs: int) -> tuple[float, float, float, float]:
    """Medians of (ours ms, hello ms, ours MB, hello MB), runs interleaved."""
    ours, hello = [], []
    run_script(HELLO)  # warm the file cache for both
    run_script(OURS, str(db))
    for _ in range(runs):
        ours.append(run_script(OURS, str(db)))
        hello.append(run_script(HELLO))
    return (
        statistics.median(t for t, _ in ours),
        statistics.median(t for t, _ in hello),
        statistics.median(m for _, m in ours),
        statistics.median(m for _, m in hello),
    )


async def press_cpu_ms(app: App[object], presses: int = 50) -> float:
    """Median CPU time of one `down` (key handled, paragraph shown, screen composed).

    CPU rather than wall time: Pilot's `press` also sleeps while it waits for every widget
    to go idle (about 40 ms of waiting even in a hello-world app), which a user never sees.
    """
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            t = time.process_time()
            await pilot.press("down")
            times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


class Hello(App[None]):
    """The peer: a bare hello-world app."""

    def compose(self) -> ComposeResult:
        yield Static("Hello, world")


class OutlineOnly(App[None]):
    """The outline widget alone, on the same draft: what the Line-API list itself costs."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        from workplan.tui.widgets.outline import Outline

        yield Outline(id="outline")

    def on_mount(self) -> None:
        from workplan.service import open_service
        from workplan.tui.widgets.outline import Outline

        draft = open_service(self.db).draft(DOC)
        outline = self.query_one(Outline)
        outline.show_draft(draft, {p.uid: "not-discussed" for p in draft.paragraphs})
        outline.focus()


def cursor_ms(db: Path) -> tuple[float, float, float]:
    """Median CPU ms per cursor move: on the draft screen, in the outline alone, and a key
    press in the hello-world app."""
    from workplan.service import open_service
    from workplan.tui.app import make_app

    ours = asyncio.run(press_cpu_ms(make_app(open_service(db))))
    alone = asyncio.run(press_cpu_ms(OutlineOnly(db)))
    return ours, alone, asyncio.run(press_cpu_ms(Hello()))


def row(figure: str, size: int, ours: float, peer: str, peer_v: float | None, target: str) -> dict:
    """One result row."""
    return {
        "figure": figure,
        "size": size,
        "ours_ms": round(ours, 1),
        "peer": peer,
        "peer_ms": None if peer_v is None else round(peer_v, 1),
        "ratio": None if not peer_v else round(ours / peer_v, 2),
        "target": target,
    }


def main() -> None:
    """Run every figure at every size; print the rows as a JSON array."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    start_target = {100: "<= 1.5x", 1000: "<= 1.5x", 10000: "<= 2x"}
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as d:
        for n in (int(s) for s in args.sizes.split(",")):
            db = make_db(Path(d), n)
            ours, hello, ours_mb, hello_mb = startup(db, args.runs)
            cursor_ours, cursor_alone, cursor_hello = cursor_ms(db)
            peer = "hello-world key press"
            rows = [
                row(
                    "tui start to first frame",
                    n,
                    ours,
                    "hello-world app",
                    hello,
                    start_target.get(n, "-"),
                ),
                row(
                    "cursor move, draft screen (CPU)", n, cursor_ours, peer, cursor_hello, "< 20 ms"
                ),
                row(
                    "cursor move, outline alone (CPU)",
                    n,
                    cursor_alone,
                    peer,
                    cursor_hello,
                    "< 20 ms",
                ),
            ]
            memory = row(
                "tui memory, peak RSS in MB",
                n,
                ours_mb,
                "hello-world app",
                hello_mb,
                "< +150 MB at 10,000",
            )
            memory["extra_mb"] = round(ours_mb - hello_mb, 1)
            for r in [*rows, memory]:
                print(json.dumps(r), file=sys.stderr, flush=True)  # progress, as it goes
                results.append(r)
    print("[\n" + ",\n".join(json.dumps(r) for r in results) + "\n]")


if __name__ == "__main__":
    main()
