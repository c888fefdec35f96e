"""Reading OAS plain text: Word-converted texts like the Sixth Meeting's recommendations, and
the plain text this tool exports.

Understands preambular paragraphs (an upper-case participle opens them), the chapeau
(`RECOMMEND:`, `RESOLVES:`), numbered operative paragraphs, a `FOLLOW-UP:` section whose
printed numbers are unreliable, footnote calls written by the converter as `[footnoteRef:K]/`
with bodies inline as `[K: ...]` (or as `N/` after the last word with `N. text` bodies at the
paragraph's foot), `Idem N` bodies, and footnotes cut with "…" and continued in a trailing
`FOOTNOTES` section. Wording is never corrected; only conversion debris is removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pydantic import BaseModel, Field

from workplan.errors import InputError
from workplan.model import Delegation
from workplan.model.text import clean_text

_CALL_REF = re.compile(r"\[footnoteRef:(\d+)\]/?")
_BODY = re.compile(r"\[(\d+):(.*?)\](?=\s*(?:\[\d+:|$))", re.DOTALL)
_TRAILING_CALLS = re.compile(r"(?<=[^\s\d/])((?:\d{1,3}/)+)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$", re.DOTALL)
_CHAPEAU = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ,\-]{2,40}:$")
_IDEM = re.compile(r"^Idem\.?\s*(\d+)\.?$", re.IGNORECASE)
_HEADER = re.compile(
    r"^(Original:|OEA/Ser|CP/|PERMANENT COUNCIL|ORGANIZATION OF AMERICAN|"
    r"COMMITTEE ON|Record chain head:)",
    re.IGNORECASE,
)


class OasReservation(BaseModel):
    """One distinct footnote text: a reservation."""

    key: str
    """R1, R2, ... in order of first appearance."""
    text: str
    """The full text (paragraphs separated by blank lines)."""
    delegation: str | None = None
    """The delegation it names, if any."""
    printed: list[int] = Field(default_factory=list)
    """The printed footnote numbers where it appears."""


class OasParagraph(BaseModel):
    """One paragraph as read."""

    kind: str
    """preambular, operative, follow-up or other."""
    text: str
    """The text, without its printed number and calls."""
    printed_number: str | None = None
    """The number printed in the file (kept as data; never the identity)."""
    section: str | None = None
    """`follow-up` for follow-up items."""
    reservations: list[str] = Field(default_factory=list)
    """Reservation keys, in call order."""


class OasImport(BaseModel):
    """What a file held, and what looked wrong."""

    title: str | None = None
    """The first heading-like line, if any."""
    headings: list[str] = Field(default_factory=list)
    """Section headings, in order."""
    paragraphs: list[OasParagraph] = Field(default_factory=list)
    reservations: list[OasReservation] = Field(default_factory=list)
    footnotes: int = 0
    """Footnote calls found."""
    warnings: list[str] = Field(default_factory=list)


def _debris(text: str) -> str:
    return re.sub(r"^[\s.]+", "", text).strip()


def _is_preambular(text: str) -> bool:
    head = re.split(r"[^A-Za-zÁÉÍÓÚÑáéíóúñ\-]", text.strip(), maxsplit=3)
    caps = [w for w in head[:3] if w and w.isupper() and len(w) > 1]
    return bool(caps) and (caps[0].endswith("ING") or caps[0].endswith("ANDO") or len(caps) >= 2)


def _starts_paragraph(line: str) -> bool:
    s = _CALL_REF.sub("", line).strip()
    return bool(
        _NUMBERED.match(s.replace("\t", " "))
        or _CHAPEAU.match(s)
        or _is_preambular(s)
        or s.upper() == "FOOTNOTES"
    )


def _is_heading(text: str) -> bool:
    """A short line with no closing punctuation, not numbered: a title or section heading."""
    t = text.strip()
    return (
        0 < len(t) <= 100
        and "\n" not in t
        and t[-1] not in ".;:,…"
        and not _NUMBERED.match(t)
        and not _TRAILING_CALLS.search(t)
        and not t.startswith("[")
        and not _is_preambular(t)
    )


def _paragraph_blocks(text: str) -> list[tuple[int, str]]:
    """Paragraphs with their first line number: blocks separated by blank lines, also split
    where a line plainly opens a new paragraph (Word writes one line per paragraph)."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 1
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip() and current and _starts_paragraph(line):
            blocks.append((start, "\n".join(current)))
            current = []
        if line.strip():
            if not current:
                start = n
            current.append(line.strip())
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _delegation_named(text: str, roster: Sequence[Delegation]) -> str | None:
    folded = unicodedata.normalize("NFC", text)
    for d in sorted(roster, key=lambda d: -len(d.name_en)):
        names = {d.name_en, d.name_es, d.name_en.removeprefix("The ")}
        if any(re.search(rf"\b{re.escape(n)}\b", folded) for n in names if n):
            return d.code
    return None


