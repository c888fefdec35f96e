"""Who may do what: one table, role × action, deny by default."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from workplan.model import Role
from workplan.model.languages import MONTHS as LANGUAGE_MONTHS

if TYPE_CHECKING:
    from workplan.model import Document

D, C, S = Role.DELEGATION, Role.CHAIR, Role.SECRETARIAT

#: action → roles allowed. An action missing here is refused to everyone.
POLICY: dict[str, frozenset[Role]] = {
    "document.import": frozenset({C, S}),
    "document.new": frozenset({C, S}),
    "document.meta": frozenset({C, S}),
    "amendment.propose": frozenset({D, S}),
    "amendment.cosponsor": frozenset({D, S}),
    "amendment.withdraw": frozenset({D, S}),
    "amendment.revise": frozenset({D, S}),
    "amendment.decide": frozenset({C}),
    "position.record": frozenset({D, S}),
    "reservation.attach": frozenset({D, S}),
    "reservation.detach": frozenset({D, S}),
    "reservation.edit": frozenset({D, S}),
    "reservation.withdraw": frozenset({D, S}),
    "paragraph.agree": frozenset({C}),
    "paragraph.delete": frozenset({C}),
    "paragraph.reopen": frozenset({C}),
    "paragraph.silence": frozenset({C}),
    "revision.freeze": frozenset({C, S}),
    "note.add": frozenset({C, S}),
    "note.edit": frozenset({C, S}),
    "note.remove": frozenset({C, S}),
    # The secretariat translates (it circulates each revision in the four languages).
    "translation.set": frozenset({S}),
    "translation.import": frozenset({S}),
}

#: action → what it does, in words ("CAN (delegation) may not <this>"), with who may.
PHRASES: dict[str, str] = {
    "document.import": "import documents",
    "document.new": "start documents",
    "document.meta": "change a document's details",
    "amendment.propose": "propose amendments",
    "amendment.cosponsor": "co-sponsor amendments",
    "amendment.withdraw": "withdraw amendments",
    "amendment.revise": "revise amendments",
    "amendment.decide": "accept or reject amendments",
    "position.record": "record positions",
    "reservation.attach": "attach reservations",
    "reservation.detach": "detach reservations",
    "reservation.edit": "edit reservations",
    "reservation.withdraw": "withdraw reservations",
    "paragraph.agree": "declare paragraphs agreed",
    "paragraph.delete": "declare paragraphs deleted",
    "paragraph.reopen": "reopen paragraphs",
    "paragraph.silence": "put paragraphs under silence",
    "revision.freeze": "freeze revisions",
    "note.add": "add notes of the document",
    "note.edit": "edit notes of the document",
    "note.remove": "remove notes of the document",
    "translation.set": "record translations",
    "translation.import": "import translations",
}


def refusal(who: str, role: Role, action: str) -> str:
    """Why `who` may not take `action`, and who may: "CAN (delegation) may not declare
    paragraphs agreed: only the chair does"."""
    named = {D: "a delegation", C: "the chair", S: "the secretariat"}
    roles = [named[r] for r in (D, C, S) if r in POLICY.get(action, frozenset())]
    only = f": only {' or '.join(roles)} may" if roles else ""
    return f"{who} ({role}) may not {PHRASES.get(action, action)}{only}"


#: Actions a delegation may only take for itself, and the secretariat only on behalf of one.
ON_BEHALF_ACTIONS = frozenset(
    {
        "amendment.propose",
        "amendment.cosponsor",
        "amendment.withdraw",
        "amendment.revise",
        "position.record",
        "reservation.attach",
        "reservation.detach",
        "reservation.edit",
        "reservation.withdraw",
    }
)


#: Actions that negotiate a text: refused on an adopted document (see `read_only_reason`).
#: Freezing a revision is one: an adopted text has no next revision, only reprints (exports).
NEGOTIATING_ACTIONS = frozenset(
    a
    for a in POLICY
    if a.split(".")[0] in {"amendment", "position", "reservation", "paragraph", "note"}
) | {"revision.freeze"}

#: What `meta --adopted` takes to lift an adoption.
LIFT_ADOPTION = "none"


#: Month names, as adoption dates are written ("5 December 2014").
MONTHS = LANGUAGE_MONTHS["en"]


def adoption_words(adopted: str) -> str:
    """An ISO adoption date in words ("5 December 2014"); any other value as it is."""
    try:
        d = date.fromisoformat(adopted)
    except ValueError:
        return adopted
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def read_only_reason(document: Document) -> str | None:
    """Why an adopted document takes no negotiating action (None while it is not adopted)."""
    if not document.adopted:
        return None
    return (
        f"{document.id} was adopted on {adoption_words(document.adopted)}: it is read only;"
        f" the secretariat may lift it with `meta {document.id} --adopted {LIFT_ADOPTION}`"
    )


def allowed(role: Role, action: str) -> bool:
    """True when the policy lets `role` take `action`."""
    return role in POLICY.get(action, frozenset())


#: Who may create or initialise a record when a roster pins logins. In single-user mode
#: whoever runs `init` may: the record is theirs.
INITIALISERS = frozenset({C, S})


def initialise_refusal(who: str, role: Role) -> str | None:
    """Why a pinned `who` may not create or initialise a record; None when it may."""
    if role in INITIALISERS:
        return None
    return f"{who} ({role}) may not initialise the record: only the chair or the secretariat may"
