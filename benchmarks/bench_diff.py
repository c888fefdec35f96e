"""Benchmark the diff engine against `git diff --no-index --word-diff=porcelain`.

    .venv/bin/python benchmarks/bench_diff.py [--runs 5] [--sizes 1000 10000]

Generates (fixed seed) a draft of policy prose and a revision of it, then times
`diff_paragraphs` in lineage and content mode in process, `workplan diff --files A B --format
porcelain` as a process (the same paragraphs written in the draft format: content-aligned,
start-up included, which `startup_ms` gives alone), and git's word diff as a process on the same
texts written one paragraph per line. Prints a JSON list of rows: figure, size, ours_ms,
peer_ms (medians of wall time), ratio, target; the same in CPU time (steadier on a shared
machine); and how many of the generated changes the diff reported correctly.

Two revision profiles: `brief` (~40 words a paragraph; 5% modified, 1% moved, 1% inserted,
1% deleted) and `issue` (40–120 words; 10% modified, 2% inserted, 2% deleted, 1% moved,
half of the moved also modified).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from workplan.diffing import diff_paragraphs
from workplan.model.diff import DraftDiff, ParaIn, ParaStatus

CORPUS = """
Member states shall strengthen national policies and plans against trafficking in persons,
with particular attention to women, children and adolescents, and shall allocate the human
and financial resources needed to carry them out. The General Secretariat shall support the
member states, at their request, in designing, updating and evaluating their national
strategies, and shall report on the progress made to the Committee on Hemispheric Security.
Member states shall adopt or update legislation that criminalizes trafficking in persons in
all its forms, in line with the Palermo Protocol, and shall ensure that victims are not
punished for offences committed as a direct consequence of their situation. The competent
authorities shall train border officials, labour inspectors, prosecutors and judges to
identify victims and to refer them to specialized services for protection and assistance.
Member states shall promote cooperation and the exchange of information among the national
authorities on trafficking in persons, and shall encourage the participation of civil
society, the private sector and academia in prevention and awareness campaigns. The General
Secretariat shall compile good practices on the comprehensive protection of victims and
survivors, including safe shelter, medical and psychological care, legal assistance and
measures for their reintegration, with a gender, age, disability and intercultural approach.
Member states shall collect, analyse and publish data on the crime, disaggregated by sex,
age, nationality and form of exploitation, so that public policies can be measured against
their results, and shall strengthen the investigation, prosecution and punishment of
offenders, including the seizure and confiscation of the proceeds of the crime.
"""


def chain() -> tuple[list[str], dict[str, list[str]]]:
    """A word bigram model of the corpus: realistic, repetitive policy prose."""
    words = CORPUS.split()
    follow: dict[str, list[str]] = {}
    for w, nxt in itertools.pairwise(words):
        follow.setdefault(w, []).append(nxt)
    return words, follow


WORDS, FOLLOW = chain()


def paragraph(rng: random.Random, n: int) -> str:
    """A paragraph of about `n` words of generated policy prose."""
    w = rng.choice([w for w in WORDS if w[0].isupper()])
    out = [w]
    while len(out) < n or not out[-1].endswith((".", ";")):
        w = rng.choice(FOLLOW.get(w) or WORDS)
        out.append(w)
        if len(out) > n + 40:
            break
    text = " ".join(out).rstrip(",;.")
    return text + "."


def edit(rng: random.Random, text: str) -> str:
    """One to three word-level edits: replace, insert or delete words."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        k, roll = rng.randrange(len(words)), rng.random()
        if roll < 0.4:
            words[k] = rng.choice(WORDS)
        elif roll < 0.7 or len(words) < 5:
            words[k:k] = rng.choices(WORDS, k=rng.randint(1, 4))
        else:
            del words[k : k + rng.randint(1, 3)]
    new = " ".join(words)
    return new if new != text else new + " also"


@dataclass(frozen=True)
class Profile:
    """How a revision differs from its draft."""

    name: str
    words: tuple[int, int]
    modified: float
    inserted: float
    deleted: float
    moved: float
    moved_modified: float


