"""Exports: the clean consensus text, the compilation text and the redline between revisions."""

from __future__ import annotations

import re
from datetime import datetime

from workplan.footnotes import FootnoteSource, plan_footnotes
from workplan.formats.export import Block, ExportDoc, Segment
from workplan.model import Draft, Paragraph
from workplan.model.negotiation import AmendmentKind, Status
from workplan.model.refs import compute_refs
from workplan.service.negotiation_base import Negotiation, NegotiationBase

ORGAN = [
    "PERMANENT COUNCIL OF THE",
    "ORGANIZATION OF AMERICAN STATES",
    "COMMITTEE ON HEMISPHERIC SECURITY",
]
AGREED = (Status.AGREED, Status.AGREED_AD_REF)
_NUMBERED = re.compile(r"(?:^|/)(?:OP|FU)(\d+(?: [a-z]+|-\d+)?)$")


def _label(ref: str) -> list[Segment]:
    """The printed number of an operative or follow-up paragraph (`12.`, `4 bis.`)."""
    m = _NUMBERED.search(ref)
    return [Segment(text=f"{m[1]}.")] if m else []


class ExportsMixin(NegotiationBase):
    """Building exports from the record."""

    def _names(self) -> dict[str, str]:
        return {d.code: d.name_en for d in self.delegations()}  # type: ignore[attr-defined]

    def _header(self, draft: Draft, when: datetime) -> tuple[list[str], str]:
        doc = draft.document
        revs = self.revisions(doc.id)  # type: ignore[attr-defined]
        # No symbol (an imported text may have none): the revision alone, never " rev. N".
        symbol = " ".join(x for x in (doc.symbol, f"rev. {revs[-1].number}" if revs else "") if x)
        header = [
            *ORGAN,
            "OEA/Ser.G",
            symbol,
            f"{when:%-d %B %Y}",
            f"Original: {doc.original_language}",
        ]
        title = doc.title + (f" ({doc.period})" if doc.period else "")
        return [h for h in header if h], title

    def _closing(self, doc_id: str | None = None, numbers: tuple[int, ...] = ()) -> str:
        """The last line: the record's chain head now, and at each revision named.

        With `doc_id` and no numbers, the latest revision (the one the header names).
        """
        head = self.head()  # type: ignore[attr-defined]
        line = f"Record chain head: {head} (check with `workplan verify --expect-head HASH`)"
        if doc_id is None:
            return line
        revs = {r.number: r for r in self.revisions(doc_id)}  # type: ignore[attr-defined]
        wanted = numbers or ((max(revs),) if revs else ())
        for n in dict.fromkeys(wanted):
            if n in revs:
                line += f". Record chain head at rev. {n}: {revs[n].chain_head}"
        return line

    def _blocks(
        self,
        neg: Negotiation,
        keep: list[Paragraph],
        body: dict[str, list[Segment]],
        extra: dict[str, list[Block]] | None = None,
    ) -> list[Block]:
        draft = neg.draft
        refs = compute_refs(keep, draft.sections, draft.document.numbering)
        blocks: list[Block] = []
        shown: set[str] = set()
        for p in keep:
            for depth, s in enumerate(draft.section_path(p.section), start=1):
                if s.id not in shown:
                    shown.add(s.id)
                    blocks.append(
                        Block(kind="heading", level=depth, segments=[Segment(text=s.title)])
                    )
            blocks.append(
                Block(
                    kind="paragraph",
                    key=p.uid,
                    label=_label(refs.get(p.uid, "")),
                    segments=body[p.uid],
                )
            )
            blocks += (extra or {}).get(p.uid, [])
        return blocks

    def _footnotes(self, neg: Negotiation, keep: list[Paragraph]):  # type: ignore[no-untyped-def]
        return plan_footnotes(
            (
                p.uid,
                [
                    FootnoteSource(reservation=r.id, delegation=r.delegation or "", text=r.text)
                    for r in neg.reservations_on(p.uid)
                ],
            )
            for p in keep
        )

    def export_clean(self, doc_id: str, *, include_all: bool = False) -> ExportDoc:
        """The consensus text: agreed paragraphs (or all, unagreed ones bracketed), renumbered,
        reservations as footnotes, a header block and the chain head as the last line."""
        neg = self.negotiation(doc_id)
        now = self.now()
        states = {p.uid: neg.state(p, now) for p in neg.draft.paragraphs}
        keep = [
            p
            for p in neg.draft.paragraphs
            if not p.deleted and (include_all or states[p.uid].status in AGREED)
        ]
        body = {
            p.uid: [
                Segment(text=p.text, style="plain" if states[p.uid].status in AGREED else "bracket")
            ]
            for p in keep
        }
        header, title = self._header(neg.draft, now)
        return ExportDoc(
            header=header,
            title=title,
            blocks=self._blocks(neg, keep, body),
            footnotes=self._footnotes(neg, keep),
            closing=self._closing(doc_id),
        )

    def export_compilation(self, doc_id: str) -> ExportDoc:
        """Every paragraph with every open proposal in place, attributed, with its status."""
        from workplan.consensus import alternatives
        from workplan.model.negotiation import STATUS_LABELS

        neg = self.negotiation(doc_id)
        now = self.now()
        names = self._names()

        def who(codes: list[str]) -> str:
            return ", ".join(names.get(c, c) for c in codes)

        keep = [p for p in neg.draft.paragraphs if not p.deleted]
        body: dict[str, list[Segment]] = {}
        extra: dict[str, list[Block]] = {}
        for p in keep:
            st = neg.state(p, now)
            body[p.uid] = [
                Segment(text=p.text, style="plain" if st.status in AGREED else "bracket")
            ]
            notes: list[Block] = []
            alts = alternatives(neg.by_target.get(p.uid, []))
            for a in neg.by_target.get(p.uid, []):
                if not a.is_open:
                    continue
                if a.kind == AmendmentKind.MODIFY:
                    text = f"Alt {alts.get(a.id, '?')} ({who(a.sponsors)}): {a.text}"
                elif a.kind == AmendmentKind.DELETE:
                    text = f"Delete: {who(a.sponsors)}"
                elif a.kind == AmendmentKind.MOVE:
                    text = f"Move after {neg.draft.ref(str(a.anchor))}: {who(a.sponsors)}"
                else:
                    text = f"New paragraph {a.placement} ({who(a.sponsors)}): {a.text}"
                notes.append(
                    Block(
                        kind="paragraph",
                        key=f"{p.uid}/{a.id}",
                        segments=[Segment(text=f"{a.id} {text}", style="bracket")],
                    )
                )
            status = [STATUS_LABELS[st.status].capitalize()]
            if st.objecting:
                status.append(f"Objecting: {who(st.objecting)}")
            if st.ad_ref:
                status.append(f"Ad referendum: {who(st.ad_ref)}")
            if st.silence_until:
                status.append(f"Under silence until {st.silence_until:%Y-%m-%d %H:%M} UTC")
            notes.append(Block(kind="note", segments=[Segment(text=". ".join(status) + ".")]))
            extra[p.uid] = notes
        header, title = self._header(neg.draft, now)
        return ExportDoc(
            header=header,
            title=f"{title} — compilation text",
            blocks=self._blocks(neg, keep, body, extra),
            footnotes=self._footnotes(neg, keep),
            closing=self._closing(doc_id),
        )
