"""Exports: the clean consensus text, the compilation text and the redline between revisions.

Every export is built from one `_Text`: the working draft as it stands now, or a revision
exactly as it was frozen (`rev`), so that a revision reprints the same bytes however the
negotiation goes on. The header says which one it is (`_header`, the one place its lines are
made): a revision wears its symbol `... rev. N` and its freeze date; the working draft the
document's symbol and "Working draft after rev. N, printed <date time> UTC"; an adopted text its
adoption date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from workplan.footnotes import (
    TITLE_KEY,
    FootnotePlan,
    FootnoteSource,
    note_sources,
    plan_footnotes,
    section_key,
)
from workplan.formats.export import Block, ExportDoc, Segment, Style
from workplan.model import Draft, Paragraph
from workplan.model.document import Decision, Document, ParagraphKind, Section
from workplan.model.languages import language_code, require_language
from workplan.model.negotiation import Amendment, AmendmentKind, Revision, Status
from workplan.model.note import Note
from workplan.model.refs import compute_refs
from workplan.service.core import Session
from workplan.service.negotiation_base import Negotiations
from workplan.service.revisions import Revisions
from workplan.service.zones import describe, document_zone

AGREED = (Status.AGREED, Status.AGREED_AD_REF)
_NUMBERED = re.compile(r"(?:^|/)(?:OP|FU)(\d+(?: [a-z]+|-\d+)?)$")
#: Hex digits of a chain head printed in the record line (`verify --expect-head` takes >= 12).
SHORT_HEAD = 32
#: The document properties holding the full chain heads.
HEAD_PROPERTY = "Record chain head"


def printed_number(ref: str) -> str:
    """The number an operative or follow-up paragraph prints (`12`, `4 bis` for `OP4 bis`,
    `prevention/OP3`); empty for the others, whose refs (`PP3`, `OBJ2`) are never printed."""
    m = _NUMBERED.search(ref)
    return m[1] if m else ""


def _label(ref: str) -> list[Segment]:
    """The printed number of an operative or follow-up paragraph (`12.`, `4 bis.`)."""
    number = printed_number(ref)
    return [Segment(text=f"{number}.")] if number else []


def _word_diff(old: str, new: str) -> list[Segment]:
    """`new` against `old` word by word, as the TUI shows an alternative: the words it takes
    out struck through, the words it puts in underlined."""
    from workplan.diffing import word_diff

    style: dict[str, Style] = {"=": "plain", "-": "struck", "+": "underlined"}
    return [Segment(text=t, style=style[op]) for op, t in word_diff(old, new)]


@dataclass(frozen=True)
class Masthead:
    """What an export's header block says and the date its text carries."""

    organ: list[str]
    """The left column: the organ's lines, as the document's metadata gives them (or none)."""
    header: list[str]
    """The right column: series, symbol, date line, `Original: ...` (empty lines left out)."""
    title: str
    """The title with the period; empty while the document has no title."""
    at: datetime
    """The date the text carries."""


def masthead(
    document: Document, symbol: str, dated: str, at: datetime, lang: str | None = None
) -> Masthead:
    """The header of an export of `document`: its organ and series (never invented: left
    out while unknown), `symbol`, the `dated` line, `Original: ...` (in `lang` when the text
    is printed in another language: `Original: inglés`), and the title."""
    from workplan.model.languages import original_line

    original = (
        original_line(document.original_language, lang)
        if lang
        else f"Original: {document.original_language}"
    )
    header = [document.series, symbol, dated, original]
    title = document.title
    if title and document.period:
        title += f" ({document.period})"
    return Masthead(document.organ, [h for h in header if h], title, at)


def titled(title: str, what: str) -> str:
    """`title — what`, or `What` alone for a document without a title."""
    return f"{title} — {what}" if title else what[:1].upper() + what[1:]


