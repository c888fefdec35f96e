"""The redline engine: attribution through a chain of steps, and the two sides' order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workplan.redline import Step, attribute, interleave

WORDS = ["border", "officials", "train", "equip", "spot", "signs", "of", "the", ",", "."]
texts = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


@given(a=texts, b=texts, chain=st.lists(texts, max_size=4), bases=st.lists(st.booleans()))
@settings(max_examples=200, deadline=None)
def test_attribute_rebuilds_both_sides(a: str, b: str, chain: list[str], bases: list[bool]) -> None:
    steps = []
    previous = a
    for n, text in enumerate(chain):
        # Some steps start from another text than the chain reached: an editorial step first.
        base = None if n < len(bases) and bases[n] else previous
        steps.append(Step(text=text, by=(f"D{n}", ""), base=base))
        previous = text
    runs = attribute(a, b, steps, ("Secretariat", ""))
    assert "".join(r.text for r in runs if r.op != "+") == a
    assert "".join(r.text for r in runs if r.op != "-") == b
    assert all((r.by is None) == (r.op == "=") for r in runs)


def test_attribute_credits_each_step() -> None:
    runs = attribute(
        "Train officials.",
        "Train and equip guards now.",
        [
            Step(text="Train and equip officials.", by=("Canada, Mexico", "1")),
            Step(text="Train and equip guards.", by=("United States", "2")),
        ],
        ("Secretariat", "3"),
    )
    by = {(r.op, r.text.strip()): r.by[0] for r in runs if r.by}
    assert by == {
        ("+", "and equip"): "Canada, Mexico",
        ("-", "officials"): "United States",
        ("+", "guards"): "United States",
        ("+", "now"): "Secretariat",
    }


@given(st.permutations(range(6)), st.sets(st.integers(0, 5)), st.sets(st.integers(0, 5)))
def test_interleave_keeps_both_orders(perm: list[int], gone: set[int], forced: set[int]) -> None:
    # A has 6 items; B keeps those not gone, in the order of `perm`, plus two new ones.
    kept = [i for i in perm if i not in gone]
    b_len = len(kept) + 2
    pairs = {i: j + 1 for j, i in enumerate(kept)}  # B index 0 and the last are new
    entries = interleave(6, b_len, pairs, frozenset(forced))
    assert [i for i, _ in entries if i is not None] == list(range(6))
    assert [j for _, j in entries if j is not None] == list(range(b_len))
    for i, j in entries:
        assert i is None or j is None or (pairs[i] == j and i not in forced)