def parse_oas_text(text: str, source: str, roster: Sequence[Delegation]) -> OasImport:
    """Read an OAS plain text; errors are `InputError("file:line: ...")`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    result = OasImport()
    bodies: dict[int, str] = {}  # printed number -> body
    continued: dict[int, str] = {}
    offset: int | None = None
    in_follow_up = in_footnotes = False
    section_now: str | None = None
    pending_calls: list[int] = []
    para_calls: list[tuple[OasParagraph, list[int], int]] = []
    last_cont: int | None = None
    for line_no, block in _paragraph_blocks(text):
        flat = block.replace("\t", " ")
        if in_footnotes:
            m = _NUMBERED.match(flat)
            if m:
                last_cont = int(m[1])
                continued[last_cont] = _debris(m[2]).lstrip("…").strip()
            elif last_cont is not None:
                continued[last_cont] += "\n\n" + _debris(flat)
            continue
        if flat.strip().upper() == "FOOTNOTES":
            in_footnotes = True
            continue
        if pending_calls:
            m = _NUMBERED.match(flat)
            if m and int(m[1]) == pending_calls[0]:
                last_body: int | None = None
                for body_line in block.split("\n"):
                    bm = _NUMBERED.match(body_line.replace("\t", " "))
                    if bm and pending_calls and int(bm[1]) == pending_calls[0]:
                        last_body = pending_calls.pop(0)
                        bodies[last_body] = _debris(bm[2])
                    elif last_body is not None and body_line.strip():
                        bodies[last_body] += "\n\n" + _debris(body_line)
                continue
        # Converter-style calls and inline bodies.
        keys = [int(k) for k in _CALL_REF.findall(block)]
        for k, body in _BODY.findall(block):
            if offset is None and keys:
                offset = keys[0] - 1
            bodies[int(k) - (offset or 0)] = _debris(body)
        if "[footnoteRef:" in block and not keys:
            raise InputError(f"{source}:{line_no}: a footnote call is not closed")
        core = _BODY.sub("", _CALL_REF.sub("", block)).strip()
        if re.search(r"\[\d+:", core):
            raise InputError(f"{source}:{line_no}: a footnote body is not closed with ']'")
        if offset is None and keys:
            offset = keys[0] - 1
        calls = [k - (offset or 0) for k in keys]
        m_trail = _TRAILING_CALLS.search(core)
        if not calls and m_trail:
            calls = [int(n) for n in m_trail[1].strip("/").split("/")]
            core = core[: m_trail.start()].rstrip()
            pending_calls = list(calls)
        core = core.replace("\t", " ").strip()
        if not core or _HEADER.match(core):
            continue
        if _is_heading(core) and core.upper().replace(" ", "-") in ("FOLLOW-UP", "SEGUIMIENTO"):
            in_follow_up = True
            continue
        if _is_heading(core):
            if result.title is None and not result.paragraphs:
                result.title = core
            else:
                result.headings.append(core)
                section_now = core
            continue
        if _CHAPEAU.match(core):
            in_follow_up = core.upper().startswith("FOLLOW")
            if not in_follow_up:
                result.paragraphs.append(OasParagraph(kind="other", text=core))
            continue
        m = _NUMBERED.match(core)
        if m and in_follow_up:
            para = OasParagraph(
                kind="follow-up", text=m[2].strip(), printed_number=m[1], section="follow-up"
            )
        elif m:
            para = OasParagraph(
                kind="operative", text=m[2].strip(), printed_number=m[1], section=section_now
            )
        elif _is_preambular(core):
            para = OasParagraph(kind="preambular", text=core, section=section_now)
        else:
            para = OasParagraph(kind="other", text=core, section=section_now)
        try:
            para.text = clean_text(re.sub(r"[ ]{2,}", " ", para.text))
        except InputError as exc:
            raise InputError(f"{source}:{line_no}: {exc.message}") from None
        result.paragraphs.append(para)
        if calls:
            para_calls.append((para, calls, line_no))
    _attach(result, bodies, continued, para_calls, source, roster)
    return result


def _attach(
    result: OasImport,
    bodies: dict[int, str],
    continued: dict[int, str],
    para_calls: list[tuple[OasParagraph, list[int], int]],
    source: str,
    roster: Sequence[Delegation],
) -> None:
    by_text: dict[str, OasReservation] = {}
    by_number: dict[int, OasReservation] = {}
    for para, calls, line_no in para_calls:
        for n in calls:
            result.footnotes += 1
            if n not in bodies:
                raise InputError(f"{source}:{line_no}: footnote {n} is called but has no text")
            body = bodies[n]
            idem = _IDEM.match(body)
            if idem:
                target = by_number.get(int(idem[1]))
                if target is None:
                    raise InputError(
                        f"{source}:{line_no}: footnote {n} says Idem {idem[1]},"
                        f" but there is no earlier footnote {idem[1]}"
                    )
                res = target
            else:
                full = body
                if n in continued:
                    full = body.rstrip("…").rstrip() + " " + continued[n]
                elif body.endswith("…"):
                    result.warnings.append(
                        f"footnote {n} is cut with '…' but has no"
                        " continuation in a FOOTNOTES section"
                    )
                full = "\n\n".join(clean_text(p) for p in full.split("\n\n") if p.strip())
                res = by_text.get(full) or OasReservation(
                    key=f"R{len(by_text) + 1}",
                    text=full,
                    delegation=_delegation_named(full, roster),
                )
                if full not in by_text:
                    by_text[full] = res
                    if res.delegation is None:
                        result.warnings.append(
                            f"footnote {n} names no delegation: imported as unattributed"
                        )
            by_number[n] = res
            res.printed.append(n)
            if res.key not in para.reservations:
                para.reservations.append(res.key)
    result.reservations = list(by_text.values())
    numbers = [n for _, calls, _ in para_calls for n in calls]
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        result.warnings.append("footnote numbers are not consecutive")
    ops = [p.printed_number for p in result.paragraphs if p.kind == "operative"]
    if ops and ops != [str(i) for i in range(1, len(ops) + 1)]:
        result.warnings.append("operative paragraphs are not numbered 1, 2, 3, ...")
    fus = [p.printed_number for p in result.paragraphs if p.kind == "follow-up"]
    if fus and len(set(fus)) < len(fus):
        result.warnings.append("follow-up items repeat printed numbers; renumbered")
