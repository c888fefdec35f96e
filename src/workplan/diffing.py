"""The diff engine: align paragraphs first, then diff the words inside each modified pair.

The only module that imports diff-match-patch (and rapidfuzz, imported where it is used).
Pure: no I/O. Renderers for its results are in `workplan.diff_render`.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from diff_match_patch import diff_match_patch

from workplan.errors import InputError
from workplan.model.diff import DraftDiff, Op, OpKind, ParaDiff, ParaIn, ParaStatus, PatchResult

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")
"""Words, whitespace runs and punctuation runs: the units a word diff adds or removes."""
SIMILARITY = 0.6
"""Word-level similarity (0–1) from which two unpaired paragraphs between the same anchors
are taken as one paragraph, modified (content mode only)."""
MOVED_SIMILARITY = 0.75
"""The same, for two paragraphs in different places: one paragraph moved and modified."""
_DIRECT_PAIRS = 2_500
"""Up to this many candidate pairs, every pair is scored; above it, only pairs sharing
rare word bigrams are (so the cost never grows as the product of two long documents)."""
_MAX_POSTING = 32
"""A word bigram found in more paragraphs than this says nothing about which is which."""
_OP: dict[int, OpKind] = {0: "=", -1: "-", 1: "+"}
_DMP_OP = {"=": 0, "-": -1, "+": 1}


@lru_cache(maxsize=1)
def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # paragraphs are short: exact, deterministic diffs
    return dmp


def _encode(text: str, vocab: dict[str, str], *, words_only: bool = False) -> str:
    """One character per token, shared across the texts encoded with the same vocab."""
    out = []
    for tok in _TOKEN.findall(text):
        if words_only and tok.isspace():
            continue
        ch = vocab.get(tok)
        if ch is None:
            n = 0x100 + len(vocab)
            n += 0x800 if n >= 0xD800 else 0  # skip the surrogates
            if n > 0x10FFFF:
                raise InputError("too many distinct words to diff in one pair of texts")
            ch = vocab[tok] = chr(n)
        out.append(ch)
    return "".join(out)


def word_diff(a: str, b: str) -> list[Op]:
    """Word-level diff of A and B: `=` kept, `-` deleted, `+` inserted, never an empty text.

    Joining the `=` and `-` texts gives A; joining the `=` and `+` texts gives B.
    """
    if a == b:
        return [("=", a)] if a else []
    if not a or not b:
        return [("+", b)] if b else [("-", a)]
    vocab: dict[str, str] = {}
    ea, eb = _encode(a, vocab), _encode(b, vocab)
    dmp = _dmp()
    diffs = dmp.diff_main(ea, eb, False)
    dmp.diff_cleanupSemantic(diffs)  # on tokens, so every edit stays whole words
    decode = {ch: tok for tok, ch in vocab.items()}
    ops: list[Op] = []
    for code, chars in diffs:
        if not chars:
            continue
        kind, text = _OP[code], "".join([decode[c] for c in chars])
        if ops and ops[-1][0] == kind:
            ops[-1] = (kind, ops[-1][1] + text)
        else:
            ops.append((kind, text))
    return ops


# -- patches: re-basing an amendment on a paragraph whose text moved on ----------------------


def make_patch(base: str, new: str) -> str:
    """The change from `base` to `new`, word by word, as diff-match-patch patch text."""
    dmp = _dmp()
    diffs = [(_DMP_OP[kind], text) for kind, text in word_diff(base, new)]
    return str(dmp.patch_toText(dmp.patch_make(base, diffs)))


def apply_patch(patch_text: str, text: str) -> PatchResult:
    """Apply a patch from `make_patch` to `text`, which may have changed since.

    Strict where diff-match-patch's own `patch_apply` is fuzzy: a hunk applies only where
    its context and the words it removes are found exactly (the occurrence nearest to where
    the patch expects it), so an amendment never silently overwrites words another change
    already touched. All or nothing: when any hunk fails, `text` comes back unchanged.
    """
    dmp = _dmp()
    try:
        patches = dmp.patch_fromText(patch_text)
    except ValueError as e:
        raise InputError(f"not a patch: {e}") from e
    out, delta, failed = text, 0, []
    for p in patches:
        old = "".join(t for op, t in p.diffs if op != 1)
        new = "".join(t for op, t in p.diffs if op != -1)
        loc = _nearest(out, old, p.start2 + delta)
        if loc < 0:
            failed.append(_describe(p.diffs))
            delta -= p.length2 - p.length1
            continue
        delta = loc - p.start2
        out = out[:loc] + new + out[loc + len(old) :]
    return PatchResult(text=text if failed else out, applied=not failed, failed=failed)


def _nearest(text: str, needle: str, expected: int) -> int:
    """The start of the occurrence of `needle` in `text` nearest to `expected`, or -1."""
    if not needle:
        return min(max(expected, 0), len(text))
    best, pos = -1, text.find(needle)
    while pos != -1:
        if best < 0 or abs(pos - expected) < abs(best - expected):
            best = pos
        if pos > expected:
            break
        pos = text.find(needle, pos + 1)
    return best


def _describe(diffs: Iterable[tuple[int, str]]) -> str:
    """`replace “x” with “y” near “context”` for a failed hunk."""
    parts: dict[int, list[str]] = {-1: [], 0: [], 1: []}
    for op, t in diffs:
        parts[op].append(t)
    removed, added = "".join(parts[-1]), "".join(parts[1])
    context = " … ".join(t.strip() for t in parts[0] if t.strip())
    if removed and added:
        what = f"replace “{removed}” with “{added}”"
    else:
        what = f"delete “{removed}”" if removed else f"insert “{added}”"
    return what + (f" near “{context}”" if context else "")


# -- alignment -----------------------------------------------------------------------------


def _align_lineage(a: Sequence[ParaIn], b: Sequence[ParaIn]) -> dict[int, int]:
    """B index → A index: same uid first, then B descending from A, then A from B."""
    a_at = {p.uid: i for i, p in reversed(list(enumerate(a)))}
    b_at = {p.uid: j for j, p in reversed(list(enumerate(b)))}
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def pair(j: int | None, i: int | None) -> None:
        if i is not None and j is not None and j not in pairs and i not in used:
            pairs[j] = i
            used.add(i)

    for j, p in enumerate(b):
        pair(j, a_at.get(p.uid))
    for j, p in enumerate(b):
        if p.lineage_uid is not None:
            pair(j, a_at.get(p.lineage_uid))
    for i, p in enumerate(a):
        if p.lineage_uid is not None:
            pair(b_at.get(p.lineage_uid), i)
    return pairs


def _align_content(a: Sequence[ParaIn], b: Sequence[ParaIn]) -> dict[int, int]:
    """B index → A index by text: exact anchors, exact moves, then similar paragraphs."""
    ids: dict[str, int] = {}
    ha = [ids.setdefault(p.text, len(ids)) for p in a]
    hb = [ids.setdefault(p.text, len(ids)) for p in b]
    pairs: dict[int, int] = {}
    # 1. Anchors: runs of identical paragraphs in the same order.
    blocks = difflib.SequenceMatcher(None, ha, hb, autojunk=False).get_matching_blocks()
    for blk in blocks:
        for k in range(blk.size):
            pairs[blk.b + k] = blk.a + k
    # 2. Identical paragraphs elsewhere: moved.
    used = set(pairs.values())
    free: dict[int, list[int]] = {}
    for i in reversed(range(len(a))):
        if i not in used:
            free.setdefault(ha[i], []).append(i)
    for j, h in enumerate(hb):
        if j not in pairs and free.get(h):
            pairs[j] = free[h].pop()
    # 3. Similar paragraphs between the same two anchors: modified in place.
    words = _WordKeys()
    used = set(pairs.values())
    prev_a = prev_b = 0
    for blk in blocks:
        gap_a = [i for i in range(prev_a, blk.a) if i not in used]
        gap_b = [j for j in range(prev_b, blk.b) if j not in pairs]
        _pair_similar(a, b, gap_a, gap_b, SIMILARITY, pairs, words)
        prev_a, prev_b = blk.a + blk.size, blk.b + blk.size
    # 4. Similar paragraphs anywhere: moved and modified.
    used = set(pairs.values())
    rest_a = [i for i in range(len(a)) if i not in used]
    rest_b = [j for j in range(len(b)) if j not in pairs]
    _pair_similar(a, b, rest_a, rest_b, MOVED_SIMILARITY, pairs, words)
    return pairs


class _WordKeys:
    """Each paragraph's words (lower case, one character each) for similarity scores."""

    def __init__(self) -> None:
        self.vocab: dict[str, str] = {}
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        key = self.cache.get(text)
        if key is None:
            key = self.cache[text] = _encode(text.lower(), self.vocab, words_only=True)
        return key