def record_line(heads: list[tuple[str, str]]) -> str:
    """The plain last line naming the record's chain heads, short: `Record 3febb8fd12345678`
    (the head when printed), `Record 9a8b7c6d5e4f3a2b (rev. 2)`, or several, comma-separated,
    each labelled once there is more than one. `heads` pairs a label ("" for the head when
    printed, "rev. N") with a full head."""
    if len(heads) == 1 and not heads[0][0]:
        return f"Record {heads[0][1][:SHORT_HEAD]}"
    parts = [f"{h[:SHORT_HEAD]} ({label or 'at printing'})" for label, h in heads]
    return "Record " + ", ".join(parts)


def record_properties(heads: list[tuple[str, str]]) -> dict[str, str]:
    """The full chain heads as document properties (`Record chain head`, `... at rev. N`)."""
    return {(f"{HEAD_PROPERTY} at {label}" if label else HEAD_PROPERTY): h for label, h in heads}


@dataclass
class _Para:
    """A paragraph as an export prints it, with where the negotiation stood on it."""

    paragraph: Paragraph
    status: Status
    objecting: list[str] = field(default_factory=list)
    ad_ref: list[str] = field(default_factory=list)
    silence_until: datetime | None = None
    amendments: list[Amendment] = field(default_factory=list)
    """Open amendments on it (and insertions next to it), in the order proposed."""
    notes: list[FootnoteSource] = field(default_factory=list)
    """Its notes (the document's, in order), then its reservations, in the order attached."""


@dataclass
class _Text:
    """What an export is made from: the working draft now, or a revision as frozen."""

    draft: Draft
    paras: list[_Para]
    refs: dict[str, str]
    """uid → ref as this text names its paragraphs (a move's destination)."""
    head: Masthead
    closing: str
    properties: dict[str, str]
    called: dict[str, list[FootnoteSource]] = field(default_factory=dict)
    """The notes called from the title (`TITLE_KEY`) and from headings (`section_key`)."""
    rev: Revision | None = None
    """The revision it reprints, if any."""


@dataclass
class _InLanguage:
    """A text in another language: what to print, which paragraphs are printed in the
    original's words (in brackets), and the report of everything untranslated."""

    text: _Text
    keep: list[_Para]
    bracketed: set[str]
    untranslated: list[str]


def _frozen_paragraph(p: dict[str, Any], document: str, position: int) -> _Para:
    """A paragraph of a revision's snapshot, its text untouched (no validation rewrites it)."""
    from workplan.model.document import Lineage

    status = Status(p["status"])
    lineage = None
    if p.get("lineage"):
        doc, _, uid = str(p["lineage"]).partition("/")
        lineage = Lineage.model_construct(document=doc, uid=uid)
    paragraph = Paragraph.model_construct(
        uid=p["uid"],
        document=document,
        position=position,
        section=p.get("section"),
        kind=ParagraphKind(p["kind"]),
        text=p["text"],
        version=p.get("version", 1),
        lineage=lineage,
        decision=Decision.DELETED if status == Status.DELETED else Decision.OPEN,
        silence_until=None,
        ad_ref=[],
        held_ref=p.get("ref") or None,
    )
    until = p.get("silence_until")
    return _Para(
        paragraph=paragraph,
        status=status,
        objecting=list(p.get("objecting") or []),
        ad_ref=list(p.get("ad_ref") or []),
        silence_until=datetime.fromisoformat(until) if until else None,
        amendments=[
            Amendment.model_validate(a).model_copy(update={"text": a.get("text", "")})
            for a in p.get("open_amendments") or []
        ],
        notes=[
            FootnoteSource(
                reservation=r["id"], delegation=r.get("delegation") or "", text=r["text"]
            )
            for r in p.get("reservations") or []
        ],
    )


def _with_notes(
    paras: list[_Para], notes: dict[str, list[FootnoteSource]]
) -> dict[str, list[FootnoteSource]]:
    """Put each paragraph's notes before its reservations; return the notes called from the
    title and the headings."""
    for x in paras:
        x.notes = [*notes.pop(x.paragraph.uid, []), *x.notes]
    return notes


