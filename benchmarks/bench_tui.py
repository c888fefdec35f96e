"""TUI benchmarks: start-up to the first frame, cursor moves in the outline, memory.

Prints a JSON array (what benchmarks/run.py collects), one row per figure and size:
{"figure", "size", "ours_ms", "peer", "peer_ms", "ratio", "target"}; the memory rows hold
megabytes in `ours_ms` / `peer_ms` (their figure says so) and add `extra_mb`.

Each database is made through the CLI (`workplan init --from-file PLAN.md` with a generated
plan), then filled with 35 delegations' positions on most paragraphs and some hundreds of
amendments, written straight into the tables (fast, and the TUI only reads them).

The start-up figure times a process from its spawn to its first frame drawn (the wall clock
at spawn is passed in; the app reads it when the frame is drawn), for our app started as
`workplan tui` starts it (a `Door` to the record: the read path first, the write side loaded
in a worker after the first frame) and for a bare "hello world" Textual app started the same
way (`python -c`, headless). Both then exit; the whole process, spawn to exit, is reported
too (ours then also waits for its loading worker, which Python joins at exit).

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
from typing import NamedTuple

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

#: Our app, started as `workplan tui` starts it: a door to the record, the draft screen drawn
#: from the read path; exit once its first frame is drawn.
OURS = (
    PEAK_RSS
    + """
import sys, time
from pathlib import Path
from workplan.model.vocab import Principal
from workplan.tui import app
from workplan.tui.app import WorkplanApp, export_folder_for
from workplan.tui.door import Door
from workplan.tui.screens.draft import DraftScreen

class Bench(WorkplanApp):
    CSS_PATH = str(Path(app.__file__).with_name(WorkplanApp.CSS_PATH))

    def on_ready(self) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        global drawn
        drawn = time.time()
        screen = self.screen
        ok = isinstance(screen, DraftScreen) and bool(screen.query_one("#outline").uids)
        self.exit(ok)

if "--frame-only" in sys.argv:  # bench_imports.py: the first frame's imports alone
    DraftScreen.load_after_frame = lambda self: None
door = Door(Path(sys.argv[1]), Principal("OBSERVER"))
ok = Bench(None, exports=export_folder_for(sys.argv[1]), door=door).run(
    headless=True, size=(120, 40)
)
print("OK" if ok else "NOT-DRAWN", (drawn - float(sys.argv[2])) * 1000, peak_rss_kb())
"""
)

#: The peer: a bare hello-world Textual app, started and stopped the same way.
HELLO = (
    PEAK_RSS
    + """
import sys, time
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world")

    def on_ready(self) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        global drawn
        drawn = time.time()
        self.exit(True)

ok = Hello().run(headless=True, size=(120, 40))
print("OK" if ok else "NOT-DRAWN", (drawn - float(sys.argv[1])) * 1000, peak_rss_kb())
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


class Start(NamedTuple):
    """One start of an app: spawn to first frame, spawn to exit (ms), peak RSS (MB)."""

    frame: float
    process: float
    mb: float


def run_script(script: str, *args: str) -> Start:
    """Start a `python -c` app; its first frame's time, the process's, its peak RSS."""
    spawned = time.time()
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script, *args, repr(spawned)],
        check=True,
        capture_output=True,
        text=True,
    )
    ms = (time.perf_counter() - t) * 1000
    status, frame_ms, rss_kb = out.stdout.split()[-3:]
    if status != "OK":
        raise SystemExit(f"the app did not draw its first frame: {out.stdout}{out.stderr}")
    return Start(float(frame_ms), ms, int(rss_kb) / 1024)


def startup(db: Path, runs: int) -> tuple[Start, Start]:
    """Medians of each figure (ours, hello-world), runs interleaved."""
    ours, hello = [], []
    run_script(HELLO)  # warm the file cache for both
    run_script(OURS, str(db))
    for _ in range(runs):
        ours.append(run_script(OURS, str(db)))
        hello.append(run_script(HELLO))

    def medians(starts: list[Start]) -> Start:
        return Start(*(statistics.median(column) for column in zip(*starts, strict=True)))

    return medians(ours), medians(hello)


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
            ours, hello = startup(db, args.runs)
            cursor_ours, cursor_alone, cursor_hello = cursor_ms(db)
            peer = "hello-world key press"
            rows = [
                row(
                    "tui start to first frame",
                    n,
                    ours.frame,
                    "hello-world app",
                    hello.frame,
                    start_target.get(n, "-"),
                ),
                row(
                    "tui start to exit after the first frame (process)",
                    n,
                    ours.process,
                    "hello-world app",
                    hello.process,
                    "informative (Python joins the loading worker at exit)",
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
                ours.mb,
                "hello-world app",
                hello.mb,
                "< +150 MB at 10,000",
            )
            memory["extra_mb"] = round(ours.mb - hello.mb, 1)
            for r in [*rows, memory]:
                print(json.dumps(r), file=sys.stderr, flush=True)  # progress, as it goes
                results.append(r)
    print("[\n" + ",\n".join(json.dumps(r) for r in results) + "\n]")


if __name__ == "__main__":
    main()
