"""Unit and property tests of the diff engine."""

from __future__ import annotations

import random
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from workplan.diffing import apply_patch, diff_paragraphs, make_patch, word_diff
from workplan.model.diff import ParaIn, ParaStatus

words = st.sampled_from(
    ["states", "shall", "adopt", "victims", "Belém", "do", "Pará", "—", "“plans”", ",", "."]
)
texts = st.lists(words, min_size=1, max_size=15).map(" ".join)


def apply_ops(ops: Sequence[tuple[str, str]], side: str) -> str:
    keep = {"=", "-"} if side == "a" else {"=", "+"}
    return "".join(t for op, t in ops if op in keep)


@given(st.text(), st.text())
def test_word_diff_reconstructs_both_sides(a: str, b: str) -> None:
    ops = word_diff(a, b)
    assert apply_ops(ops, "a") == a
    assert apply_ops(ops, "b") == b
    assert all(t for _, t in ops)


def test_word_diff_is_word_level() -> None:
    ops = word_diff("Train border officials.", "Train and equip border officials.")
    assert ops == [("=", "Train "), ("+", "and equip "), ("=", "border officials.")]
    assert word_diff("same", "same") == [("=", "same")]
    assert word_diff("", "") == []


def test_patch_survives_an_edit_elsewhere_and_reports_a_conflict() -> None:
    base = "Adopt national plans that cover every form of exploitation."
    mine = "Adopt national plans that cover every form of exploitation and servitude."
    theirs = "Adopt and fund national plans that cover every form of exploitation."
    ok = apply_patch(make_patch(base, mine), theirs)
    assert ok.applied
    assert (
        ok.text
        == "Adopt and fund national plans that cover every form of exploitation and servitude."
    )
    clash = apply_patch(make_patch(base, "Adopt regional strategies."), "Reject everything here.")
    assert not clash.applied
    assert clash.failed
    assert clash.text == "Reject everything here."


def paras(texts: list[str], prefix: str = "u") -> list[ParaIn]:
    return [ParaIn(uid=f"{prefix}{i}", ref=f"OP{i + 1}", text=t) for i, t in enumerate(texts)]


def test_unchanged_renumbered_inserted_deleted() -> None:
    a = paras(["One.", "Two.", "Three."])
    b = [
        a[0],
        ParaIn(uid="new", ref="OP2", text="Inserted."),
        a[1].model_copy(update={"ref": "OP3"}),
        a[2].model_copy(update={"ref": "OP4"}),
    ]
    d = diff_paragraphs(a, b, by_lineage=True)
    assert [p.status for p in d.paragraphs] == [
        ParaStatus.UNCHANGED,
        ParaStatus.INSERTED,
        ParaStatus.RENUMBERED,
        ParaStatus.RENUMBERED,
    ]
    d2 = diff_paragraphs(a, a[:1] + a[2:], by_lineage=True)
    assert [p.status for p in d2.paragraphs] == [
        ParaStatus.UNCHANGED,
        ParaStatus.DELETED,
        ParaStatus.UNCHANGED,
    ]
    assert d2.paragraphs[1].a_ref == "OP2"


def test_moved_and_modified_is_one_paragraph() -> None:
    a = paras([f"Paragraph number {w} about victims and states." for w in "abcdef"])
    moved = a[1].model_copy(update={"text": "Paragraph number b about survivors and states."})
    b = [a[0], a[2], a[3], a[4], moved, a[5]]
    for lineage in (True, False):
        other = b if lineage else [p.model_copy(update={"uid": "x" + p.uid}) for p in b]
        d = diff_paragraphs(a, other, by_lineage=lineage)
        changed = [p for p in d.paragraphs if p.changed]
        assert len(changed) == 1, changed
        assert changed[0].status == ParaStatus.MODIFIED
        assert changed[0].moved
        assert d.summary["inserted"] == d.summary["deleted"] == 0


def test_content_mode_never_matches_unrelated_paragraphs() -> None:
    a = paras(["The General Secretariat shall convene experts.", "Victims receive care."])
    b = paras(["Completely different wording about border data.", "Victims receive care."], "x")
    d = diff_paragraphs(a, b, by_lineage=False)
    statuses = sorted(p.status for p in d.paragraphs)
    assert statuses == sorted([ParaStatus.INSERTED, ParaStatus.DELETED, ParaStatus.UNCHANGED])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(texts, min_size=1, max_size=25, unique=True),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_every_paragraph_appears_once_and_ops_rebuild_b(
    base: list[str], rng: random.Random, lineage: bool
) -> None:
    a = paras(base)
    b: list[ParaIn] = []
    for p in a:
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.4:
            p = p.model_copy(update={"text": p.text + " amended"})
        b.append(p)
        if roll > 0.9:
            b.append(ParaIn(uid=f"n{len(b)}", text=f"new {len(b)}"))
    if len(b) > 2:
        b.insert(0, b.pop(rng.randrange(len(b))))
    if not lineage:
        b = [p.model_copy(update={"uid": "b" + p.uid}) for p in b]
    d = diff_paragraphs(a, b, by_lineage=lineage)
    assert sorted(p.a_uid for p in d.paragraphs if p.a_uid) == sorted(p.uid for p in a)
    assert [p.b_uid for p in d.paragraphs if p.b_uid] == [p.uid for p in b]
    rebuilt = [apply_ops(p.ops, "b") for p in d.paragraphs if p.b_uid]
    assert rebuilt == [p.text for p in b]
    for row in d.paragraphs:
        if row.a_uid:
            assert apply_ops(row.ops, "a") == next(x.text for x in a if x.uid == row.a_uid)


def test_identical_inputs_give_no_changes() -> None:
    a = paras(["One.", "Two."])
    d = diff_paragraphs(a, a, by_lineage=True)
    assert not any(p.changed for p in d.paragraphs)
