"""The diff engine: paragraph alignment, then word diffs inside changed pairs.

The only module that imports diff-match-patch (and rapidfuzz). Pure: no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from diff_match_patch import diff_match_patch

from workplan.model.diff import DraftDiff, Op, ParaDiff, ParaIn, ParaStatus, PatchResult

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
#: Similarity (0–100) above which two unaligned paragraphs in a gap are the same paragraph.
SIMILARITY = 60.0
#: Above this many leftover pairs, moved-and-modified paragraphs are not searched for.
MAX_LEFTOVER_PAIRS = 250_000


@lru_cache(maxsize=1)
def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # paragraphs are short: exact, deterministic diffs
    dmp.Match_Threshold = 0.3
    dmp.Patch_DeleteThreshold = 0.3
    return dmp


def _code(i: int) -> str:
    # Skip the surrogate range; start above the control characters.
    n = i + 0x100
    return chr(n if n < 0xD800 else n + 0x800)


def word_diff(a: str, b: str) -> list[Op]:
    """Word-level diff of two texts: ("=", text), ("-", text), ("+", text) operations."""
    if a == b:
        return [("=", a)] if a else []
    vocab: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for tok in _TOKEN.findall(text):
            ch = vocab.get(tok)
            if ch is None:
                ch = vocab[tok] = _code(len(tokens))
                tokens.append(tok)
            out.append(ch)
        return "".join(out)

    ea, eb = encode(a), encode(b)
    dmp = _dmp()
    diffs = dmp.diff_main(ea, eb, False)
    dmp.diff_cleanupSemantic(diffs)
    decode = {v: k for k, v in vocab.items()}
    ops: list[Op] = []
    for op, chars in diffs:
        sym = "=" if op == 0 else "-" if op == -1 else "+"
        text = "".join(decode[c] for c in chars)
        if not text:
            continue
        if ops and ops[-1][0] == sym:
            ops[-1] = (sym, ops[-1][1] + text)  # type: ignore[assignment]
        else:
            ops.append((sym, text))  # type: ignore[arg-type]
    return ops


def make_patch(base: str, new: str) -> str:
    """The change from `base` to `new` as diff-match-patch patch text."""
    dmp = _dmp()
    return str(dmp.patch_toText(dmp.patch_make(base, new)))


def apply_patch(patch_text: str, text: str) -> PatchResult:
    """Re-apply a patch to a text that may have moved on; report the hunks that failed."""
    dmp = _dmp()
    patches = dmp.patch_fromText(patch_text)
    if not patches:
        return PatchResult(text=text, applied=True)
    new_text, results = dmp.patch_apply(patches, text)
    # patch_apply pads and splits a copy of the patches and reports per split hunk: do the same
    # to name the hunks that failed.
    hunks = dmp.patch_deepCopy(patches)
    dmp.patch_addPadding(hunks)
    dmp.patch_splitMax(hunks)
    if len(hunks) != len(results):
        hunks = patches if len(patches) == len(results) else [hunks[0]] * len(results)
    failed = [_describe(p) for p, ok in zip(hunks, results, strict=True) if not ok]
    return PatchResult(text=new_text if not failed else text, applied=not failed, failed=failed)


_PADDING = {i: None for i in range(1, 5)}


def _describe(patch: Any) -> str:
    def part(kind: int) -> str:
        text = "".join(t for op, t in patch.diffs if op == kind)
        return text.translate(_PADDING)

    removed, added, context = part(-1), part(1), part(0).strip()
    parts = []
    if removed:
        parts.append(f"replace “{removed}”" if added else f"delete “{removed}”")
    if added:
        parts.append(f"with “{added}”" if removed else f"insert “{added}”")
    where = f" near “{context[:40]}”" if context else ""
    return " ".join(parts) + where


# -- alignment -------------------------------------------------------------------------------


def _align_lineage(a: Sequence[ParaIn], b: Sequence[ParaIn]) -> dict[int, int]:
    index = {p.uid: i for i, p in enumerate(a)}
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for j, p in enumerate(b):
        i = index.get(p.uid)
        if i is None and p.lineage_uid is not None:
            i = index.get(p.lineage_uid)
        if i is not None and i not in used:
            pairs[j] = i
            used.add(i)
    return pairs


def _align_content(a: Sequence[ParaIn], b: Sequence[ParaIn]) -> dict[int, int]:
    from rapidfuzz import fuzz

    ha = [hash(p.text) for p in a]
    hb = [hash(p.text) for p in b]
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, ha, hb, autojunk=False)
    blocks = matcher.get_matching_blocks()
    prev_i = prev_j = 0
    for blk in blocks:
        # Fuzzy-match inside the gap before this anchor block.
        gap_a = range(prev_i, blk.a)
        used: set[int] = set()
        for j in range(prev_j, blk.b):
            best, score = None, SIMILARITY
            for i in gap_a:
                if i in used:
                    continue
                s = fuzz.ratio(a[i].text, b[j].text, score_cutoff=score)
                if s > score or (best is None and s >= score and s > 0):
                    best, score = i, s
            if best is not None:
                pairs[j] = best
                used.add(best)
        for k in range(blk.size):
            pairs[blk.b + k] = blk.a + k
        prev_i, prev_j = blk.a + blk.size, blk.b + blk.size
    # Moved paragraphs: an exact text match anywhere among the still unpaired.
    free_a: dict[int, list[int]] = defaultdict(list)
    paired_a = set(pairs.values())
    for i, h in enumerate(ha):
        if i not in paired_a:
            free_a[h].append(i)
    for j, h in enumerate(hb):
        if j not in pairs and free_a.get(h):
            pairs[j] = free_a[h].pop(0)
    # Moved and modified: similar text among the leftovers only (bounded, never all pairs).
    left_a = [i for i in range(len(a)) if i not in set(pairs.values())]
    left_b = [j for j in range(len(b)) if j not in pairs]
    if left_a and left_b and len(left_a) * len(left_b) <= MAX_LEFTOVER_PAIRS:
        from rapidfuzz import process

        choices = {i: a[i].text for i in left_a}
        for j in left_b:
            hit = process.extractOne(b[j].text, choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
            if hit is not None:
                pairs[j] = hit[2]
                del choices[hit[2]]
                if not choices:
                    break
    return pairs


def _lis(seq: list[int]) -> set[int]:
    """Positions (in seq) of one longest increasing subsequence."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, x in enumerate(seq):
        pos = bisect.bisect_left(tails, x)
        if pos == len(tails):
            tails.append(x)
            tails_idx.append(k)
        else:
            tails[pos] = x
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    keep: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k != -1:
        keep.add(k)
        k = prev[k]
    return keep