PROFILES = [
    Profile("brief", (35, 45), 0.05, 0.01, 0.01, 0.01, 0.0),
    Profile("issue", (40, 120), 0.10, 0.02, 0.02, 0.01, 0.5),
]


@dataclass
class Case:
    """A draft, its revision, and the truth: B uid → (A uid or None, text changed, moved)."""

    a: list[ParaIn]
    b: list[ParaIn]
    truth: dict[str, tuple[str | None, bool, bool]]
    deleted: set[str]


def make_case(n: int, prof: Profile, seed: int) -> Case:
    """Generate a draft of `n` paragraphs and a revision of it."""
    rng = random.Random(seed)
    a = [
        ParaIn(uid=f"a{i}", ref=f"OP{i + 1}", text=paragraph(rng, rng.randint(*prof.words)))
        for i in range(n)
    ]
    truth: dict[str, tuple[str | None, bool, bool]] = {}
    deleted: set[str] = set()
    b: list[ParaIn] = []
    for p in a:
        roll = rng.random()
        if roll < prof.deleted:
            deleted.add(p.uid)
            continue
        changed = roll < prof.deleted + prof.modified
        text = edit(rng, p.text) if changed else p.text
        b.append(ParaIn(uid=p.uid, text=text))
        truth[p.uid] = (p.uid, changed, False)
        if rng.random() < prof.inserted:
            new = ParaIn(uid=f"new{len(b)}", text=paragraph(rng, rng.randint(*prof.words)))
            b.append(new)
            truth[new.uid] = (None, True, False)
    for _ in range(round(n * prof.moved)):
        k = rng.randrange(len(b))
        p = b.pop(k)
        if truth[p.uid][0] is None or truth[p.uid][2]:
            b.insert(k, p)
            continue
        to = rng.randrange(len(b))
        while abs(to - k) < 3:
            to = rng.randrange(len(b))
        changed = truth[p.uid][1]
        if not changed and rng.random() < prof.moved_modified:
            p, changed = ParaIn(uid=p.uid, text=edit(rng, p.text)), True
        b.insert(to, p)
        truth[p.uid] = (p.uid, changed, True)
    b = [ParaIn(uid=p.uid, ref=f"OP{k + 1}", text=p.text) for k, p in enumerate(b)]
    return Case(a, b, truth, deleted)


def score(case: Case, diff: DraftDiff) -> dict[str, int]:
    """How many generated changes the diff reports as generated."""
    expected = sum(1 for src, changed, moved in case.truth.values() if changed or moved)
    expected += len(case.deleted)
    found = wrong = 0
    for p in diff.paragraphs:
        if p.status == ParaStatus.DELETED:
            ok = p.a_uid in case.deleted
        else:
            src, changed, moved = case.truth[str(p.b_uid)]
            if src is None:
                ok = p.status == ParaStatus.INSERTED
            else:
                ok = p.a_uid == src and (p.status == ParaStatus.MODIFIED) == changed
                ok = ok and (not moved or p.moved)
            if not (changed or moved):
                wrong += not ok or p.moved
                continue
        found += ok
        wrong += not ok
    return {"changes": expected, "found": found, "wrong": wrong}


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process and its children) of `fn`, in ms.

    CPU time is the steadier figure on a shared machine; wall time is what a user waits.
    """
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = _cpu(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((_cpu() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def git_ms(case: Case, tmp: Path, runs: int) -> tuple[float, float]:
    """git's word diff of the two texts, one paragraph per line."""
    fa, fb = tmp / "a.txt", tmp / "b.txt"
    fa.write_text("".join(p.text + "\n" for p in case.a), encoding="utf-8")
    fb.write_text("".join(p.text + "\n" for p in case.b), encoding="utf-8")
    cmd = ["git", "diff", "--no-index", "--word-diff=porcelain", str(fa), str(fb)]
    return median_ms(lambda: subprocess.run(cmd, capture_output=True, check=False), runs)


