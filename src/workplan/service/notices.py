"""Notices: what, in the events just recorded, concerns the one looking at a document.

An open TUI reads the events since the last one it saw whenever another process commits, and
shows a notice for each that concerns its user (`notices` decides, from the events and a
`Viewer`; it reads nothing). The rules:

- **Silence broken** (who broke it, on which paragraph, why): every delegation, the chair (as
  a warning: an objection broke the procedure the chair opened) and the secretariat.
- **A new amendment** (modify, delete, move) on a paragraph the viewer's delegation holds a
  position on (on the paragraph or on an amendment to it), has a reservation attached to, or
  sponsors another open amendment on. An insertion is not about its anchor (see
  `workplan.consensus`): it is not notified to those interested in the anchor.
- **Its own amendment** (proposed or co-sponsored): needing a rebase (it no longer applies to
  the paragraph's new text), re-applied cleanly, accepted, rejected, superseded (by an
  accepted deletion or the chair deleting the paragraph), or withdrawn by its proposer (for
  the co-sponsors).
- Nothing the viewer did itself (events whose actor is the viewer) is notified back to it.
- **Observers get none**: they hold no position and sponsor nothing, and a notice is about
  what the viewer may have to act on; they see every change in the refreshed screens.
- Only the document open is watched; events of other documents are passed over.

A viewer's interests are read when the events are (within a second or two of them in a TUI),
not as they stood at each event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from workplan.model import Event, Role
from workplan.model.negotiation import AmendmentKind
from workplan.service.core import Session
from workplan.service.negotiation_base import Negotiations
from workplan.store import events as store_events
from workplan.store import negotiation as store_neg

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Notice:
    """One thing to tell the viewer."""

    event: int
    """The id of the event it comes from."""
    kind: str
    """`silence-broken`, `new-amendment`, `needs-rebase`, `rebased`, `accepted`, `rejected`,
    `superseded` or `withdrawn`."""
    ref: str
    """The paragraph's ref (its uid when it has none)."""
    title: str
    """A short heading: "Silence broken", "New amendment", "Your amendment"."""
    message: str
    """One sentence naming the paragraph by its ref."""
    severity: Severity = "information"
    """How it is shown: `warning` when the viewer must act or the procedure was interrupted."""


@dataclass(frozen=True)
class AmendmentInfo:
    """What the rules need to know of an amendment."""

    target: str
    """The uid of the paragraph it amends (the anchor of an insertion)."""
    kind: str
    """modify, insert, delete or move."""
    proposer: str
    """The proposing delegation."""
    sponsors: tuple[str, ...] = ()
    """The proposer and its co-sponsors."""
    result_uid: str | None = None
    """For an accepted insertion, the new paragraph's uid."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a document, and what of it concerns them."""

    principal: str
    """The acting principal's id (the actor of the events it records itself)."""
    role: Role
    """Its role."""
    delegation: str | None = None
    """The delegation it speaks for (the secretariat's `--for`), if any."""
    interests: frozenset[str] = frozenset()
    """Paragraph uids the delegation holds a position or a reservation on, or sponsors an
    open amendment on."""
    amendments: Mapping[str, AmendmentInfo] = field(default_factory=dict)
    """The document's amendments by id."""
    refs: Mapping[str, str] = field(default_factory=dict)
    """uid → the paragraph's ref as shown now."""

    def ref(self, uid: str | None, fallback: str = "") -> str:
        """A paragraph's ref now, else `fallback`, else its uid."""
        if not uid:
            return fallback or "?"
        return self.refs.get(uid) or fallback or uid

    def sponsors(self, aid: str) -> bool:
        """Whether the viewer's delegation proposed or co-sponsors amendment `aid`."""
        info = self.amendments.get(aid)
        return bool(self.delegation and info and self.delegation in info.sponsors)


def notices(events: Iterable[Event], viewer: Viewer) -> list[Notice]:
    """The notices for `viewer` in `events` (in order); see the module's rules."""
    if viewer.role == Role.OBSERVER:
        return []
    out: list[Notice] = []
    for e in events:
        if e.actor == viewer.principal:
            continue
        out += _for_event(e, viewer)
    return out