class Exports:
    """Building exports from the record: the clean text and the compilation; the parts the
    redline shares (`header`, `closing`, `blocks`)."""

    def __init__(self, session: Session, negotiations: Negotiations, revisions: Revisions) -> None:
        self.session = session
        self.negotiations = negotiations
        self.revisions = revisions

    def header(
        self, document: Document, rev: Revision | None = None, lang: str | None = None
    ) -> Masthead:
        """The header block, the title and the date the text carries.

        A revision: its symbol (`... rev. N`) and its freeze date (the document as frozen). An
        adopted document: its symbol and its adoption date. A working draft: the document's
        symbol, never a revision's, and "Working draft after rev. N, printed <date time> UTC"
        ("Working draft, printed ..." before the first revision). In `lang`, its words and
        dates are that language's.
        """
        from workplan.model.languages import date_words, label

        words = lang or "en"

        def day_of(d: date) -> str:
            return date_words(d.year, d.month, d.day, words)

        if rev is not None:
            at = rev.at
            symbol, dated = rev.symbol, day_of(at)
        elif document.adopted:
            day = date.fromisoformat(document.adopted)
            at = datetime(day.year, day.month, day.day, tzinfo=UTC)
            symbol, dated = document.symbol, day_of(day)
        else:
            at = self.session.now()
            revs = self.revisions.revisions(document.id)
            last = document.revision_number(revs[-1].number if revs else 0)
            after = label("after-rev", words, n=last) if last else ""
            symbol = document.symbol
            printed = label("printed", words, date=day_of(at), time=f"{at:%H:%M}")
            dated = f"{label('working-draft', words)}{after}, {printed}"
        return masthead(document, symbol, dated, at, lang)

    def closing(
        self, doc_id: str, numbers: tuple[int, ...] = (), *, current: bool = True
    ) -> tuple[str, dict[str, str]]:
        """The last line and the document properties: the record's chain head now (unless not
        `current`), and at each revision named (with no numbers, the latest revision: the one
        the working draft follows). No line where the document switched it off."""
        heads = [("", self.session.head())] if current else []
        revs = {r.number: r for r in self.revisions.revisions(doc_id)}
        wanted = numbers or ((max(revs),) if revs else ())
        heads += [(f"rev. {n}", revs[n].chain_head) for n in dict.fromkeys(wanted) if n in revs]
        shown = self.session.document(doc_id).record_line and bool(heads)
        return (record_line(heads) if shown else ""), record_properties(heads)

    def _exported(self, doc_id: str, rev: int | str | None = None) -> _Text:
        """The working draft now, or revision `rev` exactly as frozen."""
        if rev is not None:
            return self._frozen(self.revisions.revision(doc_id, rev))
        neg = self.negotiations.load(doc_id)
        now = self.session.now()
        paras = []
        for p in neg.draft.paragraphs:
            st = neg.state(p, now)
            paras.append(
                _Para(
                    paragraph=p,
                    status=st.status,
                    objecting=st.objecting,
                    ad_ref=st.ad_ref,
                    silence_until=st.silence_until,
                    amendments=[a for a in neg.by_target.get(p.uid, []) if a.is_open],
                    notes=[
                        FootnoteSource(reservation=r.id, delegation=r.delegation or "", text=r.text)
                        for r in neg.reservations_on(p.uid)
                    ],
                )
            )
        closing, properties = self.closing(doc_id)
        from workplan.store import notes as store_notes

        called = _with_notes(paras, note_sources(store_notes.notes(self.session.db, doc_id)))
        return _Text(
            draft=neg.draft,
            paras=paras,
            refs=neg.draft.refs,
            head=self.header(neg.draft.document),
            closing=closing,
            properties=properties,
            called=called,
        )

    def _frozen(self, rev: Revision) -> _Text:
        """A revision as its snapshot holds it: text, statuses, open amendments, reservations
        and the document as they were; closed by the chain head recorded at the freeze."""
        snap = rev.snapshot
        document = Document.model_validate(snap["document"])
        paras = [_frozen_paragraph(p, rev.document, i) for i, p in enumerate(snap["paragraphs"])]
        draft = Draft.model_construct(
            document=document,
            sections=[Section.model_validate(x) for x in snap.get("sections", [])],
            paragraphs=[x.paragraph for x in paras],
        )
        closing, properties = self.closing(rev.document, (rev.number,), current=False)
        frozen_notes = [Note.model_validate(n) for n in snap.get("notes") or []]
        return _Text(
            draft=draft,
            paras=paras,
            refs={p["uid"]: p.get("ref", "") for p in snap["paragraphs"]},
            head=self.header(document, rev),
            closing=closing,
            properties=properties,
            called=_with_notes(paras, note_sources(frozen_notes)),
            rev=rev,
        )

    def blocks(
        self,
        draft: Draft,
        keep: list[Paragraph],
        body: dict[str, list[Segment]],
        extra: dict[str, list[Block]] | None = None,
        refs: dict[str, str] | None = None,
    ) -> list[Block]:
        """Headings and paragraphs, each numbered by `refs` (default: renumbered afresh, as
        the clean text is)."""
        if refs is None:
            refs = compute_refs(keep, draft.sections, draft.document.numbering)
        blocks: list[Block] = []
        shown: set[str] = set()
        for p in keep:
            for depth, s in enumerate(draft.section_path(p.section), start=1):
                if s.id not in shown:
                    shown.add(s.id)
                    blocks.append(
                        Block(
                            kind="heading",
                            level=depth,
                            key=section_key(s.id),
                            segments=[Segment(text=s.title)],
                        )
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

    @staticmethod
    def _footnotes(text: _Text, keep: list[_Para], blocks: list[Block]) -> FootnotePlan:
        """The footnotes in reading order: the title's notes, then each heading's and each
        paragraph's (its notes, then its reservations), numbered in one sequence."""
        by_uid = {x.paragraph.uid: x.notes for x in keep}
        order: list[tuple[str, list[FootnoteSource]]] = [
            (TITLE_KEY, text.called.get(TITLE_KEY, []))
        ]
        for b in blocks:
            if b.kind == "heading":
                order.append((b.key, text.called.get(b.key, [])))
            elif b.kind == "paragraph" and b.key in by_uid:
                order.append((b.key, by_uid[b.key]))
        return plan_footnotes(order)

    def export_clean(
        self,
        doc_id: str,
        *,
        include_all: bool = False,
        rev: int | str | None = None,
        lang: str | None = None,
    ) -> ExportDoc:
        """The consensus text: agreed paragraphs (or all, unagreed ones bracketed), renumbered,
        reservations as footnotes, a header block and the chain head as the last line.

        With `rev`, revision `rev` as frozen: the same bytes on every reprint. With `lang`, in
        that language (see `_in_language`)."""
        lang = self._language(doc_id, lang)
        text = self._exported(doc_id, rev)
        keep = [
            x for x in text.paras if not x.paragraph.deleted and (include_all or x.status in AGREED)
        ]
        language = self._in_language(text, keep, lang) if lang else None
        if language:
            text, keep = language.text, language.keep
        plain = {x.paragraph.uid for x in keep if x.status in AGREED}
        plain -= language.bracketed if language else set()
        body = {
            x.paragraph.uid: [
                Segment(
                    text=x.paragraph.text, style="plain" if x.paragraph.uid in plain else "bracket"
                )
            ]
            for x in keep
        }
        blocks = self.blocks(text.draft, [x.paragraph for x in keep], body)
        return self._document(text, text.head.title, blocks, keep, lang, language)

    def export_compilation(
        self, doc_id: str, *, rev: int | str | None = None, lang: str | None = None
    ) -> ExportDoc:
        """Every paragraph with every open proposal in place, attributed, with its status,
        numbered as the text on the table is (`4 bis.` between revisions).

        With `rev`, revision `rev` as frozen: the same bytes on every reprint. With `lang`,
        the text in that language (see `_in_language`); the proposals stay in the original's
        words, diffed against the original (they are negotiated on it)."""
        from workplan.consensus import alternatives
        from workplan.model.languages import STATUS_WORDS, delegation_name, label
        from workplan.model.negotiation import STATUS_LABELS

        lang = self._language(doc_id, lang)
        text = self._exported(doc_id, rev)
        names = self.session.delegation_names()
        if lang:
            names = {code: delegation_name(code, lang) for code in names}

        def who(codes: list[str]) -> str:
            return ", ".join(names.get(c, c) for c in codes)

        keep = [x for x in text.paras if not x.paragraph.deleted]
        originals = {x.paragraph.uid: x.paragraph.text for x in keep}
        language = self._in_language(text, keep, lang) if lang else None
        if language:
            text, keep = language.text, language.keep
        bracketed = language.bracketed if language else set()
        body: dict[str, list[Segment]] = {}
        extra: dict[str, list[Block]] = {}
        for x in keep:
            p = x.paragraph
            plain = x.status in AGREED and p.uid not in bracketed
            body[p.uid] = [Segment(text=p.text, style="plain" if plain else "bracket")]
            notes: list[Block] = []
            alts = alternatives(x.amendments)
            for a in x.amendments:
                if a.kind == AmendmentKind.MODIFY:
                    said = f"Alt {alts.get(a.id, '?')} ({who(a.sponsors)}): "
                    notes.append(
                        Block(
                            kind="paragraph",
                            key=f"{p.uid}/{a.id}",
                            segments=[
                                Segment(text=f"[{a.id} {said}"),
                                *_word_diff(originals[p.uid], a.text),
                                Segment(text="]"),
                            ],
                        )
                    )
                    continue
                if a.kind == AmendmentKind.DELETE:
                    said = f"Delete: {who(a.sponsors)}"
                elif a.kind == AmendmentKind.MOVE:
                    to = text.refs.get(str(a.anchor)) or str(a.anchor)
                    said = f"Move after {to}: {who(a.sponsors)}"
                else:
                    said = f"New paragraph {a.placement} ({who(a.sponsors)}): {a.text}"
                notes.append(
                    Block(
                        kind="paragraph",
                        key=f"{p.uid}/{a.id}",
                        segments=[Segment(text=f"{a.id} {said}", style="bracket")],
                    )
                )
            words = lang or "en"
            state = STATUS_WORDS[str(x.status)][lang] if lang else STATUS_LABELS[x.status]
            status = [state.capitalize()]
            if x.objecting:
                status.append(f"{label('objecting', words)}: {who(x.objecting)}")
            if x.ad_ref:
                status.append(f"{label('ad-referendum', words)}: {who(x.ad_ref)}")
            if x.silence_until:  # the status itself, with its deadline in the group's zone
                until = describe(x.silence_until, document_zone(text.draft.document))
                status[0] = label("silence-until", words, until=until)
            notes.append(Block(kind="note", segments=[Segment(text=". ".join(status) + ".")]))
            extra[p.uid] = notes
        blocks = self.blocks(text.draft, [x.paragraph for x in keep], body, extra, text.refs)
        title = titled(text.head.title, label("compilation", lang or "en"))
        return self._document(text, title, blocks, keep, lang, language)

    def _document(
        self,
        text: _Text,
        title: str,
        blocks: list[Block],
        keep: list[_Para],
        lang: str | None,
        language: _InLanguage | None,
    ) -> ExportDoc:
        """The export of `text` (the clean text's or the compilation's blocks under `title`):
        its header, footnotes, closing line and properties, and in which language."""
        return ExportDoc(
            organ=text.head.organ,
            header=text.head.header,
            title=title,
            blocks=blocks,
            footnotes=self._footnotes(text, keep, blocks),
            closing=text.closing,
            properties=text.properties,
            at=text.head.at,
            language=lang or "",
            untranslated=language.untranslated if language else [],
        )

    def _language(self, doc_id: str, lang: str | None) -> str | None:
        """The code of the language to print in; None for the original's own."""
        code = require_language(lang) if lang else None
        original = self.session.document(doc_id).original_language
        return None if code == language_code(original) else code

    def _in_language(self, text: _Text, keep: list[_Para], lang: str) -> _InLanguage:
        """`text` in `lang`, as far as the paragraphs in `keep` show it (see
        `service.export_languages`)."""
        from workplan.service.export_languages import in_language
        from workplan.store import translations as store_tr

        db, doc_id = self.session.db, text.draft.document.id
        made = (
            store_tr.translation_history(db, doc_id, lang)
            if text.rev is not None
            else store_tr.translations(db, doc_id, lang)
        )
        return in_language(text, keep, lang, made, self.header)
