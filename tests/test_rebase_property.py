"""Property: accepting a sequence of modify amendments yields the texts that applying them gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import PLAN, Clock

from workplan.diffing import apply_patch, make_patch
from workplan.errors import ProcedureError
from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect

DOC = "third-work-plan"
WORDS = [
    "train",
    "equip",
    "border",
    "officials",
    "to",
    "recognise",
    "signs",
    "of",
    "trafficking",
    "in",
    "persons",
    "and",
    "support",
    "victims",
    "promptly",
]
CODES = ["CAN", "MEX", "BRA", "ARG", "CHL", "PER"]

edits = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(" ".join),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_accepting_modify_amendments_in_order(texts: list[str]) -> None:
    clock = Clock()
    svc = Service(connect(":memory:"), Principal(id="SECRETARIAT"), clock=clock)
    svc.initialise(PLAN)

    def as_(who: str) -> Service:
        return Service(svc.db, Principal.parse(who), clock=clock)

    base = svc.draft(DOC).resolve("OP2").text
    # The model: each open amendment is (base, text); accepting one re-applies the others.
    model: dict[str, tuple[str, str] | None] = {}
    order = []
    for code, text in zip(CODES, texts, strict=False):
        if text == base:
            continue
        aid = as_(code).propose(DOC, "OP2", "modify", text=text).id
        model[aid] = (base, text)
        order.append(aid)
    current = base
    for aid in order:
        entry = model[aid]
        am = svc.negotiation(DOC).amendment(aid)
        if entry is None:  # the model says it no longer applies
            assert am.needs_rebase
            try:
                as_("CHAIR").decide(DOC, aid, "accept")
            except ProcedureError:
                continue
            raise AssertionError("an amendment needing rebase was accepted")
        assert not am.needs_rebase
        assert am.text == entry[1]
        as_("CHAIR").decide(DOC, aid, "accept")
        current = entry[1]
        assert svc.draft(DOC).resolve("OP2").text == current
        for other in order:
            pending = model.get(other)
            if other == aid or pending is None or order.index(other) < order.index(aid):
                continue
            result = apply_patch(make_patch(pending[0], pending[1]), current)
            model[other] = (current, result.text) if result.applied else None
        model[aid] = None
    assert svc.verify() == []
