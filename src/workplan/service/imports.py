"""Imports: the draft format, OAS plain text, Word and PDF files, with a report of what was
read."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workplan.errors import InputError
from workplan.model import (
    Decision,
    Document,
    Draft,
    Paragraph,
    ParagraphKind,
    Section,
    new_uid,
)
from workplan.model.document import REVISION, split_revision
from workplan.model.negotiation import Reservation
from workplan.model.note import NOTE_PREFIX, Note
from workplan.model.text import counted
from workplan.service.core import Session
from workplan.service.documents import Documents, _first_error, read_file
from workplan.service.files import detect_format as detect_format
from workplan.service.policy import MONTHS
from workplan.store import negotiation as store_neg

if TYPE_CHECKING:  # the text pipeline is imported when a text is read, not at start-up
    from workplan.formats.text_in import ParsedText

FORMATS = ("draft", "oas", "docx", "pdf")


_MONTHS = {m.lower(): i for i, m in enumerate(MONTHS, start=1)}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+) (\d{1,2}), (\d{4})$")


def header_date(header: list[str]) -> str | None:
    """The date an OAS header block gives ("5 December 2014", "December 5, 2014" or
    "2014-12-05") as an ISO date, or None when it gives none."""
    for line in header:
        line = " ".join(line.split())
        found: tuple[str, str, str] | None = None
        if m := _DAY_MONTH_YEAR.match(line):
            found = (m.group(3), m.group(2), m.group(1))
        elif m := _MONTH_DAY_YEAR.match(line):
            found = (m.group(3), m.group(1), m.group(2))
        else:
            try:
                return date.fromisoformat(line).isoformat()
            except ValueError:
                continue
        year, month, day = found
        if month.lower() in _MONTHS:
            try:
                return date(int(year), _MONTHS[month.lower()], int(day)).isoformat()
            except ValueError:
                continue
    return None


def read_text(path: Path, fmt: str) -> tuple[str, list[str]]:
    """The text of an OAS text, Word or PDF file for the OAS reader, and the lines dropped on
    purpose on the way (a PDF's page numbers and running heads)."""
    if fmt == "docx":
        from workplan.formats.docx_in import docx_to_oas_text

        return docx_to_oas_text(path), []
    if fmt == "pdf":
        from workplan.formats.pdf_in import pdf_to_text

        # pages apart (form feeds): the text pipeline drops page numbers and running heads
        # (each listed with its line) and reads the notes at each page's foot
        return pdf_to_text(path), []
    return read_file(path), []


def parse_text(text: str, source: str) -> ParsedText:
    """Read an imported text's structure: the one entry to the text pipeline
    (`formats/text_in`: normalise, header, footnotes, classify, and the no-word-lost check)."""
    from workplan.formats.text_in import parse_text as read_any
    from workplan.model import member_states

    return read_any(text, source, member_states())


def parse_file(path: str | Path, fmt: str | None = None) -> tuple[str, ParsedText | Draft]:
    """The format of the file at `path` (detected unless given) and what it holds: a Draft
    for the draft format, the read OAS document for the others."""
    p = Path(path)
    fmt = fmt or detect_format(p)
    if fmt not in FORMATS:
        raise InputError(f"unknown import format {fmt!r} (use {', '.join(FORMATS)})")
    if fmt == "draft":
        from workplan.formats.draft_md import parse_draft

        return fmt, parse_draft(read_file(p), str(p))
    text, _dropped = read_text(p, fmt)
    read = parse_text(text, str(p))
    if not read.doc.paragraphs:
        raise InputError(f"{p}: no paragraphs found")
    return fmt, read


def file_draft(path: str | Path, fmt: str | None = None) -> Draft:
    """The file at `path`, in any format `import` takes, as a Draft (nothing written):
    what `diff --files` compares."""
    p = Path(path)
    fmt, read = parse_file(p, fmt)
    if isinstance(read, Draft):
        return read
    draft, _printed, _uids = _build_draft(read, p, _slug(p.stem), None, None)
    return draft


def header_said(read: ParsedText) -> dict[str, str]:
    """What a read text's header says that the document keeps as metadata: organ, series,
    "(Presented by ...)" and "(Adopted at ...)", the date of adoption a UN resolution prints
    (`adopted_on`) and its distribution date (`distributed`), and the revision its symbol
    names (`revision`: `3` for `... rev. 3`, which the record's revisions go on from)."""
    keep = ("organ", "series", "adopted_on", "distributed")
    said = {k: v for k, v in read.header.items() if k in keep}
    revision = split_revision(read.header.get("symbol", ""))[1]
    if revision:
        said[REVISION] = str(revision)
    said |= {k: v for k, v in read.header.items() if k in ("presented", "adopted")}
    if "adopted" in said:
        said["adopted_at"] = said.pop("adopted")
    return said


def _build_draft(
    read: ParsedText, p: Path, doc_id: str, title: str | None, adopted: str | None
) -> tuple[Draft, dict[str, str], dict[int, str]]:
    """The Draft of a read text: its document, sections and paragraphs (agreed when
    `adopted` is given), the printed numbers by uid and the uid of each read paragraph."""
    parsed = read.doc
    said = header_said(read)
    language = read.header.get("original_language")
    try:
        document = Document(
            id=doc_id,
            title=title or parsed.title or "",
            # The symbol without its revision suffix (the record counts revisions itself).
            symbol=split_revision(read.header.get("symbol", ""))[0],
            original_language=language or "English",
            adopted=adopted,
            metadata={"imported_from": p.name, **said},
        )
    except ValueError as exc:
        raise InputError(_first_error(exc)) from None
    sections: dict[str, Section] = {}
    paragraphs: list[Paragraph] = []
    printed: dict[str, str] = {}
    uid_of: dict[int, str] = {}
    for i, para in enumerate(parsed.paragraphs):
        sec = None
        if para.section:
            sec = "follow-up" if para.section == "follow-up" else _slug(para.section)
            if sec not in sections:
                sections[sec] = Section(
                    id=sec,
                    title="Follow-up" if sec == "follow-up" else para.section,
                    position=len(sections),
                )
        uid = new_uid()
        uid_of[i] = uid
        if para.printed_number:
            printed[uid] = para.printed_number
        paragraphs.append(
            Paragraph(
                uid=uid,
                document=doc_id,
                section=sec,
                position=i,
                kind=ParagraphKind(para.kind),
                text=para.text,
                decision=Decision.AGREED if adopted else Decision.OPEN,
            )
        )
    _hold_printed_numbers(paragraphs, list(sections.values()), printed, document)
    notes = _notes(read, doc_id, uid_of, sections)
    draft = Draft(
        document=document, sections=list(sections.values()), paragraphs=paragraphs, notes=notes
    )
    return draft, printed, uid_of


def _note_ids(read: ParsedText) -> list[tuple[str, str]]:
    """(reservation key as read, note id) of each footnote naming no delegation."""
    keys = [r.key for r in read.doc.reservations if r.delegation is None]
    return [(k, f"{NOTE_PREFIX}{i}") for i, k in enumerate(keys, start=1)]


def _notes(
    read: ParsedText, doc_id: str, uid_of: dict[int, str], sections: dict[str, Section]
) -> list[Note]:
    """The footnotes that name no delegation, as notes of the document (N1, N2, ... in the
    order first called): on the paragraphs that call them, else on the section whose heading
    calls them, else on the title (the document as a whole)."""
    notes: list[Note] = []
    for r in read.doc.reservations:
        if r.delegation is not None:
            continue
        uids = [
            uid_of[i] for i, para in enumerate(read.doc.paragraphs) if r.key in para.reservations
        ]
        section = None
        heading = read.places.get(r.key, "")
        if not uids and heading and _slug(heading) in sections:
            section = _slug(heading)
        notes.append(
            Note(
                document=doc_id,
                id=f"{NOTE_PREFIX}{len(notes) + 1}",
                text=r.text,
                paragraphs=uids,
                section=section,
            )
        )
    return notes


def _hold_printed_numbers(
    paragraphs: list[Paragraph],
    sections: list[Section],
    printed: dict[str, str],
    document: Document,
) -> None:
    """An imported text's operative paragraphs keep the numbers it printed (`9 bis` stays
    `OP9 bis`; numbers restarting under each heading make the document numbered per section)
    as the base their refs hold to (`model.refs.printed_refs`); otherwise they are numbered in
    order, as before."""
    from workplan.model.refs import compute_refs, printed_refs

    ops = [p for p in paragraphs if p.kind == ParagraphKind.OPERATIVE]
    found = printed_refs([(p.uid, p.section, printed.get(p.uid, "")) for p in ops], sections)
    if found is None:
        return
    document.numbering, held = found
    computed = compute_refs(paragraphs, sections, document.numbering)
    for p in paragraphs:
        p.held_ref = held.get(p.uid) or computed.get(p.uid) or None


def _slug(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "section"


class Imports:
    """Reading documents in from files."""

    def __init__(self, session: Session, documents: Documents) -> None:
        self.session = session
        self.documents = documents

    def import_file(
        self,
        path: str | Path,
        doc_id: str | None = None,
        *,
        fmt: str | None = None,
        title: str | None = None,
        agreed: bool = False,
        force: bool = False,
    ) -> dict[str, Any]:
        """Import a file (format detected unless given) as a new document; return a report.

        Every word of a text must reach the record (or be dropped on purpose: page numbers,
        running heads); otherwise the import is refused, unless `force`, which keeps it and
        lists the missing words in the report."""
        p = Path(path)
        fmt = fmt or detect_format(p)
        if fmt not in FORMATS:
            raise InputError(f"unknown import format {fmt!r} (use {', '.join(FORMATS)})")
        if fmt == "draft":
            draft = self.documents.import_draft(p, doc_id, agreed=agreed)
            return self._report(draft, [], [], fmt)
        from workplan.model import member_states

        text, dropped = read_text(p, fmt)
        read = parse_text(text, str(p))
        parsed = read.doc
        if not parsed.paragraphs:
            raise InputError(f"{p}: no paragraphs found")
        if read.missing and not force:
            line = read.missing[0][0]
            first = " ".join(w for n, w in read.missing if n == line)[:80]
            raise InputError(
                f"{p}:{line}: {len(read.missing)} words would not reach the record, first"
                f" {first!r} (--force keeps the import and lists them)"
            )
        doc_id = doc_id or _slug(p.stem)
        said = header_said(read)
        warnings = list(parsed.warnings)
        for r, nid in _note_ids(read):
            warnings = [w.replace(f"{r} is unattributed", f"kept as note {nid}") for w in warnings]
        if dropped:
            warnings.append(
                f"dropped {len(dropped)} page numbers and running heads: "
                + ", ".join(repr(d) for d in dropped[:5])
                + (" ..." if len(dropped) > 5 else "")
            )
        if not (title or parsed.title):
            warnings.append(
                f"no title found: {doc_id} has none until one is set"
                f' (workplan meta {doc_id} --title "...")'
            )
        if "organ" not in said or "series" not in said:
            missing = " and ".join(k for k in ("organ", "series") if k not in said)
            warnings.append(
                f"no {missing} in the header: left empty until set (workplan meta {doc_id}"
                ' --organ "..." --series "...")'
            )
        dated = read.header.get("date") or header_date(parsed.header)
        adopted = (dated or self.session.now().date().isoformat()) if agreed else None
        draft, printed, uid_of = _build_draft(read, p, doc_id, title, adopted)
        links = [
            (
                r,
                [
                    uid_of[i]
                    for i, para in enumerate(parsed.paragraphs)
                    if r.key in para.reservations
                ],
            )
            for r in parsed.reservations
            if r.delegation is not None
        ]
        with self.session.action("document.import") as rec:
            if links and not self.documents.is_initialised():
                from workplan.store import delegations as store_delegations

                rec.change(store_delegations.insert_delegations(self.session.db, member_states()))
                rec.event("roster.loaded", {"summary": "35 delegations"})
            self.documents.insert(
                rec,
                draft,
                "document.imported",
                {"file": p.name, "format": fmt, "printed_numbers": printed},
            )
            self._import_reservations(rec, doc_id, links)
        report = self._report(draft, links, warnings, fmt, footnotes=parsed.footnotes)
        report["header"] = read.header
        report["structure"] = {
            "headings": parsed.headings,
            "chapeau": parsed.chapeau,
            "follow_up_heading": parsed.follow_up_heading,
            "printed_numbers": [p.printed_number for p in parsed.paragraphs if p.printed_number],
            "joined_lines": read.joined,
            "numbering": str(draft.document.numbering),
            "options": [
                {"number": f.number, "options": f.options, "items": f.items} for f in read.folded
            ],
        }
        report["revision"] = draft.document.received_revision or None
        unattributed = [r for r in parsed.reservations if r.delegation is None]
        report["notes"] = [
            {
                "id": n.id,
                "printed": r.printed,
                "paragraphs": [draft.ref(u) for u in n.paragraphs],
                "section": n.section,
                "on_title": n.on_title,
                "text": n.text,
            }
            for n, r in zip(draft.notes, unattributed, strict=True)
        ]
        why = "page number or running head (PDF)"
        report["dropped"] = [
            *({"line": None, "text": d, "why": why} for d in dropped),
            *({"line": d.line, "text": d.text, "why": d.why} for d in read.dropped),
        ]
        report["missing"] = [{"line": n, "word": w} for n, w in read.missing]
        return report

    def _import_reservations(
        self, rec: Any, doc_id: str, links: list[tuple[Any, list[str]]]
    ) -> None:
        seq = store_neg.next_seq(self.session.db, "reservations", doc_id)
        link_seq = 1
        for res, uids in links:
            rid = f"R{seq}"
            reservation = Reservation(
                document=doc_id,
                id=rid,
                delegation=res.delegation,
                text=res.text,
                created_at=rec.at,
            )
            rec.change(
                store_neg.put_imported_reservation(
                    self.session.db, reservation, seq, uids, link_seq
                )
            )
            link_seq += len(uids)
            who = res.delegation or "unattributed"
            rec.event(
                "reservation.imported",
                {
                    "reservation": rid,
                    "delegation": res.delegation,
                    "paragraphs": uids,
                    "summary": f"{who} reservation {rid} on {counted(len(uids), 'paragraph')}",
                },
                document=doc_id,
            )
            seq += 1

    def _report(
        self,
        draft: Draft,
        links: list[tuple[Any, list[str]]],
        warnings: list[str],
        fmt: str,
        footnotes: int = 0,
        dropped: list[str] | None = None,
    ) -> dict[str, Any]:
        kinds: dict[str, int] = {}
        for p in draft.paragraphs:
            kinds[str(p.kind)] = kinds.get(str(p.kind), 0) + 1
        return {
            "document": draft.document.id,
            "format": fmt,
            "adopted": draft.document.adopted,
            "paragraphs": kinds,
            "footnotes": footnotes,
            "reservations": [
                {
                    "id": f"R{i}",
                    "delegation": r.delegation,
                    "paragraphs": [draft.ref(u) for u in uids],
                }
                for i, (r, uids) in enumerate(links, start=1)
            ],
            "warnings": warnings,
            "dropped": list(dropped or []),
        }
