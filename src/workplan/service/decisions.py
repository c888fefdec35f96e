"""The chair's decisions on paragraphs: agree, delete, reopen, silence; and the status report."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from workplan.consensus import blockers
from workplan.errors import InputError, ProcedureError
from workplan.model import Decision, Paragraph
from workplan.model.languages import other_languages
from workplan.model.negotiation import STATUS_LABELS, ParagraphState, Status
from workplan.model.translation_state import Tally
from workplan.model.views import StatusPage, StatusRow
from workplan.service.core import Session
from workplan.service.negotiation_base import Negotiation, Negotiations
from workplan.service.revisions import Revisions
from workplan.service.zones import describe, document_zone, localise, zone_key, zone_name
from workplan.store import negotiation as store_neg
from workplan.store import translations as store_tr


class Decisions:
    """Chair actions on paragraphs, and the per-paragraph status."""

    def __init__(self, session: Session, negotiations: Negotiations, revisions: Revisions) -> None:
        self.session = session
        self.negotiations = negotiations
        self.revisions = revisions

    def agree(
        self,
        doc_id: str,
        refs: list[str],
        *,
        ad_ref: bool = False,
        expect_version: int | None = None,
    ) -> list[ParagraphState]:
        """Declare paragraphs agreed (ad referendum when delegations are ad ref).

        Refused, naming who or what blocks, while an objection or an open amendment stands.
        """
        with self.negotiations.negotiating("paragraph.agree", doc_id) as (rec, neg):
            paras = [self.negotiations.paragraph(neg, r) for r in refs]
            states = []
            for p in paras:
                self.negotiations.check_version(neg, p, expect_version)
                ref = neg.draft.ref(p.uid)
                state = self._ready(neg, p, rec.at, "declare {ref} agreed")
                if ad_ref and not state.ad_ref:
                    raise ProcedureError(
                        f"no delegation is ad referendum on {ref}:"
                        " declare it agreed without --ad-ref"
                    )
                decision = Decision.AGREED_AD_REF if state.ad_ref else Decision.AGREED
                rec.change(
                    self.negotiations.set_paragraph(
                        p, decision=decision, silence_until=None, ad_ref=state.ad_ref
                    )
                )
                label = "agreed ad referendum" if state.ad_ref else "agreed"
                pending = f" ({', '.join(state.ad_ref)} ad ref)" if state.ad_ref else ""
                rec.event(
                    f"paragraph.{decision}",
                    {
                        "uid": p.uid,
                        "ref": ref,
                        "ad_ref": state.ad_ref,
                        "summary": f"{neg.draft.named(p.uid)} {label}{pending}",
                    },
                    document=doc_id,
                )
                states.append(
                    replace(state, status=Status.AGREED_AD_REF if state.ad_ref else Status.AGREED)
                )
        return states

    def delete_paragraph(
        self, doc_id: str, refs: list[str], *, expect_version: int | None = None
    ) -> list[str]:
        """Declare paragraphs deleted (agreed to remove). Their open amendments are superseded.

        Returns the deleted paragraphs' uids, in the order of `refs` (their refs are gone).
        """
        with self.negotiations.negotiating("paragraph.delete", doc_id) as (rec, neg):
            paras = [self.negotiations.paragraph(neg, r) for r in refs]
            for p in paras:
                self.negotiations.check_version(neg, p, expect_version)
                ref = neg.draft.ref(p.uid)
                rec.change(
                    self.negotiations.set_paragraph(
                        p, decision=Decision.DELETED, silence_until=None
                    )
                )
                for am in neg.by_target.get(p.uid, []):
                    if am.is_open and am.kind != "insert":
                        rec.change(
                            store_neg.supersede_amendment(self.session.db, doc_id, am.id, rec.at)
                        )
                rec.event(
                    "paragraph.deleted",
                    {"uid": p.uid, "ref": ref, "summary": f"{neg.draft.named(p.uid)} deleted"},
                    document=doc_id,
                )
        return [p.uid for p in paras]

    def reopen(
        self, doc_id: str, refs: list[str], *, expect_version: int | None = None
    ) -> list[str]:
        """Reopen agreed, ad ref, deleted or silenced paragraphs for negotiation.

        Returns their uids, in the order of `refs` (a reopened deleted paragraph gets a new ref).
        """
        with self.negotiations.negotiating("paragraph.reopen", doc_id) as (rec, neg):
            paras = [self.negotiations.paragraph(neg, r, live=False) for r in refs]
            for p in paras:
                self.negotiations.check_version(neg, p, expect_version)
                ref = neg.draft.ref(p.uid) if not p.deleted else p.uid
                if p.decision == Decision.OPEN:
                    raise ProcedureError(f"{ref} is already open")
                rec.change(
                    self.negotiations.set_paragraph(
                        p, decision=Decision.OPEN, silence_until=None, ad_ref=[]
                    )
                )
                rec.event(
                    "paragraph.reopened",
                    {
                        "uid": p.uid,
                        "ref": ref,
                        "was": str(p.decision),
                        "summary": f"{neg.draft.named(p.uid)} reopened (was {p.decision})",
                    },
                    document=doc_id,
                )
        return [p.uid for p in paras]

    def silence(
        self,
        doc_id: str,
        refs: list[str],
        until: datetime | str,
        *,
        expect_version: int | None = None,
    ) -> datetime:
        """Put paragraphs under the silence procedure until a deadline (returned in UTC).

        A deadline without a zone is read in the document's time zone (`time_zone`).
        """
        tz = self.time_zone(doc_id)
        deadline = parse_deadline(until, self.session.now(), tz)
        if deadline <= self.session.now():
            raise InputError(f"the silence deadline {describe(deadline, tz)} is in the past")
        with self.negotiations.negotiating("paragraph.silence", doc_id) as (rec, neg):
            paras = [self.negotiations.paragraph(neg, r) for r in refs]
            for p in paras:
                self.negotiations.check_version(neg, p, expect_version)
                ref = neg.draft.ref(p.uid)
                self._ready(neg, p, rec.at, "put {ref} under silence")
                rec.change(
                    self.negotiations.set_paragraph(
                        p, decision=Decision.SILENCE, silence_until=deadline
                    )
                )
                rec.event(
                    "paragraph.silence",
                    {
                        "uid": p.uid,
                        "ref": ref,
                        "until": deadline.isoformat(),
                        "timezone": zone_key(tz),
                        "summary": f"{neg.draft.named(p.uid)} under silence until"
                        f" {describe(deadline, tz)}",
                    },
                    document=doc_id,
                )
        return deadline

    def time_zone(self, doc_id: str) -> ZoneInfo:
        """The zone a document's deadlines are read and shown in: its own
        (`meta --timezone`), else the host's."""
        return document_zone(self.session.document(doc_id))

    def _ready(self, neg: Negotiation, p: Paragraph, at: datetime, what: str) -> ParagraphState:
        """The paragraph's state, refused unless the chair may close it (no objection, no open
        amendment, not already agreed)."""
        ref = neg.draft.ref(p.uid)
        state = neg.state(p, at)
        if state.status in (Status.AGREED, Status.AGREED_AD_REF):
            raise ProcedureError(f"{ref} is already {STATUS_LABELS[state.status]}")
        why = blockers(state)
        if why:
            raise ProcedureError(f"cannot {what.format(ref=ref)}: {why}")
        return state

    def status(self, doc_id: str) -> dict[str, Any]:
        """Per paragraph: ref, uid, status, open amendments, objections, ad ref, reservations,
        translations; then the counts (what `status --json` prints: the read path's
        `StatusPage`, built here from the loaded negotiation)."""
        neg = self.negotiations.load(doc_id)
        now = self.session.now()
        counts = dict.fromkeys(Status, 0)
        formerly = self.revisions.formerly(doc_id)
        langs = other_languages(neg.draft.document.original_language)
        sources = store_tr.paragraph_sources(self.session.db, doc_id)
        tally = Tally(langs)
        rows = []
        for p in neg.draft.paragraphs:
            st = neg.state(p, now)
            counts[st.status] += 1
            in_languages = tally.add(sources.get(p.uid, {}), p.version, deleted=p.deleted)
            rows.append(
                StatusRow(
                    ref=neg.draft.refs.get(p.uid, ""),
                    formerly=formerly.get(p.uid, ""),
                    uid=p.uid,
                    kind=str(p.kind),
                    version=p.version,
                    state=st,
                    reservations=tuple(r.id for r in neg.reservations_on(p.uid)),
                    translations=dict(in_languages),
                )
            )
        zone, _ = zone_name(neg.draft.document)
        page = StatusPage(
            document=doc_id,
            timezone=zone,
            rows=tuple(rows),
            counts=counts,
            translations=tally.counts,
        )
        return page.as_json()


_RELATIVE = re.compile(r"^\+\s*(\d+(?:\.\d+)?)\s*([mhd])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_deadline(
    value: datetime | str, now: datetime | None = None, tz: tzinfo = UTC
) -> datetime:
    """A deadline, in UTC: ISO 8601 (a time without a zone is read in `tz`, the working
    group's zone; `Z` or an offset say their own), or a delay from `now` such as "+72h",
    "+3d" or "+90m"."""
    if isinstance(value, str):
        if now is not None and (m := _RELATIVE.match(value.strip())):
            try:
                return now + timedelta(**{_UNITS[m.group(2).lower()]: float(m.group(1))})
            except (OverflowError, ValueError):
                raise InputError(f"a deadline of {value.strip()[:40]!r} is too far away") from None
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                "a deadline is an ISO 8601 time (2026-03-05T17:00 in the group's time zone,"
                f" or 2026-03-05T17:00Z) or a delay from now (+72h, +3d, +90m), not {value!r}"
            ) from None
    if value.tzinfo is None:
        value = localise(value, tz)
    return value.astimezone(UTC)
