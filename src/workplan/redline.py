"""The redline engine: who changed which words between two texts, and how to lay both sides out.

Pure. `attribute` follows one paragraph through the chain of accepted amendments that changed
it, so each inserted or deleted word run carries the amendment that made it; `interleave`
orders two sides' items so that dropping B's insertions leaves A in order and dropping A's
deletions leaves B in order (a moved item appears twice: deleted where it was, inserted where
it went).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from workplan.diffing import in_longest_increasing, word_diff

By = tuple[str, str]
"""Who made a change and when: (author, ISO date)."""

RunOp = Literal["=", "+", "-"]


@dataclass(frozen=True, slots=True)
class Step:
    """One change in a paragraph's history: its text afterwards, and who made it."""

    text: str
    """The paragraph's text after the step."""
    by: By
    """Author and date."""
    base: str | None = None
    """The text the step was written against; when the chain has reached another text, an
    editorial step first brings it there."""


@dataclass(frozen=True, slots=True)
class Run:
    """A run of text: kept (`=`), inserted (`+`) or deleted (`-`), with its author."""

    op: RunOp
    """Kept, inserted or deleted."""
    text: str
    """The text."""
    by: By | None = None
    """Who inserted or deleted it (None when kept)."""


def attribute(a: str, b: str, steps: Sequence[Step], editorial: By) -> list[Run]:
    """Runs turning A into B through `steps`: joining `=` and `-` gives A, `=` and `+` gives B.

    Words one step inserts and a later one deletes appear in neither text and are dropped;
    any difference the steps do not explain (A not the first step's base, B not the last
    step's text) is an editorial change by `editorial`.
    """
    if not steps:
        return [Run(op, t, None if op == "=" else editorial) for op, t in word_diff(a, b)]
    chars: list[tuple[str, RunOp, By | None]] = [(c, "=", None) for c in a]
    for step in steps:
        if step.base is not None:
            chars = _apply(chars, step.base, editorial)
        chars = _apply(chars, step.text, step.by)
    chars = _apply(chars, b, editorial)
    return _runs(chars)


def _apply(
    chars: list[tuple[str, RunOp, By | None]], target: str, by: By
) -> list[tuple[str, RunOp, By | None]]:
    """Change the visible text (kept and inserted characters) into `target`, as `by`."""
    visible = "".join(c for c, op, _ in chars if op != "-")
    if visible == target:
        return chars
    out: list[tuple[str, RunOp, By | None]] = []
    i = 0

    def skip_deleted() -> None:
        nonlocal i
        while i < len(chars) and chars[i][1] == "-":
            out.append(chars[i])
            i += 1

    for op, text in word_diff(visible, target):
        if op == "+":
            skip_deleted()
            out += [(c, "+", by) for c in text]
            continue
        for _ in text:
            skip_deleted()
            c, old, old_by = chars[i]
            i += 1
            if op == "=":
                out.append((c, old, old_by))
            elif old == "=":
                out.append((c, "-", by))
            # else: inserted by an earlier step, deleted now: in neither side.
    out += chars[i:]
    return out


def _runs(chars: list[tuple[str, RunOp, By | None]]) -> list[Run]:
    runs: list[Run] = []
    for c, op, by in chars:
        if runs and runs[-1].op == op and runs[-1].by == by:
            runs[-1] = Run(op, runs[-1].text + c, by)
        else:
            runs.append(Run(op, c, by))
    return runs


def side_a(runs: Sequence[Run], by: By) -> list[Run]:
    """The runs of a moved item where it was: everything of A, deleted (kept text by `by`)."""
    return [Run("-", r.text, r.by if r.op == "-" else by) for r in runs if r.op != "+"]


def side_b(runs: Sequence[Run], by: By) -> list[Run]:
    """The runs of a moved item where it went: everything of B, inserted (kept text by `by`)."""
    return [Run("+", r.text, r.by if r.op == "+" else by) for r in runs if r.op != "-"]


def interleave(
    a_len: int, b_len: int, pairs: dict[int, int], moved: frozenset[int] = frozenset()
) -> list[tuple[int | None, int | None]]:
    """Both sides' items in one order, as (A index, B index) with None for the missing side.

    `pairs` maps A indices to B indices. Pairs in `moved` (A indices), and those out of order
    once the longest in-order run is kept, are moved: they appear as (i, None) where they were
    in A and (None, j) where they are in B. Every A-only item follows the A item before it.
    """
    kept = {i: j for i, j in pairs.items() if i not in moved}
    order = sorted(kept, key=lambda i: kept[i])
    in_order = set(_longest_increasing(order))
    kept = {i: j for i, j in kept.items() if i in in_order}
    by_b = {j: i for i, j in kept.items()}
    after: dict[int, list[int]] = {}  # B index (-1: the start) -> A-only items placed after it
    anchor = -1
    for i in range(a_len):
        if i in kept:
            anchor = kept[i]
        else:
            after.setdefault(anchor, []).append(i)
    out: list[tuple[int | None, int | None]] = [(i, None) for i in after.get(-1, [])]
    for j in range(b_len):
        out.append((by_b.get(j), j))
        out += [(i, None) for i in after.get(j, [])]
    return out


def _longest_increasing(seq: list[int]) -> list[int]:
    """One longest strictly increasing subsequence of `seq` (its values)."""
    return [x for x, kept in zip(seq, in_longest_increasing(seq), strict=True) if kept]
