"""The footnote engine: numbering in reading order, Idem N, stable order, cut and continuation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workplan.footnotes import (
    FootnoteSource,
    call_suffix,
    continuation_section,
    cut,
    foot_lines,
    plan_footnotes,
    rejoin,
    render_continuations,
    render_foot,
)

PRY = FootnoteSource(
    reservation="R1",
    delegation="PRY",
    text="Paraguay joins the consensus on the understanding that its domestic law applies.",
)
JAM = FootnoteSource(
    reservation="R2", delegation="JAM", text="The Government of Jamaica records its reservation."
)
LCA = FootnoteSource(
    reservation="R3", delegation="LCA", text="Saint Lucia joins the consensus with a reservation."
)


def test_first_occurrence_prints_full_text_later_ones_idem() -> None:
    plan = plan_footnotes([("pp1", [PRY]), ("pp2", []), ("op1", [PRY]), ("op2", [PRY])])
    assert plan.calls == {"pp1": [1], "op1": [2], "op2": [3]}
    assert [f.text for f in plan.footnotes] == [PRY.text, "Idem 1", "Idem 1"]
    assert [f.idem_of for f in plan.footnotes] == [None, 1, 1]
    assert all(f.full_text == PRY.text for f in plan.footnotes)
    assert plan.first_numbers() == {"R1": 1}


def test_three_reservations_on_one_paragraph_keep_their_order() -> None:
    plan = plan_footnotes([("pp", [PRY, JAM, LCA]), ("op", [LCA, PRY, JAM])])
    assert call_suffix(plan.calls["pp"]) == "1/2/3/"
    assert call_suffix(plan.calls["op"]) == "4/5/6/"
    assert [f.text for f in plan.footnotes[3:]] == ["Idem 3", "Idem 1", "Idem 2"]
    assert [f.delegation for f in plan.footnotes] == ["PRY", "JAM", "LCA", "LCA", "PRY", "JAM"]


def test_numbering_from_a_start_offset_and_repeats_on_one_paragraph() -> None:
    plan = plan_footnotes([("a", [JAM, JAM, PRY]), ("b", [JAM])], start=7)
    assert plan.calls == {"a": [7, 8], "b": [9]}
    assert plan.footnotes[2].text == "Idem 7"
    assert call_suffix([]) == ""


def test_foot_lines_print_n_dot_text_and_keep_paragraphs() -> None:
    two = FootnoteSource(reservation="R9", text="First paragraph.\n\nSecond paragraph.")
    plan = plan_footnotes([("a", [PRY, two]), ("b", [two])])
    assert foot_lines(plan, plan.calls["a"]) == [
        f"1. {PRY.text}",
        "2. First paragraph.",
        "    Second paragraph.",
    ]
    assert render_foot(plan, plan.calls["b"]) == "3. Idem 2"
    assert continuation_section(plan) == []
    assert render_continuations(plan) == ""


LONG = (
    "The Government of Saint Lucia remains committed to its obligations under the "
    "instruments to which it is a party. The Government is guided by its Constitution.\n\n"
    "It will apply these recommendations in accordance with its laws and policies.\n\n"
    "The term used in the recommendations is not in keeping with the laws of Saint Lucia."
)


def test_long_footnote_is_cut_and_continued_with_its_paragraphs() -> None:
    src = FootnoteSource(reservation="R1", delegation="LCA", text=LONG)
    plan = plan_footnotes([("pp", [src]), ("op", [src])], max_length=60)
    first = plan.footnotes[0]
    assert first.text.endswith("…")
    assert len(first.text) <= 61
    assert "\n" not in first.text
    assert first.continued.count("\n\n") == 2  # the rest keeps its three paragraphs
    assert rejoin(first.text, f"… {first.continued}") == LONG
    assert plan.footnotes[1].text == "Idem 1"
    assert not plan.footnotes[1].continued
    assert [f.number for f in plan.continuations] == [1]
    section = continuation_section(plan)
    assert section[:2] == ["FOOTNOTES", ""]
    assert section[2].startswith("1. … ")
    assert "    It will apply these" in section[4]
    assert render_continuations(plan).count("\n\n") == 3


def test_cut_falls_inside_a_paragraph_never_on_a_paragraph_break() -> None:
    text = "Short first paragraph.\n\nA second paragraph that is rather longer than that."
    for limit in range(20, len(text)):
        head, rest = cut(text, limit)
        assert rejoin(head, f"… {rest}") == text if rest else head == text
        if rest:
            assert not head.endswith("\n…")
            assert not rest.startswith("\n")


def test_cut_edge_cases() -> None:
    assert cut("short", 600) == ("short", "")
    assert cut("x" * 50, 10) == ("x" * 50, "")  # no word boundary: not cut
    head, rest = cut("a" * 30 + " tail", 10)  # only boundary after the limit
    assert (head, rest) == ("a" * 30 + "…", "tail")
    with pytest.raises(ValueError, match="max_length must be positive"):
        cut("text", 0)
    # the seed's own style: a space before "…", and "… " before the rest
    assert rejoin("The Government …", "… is guided by") == "The Government is guided by"
    assert (
        rejoin("a form of violence…", "… and exploitation") == "a form of violence and exploitation"
    )


_WORDS = st.text(alphabet="abcdefghij…", min_size=1, max_size=8)
_PARAGRAPH = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)
_TEXT = st.lists(_PARAGRAPH, min_size=1, max_size=3).map("\n\n".join)


@given(text=_TEXT, limit=st.integers(min_value=1, max_value=80))
def test_cut_then_rejoin_gives_the_text_back(text: str, limit: int) -> None:
    head, rest = cut(text, limit)
    if rest:  # the continuation prints as "… rest"
        assert head.endswith("…")
        assert rejoin(head, f"… {rest}") == text
    else:
        assert head == text


@given(
    texts=st.lists(_TEXT, min_size=1, max_size=5),
    layout=st.lists(st.lists(st.integers(min_value=0, max_value=4), max_size=4), max_size=10),
    start=st.integers(min_value=1, max_value=50),
    limit=st.integers(min_value=5, max_value=100),
)
def test_plan_properties(texts: list[str], layout: list[list[int]], start: int, limit: int) -> None:
    sources = [FootnoteSource(reservation=f"R{i}", text=t) for i, t in enumerate(texts)]
    paragraphs = [
        (f"p{j}", [sources[i % len(sources)] for i in picks]) for j, picks in enumerate(layout)
    ]
    plan = plan_footnotes(paragraphs, start=start, max_length=limit)
    numbers = [n for key, _ in paragraphs for n in plan.calls.get(key, [])]
    assert numbers == list(range(start, start + len(numbers)))  # 1..n in reading order, no gaps
    assert [f.number for f in plan.footnotes] == numbers
    by_number = plan.by_number()
    seen: set[str] = set()
    for f in plan.footnotes:
        if f.idem_of is None:
            assert f.reservation not in seen  # full text once per reservation
            seen.add(f.reservation)
            printed = rejoin(f.text, f"… {f.continued}") if f.continued else f.text
            assert printed == f.full_text
        else:
            first = by_number[f.idem_of]
            assert f.text == f"Idem {f.idem_of}"
            assert f.idem_of < f.number
            assert first.reservation == f.reservation
            assert first.idem_of is None
            assert first.full_text == f.full_text
    for key, picks in paragraphs:  # stable order, each reservation once per paragraph
        order = list(dict.fromkeys(s.reservation for s in picks))
        assert [by_number[n].reservation for n in plan.calls.get(key, [])] == order
