"""Revisions: freeze the draft as rev. N, list them, show one exactly as it was."""

from __future__ import annotations

import re

from workplan.errors import NotFoundError, UsageError
from workplan.model.document import split_revision
from workplan.model.negotiation import Revision
from workplan.model.refs import compute_refs
from workplan.model.text import counted
from workplan.service.core import Session
from workplan.service.negotiation_base import Negotiations
from workplan.store import documents as store_documents
from workplan.store import events as store_events
from workplan.store import negotiation as store_neg
from workplan.store import notes as store_notes

_REVISION = re.compile(r"(?:rev\.?\s*)?(\d+)", re.IGNORECASE)


#: What a revision number too large to exist reads as (no record holds 10**18 revisions).
NO_SUCH_REVISION = 10**18


def revision_symbol(symbol: str, number: int) -> str:
    """The symbol of the document's `number`-th revision in the record: `CP/CSH/doc.1/22 rev.
    2`; a symbol that is already a revision (`... rev. 3`, as imported) goes on from it
    (`... rev. 4`), never `rev. 3 rev. 1`."""
    base, own = split_revision(symbol)
    if own is not None:
        return f"{base} rev. {own + number}"
    return f"{base} rev. {number}" if base else f"rev. {number}"


def revision_number(spec: int | str) -> int | None:
    """The number in `rev. 2`, `rev 2`, `rev.2` or `2` (any case); None if `spec` is not one."""
    if isinstance(spec, int):
        return spec
    m = _REVISION.fullmatch(spec.strip())
    if not m:
        return None
    digits = m.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else NO_SUCH_REVISION


class Revisions:
    """Freezing and reading revisions."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def revise(self, doc_id: str) -> Revision:
        """Freeze the current draft as the next revision (secretariat or chair)."""
        with self.negotiations.negotiating("revision.freeze", doc_id) as (rec, neg):
            number = len(store_neg.revisions(self.session.db, doc_id)) + 1
            doc = neg.draft.document
            symbol = revision_symbol(doc.symbol, doc.revision_number(number))
            now = rec.at
            # The revision renumbers: refs held since the last one (`OP4 bis`) become plain
            # numbers, and each paragraph whose number changes says what it was.
            held = neg.draft.refs
            renumbered = compute_refs(neg.draft.paragraphs, neg.draft.sections, doc.numbering)
            paragraphs = []
            for p in neg.draft.paragraphs:
                st = neg.state(p, now)
                ref = renumbered.get(p.uid, "")
                paragraphs.append(
                    {
                        "uid": p.uid,
                        "ref": ref,
                        "formerly": held.get(p.uid, "") if held.get(p.uid, "") != ref else "",
                        "kind": str(p.kind),
                        "section": p.section,
                        "text": p.text,
                        "version": p.version,
                        "lineage": str(p.lineage) if p.lineage else None,
                        "status": str(st.status),
                        "objecting": st.objecting,
                        "ad_ref": st.ad_ref,
                        "silence_until": (
                            st.silence_until.isoformat() if st.silence_until else None
                        ),
                        "open_amendments": [
                            a.model_dump(mode="json")
                            for a in neg.by_target.get(p.uid, [])
                            if a.is_open
                        ],
                        "reservations": [
                            {"id": r.id, "delegation": r.delegation, "text": r.text}
                            for r in neg.reservations_on(p.uid)
                        ],
                    }
                )
            snapshot = {
                "document": doc.model_dump(mode="json"),
                "sections": [s.model_dump(mode="json") for s in neg.draft.sections],
                "paragraphs": paragraphs,
            }
            notes = store_notes.notes(self.session.db, doc_id)
            if notes:  # the notes in force, as frozen (a reprint prints them)
                snapshot["notes"] = [n.model_dump(mode="json") for n in notes]
            head = store_events.head(self.session.db)[1]
            rev = Revision(
                document=doc_id,
                number=number,
                symbol=symbol,
                at=now,
                chain_head=head,
                snapshot=snapshot,
            )
            rec.change(
                store_documents.update_paragraphs(
                    self.session.db,
                    [
                        (p.uid, {"held_ref": renumbered.get(p.uid) or None})
                        for p in neg.draft.paragraphs
                        if (renumbered.get(p.uid) or None) != p.held_ref
                    ],
                ),
                store_neg.put_revision(self.session.db, rev),
            )
            rec.event(
                "revision.frozen",
                {
                    "number": number,
                    "symbol": symbol,
                    "chain_head": head,
                    "summary": f"{symbol} frozen ({counted(len(paragraphs), 'paragraph')})",
                },
                document=doc_id,
            )
        return rev

    def formerly(self, doc_id: str) -> dict[str, str]:
        """uid → "OP2 bis (before rev. 1)" for each paragraph the last revision renumbered."""
        found = store_neg.renumbered(self.session.db, doc_id)
        if found is None:
            return {}
        number, was = found
        return {uid: f"{ref} (before rev. {number})" for uid, ref in was.items()}

    def revisions(self, doc_id: str) -> list[Revision]:
        """A document's revisions (without snapshots)."""
        self.session.document(doc_id)
        return store_neg.revisions(self.session.db, doc_id)

    def revision(self, doc_id: str, number: int | str) -> Revision:
        """One revision with its snapshot, exactly as frozen: `number` is 2, "2" or "rev. 2"."""
        n = revision_number(number)
        if n is None:
            raise UsageError(f'a revision is a number such as 2 or "rev. 2", not {number!r}')
        rev = store_neg.revision(self.session.db, doc_id, n) if n < NO_SUCH_REVISION else None
        if rev is None:
            shown = str(number) if len(str(number)) <= 40 else str(number)[:40] + "…"
            raise NotFoundError(f"{doc_id} has no revision {shown}")
        return rev
