"""The diff engine: word diffs, patches, paragraph alignment and its renderers."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workplan import diff_render, diffing
from workplan.diffing import apply_patch, diff_paragraphs, make_patch, word_diff
from workplan.errors import InputError
from workplan.model.diff import DraftDiff, Op, ParaDiff, ParaIn, ParaStatus

U, M, R, MV, INS, DEL = (
    ParaStatus.UNCHANGED,
    ParaStatus.MODIFIED,
    ParaStatus.RENUMBERED,
    ParaStatus.MOVED,
    ParaStatus.INSERTED,
    ParaStatus.DELETED,
)
VOCAB = [
    "member",
    "states",
    "shall",
    "protect",
    "victims",
    "of",
    "trafficking",
    "in",
    "persons",
    "sexual",
    "diversity",
    "Belém",
    "do",
    "Pará",
    "General",
    "Secretariat",
    "1/",
    "“plans”",
    "—",
    ",",
    ".",
    ";",
    "\n",
    "  ",
]
words = st.sampled_from(VOCAB)
glue = st.sampled_from([" ", " ", " ", "", "\n", ", ", ". "])


def joined(least: int, most: int) -> st.SearchStrategy[str]:
    """Texts of VOCAB words, mostly spaced, sometimes run together or cut by newlines."""
    pairs = st.lists(st.tuples(words, glue), min_size=least, max_size=most)
    return pairs.map(lambda xs: "".join(w + g for w, g in xs))


wordy = joined(0, 40)
long_wordy = joined(20, 90)


def side(ops: list[Op] | tuple[Op, ...], which: str) -> str:
    """Side A (`-`) or B (`+`) rebuilt from ops."""
    return "".join(t for k, t in ops if k in ("=", which))


def boundaries(text: str) -> set[int]:
    """Where tokens of `text` start and end."""
    return {0, len(text)} | {m.end() for m in diffing._TOKEN.finditer(text)}


def check_ops(a: str, b: str, ops: list[Op]) -> None:
    """The word diff invariants."""
    assert side(ops, "-") == a
    assert side(ops, "+") == b
    assert all(text for _, text in ops)
    assert all(x[0] != y[0] for x, y in itertools.pairwise(ops))
    # Every cut falls between whole tokens on both sides.
    pa = pb = 0
    ba, bb = boundaries(a), boundaries(b)
    for kind, text in ops:
        assert pa in ba, (ops, pa, pb)
        assert pb in bb, (ops, pa, pb)
        pa += len(text) if kind != "+" else 0
        pb += len(text) if kind != "-" else 0


# -- word_diff --------------------------------------------------------------------------------


def test_word_diff_works_on_whole_words_and_punctuation() -> None:
    ops = word_diff(
        "every paragraph that contains sexual diversity, as agreed.",
        "every paragraph that contains sexual diversity; as agreed.",
    )
    assert ops == [
        ("=", "every paragraph that contains sexual diversity"),
        ("-", ","),
        ("+", ";"),
        ("=", " as agreed."),
    ]
    ops = word_diff("Train border officials.", "Trains border officers.")
    assert ops == [
        ("-", "Train"),
        ("+", "Trains"),
        ("=", " border "),
        ("-", "officials"),
        ("+", "officers"),
        ("=", "."),
    ]


def test_word_diff_identical_and_empty() -> None:
    assert word_diff("", "") == []
    assert word_diff("Same text.", "Same text.") == [("=", "Same text.")]
    assert word_diff("", "New.") == [("+", "New.")]
    assert word_diff("Old.", "") == [("-", "Old.")]


def test_word_diff_keeps_long_shared_runs_between_edits() -> None:
    shared = " to recognise the signs of trafficking in persons and to refer the victims "
    a = "Train border officials" + shared + "to specialised services."
    b = "Train and equip border officials" + shared + "to shelters."
    ops = word_diff(a, b)
    check_ops(a, b, ops)
    assert ("+", "and equip ") in ops
    assert any(k == "=" and shared.strip() in t for k, t in ops)
    assert ("-", "specialised services") in ops
    assert ("+", "shelters") in ops


def test_word_diff_merges_a_rewrite_into_one_replacement() -> None:
    a = "Member states shall adopt plans."
    b = "The Secretariat will compile reports."
    ops = word_diff(a, b)
    check_ops(a, b, ops)
    assert [k for k, _ in ops] == ["-", "+", "="]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_word_diff_rebuilds_any_texts(a: str, b: str) -> None:
    check_ops(a, b, word_diff(a, b))


@settings(max_examples=200, deadline=None)
@given(wordy, wordy)
def test_word_diff_rebuilds_wordy_texts(a: str, b: str) -> None:
    check_ops(a, b, word_diff(a, b))


@settings(max_examples=150, deadline=None)
@given(long_wordy, st.lists(st.tuples(st.integers(0, 200), words, st.integers(0, 3))))
def test_word_diff_on_long_paragraphs_with_scattered_edits(
    text: str, edits: list[tuple[int, str, int]]
) -> None:
    tokens = text.split(" ")
    for pos, word, kind in edits:
        k = pos % len(tokens)
        if kind == 0:
            tokens[k] = word
        elif kind == 1:
            tokens.insert(k, word)
        elif len(tokens) > 1:
            del tokens[k]
    new = " ".join(tokens)
    ops = word_diff(text, new)
    check_ops(text, new, ops)
    if text == new:
        assert ops == [("=", text)]


@settings(max_examples=100, deadline=None)
@given(long_wordy, long_wordy, st.sampled_from([40, 400]))
def test_word_diff_past_the_memory_limit_of_the_lcs(a: str, b: str, cells: int) -> None:
    # Cut at shared sentences, then diff-match-patch (with its time limit) on the tokens.
    with patch.object(diffing, "_LCS_CELLS", cells):
        check_ops(a, b, word_diff(a, b))
        check_ops(a, a + " more.", word_diff(a, a + " more."))


def test_word_diff_of_whole_documents_stays_fast_and_small() -> None:
    rng = random.Random(2)
    sentences = [" ".join(rng.choices(VOCAB[:16], k=25)) + "." for _ in range(4000)]
    a = " ".join(sentences)
    edited = [
        s.replace("victims", "survivors", 1) if k % 50 == 0 else s for k, s in enumerate(sentences)
    ]
    b = " ".join(edited)
    ops = word_diff(a, b)  # 400,000 characters: the LCS alone would need gigabytes
    check_ops(a, b, ops)
    assert sum(k == "+" for k, _ in ops) <= 80


# -- patches ---------------------------------------------------------------------------------

BASE = "Train border officials to recognise the signs of trafficking."


def test_amendment_to_the_end_survives_an_edit_at_the_start() -> None:
    patch = make_patch(BASE, BASE.removesuffix(".") + " in persons.")
    result = apply_patch(patch, "Train and equip " + BASE.removeprefix("Train "))
    assert result.applied
    assert not result.failed
    assert result.text == (
        "Train and equip border officials to recognise the signs of trafficking in persons."
    )


def test_conflicting_edit_of_the_same_words_fails_and_says_which() -> None:
    patch = make_patch(BASE, BASE.replace("recognise", "identify"))
    # Diff-match-patch's own patch_apply would fuzzily overwrite "recognize" here.
    theirs = BASE.replace("recognise", "recognize")
    result = apply_patch(patch, theirs)
    assert not result.applied
    assert result.text == theirs
    assert len(result.failed) == 1
    assert "replace “recognise” with “identify”" in result.failed[0]
    elsewhere = apply_patch(patch, "Instruct customs agents.")
    assert not elsewhere.applied
    assert elsewhere.text == "Instruct customs agents."


def test_all_or_nothing_when_one_hunk_of_two_fails() -> None:
    new = BASE.replace("Train", "Instruct").replace("trafficking", "exploitation")
    theirs = BASE.replace("trafficking", "smuggling")
    result = apply_patch(make_patch(BASE, new), theirs)
    assert not result.applied
    assert result.text == theirs
    assert len(result.failed) == 1


def test_patch_edge_cases() -> None:
    assert make_patch(BASE, BASE) == ""
    assert apply_patch("", "anything").applied
    assert apply_patch(make_patch("", "New text."), "").text == "New text."
    assert not apply_patch(make_patch("", "New text."), "Someone wrote here.").applied
    with pytest.raises(InputError, match="not a patch"):
        apply_patch("this is no patch", BASE)


@settings(max_examples=150, deadline=None)
@given(wordy, wordy)
def test_a_patch_applies_to_its_own_base(a: str, b: str) -> None:
    result = apply_patch(make_patch(a, b), a)
    assert result.applied
    assert result.text == b


# -- alignment and classification ------------------------------------------------------------


def paras(texts: list[str], prefix: str = "u") -> list[ParaIn]:
    return [ParaIn(uid=f"{prefix}{i}", ref=f"OP{i + 1}", text=t) for i, t in enumerate(texts)]


def renumber(ps: list[ParaIn]) -> list[ParaIn]:
    return [p.model_copy(update={"ref": f"OP{k + 1}"}) for k, p in enumerate(ps)]


TEXTS = [
    "Adopt national plans against trafficking in persons.",
    "Train border officials to recognise the signs of trafficking.",
    "Protect victims without regard to their cooperation with the authorities.",
    "Collect and publish data disaggregated by sex, age and nationality.",
    "Strengthen cooperation among the national authorities.",
    "The General Secretariat shall report to the Committee every two years.",
]


def statuses(d: DraftDiff) -> list[tuple[ParaStatus, bool]]:
    return [(p.status, p.moved) for p in d.paragraphs]


def test_each_status_in_lineage_mode() -> None:
    a = paras([*TEXTS, "Follow-up: the Committee reviews the plan."])
    b = renumber(
        [
            a[0],
            ParaIn(uid="new", text="Protect witnesses."),
            a[1],
            a[2].model_copy(update={"text": a[2].text.replace("Protect", "Assist")}),
            a[4],
            a[5],
            a[3],
        ]
    )  # a[3] moved to the end, a[6] deleted
    d = diff_paragraphs(a, b, by_lineage=True)
    assert [(p.status, p.moved, p.a_ref, p.b_ref) for p in d.paragraphs] == [
        (U, False, "OP1", "OP1"),
        (INS, False, "", "OP2"),
        (R, False, "OP2", "OP3"),
        (M, False, "OP3", "OP4"),
        (U, False, "OP5", "OP5"),
        (U, False, "OP6", "OP6"),
        (DEL, False, "OP7", ""),
        (MV, True, "OP4", "OP7"),
    ]
    assert d.paragraphs[2].ops == (("=", TEXTS[1]),)
    modified = d.paragraphs[3]
    assert modified.ops[:2] == (("-", "Protect"), ("+", "Assist"))
    assert (modified.a_uid, modified.b_uid) == ("u2", "u2")
    assert d.paragraphs[6].b_uid is None
    assert d.paragraphs[1].a_uid is None
    assert d.summary == {
        "unchanged": 3,
        "modified": 1,
        "renumbered": 1,
        "moved": 1,
        "inserted": 1,
        "deleted": 1,
        "moved_and_modified": 0,
        "status_changed": 0,
        "reservations_changed": 0,
    }
    assert [p.status for p in d.changed] == [INS, M, DEL, MV]  # renumbered alone is no change
    assert [p.status for p in d.listed] == [INS, R, M, DEL, MV]  # but a diff lists it


def test_moved_and_modified_is_one_paragraph_in_both_modes() -> None:
    a = paras(TEXTS)
    edited = a[1].model_copy(update={"text": a[1].text.replace("Train", "Train and equip")})
    b = renumber([a[0], a[2], a[3], a[4], edited, a[5]])
    for lineage in (True, False):
        other = b if lineage else [p.model_copy(update={"uid": "x" + p.uid}) for p in b]
        d = diff_paragraphs(a, other, by_lineage=lineage)
        changed = [p for p in d.paragraphs if p.changed]
        assert len(changed) == 1
        assert changed[0].status == M
        assert changed[0].moved
        assert ("+", "and equip ") in changed[0].ops
        assert (changed[0].a_ref, changed[0].b_ref) == ("OP2", "OP5")
        assert d.summary["moved_and_modified"] == 1
        assert d.summary["inserted"] == d.summary["deleted"] == 0


def test_lineage_pairs_by_uid_then_by_lineage_either_way() -> None:
    a = paras(["First.", "Second.", "Third."])
    b = [
        ParaIn(uid="n1", text="First, revised.", lineage_uid="u0"),
        ParaIn(uid="u1", text="Second."),
        ParaIn(uid="n2", text="Claims u1 too.", lineage_uid="u1"),  # u1 is taken by uid
        ParaIn(uid="n3", text="Third."),
    ]
    d = diff_paragraphs(a, b, by_lineage=True)
    assert [(p.status, p.a_uid, p.b_uid) for p in d.paragraphs] == [
        (M, "u0", "n1"),
        (R, "u1", "u1"),
        (DEL, "u2", None),  # lineage mode never pairs by text
        (INS, None, "n2"),
        (INS, None, "n3"),
    ]
    # A plan against its source the other way round: A carries the lineage.
    back = diff_paragraphs(b[:1], a[:1], by_lineage=True)
    assert [(p.status, p.a_uid, p.b_uid) for p in back.paragraphs] == [(M, "n1", "u0")]


def test_deleted_paragraphs_follow_their_a_neighbour_that_stayed_in_place() -> None:
    a = paras(["P.", "Q.", "R.", "S.", "T."])
    d = diff_paragraphs(a, [a[2], a[3], a[0], a[4]], by_lineage=True)
    # Q followed P, but P moved: Q goes where P's place was, first.
    assert [(p.status, p.a_uid or p.b_uid) for p in d.paragraphs] == [
        (DEL, "u1"),
        (U, "u2"),
        (U, "u3"),
        (MV, "u0"),
        (U, "u4"),
    ]
    d = diff_paragraphs(a, [a[0], a[1], a[4]], by_lineage=True)
    assert [p.a_uid for p in d.paragraphs] == ["u0", "u1", "u2", "u3", "u4"]


def test_identical_sides_and_empty_sides() -> None:
    a = paras(TEXTS)
    for lineage in (True, False):
        d = diff_paragraphs(a, a, by_lineage=lineage)
        assert not d.changed
        assert [p.status for p in d.paragraphs] == [U] * len(a)
    assert diff_paragraphs([], [], by_lineage=True).paragraphs == []
    assert statuses(diff_paragraphs(a[:1], [], by_lineage=False)) == [(DEL, False)]
    assert statuses(diff_paragraphs([], a[:1], by_lineage=False)) == [(INS, False)]


def test_a_pure_renumbering_reports_no_text_change() -> None:
    a = paras(TEXTS)
    b = renumber([ParaIn(uid="new", text="A new first paragraph."), *a])
    d = diff_paragraphs(a, b, by_lineage=True)
    assert [p.status for p in d.paragraphs] == [INS] + [R] * len(a)
    assert all(p.ops == (("=", p.b_text),) for p in d.paragraphs[1:])


def test_content_mode_pairs_edits_in_place_and_never_unrelated_paragraphs() -> None:
    a = paras(TEXTS)
    b = paras(
        [
            TEXTS[0],
            TEXTS[1].replace("officials", "and customs officials"),
            "The Permanent Council will elect a new chair by acclamation at its next session.",
            TEXTS[3],
            TEXTS[4],
            TEXTS[5],
        ],
        prefix="x",
    )
    d = diff_paragraphs(a, b, by_lineage=False)
    assert [(p.status, p.a_uid, p.b_uid) for p in d.paragraphs] == [
        (U, "u0", "x0"),
        (M, "u1", "x1"),
        (DEL, "u2", None),
        (INS, None, "x2"),
        (U, "u3", "x3"),
        (U, "u4", "x4"),
        (U, "u5", "x5"),
    ]


def test_content_mode_finds_moves_among_many_paragraphs_without_all_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(4)
    vocab = [f"w{k}" for k in range(3000)]
    texts = [" ".join(rng.choices(vocab, k=40)) + "." for _ in range(150)]
    a = paras(texts)
    b = []
    for p in a:
        words = p.text.split(" ")
        words[rng.randrange(40)] = "changed"
        b.append(ParaIn(uid="x" + p.uid, text=" ".join(words)))
    rng.shuffle(b)  # no anchors: one gap of 150 × 150, past the direct-scoring limit
    scored: list[int] = []
    real = diffing._shared_grams

    def spy(ka: dict[int, str], kb: dict[int, str]) -> list[tuple[int, int]]:
        out = real(ka, kb)
        scored.append(len(out))
        return out

    monkeypatch.setattr(diffing, "_shared_grams", spy)
    d = diff_paragraphs(a, b, by_lineage=False)
    assert all(p.status == M and p.a_uid == p.b_uid[1:] for p in d.paragraphs if p.b_uid)
    assert len(d.paragraphs) == 150
    assert scored
    assert scored[0] < 150 * 10


def test_content_mode_on_unrelated_files_pairs_nothing() -> None:
    rng = random.Random(5)
    vocab = TEXTS[0].split() + TEXTS[3].split() + TEXTS[5].split()
    a = paras([" ".join(rng.choices(vocab, k=30)) for _ in range(40)])
    b = paras([" ".join(rng.choices(vocab, k=30)) for _ in range(40)], prefix="x")
    d = diff_paragraphs(a, b, by_lineage=False)
    assert d.summary["inserted"] == d.summary["deleted"] == 40


def _mutate(a: list[ParaIn], rng: random.Random) -> tuple[list[ParaIn], set[str], set[str], int]:
    """B from A at random: deletions, amendments, insertions and moves (and what was done)."""
    b: list[ParaIn] = []
    modified: set[str] = set()
    deleted: set[str] = set()
    for p in a:
        roll = rng.random()
        if roll < 0.15:
            deleted.add(p.uid)
            continue
        if roll < 0.35:
            p = p.model_copy(update={"text": p.text + " amended"})
            modified.add(p.uid)
        b.append(p)
        if roll > 0.9:
            b.append(ParaIn(uid=f"n{len(b)}", text=f"new paragraph {len(b)}"))
    moves = rng.randrange(3) if len(b) > 2 else 0
    for _ in range(moves):
        b.insert(rng.randrange(len(b)), b.pop(rng.randrange(len(b))))
    return renumber(b), modified, deleted, moves


def _check_by_lineage(d: DraftDiff, deleted: set[str], modified: set[str]) -> None:
    """Aligned by lineage: the statuses are exactly what `_mutate` did."""
    for row in d.paragraphs:
        if row.status == DEL:
            assert row.a_uid in deleted
        elif row.status == INS:
            assert str(row.b_uid).startswith("n")
        else:
            assert (row.status == M) == (row.a_uid in modified)


def _check_by_text(d: DraftDiff, a_text: dict[str, str]) -> None:
    """Aligned by text: an unchanged text always finds its original."""
    for row in d.paragraphs:
        if row.b_uid and row.b_text in a_text.values() and row.status != INS:
            assert a_text[str(row.a_uid)] == row.b_text


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(words, min_size=3, max_size=12).map(" ".join), max_size=30, unique=True),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_alignment_properties(base: list[str], rng: random.Random, lineage: bool) -> None:
    a = paras(base)
    b, modified, deleted, moves = _mutate(a, rng)
    if not lineage:
        b = [p.model_copy(update={"uid": "b" + p.uid}) for p in b]
    d = diff_paragraphs(a, b, by_lineage=lineage)
    # Every paragraph of each side exactly once, B's in B's order, and the ops rebuild both.
    assert sorted(p.a_uid for p in d.paragraphs if p.a_uid) == sorted(p.uid for p in a)
    assert [p.b_uid for p in d.paragraphs if p.b_uid] == [p.uid for p in b]
    assert [p.b_text for p in d.paragraphs if p.b_uid] == [p.text for p in b]
    a_text = {p.uid: p.text for p in a}
    assert all(p.a_text == a_text[p.a_uid] for p in d.paragraphs if p.a_uid)
    assert sum(d.summary[s.value] for s in ParaStatus) == len(d.paragraphs)
    assert sum(p.moved for p in d.paragraphs) <= moves
    for row in d.paragraphs:
        assert (row.status == MV) <= row.moved
        assert (row.status in (M, INS, DEL)) == any(k != "=" for k, _ in row.ops)
    if lineage:
        _check_by_lineage(d, deleted, modified)
    else:
        _check_by_text(d, a_text)


def test_the_result_round_trips_through_json() -> None:
    a = paras(TEXTS)
    d = diff_paragraphs(
        a, renumber([a[1], a[0].model_copy(update={"text": "X."})]), by_lineage=True
    )
    assert DraftDiff.model_validate_json(d.model_dump_json()) == d


# -- renderers -------------------------------------------------------------------------------


def sample() -> DraftDiff:
    a = paras(["Keep <this>.", "Protect victims.", "Gone."])
    b = [
        a[0],
        ParaIn(uid="u1", ref="OP12", text="Protect <script>alert(1)</script> victims.\nNow."),
        ParaIn(uid="n", ref="OP13", text="New & more."),
    ]
    return diff_paragraphs(a, b, by_lineage=True)


def test_render_html_escapes_every_text() -> None:
    page = diff_render.render_html(sample(), title="<b>A</b> → B", context=True)
    assert "<script>" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>" in page
    assert "&lt;b&gt;A&lt;/b&gt;" in page
    assert "Keep &lt;this&gt;." in page
    assert "<del>Gone.</del>" in page
    assert "<ins>New &amp; more.</ins>" in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page


def test_render_text_colours_and_refs() -> None:
    plain = diff_render.render_text(sample(), color=False)
    assert "OP2 → OP12  [modified]" in plain
    assert "Protect {+<script>alert(1)</script> +}victims{+.\nNow+}." in plain
    assert "Keep" not in plain  # unchanged, left out without context
    assert "Keep" in diff_render.render_text(sample(), color=False, context=True)
    coloured = diff_render.render_text(sample(), color=True)
    assert "\x1b[32;4mNew & more.\x1b[0m" in coloured
    assert "\x1b[31;9mGone.\x1b[0m" in coloured


def test_render_porcelain_is_one_line_per_op() -> None:
    lines = diff_render.render_porcelain(sample()).splitlines()
    assert lines[:6] == [
        "@@ modified - OP2 OP12 u1 u1",
        "=Protect ",
        "+<script>alert(1)</script> ",
        "=victims",
        "+.\\nNow",
        "=.",
    ]
    assert lines[6:] == [
        "@@ deleted - OP3 - u2 -",
        "-Gone.",
        "@@ inserted - - OP13 - n",
        "+New & more.",
    ]


def test_render_json_and_markdown() -> None:
    data = diff_render.render_json(sample())
    first = data["paragraphs"][0]
    assert set(first) == {
        *("status", "moved", "a_ref", "b_ref", "a_uid", "b_uid", "ops"),
        *("a_status", "b_status", "status_changed", "reservations_added"),
        "reservations_removed",
    }
    assert first["ops"][:2] == [["=", "Protect "], ["+", "<script>alert(1)</script> "]]
    assert data["summary"]["inserted"] == 1
    assert len(diff_render.render_json(sample(), context=True)["paragraphs"]) == 4
    md = diff_render.render_markdown(sample())
    assert "{++\\<script\\>alert(1)\\</script\\> ++}" in md
    assert "{--Gone.--}" in md


def test_only_the_engine_imports_diff_match_patch_and_rapidfuzz() -> None:
    src = Path(diffing.__file__).parent
    importers = {
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if re.search(r"^\s*(from|import) (diff_match_patch|rapidfuzz)", path.read_text(), re.M)
    }
    assert importers == {"diffing.py"}


def test_paradiff_helpers() -> None:
    p = ParaDiff(M, True, "OP1", "OP2", "a", "b", (("=", "x "), ("-", "y"), ("+", "z")))
    assert (p.a_text, p.b_text, p.changed) == ("x y", "x z", True)
    assert not ParaDiff(U, ops=(("=", "same"),)).changed


def test_a_failed_hunk_keeps_the_spacing_of_its_words() -> None:
    base = "States shall strengthen our mechanisms now."
    patch = make_patch(base, "States shall our now.")
    result = apply_patch(patch, "States must act.")
    # Two deletions in one hunk: quoted with the word between them, spaced as written.
    assert result.failed == ["replace “strengthen our mechanisms” with “our”"]
    replaced = apply_patch(
        make_patch(base, "States shall  mechanisms and tools now."), "States must act."
    )
    assert "“strengthen mechanisms”" not in replaced.failed[0]
    assert "mechanismsand" not in replaced.failed[0]
    assert "with “mechanisms and tools”" in replaced.failed[0]


def test_a_failed_hunk_names_its_context_in_whole_words() -> None:
    base = "Member states shall strengthen national mechanisms to identify victims of trafficking."
    mine = base.replace("strengthen", "reinforce").replace("mechanisms", "systems")
    result = apply_patch(make_patch(base, mine), "Member states should act.")
    (failed,) = result.failed
    assert failed.startswith("replace “strengthen national mechanisms” with “reinforce national")
    context = failed.partition(" near ")[2]
    assert all(w in base.split() for w in context.strip("“”").replace(" … ", " ").split())
    at_start = apply_patch(make_patch("To train officials.", "To teach officials."), "Hire.")
    assert at_start.failed == ["replace “train” with “teach” near “To”"]  # " off" is cut