def _pair_similar(
    a: Sequence[ParaIn],
    b: Sequence[ParaIn],
    ia: list[int],
    jb: list[int],
    cutoff: float,
    pairs: dict[int, int],
    words: _WordKeys,
) -> None:
    """Pair the most similar of A's `ia` and B's `jb` paragraphs, best scores first."""
    if not ia or not jb:
        return
    from rapidfuzz import fuzz

    ka = {i: words(a[i].text) for i in ia}
    kb = {j: words(b[j].text) for j in jb}
    if len(ia) * len(jb) <= _DIRECT_PAIRS:
        candidates: Iterable[tuple[int, int]] = ((i, j) for j in jb for i in ia)
    else:
        candidates = _shared_bigrams(ka, kb)
    scored = []
    for i, j in candidates:
        score = fuzz.ratio(ka[i], kb[j], score_cutoff=cutoff * 100)
        if score:
            scored.append((-score, abs((i - ia[0]) - (j - jb[0])), i, j))
    scored.sort()
    used: set[int] = set()
    for _, _, i, j in scored:
        if i not in used and j not in pairs:
            pairs[j] = i
            used.add(i)


def _shared_bigrams(ka: dict[int, str], kb: dict[int, str]) -> list[tuple[int, int]]:
    """Pairs that share at least two word bigrams found in few paragraphs."""
    index: dict[str, list[int]] = {}
    for i, key in ka.items():
        for gram in {key[k : k + 2] for k in range(len(key) - 1)}:
            index.setdefault(gram, []).append(i)
    out = []
    for j, key in kb.items():
        hits: dict[int, int] = {}
        for gram in {key[k : k + 2] for k in range(len(key) - 1)}:
            posting = index.get(gram, ())
            if len(posting) <= _MAX_POSTING:
                for i in posting:
                    hits[i] = hits.get(i, 0) + 1
        out += [(i, j) for i, n in hits.items() if n >= 2]
    return out