def _for_event(e: Event, v: Viewer) -> list[Notice]:
    p = e.payload
    if e.action == "silence.broken":
        ref = v.ref(p.get("uid"), str(p.get("ref") or ""))
        by, why = p.get("by") or e.on_behalf_of or e.actor, str(p.get("why") or "")
        why = why.replace(f" ({p.get('uid')})", "")  # the record names it "OP4 (uid)"
        because = f" ({why})" if why else ""
        severity: Severity = "warning" if v.role == Role.CHAIR else "information"
        return [
            Notice(
                e.id,
                "silence-broken",
                ref,
                "Silence broken",
                f"Silence on {ref} broken by {by}{because}",
                severity,
            )
        ]
    if e.action == "amendment.proposed":
        return _proposed(e, v)
    if e.action == "paragraph.deleted":
        superseded = [
            str(change.get("key", {}).get("id"))
            for change in p.get("changes", [])
            if change.get("t") == "amendments"
            and change.get("op") == "update"
            and change.get("cols", {}).get("status") == "superseded"
        ]
        text = "{aid} superseded: {ref} deleted by the chair"
        return [_own(e, v, a, "superseded", text, "warning") for a in superseded if v.sponsors(a)]
    aid = str(p.get("amendment") or "")
    if not aid or not v.sponsors(aid):
        return []
    info = v.amendments[aid]
    if e.action == "amendment.needs-rebase":
        who = "revise it" if info.proposer == v.delegation else f"{info.proposer} must revise it"
        return [
            _own(
                e,
                v,
                aid,
                "needs-rebase",
                f"{{aid}} no longer applies to the new text of {{ref}}: {who}",
                "warning",
            )
        ]
    if e.action == "amendment.rebased":
        return [_own(e, v, aid, "rebased", "{aid} re-applied to the new text of {ref}")]
    if e.action == "amendment.accepted":
        if info.kind == AmendmentKind.INSERT and info.result_uid:
            new = v.ref(info.result_uid)
            return [_own(e, v, aid, "accepted", f"{{aid}} accepted: new paragraph {new}")]
        return [_own(e, v, aid, "accepted", "{aid} on {ref} accepted")]
    if e.action == "amendment.rejected":
        return [_own(e, v, aid, "rejected", "{aid} on {ref} rejected", "warning")]
    if e.action == "amendment.superseded":
        by = f" by {p['by']}" if p.get("by") else ""
        return [_own(e, v, aid, "superseded", f"{{aid}} on {{ref}} superseded{by}", "warning")]
    if e.action == "amendment.withdrawn" and info.proposer != v.delegation:
        what = f"{{aid}} on {{ref}} withdrawn by {info.proposer}"
        return [_own(e, v, aid, "withdrawn", what)]
    return []


def _own(
    e: Event, v: Viewer, aid: str, kind: str, text: str, severity: Severity = "information"
) -> Notice:
    """A notice about the viewer's own amendment `aid`; `text` names it {aid} and {ref}."""
    info = v.amendments.get(aid)
    where = v.ref(info.target) if info else "?"
    if info and info.kind == AmendmentKind.INSERT and "{ref}" in text:
        where = f"the new paragraph after {where}"
    return Notice(e.id, kind, where, "Your amendment", text.format(aid=aid, ref=where), severity)


def _proposed(e: Event, v: Viewer) -> list[Notice]:
    p = e.payload
    uid, aid = str(p.get("uid") or ""), str(p.get("amendment") or "")
    proposer = e.on_behalf_of or e.actor
    if (
        not v.delegation
        or proposer == v.delegation
        or p.get("kind") == AmendmentKind.INSERT
        or uid not in v.interests
    ):
        return []
    ref = v.ref(uid)
    kind = {"modify": "new text", "delete": "deletion", "move": "move"}.get(str(p.get("kind")), "")
    what = f" ({kind})" if kind else ""
    return [
        Notice(
            e.id,
            "new-amendment",
            ref,
            "New amendment",
            f"{aid} by {proposer} on {ref}{what}",
        )
    ]


class Notices:
    """Reading the events since one seen, and what in them concerns the acting principal."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def last_event_id(self) -> int:
        """The id of the record's last event (0 when empty)."""
        return store_events.head(self.session.db)[0]

    def events_since(self, after: int, doc_id: str | None = None) -> list[Event]:
        """The events after event `after`, in order (of one document, or all)."""
        return store_events.list_events(self.session.db, document=doc_id, after=after)

    def viewer(self, doc_id: str) -> Viewer:
        """The acting principal as `notices` sees it, for document `doc_id`."""
        neg = self.negotiations.load(doc_id)
        delegation = self.session.acting_delegation()
        amendments = {
            a.id: AmendmentInfo(a.target, str(a.kind), a.proposer, tuple(a.sponsors), a.result_uid)
            for a in neg.amendments
        }
        interests: set[str] = set()
        if delegation:
            for target in store_neg.positions_of(self.session.db, doc_id, delegation):
                interests.add(amendments[target].target if target in amendments else target)
            for r in neg.reservations:
                if r.delegation == delegation and not r.withdrawn:
                    interests.update(r.paragraphs)
            for a in neg.amendments:
                if a.is_open and delegation in a.sponsors and a.kind != AmendmentKind.INSERT:
                    interests.add(a.target)
        return Viewer(
            self.session.principal.id,
            self.session.principal.role,
            delegation,
            frozenset(interests),
            amendments,
            dict(neg.draft.refs),
        )

    def notices_since(self, doc_id: str, after: int) -> tuple[int, list[Notice]]:
        """The last event id now, and the notices for the acting principal in the events of
        `doc_id` after event `after` (see `notices`)."""
        events = self.events_since(after)
        last = events[-1].id if events else after
        mine = [e for e in events if e.document == doc_id]
        if not mine or self.session.principal.role == Role.OBSERVER:
            return last, []
        return last, notices(mine, self.viewer(doc_id))
