"""The diff engine: align paragraphs first, then diff the words inside each modified pair.

The only module that imports diff-match-patch (word diffs on token-encoded text, patches and
their re-application) and rapidfuzz (imported where it is used: similarity scores for the
alignment, and the long shared runs that cut two texts before the word diff). Pure: no I/O.
Renderers for its results are in `workplan.diff_render`.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

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
_DIRECT_PAIRS = 10_000
"""Up to this many candidate pairs, every pair is scored (in C: 10 ms at most); above it,
only pairs that share a rare run of words are, so the cost never grows as the product of
two long documents."""
_BEST = 3
"""How many best candidates per paragraph go on to the assignment."""
_GRAM = 3
"""Runs of this many words index paragraphs for similarity."""
_RAREST = 16
"""How many of a paragraph's rarest runs of words are looked up in the index."""
_COMMON = 50
"""A run of words found in more paragraphs than this says nothing about which is which."""
_ANCHOR = 16
"""A run of at least this many characters that two middles share cuts them in two."""
_LCS_CELLS = 16_000_000
"""The largest len(A) × len(B) given to rapidfuzz's LCS, whose bit matrix it holds in
memory (2 MB here; two 100,000-character texts would need 1.2 GB)."""
_SENTENCE = re.compile(r"[^\n]*?(?:[.;:!?][^\w\s]*\s+|\n\s*|$)")
"""A sentence or line with the space after it: every cut falls after whitespace, so
between two tokens."""
_DMP_OP = {"=": 0, "-": -1, "+": 1}
_OP: dict[int, OpKind] = {0: "=", -1: "-", 1: "+"}


@lru_cache(maxsize=1)
def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # exact and deterministic
    return dmp


@lru_cache(maxsize=1)
def _dmp_timed() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0  # only for texts too long for an exact diff in memory
    return dmp


@lru_cache(maxsize=1)
def _bmp_codes() -> str:
    """The characters from U+0100 up to the surrogates, in order (built on first use)."""
    return "".join(map(chr, range(0x100, 0xD800)))


def _codes(n: int) -> str:
    """At least `n` distinct characters to stand for `n` distinct tokens (no surrogates)."""
    codes = _bmp_codes()
    if n > len(codes):
        if n > 0x10FFFF - 0x900:
            raise InputError("too many distinct words to compare in one pass")
        return codes + "".join(map(chr, range(0xE000, 0xE000 + n - len(codes))))
    return codes


def word_diff(a: str, b: str) -> list[Op]:
    """Word-level diff of A and B: `=` kept, `-` deleted, `+` inserted, never an empty text.

    Joining the `=` and `-` texts gives A; joining the `=` and `+` texts gives B. Every op
    holds whole tokens (words, whitespace runs, punctuation runs), never part of a word.
    """
    if a == b:
        return [("=", a)] if a else []
    from rapidfuzz.distance import Postfix, Prefix

    # The common head and tail, cut back to token boundaries, need no tokenising.
    head = Prefix.similarity(a, b)
    while _mid_token(a, head) or _mid_token(b, head):
        head -= 1
    tail = min(Postfix.similarity(a, b), len(a) - head, len(b) - head)
    while _mid_token(a, len(a) - tail) or _mid_token(b, len(b) - tail):
        tail -= 1
    ma, mb = a[head : len(a) - tail], b[head : len(b) - tail]
    pieces: list[Op] = [("=", a[:head])] if head else []
    # Too long for a char-level LCS: cut at shared sentences instead.
    cuts = _segments(ma, mb) if len(ma) * len(mb) <= _LCS_CELLS else _sentences(ma, mb)
    for sa, sb, same in cuts:
        if same or not sa or not sb:
            pieces.append(("=" if same else "+" if sb else "-", sa or sb))
        else:
            _token_diff(sa, sb, pieces)
    if tail:
        pieces.append(("=", a[len(a) - tail :]))
    ops = _merge(pieces)
    return _cleanup_semantic(ops) if len(ops) >= 5 else ops