def _lis(seq: list[int]) -> list[bool]:
    """For each position of `seq`, whether it is in one longest increasing subsequence."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(seq)
    for k, x in enumerate(seq):
        pos = bisect.bisect_left(tails, x)
        if pos == len(tails):
            tails.append(x)
            tails_at.append(k)
        else:
            tails[pos] = x
            tails_at[pos] = k
        prev[k] = tails_at[pos - 1] if pos else -1
    keep = [False] * len(seq)
    k = tails_at[-1] if tails_at else -1
    while k != -1:
        keep[k] = True
        k = prev[k]
    return keep


def diff_paragraphs(a: Sequence[ParaIn], b: Sequence[ParaIn], *, by_lineage: bool) -> DraftDiff:
    """Align A's and B's paragraphs, classify each, and word-diff the modified pairs.

    `by_lineage`: pair by uid and lineage (two revisions of a document, or a plan and the plan
    it was started from); otherwise pair by content (two unrelated files). The result is in
    B's order, each deleted paragraph after the A paragraph it followed.
    """
    pairs = _align_lineage(a, b) if by_lineage else _align_content(a, b)
    a_of_b = [-1] * len(b)
    b_of_a = [-1] * len(a)
    for j, i in pairs.items():
        a_of_b[j], b_of_a[i] = i, j
    # Moved: the pairs outside one longest run that keeps A's order.
    paired_b = [j for j in range(len(b)) if a_of_b[j] >= 0]
    in_order = _lis([a_of_b[j] for j in paired_b])
    moved = [False] * len(b)
    for j, keep in zip(paired_b, in_order, strict=True):
        moved[j] = not keep
    # Deleted paragraphs go after the nearest preceding A paragraph that stayed in place.
    deleted_after: dict[int, list[int]] = {}
    anchor = -1
    for i, j in enumerate(b_of_a):
        if j < 0:
            deleted_after.setdefault(anchor, []).append(i)
        elif not moved[j]:
            anchor = j
    out = [_deleted(a[i]) for i in deleted_after.get(-1, ())]
    for j, pb in enumerate(b):
        i = a_of_b[j]
        if i < 0:
            out.append(
                ParaDiff(
                    status=ParaStatus.INSERTED,
                    b_ref=pb.ref,
                    b_uid=pb.uid,
                    ops=[("+", pb.text)] if pb.text else [],
                )
            )
        else:
            pa = a[i]
            if pa.text == pb.text:
                ops: list[Op] = [("=", pb.text)] if pb.text else []
                status = (
                    ParaStatus.MOVED
                    if moved[j]
                    else ParaStatus.RENUMBERED
                    if pa.ref != pb.ref
                    else ParaStatus.UNCHANGED
                )
            else:
                ops, status = word_diff(pa.text, pb.text), ParaStatus.MODIFIED
            out.append(
                ParaDiff(
                    status=status,
                    moved=moved[j],
                    a_ref=pa.ref,
                    b_ref=pb.ref,
                    a_uid=pa.uid,
                    b_uid=pb.uid,
                    ops=ops,
                )
            )
        if j in deleted_after:
            out += [_deleted(a[i]) for i in deleted_after[j]]
    return DraftDiff.model_construct(paragraphs=out, by_lineage=by_lineage)


def _deleted(p: ParaIn) -> ParaDiff:
    return ParaDiff(
        status=ParaStatus.DELETED, a_ref=p.ref, a_uid=p.uid, ops=[("-", p.text)] if p.text else []
    )