def diff_paragraphs(a: Sequence[ParaIn], b: Sequence[ParaIn], *, by_lineage: bool) -> DraftDiff:
    """Align A's and B's paragraphs, classify each, and word-diff the modified pairs."""
    pairs = _align_lineage(a, b) if by_lineage else _align_content(a, b)
    js = sorted(pairs)
    order = [pairs[j] for j in js]
    in_order = _lis(order)
    moved = {js[k] for k in range(len(js)) if k not in in_order}
    keyed: list[tuple[tuple[int, int, int], ParaDiff]] = []
    for j, pb in enumerate(b):
        if j not in pairs:
            keyed.append(
                (
                    (j, 0, 0),
                    ParaDiff(
                        status=ParaStatus.INSERTED, b_ref=pb.ref, b_uid=pb.uid, ops=[("+", pb.text)]
                    ),
                )
            )
            continue
        pa = a[pairs[j]]
        is_moved = j in moved
        if pa.text != pb.text:
            status, ops = ParaStatus.MODIFIED, word_diff(pa.text, pb.text)
        else:
            ops = [("=", pb.text)]
            status = (
                ParaStatus.MOVED
                if is_moved
                else ParaStatus.RENUMBERED
                if pa.ref != pb.ref
                else ParaStatus.UNCHANGED
            )
        keyed.append(
            (
                (j, 0, 0),
                ParaDiff(
                    status=status,
                    moved=is_moved,
                    a_ref=pa.ref,
                    b_ref=pb.ref,
                    a_uid=pa.uid,
                    b_uid=pb.uid,
                    ops=ops,
                ),
            )
        )
    b_of_a = {i: j for j, i in pairs.items()}
    last_j = -1
    for i, pa in enumerate(a):
        if i in b_of_a:
            last_j = b_of_a[i]
            continue
        keyed.append(
            (
                (last_j, 1, i),
                ParaDiff(
                    status=ParaStatus.DELETED, a_ref=pa.ref, a_uid=pa.uid, ops=[("-", pa.text)]
                ),
            )
        )
    keyed.sort(key=lambda kv: kv[0])
    return DraftDiff(paragraphs=[d for _, d in keyed])