def _token_diff(a: str, b: str, out: list[Op]) -> None:
    """Append a minimal diff of A's and B's tokens to `out`: diff-match-patch's `diff_main`
    over the tokens encoded one character each, so that it adds and removes whole words.

    Exact (no time limit) while the texts are of a size a negotiated paragraph has; beyond
    (len(A) × len(B) tokens over `_LCS_CELLS`), with diff-match-patch's time limit, which
    gives a valid if not always minimal diff."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    ea, eb = _encode(ta, tb)
    dmp = _dmp() if len(ta) * len(tb) <= _LCS_CELLS else _dmp_timed()
    pa = pb = 0
    for code, chars in dmp.diff_main(ea, eb, False):
        n = len(chars)
        if code == 1:
            out.append(("+", "".join(tb[pb : pb + n])))
            pb += n
        else:
            out.append((_OP[code], "".join(ta[pa : pa + n])))
            pa += n
            pb += n if code == 0 else 0


def _encode(*lists: list[str]) -> list[str]:
    """Token lists as strings of one character per distinct token."""
    distinct = dict.fromkeys(chain.from_iterable(lists))
    encode = dict(zip(distinct, _codes(len(distinct)), strict=False)).__getitem__
    return ["".join(map(encode, tokens)) for tokens in lists]


def _sentences(a: str, b: str) -> list[tuple[str, str, bool]]:
    """A and B cut where they share whole sentences (or lines): (A part, B part, same)."""
    from rapidfuzz.distance import Indel

    sa, sb = ([s for s in _SENTENCE.findall(text) if s] for text in (a, b))
    out: list[tuple[str, str, bool]] = []
    ia = jb = 0  # sentences of A and B used so far
    for op in Indel.opcodes(*_encode(sa, sb)):
        if op.tag == "equal":
            out.append(("".join(sa[ia : op.src_start]), "".join(sb[jb : op.dest_start]), False))
            out.append(("".join(sa[op.src_start : op.src_end]), "", True))
            ia, jb = op.src_end, op.dest_end
    out.append(("".join(sa[ia:]), "".join(sb[jb:]), False))
    return [part for part in out if part[0] or part[1]]


def _segments(a: str, b: str) -> list[tuple[str, str, bool]]:
    """A and B cut at the long runs they share (found char by char in C, cut back to whole
    tokens): (A part, B part, same) in order, so that only the parts between are tokenised."""
    if len(a) + len(b) < 4 * _ANCHOR or not a or not b:
        return [(a, b, False)]
    from rapidfuzz.distance import Indel

    out: list[tuple[str, str, bool]] = []
    ia = jb = 0
    for op in Indel.opcodes(a, b):
        if op.tag != "equal" or op.src_end - op.src_start < _ANCHOR:
            continue
        i1, i2, j1, j2 = op.src_start, op.src_end, op.dest_start, op.dest_end
        while i1 < i2 and (_mid_token(a, i1) or _mid_token(b, j1)):
            i1, j1 = i1 + 1, j1 + 1
        while i2 > i1 and (_mid_token(a, i2) or _mid_token(b, j2)):
            i2, j2 = i2 - 1, j2 - 1
        if i2 - i1 >= _ANCHOR:
            out += [(a[ia:i1], b[jb:j1], False), (a[i1:i2], b[j1:j2], True)]
            ia, jb = i2, j2
    out.append((a[ia:], b[jb:], False))
    return out


def _cleanup_semantic(ops: list[Op]) -> list[Op]:
    """Fold a shared run into the rewrites around it: diff-match-patch's semantic cleanup,
    measured in characters, on whole-token ops, and only between two replacements.

    A run is folded when it is no longer than the longer side of the replacement before it
    and of the one after it (so `-a +x= b -c +y` reads `-a b c +x b y`), but never next to a
    pure insertion or deletion (`Train {+and equip +}border{+ and immigration+} officials`
    stays as it is). diff-match-patch's own `diff_cleanupSemantic` would, on the decoded
    text, also split words (`-train +trains` into `=train +s`) and, on the token-encoded
    text, weigh `victims` no more than `,`.
    """
    diffs = ops
    equalities: list[int] = []  # indices of the equalities seen, innermost last
    last: str | None = None
    ins1 = del1 = ins2 = del2 = 0  # lengths inserted and deleted before and after `last`
    changed = False
    k = 0
    while k < len(diffs):
        kind, text = diffs[k]
        if kind == "=":
            equalities.append(k)
            ins1, del1, ins2, del2, last = ins2, del2, 0, 0, text
        else:
            if kind == "+":
                ins2 += len(text)
            else:
                del2 += len(text)
            if (
                last is not None
                and min(ins1, del1, ins2, del2) > 0
                and len(last) <= max(ins1, del1)
                and len(last) <= max(ins2, del2)
            ):
                e = equalities.pop()
                diffs[e : e + 1] = [("-", last), ("+", last)]
                if equalities:
                    equalities.pop()
                k = equalities[-1] if equalities else -1
                ins1 = del1 = ins2 = del2 = 0
                last = None
                changed = True
        k += 1
    return _merge(diffs) if changed else diffs


def _merge(ops: list[Op]) -> list[Op]:
    """Adjacent equalities joined; between two equalities, one deletion then one insertion."""
    out: list[Op] = []
    gone: list[str] = []
    added: list[str] = []
    for kind, text in [*ops, ("=", "")]:
        if kind == "-":
            gone.append(text)
        elif kind == "+":
            added.append(text)
        else:
            if gone:
                out.append(("-", "".join(gone)))
            if added:
                out.append(("+", "".join(added)))
            gone, added = [], []
            if text and out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            elif text:
                out.append(("=", text))
    return out


def _class(c: str) -> int:
    return 0 if c.isspace() else 1 if c.isalnum() or c == "_" else 2


def _mid_token(text: str, pos: int) -> bool:
    """Whether `pos` falls inside a token of `text` (not at its start or end)."""
    return 0 < pos < len(text) and _class(text[pos - 1]) == _class(text[pos])


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
            failed.append(_describe(p.diffs, at_start=p.start1 == 0))
            delta -= p.length2 - p.length1
            continue
        delta = loc - p.start2
        out = out[:loc] + new + out[loc + len(old) :]
    return PatchResult(text=text if failed else out, applied=not failed, failed=failed)


def _nearest(text: str, needle: str, expected: int) -> int:
    """The start of the occurrence of `needle` in `text` nearest to `expected`, or -1.

    An empty needle (a patch of an empty text) is found only in an empty text.
    """
    if not needle:
        return -1 if text else 0
    best, pos = -1, text.find(needle)
    while pos != -1:
        if best < 0 or abs(pos - expected) < abs(best - expected):
            best = pos
        if pos > expected:
            break
        pos = text.find(needle, pos + 1)
    return best


def _describe(diffs: Sequence[tuple[int, str]], *, at_start: bool = False) -> str:
    """`replace “x y” with “z y” near “context”` for a failed hunk.

    The words from the hunk's first change to its last are quoted as they stand on each side,
    with the unchanged words between the changes, so spacing is kept ("strengthen national
    mechanisms", never "strengthenmechanisms"); the context around them is cut to whole words
    (`at_start`: the hunk starts the text, so its first word is whole).
    """
    changed = [i for i, (op, _) in enumerate(diffs) if op != 0]
    if not changed:
        return "apply an empty change"
    first, last = changed[0], changed[-1]
    span = diffs[first : last + 1]
    removed = "".join(t for op, t in span if op != 1).strip()
    added = "".join(t for op, t in span if op != -1).strip()
    before = "".join(t for op, t in diffs[:first])
    after = "".join(t for op, t in diffs[last + 1 :])
    if removed and added:
        what = f"replace “{removed}” with “{added}”"
    else:
        what = f"delete “{removed}”" if removed else f"insert “{added}”"
    lead = " ".join(before.split()) if at_start else _whole_words(before, "end")
    context = " … ".join(c for c in (lead, _whole_words(after, "start")) if c)
    return what + (f" near “{context}”" if context else "")


def _whole_words(text: str, keep: str) -> str:
    """Patch context cut to whole words: a patch's context may start or end inside a word.

    `keep="end"` is the context before a change (its first word may be cut), `"start"` the
    context after one (its last word may be cut).
    """
    words = text.split()
    if keep == "end" and words and text[:1].strip():
        words = words[1:]
    if keep == "start" and words and text[-1:].strip():
        words = words[:-1]
    return " ".join(words)


# -- alignment -----------------------------------------------------------------------------


def _align_lineage(a: Sequence[ParaIn], b: Sequence[ParaIn]) -> dict[int, int]:
    """B index → A index: same uid first, then B descending from A, then A from B."""
    a_at = {a[i].uid: i for i in range(len(a) - 1, -1, -1)}  # the first of a repeated uid
    b_at = {b[j].uid: j for j in range(len(b) - 1, -1, -1)}
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
            words, vocab = text.lower().split(), self.vocab
            for word in set(words).difference(vocab):
                vocab[word] = _code(len(vocab))
            key = self.cache[text] = "".join(map(vocab.__getitem__, words))
        return key


def _code(n: int) -> str:
    """The `n`th character standing for a word (no surrogates)."""
    return chr(0x100 + n if n < 0xD700 else 0xE000 + n - 0xD700)


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
    from rapidfuzz import fuzz, process

    least = cutoff * 100
    if len(ia) == len(jb) == 1:
        if fuzz.ratio(words(a[ia[0]].text), words(b[jb[0]].text), score_cutoff=least):
            pairs[jb[0]] = ia[0]
        return
    ka = {i: words(a[i].text) for i in ia}
    scored: list[tuple[float, int, int, int]] = []
    if len(ia) * len(jb) <= _DIRECT_PAIRS:
        for j in jb:
            for _, score, i in process.extract(
                words(b[j].text), ka, scorer=fuzz.ratio, score_cutoff=least, limit=_BEST
            ):
                scored.append((-score, abs((i - ia[0]) - (j - jb[0])), i, j))
    else:
        for i, j in _shared_grams(ka, {j: words(b[j].text) for j in jb}):
            score = fuzz.ratio(ka[i], words(b[j].text), score_cutoff=least)
            if score:
                scored.append((-score, abs((i - ia[0]) - (j - jb[0])), i, j))
    scored.sort()
    used: set[int] = set()
    for _, _, i, j in scored:
        if i not in used and j not in pairs:
            pairs[j] = i
            used.add(i)


def _shared_grams(ka: dict[int, str], kb: dict[int, str]) -> list[tuple[int, int]]:
    """Candidate pairs from an inverted index of runs of `_GRAM` words (never every pair):
    those that share at least half of the B paragraph's `_RAREST` rarest runs, leaving out
    runs found in more than `_COMMON` paragraphs."""
    n = _GRAM
    index: dict[str, list[int]] = {}
    for i, key in ka.items():
        for gram in {key[k : k + n] for k in range(len(key) - n + 1)}:
            index.setdefault(gram, []).append(i)
    out = []
    for j, key in kb.items():
        postings = []
        for gram in {key[k : k + n] for k in range(len(key) - n + 1)}:
            posting = index.get(gram)
            if posting is not None and len(posting) <= _COMMON:
                postings.append(posting)
        postings = sorted(postings, key=len)[:_RAREST]
        need = max(1, (len(postings) + 1) // 2)
        counts = Counter(chain.from_iterable(postings))
        out += [(i, j) for i, c in sorted(counts.items()) if c >= need]
    return out


def in_longest_increasing(seq: list[int]) -> list[bool]:
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

    `by_lineage`: pair by uid, then by `lineage_uid` either way (two revisions of a document,
    or a plan and the plan it was started from). Otherwise pair by content (two unrelated
    files): identical texts in order as anchors, identical texts elsewhere, then paragraphs
    at least `SIMILARITY` alike between the same anchors, then at least `MOVED_SIMILARITY`
    alike anywhere, never scoring every pair of two long documents.

    Paired paragraphs out of order (outside one longest order-keeping run) are moved; a
    pair with different texts is modified (and maybe moved), the same text under another
    ref renumbered. Only modified pairs are word-diffed. The result holds every paragraph
    of both sides once, in B's order, each deleted one after the A paragraph it followed.
    """
    pairs = _align_lineage(a, b) if by_lineage else _align_content(a, b)
    a_of_b = [-1] * len(b)
    b_of_a = [-1] * len(a)
    for j, i in pairs.items():
        a_of_b[j] = i
        b_of_a[i] = j
    # Moved: the pairs outside one longest run that keeps A's order.
    paired_b = [j for j in range(len(b)) if a_of_b[j] >= 0]
    in_order = in_longest_increasing([a_of_b[j] for j in paired_b])
    moved = [False] * len(b)
    for k, keep in enumerate(in_order):
        if not keep:
            moved[paired_b[k]] = True
    # Deleted paragraphs go after the nearest preceding A paragraph that stayed in place.
    deleted_after: dict[int, list[int]] = {}
    anchor = -1
    for i, j in enumerate(b_of_a):
        if j < 0:
            deleted_after.setdefault(anchor, []).append(i)
        elif not moved[j]:
            anchor = j
    out = [_deleted(a[i]) for i in deleted_after.get(-1, ())]
    append = out.append
    for j, pb in enumerate(b):
        i, text = a_of_b[j], pb.text
        if i < 0:
            append(ParaDiff(INSERTED, False, "", pb.ref, None, pb.uid, _only("+", text)))
        else:
            pa, was_moved = a[i], moved[j]
            if pa.text == text:
                status = MOVED if was_moved else RENUMBERED if pa.ref != pb.ref else UNCHANGED
                ops: tuple[Op, ...] = (("=", text),) if text else ()
            else:
                status, ops = MODIFIED, tuple(word_diff(pa.text, text))
            append(ParaDiff(status, was_moved, pa.ref, pb.ref, pa.uid, pb.uid, ops))
        if j in deleted_after:
            out += [_deleted(a[i]) for i in deleted_after[j]]
    return DraftDiff.model_construct(paragraphs=out, by_lineage=by_lineage)


UNCHANGED, MODIFIED, RENUMBERED, MOVED, INSERTED, DELETED = ParaStatus


def _only(kind: OpKind, text: str) -> tuple[Op, ...]:
    return ((kind, text),) if text else ()


def _deleted(p: ParaIn) -> ParaDiff:
    return ParaDiff(DELETED, False, p.ref, "", p.uid, None, _only("-", p.text))
