"""The consensus rules as tables: decision × amendments × stances × silence deadline → status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workplan.consensus import paragraph_state
from workplan.model import Decision, Paragraph
from workplan.model.negotiation import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Position,
    Stance,
    Status,
)

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
DEADLINES = {
    "none": None,
    "future": NOW + timedelta(hours=1),
    "now": NOW,  # the deadline is the first moment silence is over
    "past": NOW - timedelta(hours=1),
}


def _paragraph(decision: Decision, deadline: str, ad_ref: tuple[str, ...] = ()) -> Paragraph:
    return Paragraph(
        uid="p1",
        document="plan",
        text="Adopt national action plans.",
        decision=decision,
        silence_until=DEADLINES[deadline],
        ad_ref=list(ad_ref),
    )


def _amendments(spec: str) -> list[Amendment]:
    """`"modify:proposed insert:withdrawn"`: one amendment per word, A1, A2, ... in order."""
    return [
        Amendment(
            document="plan",
            id=f"A{n}",
            kind=AmendmentKind(kind),
            target="p1",
            proposer="CAN",
            status=AmendmentStatus(status),
            created_at=NOW,
        )
        for n, (kind, status) in enumerate((word.split(":") for word in spec.split()), start=1)
    ]


def _positions(spec: str) -> list[Position]:
    """`"USA:object JAM:reserve"`: one position per word."""
    return [
        Position(document="plan", target="p1", delegation=who, stance=Stance(stance), at=NOW)
        for who, stance in (word.split(":") for word in spec.split())
    ]


OPEN, AGREED, AD_REF = Decision.OPEN, Decision.AGREED, Decision.AGREED_AD_REF
SILENCE, DELETED = Decision.SILENCE, Decision.DELETED
NOT_DISCUSSED, NEGOTIATING = Status.NOT_DISCUSSED, Status.UNDER_NEGOTIATION
UNDER_SILENCE = Status.UNDER_SILENCE

# decision, deadline, amendments, stances, status, ready
TABLE = [
    # nothing happened
    pytest.param(OPEN, "none", "", "", NOT_DISCUSSED, True, id="untouched"),
    pytest.param(OPEN, "none", "", "USA:none", NOT_DISCUSSED, True, id="a-withdrawn-stance"),
    pytest.param(OPEN, "none", "insert:proposed", "", NOT_DISCUSSED, True, id="only-insertion"),
    # an amendment on it, open or closed, is discussion; only an open one blocks
    pytest.param(OPEN, "none", "modify:proposed", "", NEGOTIATING, False, id="open-modify"),
    pytest.param(OPEN, "none", "delete:proposed", "", NEGOTIATING, False, id="open-delete"),
    pytest.param(OPEN, "none", "move:proposed", "", NEGOTIATING, False, id="open-move"),
    pytest.param(OPEN, "none", "modify:withdrawn", "", NEGOTIATING, True, id="withdrawn"),
    pytest.param(OPEN, "none", "modify:accepted", "", NEGOTIATING, True, id="accepted"),
    pytest.param(OPEN, "none", "modify:rejected", "", NEGOTIATING, True, id="rejected"),
    pytest.param(OPEN, "none", "modify:superseded", "", NEGOTIATING, True, id="superseded"),
    # a stance is discussion; only an objection blocks
    pytest.param(OPEN, "none", "", "USA:support", NEGOTIATING, True, id="support"),
    pytest.param(OPEN, "none", "", "USA:join", NEGOTIATING, True, id="join"),
    pytest.param(OPEN, "none", "", "JAM:reserve", NEGOTIATING, True, id="reserve"),
    pytest.param(OPEN, "none", "", "BRA:ad-ref", NEGOTIATING, True, id="ad-ref"),
    pytest.param(OPEN, "none", "", "USA:object", NEGOTIATING, False, id="object"),
    pytest.param(
        OPEN, "none", "modify:rejected", "USA:support MEX:object", NEGOTIATING, False, id="mixed"
    ),
    # silence: holds until the deadline, then it is agreement
    pytest.param(SILENCE, "future", "", "", UNDER_SILENCE, True, id="silence-running"),
    pytest.param(SILENCE, "now", "", "", Status.AGREED, True, id="silence-at-deadline"),
    pytest.param(SILENCE, "past", "", "", Status.AGREED, True, id="silence-passed"),
    pytest.param(SILENCE, "none", "", "", Status.AGREED, True, id="silence-without-deadline"),
    # breaking silence is the service's act: the rules still say silence, and not ready
    pytest.param(SILENCE, "future", "", "USA:object", UNDER_SILENCE, False, id="silence-objected"),
    pytest.param(
        SILENCE, "future", "modify:proposed", "", UNDER_SILENCE, False, id="silence-amended"
    ),
    pytest.param(
        SILENCE, "future", "insert:proposed", "", UNDER_SILENCE, True, id="silence-insertion"
    ),
    # the chair's declarations stand whatever is on the paragraph
    pytest.param(AGREED, "none", "", "", Status.AGREED, True, id="agreed"),
    pytest.param(AGREED, "none", "", "USA:object", Status.AGREED, False, id="agreed-objected"),
    pytest.param(AD_REF, "none", "", "BRA:ad-ref", Status.AGREED_AD_REF, True, id="agreed-ad-ref"),
    pytest.param(DELETED, "none", "", "", Status.DELETED, True, id="deleted"),
    pytest.param(
        DELETED, "future", "modify:proposed", "", Status.DELETED, False, id="deleted-over-all"
    ),
]


@pytest.mark.parametrize(
    ("decision", "deadline", "amendments", "stances", "status", "ready"), TABLE
)
def test_paragraph_state_table(
    decision: Decision, deadline: str, amendments: str, stances: str, status: Status, ready: bool
) -> None:
    state = paragraph_state(
        _paragraph(decision, deadline), _amendments(amendments), _positions(stances), NOW
    )
    assert state.status == status
    assert state.ready is ready
    assert state.silence_until == (DEADLINES[deadline] if status == UNDER_SILENCE else None)


def test_the_table_covers_every_status_and_decision() -> None:
    rows = [p.values for p in TABLE]
    assert {row[4] for row in rows} == set(Status)
    assert {row[0] for row in rows} == set(Decision)
    assert {row[1] for row in rows} == set(DEADLINES)


# discussed (from the event log) overrides "anything on it" for an open paragraph only
@pytest.mark.parametrize(
    ("decision", "stances", "discussed", "status"),
    [
        (OPEN, "", True, NEGOTIATING),
        (OPEN, "USA:support", False, NOT_DISCUSSED),
        (OPEN, "USA:support", None, NEGOTIATING),
        (AGREED, "", False, Status.AGREED),
        (DELETED, "", True, Status.DELETED),
    ],
)
def test_discussed_overrides_what_is_on_the_paragraph(
    decision: Decision, stances: str, discussed: bool | None, status: Status
) -> None:
    state = paragraph_state(
        _paragraph(decision, "none"), [], _positions(stances), NOW, discussed=discussed
    )
    assert state.status == status


@pytest.mark.parametrize(
    ("decision", "ad_ref", "expected_ad_ref"),
    [
        (OPEN, (), ["BRA", "PER"]),  # open: who holds an ad-ref stance
        (AD_REF, ("PER",), ["PER"]),  # agreed ad referendum: who still has to confirm
    ],
)
def test_what_holds_the_paragraph_is_listed_sorted(
    decision: Decision, ad_ref: tuple[str, ...], expected_ad_ref: list[str]
) -> None:
    amendments = _amendments("modify:proposed insert:proposed move:withdrawn delete:proposed")
    stances = "USA:object MEX:object PER:ad-ref BRA:ad-ref LCA:reserve JAM:reserve CAN:none"
    state = paragraph_state(
        _paragraph(decision, "none", ad_ref), amendments, _positions(stances), NOW
    )
    assert state.open_amendments == ["A1", "A4"]
    assert state.insertions == ["A2"]
    assert state.objecting == ["MEX", "USA"]
    assert state.reserving == ["JAM", "LCA"]
    assert state.ad_ref == expected_ad_ref
    assert state.ready is False