def write_draft(path: Path, doc_id: str, paras: list[ParaIn]) -> None:
    """The paragraphs in the draft format, one operative section (what `diff --files` reads)."""
    head = ["---", f"id: {doc_id}", f"title: Benchmark {doc_id}", "---", "", "# Operative {#op}"]
    body = [f"\n{{#{p.uid} .operative}}\n{p.text}" for p in paras]
    path.write_text("\n".join(head + body) + "\n", encoding="utf-8")


def workplan_cmd() -> list[str]:
    """The `workplan` console script beside this Python, or `python -m workplan`."""
    script = Path(sys.executable).with_name("workplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workplan"]


def cli_ms(case: Case, tmp: Path, runs: int) -> tuple[float, float, float, int]:
    """`workplan diff --files A B --format porcelain` as a process: wall and CPU medians, the
    median of `workplan --version` (start-up alone), and the number of changes it printed."""
    fa, fb = tmp / "a.md", tmp / "b.md"
    write_draft(fa, "bench-a", case.a)
    write_draft(fb, "bench-b", case.b)
    cmd = [*workplan_cmd(), "diff", "--files", str(fa), str(fb), "--format", "porcelain"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    changes = sum(1 for line in done.stdout.splitlines() if line.startswith("@@"))
    wall, cpu = median_ms(lambda: subprocess.run(cmd, capture_output=True, check=True), runs)
    version = [*workplan_cmd(), "--version"]
    startup, _ = median_ms(lambda: subprocess.run(version, capture_output=True, check=True), runs)
    return wall, cpu, startup, changes


def main() -> None:
    """Run every figure and print the rows as JSON."""
    parser = argparse.ArgumentParser(description="Benchmark the diff engine against git.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--profiles", nargs="+", default=[p.name for p in PROFILES])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for prof in (p for p in PROFILES if p.name in args.profiles):
            for n in args.sizes:
                case = make_case(n, prof, seed=n)
                peer, peer_cpu = git_ms(case, Path(d), args.runs)
                for lineage in (True, False):
                    ours, ours_cpu = median_ms(
                        lambda c=case, lineage=lineage: diff_paragraphs(
                            c.a, c.b, by_lineage=lineage
                        ),
                        args.runs,
                    )
                    result = diff_paragraphs(case.a, case.b, by_lineage=lineage)
                    rows.append(
                        {
                            "figure": f"diff ({'lineage' if lineage else 'content'}-aligned, "
                            f"{prof.name} profile)",
                            "size": n,
                            "ours_ms": round(ours, 1),
                            "peer": "git diff --no-index --word-diff=porcelain",
                            "peer_ms": round(peer, 1),
                            "ratio": round(ours / peer, 2),
                            "target": "≤ 1.0×" if lineage else "≤ 3×",
                            "ours_cpu_ms": round(ours_cpu, 1),
                            "peer_cpu_ms": round(peer_cpu, 1),
                            "cpu_ratio": round(ours_cpu / peer_cpu, 2),
                            **score(case, result),
                            "summary": result.summary,
                        }
                    )
                ours, ours_cpu, startup, printed = cli_ms(case, Path(d), args.runs)
                rows.append(
                    {
                        "figure": f"workplan diff --files --format porcelain (process, "
                        f"{prof.name} profile)",
                        "size": n,
                        "ours_ms": round(ours, 1),
                        "peer": "git diff --no-index --word-diff=porcelain",
                        "peer_ms": round(peer, 1),
                        "ratio": round(ours / peer, 2),
                        "target": "≤ 10× (start-up included)" if n >= 10000 else "informative",
                        "ours_cpu_ms": round(ours_cpu, 1),
                        "peer_cpu_ms": round(peer_cpu, 1),
                        "cpu_ratio": round(ours_cpu / peer_cpu, 2),
                        "startup_ms": round(startup, 1),
                        "changes_printed": printed,
                    }
                )
    print(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
