"""The consensus rules, in one pure module.

A paragraph's status follows from what the chair declared and from the positions and
open amendments on it:

- **deleted**: the chair declared it deleted (or accepted an amendment deleting it).
- **agreed**: the chair declared it agreed (or its silence deadline passed unbroken, or the
  last delegation ad referendum confirmed).
- **agreed ad referendum**: declared agreed while delegations were ad referendum; they are listed.
- **under silence**: the chair put it under silence and the deadline has not passed. An
  objection or a new amendment before the deadline breaks silence.
- **under negotiation**: otherwise, once anything happened on it (an amendment or a position).
- **not yet discussed**: nothing has happened on it yet.

It is **ready** when no amendment on it is open and no delegation objects: only then may the
chair declare it agreed.

One rule for amendments: an amendment *on* a paragraph (modify, delete, move) is about its
text or place. It may be proposed only while the paragraph is open (not agreed, not deleted:
the chair reopens it first), it counts as discussion, blocks agreement and breaks silence. An
insertion (a new paragraph after or before it) is about a new paragraph, not about its anchor:
it may be proposed next to any paragraph, and it neither blocks, discusses nor breaks the
silence of its anchor. It is listed with the anchor as a proposed insertion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from workplan.model.views import ParagraphState
from workplan.model.vocab import AmendmentKind, AmendmentStatus, Decision, Stance, Status


class HasStance(Protocol):
    """A position as the rules see it: who, and what stance."""

    @property
    def delegation(self) -> str: ...

    @property
    def stance(self) -> str: ...


class Decided(Protocol):
    """A paragraph as the rules see it: what the chair declared (a `Paragraph`, or a read
    object)."""

    @property
    def decision(self) -> str: ...

    @property
    def silence_until(self) -> datetime | None: ...

    @property
    def ad_ref(self) -> list[str]: ...


class Proposed(Protocol):
    """An amendment as the rules see it: its id, kind and status."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def status(self) -> str: ...


def paragraph_state(
    paragraph: Decided,
    amendments: Iterable[Proposed],
    positions: Iterable[HasStance],
    now: datetime,
    *,
    discussed: bool | None = None,
) -> ParagraphState:
    """Derive a paragraph's status from its decision, open amendments and positions.

    `amendments` are those targeting the paragraph (any status); `positions` those on it.
    `discussed` overrides the "anything happened" test (e.g. from the event log).
    """
    every = list(amendments)
    insertions = [a.id for a in every if _open(a) and a.kind == AmendmentKind.INSERT]
    amendments = [a for a in every if a.kind != AmendmentKind.INSERT]
    positions = [p for p in positions if p.stance != Stance.NONE]
    open_ids = [a.id for a in amendments if _open(a)]
    by: dict[str, list[str]] = {s: [] for s in Stance}
    for p in positions:  # one pass (not one per stance): a draft has thousands of paragraphs
        if p.stance in by:
            by[p.stance].append(p.delegation)
    for delegations in by.values():
        delegations.sort()
    objecting, reserving = by[Stance.OBJECT], by[Stance.RESERVE]
    ready = not open_ids and not objecting
    decision = paragraph.decision
    if decision == Decision.DELETED:
        status = Status.DELETED
    elif decision == Decision.AGREED:
        status = Status.AGREED
    elif decision == Decision.AGREED_AD_REF:
        status = Status.AGREED_AD_REF
    elif decision == Decision.SILENCE and paragraph.silence_until and now < paragraph.silence_until:
        status = Status.UNDER_SILENCE
    elif decision == Decision.SILENCE:
        status = Status.AGREED  # deadline passed unbroken; the service records it
    else:
        happened = discussed if discussed is not None else bool(amendments or positions)
        status = Status.UNDER_NEGOTIATION if happened else Status.NOT_DISCUSSED
    ad_ref = list(paragraph.ad_ref) if decision == Decision.AGREED_AD_REF else by[Stance.AD_REF]
    return ParagraphState(
        status=status,
        ready=ready,
        open_amendments=open_ids,
        insertions=insertions,
        objecting=objecting,
        ad_ref=ad_ref,
        reserving=reserving,
        silence_until=paragraph.silence_until if status == Status.UNDER_SILENCE else None,
    )


def _open(amendment: Proposed) -> bool:
    """True while an amendment awaits a decision (`Amendment.is_open`)."""
    return amendment.status == AmendmentStatus.PROPOSED


def blockers(state: ParagraphState) -> str:
    """Why a paragraph cannot be declared agreed, in words ('' when it can)."""
    parts = []
    if state.objecting:
        parts.append(
            f"{', '.join(state.objecting)} object{'s' if len(state.objecting) == 1 else ''}"
        )
    if state.open_amendments:
        n = len(state.open_amendments)
        parts.append(
            f"amendment{'s' if n > 1 else ''} {', '.join(state.open_amendments)} "
            f"{'are' if n > 1 else 'is'} open"
        )
    return "; ".join(parts)


def alternatives(amendments: Iterable[Proposed]) -> dict[str, int]:
    """Number the open modify/delete amendments on one paragraph as alt 1, alt 2, ..."""
    competing = [
        a for a in amendments if _open(a) and a.kind in (AmendmentKind.MODIFY, AmendmentKind.DELETE)
    ]
    competing.sort(key=lambda a: int(a.id[1:]) if a.id[1:].isdigit() else 0)
    return {a.id: i for i, a in enumerate(competing, start=1)}
