"""An OAS document as read from (or to be written to) plain text: its paragraphs in reading
order, each with the reservations whose footnotes it calls; and the rules of its anatomy (what
opens a preambular paragraph, a chapeau, a heading; which member state a footnote names).
Pure: no I/O.

A paragraph's identity is its position here, never its printed number: follow-up items in
Word-converted texts are all printed "1.".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from workplan.model.base import Model
from workplan.model.document import ParagraphKind
from workplan.model.languages import DELEGATION_NAMES
from workplan.model.lexicon import opens_with_participle
from workplan.model.principals import Delegation, member_states

#: What a paragraph is in the document's anatomy; `kind` is the negotiation's coarser view.
Role = Literal["opening", "preambular", "chapeau", "operative", "follow-up", "text"]

#: The section name given to follow-up items.
FOLLOW_UP = "follow-up"


class OasReservation(Model):
    """One distinct footnote text: a reservation, attached to one or more paragraphs."""

    key: str
    """R1, R2, ... in order of first appearance."""
    text: str
    """The full text (a cut footnote rejoined with its continuation); paragraphs are
    separated by a blank line."""
    delegation: str | None = None
    """The code of the delegation it names (guessed from the text), or None."""
    printed: list[int] = Field(default_factory=list)
    """The printed footnote numbers where it appears (the first prints the text, the others
    `Idem N`)."""
    paragraphs: list[int] = Field(default_factory=list)
    """Indexes (into `OasDocument.paragraphs`) of the paragraphs it is attached to."""


class OasParagraph(Model):
    """One paragraph as read."""

    kind: ParagraphKind
    """preambular, operative, follow-up or other (opening clause, chapeau, plain text)."""
    role: Role = "text"
    """The finer part of the anatomy: opening, preambular, chapeau, operative, follow-up, text."""
    text: str
    """The text, without its printed number and footnote calls, normalised (NFC)."""
    printed_number: str | None = None
    """The number printed in the file (kept as data, never the identity)."""
    section: str | None = None
    """The heading it stands under; `follow-up` for follow-up items."""
    reservations: list[str] = Field(default_factory=list)
    """Keys of the reservations it calls, in call order."""
    calls: list[int] = Field(default_factory=list)
    """The printed footnote numbers it calls, in order."""
    line: int = 0
    """The line of the file it starts on (0 when not read from a file)."""


class OasDocument(Model):
    """What an OAS plain text holds, and what looked wrong in it."""

    source: str = ""
    """Where it was read from (for messages)."""
    header: list[str] = Field(default_factory=list)
    """Header lines before the title: organ, symbol, date, `Original: ...`."""
    title: str | None = None
    """The title, if the text has one."""
    headings: list[str] = Field(default_factory=list)
    """Section headings, in order (not the follow-up heading)."""
    follow_up_heading: str | None = None
    """The heading that opens the follow-up items, as printed (`FOLLOW-UP:`)."""
    paragraphs: list[OasParagraph] = Field(default_factory=list)
    """Every paragraph in reading order."""
    reservations: list[OasReservation] = Field(default_factory=list)
    """Distinct reservations in order of first appearance."""
    heading_calls: list[tuple[int, str, list[int]]] = Field(default_factory=list)
    """Footnote calls printed after the title or a section heading: (line, the title or
    heading as printed without them, the calls). Their footnotes are notes of the document."""
    footnotes: int = 0
    """How many footnote calls the text holds."""
    footnote_offset: int = 0
    """Converter footnote number minus printed number (1 in Word-converted texts, 0 in clean
    OAS text)."""
    warnings: list[str] = Field(default_factory=list)
    """Anomalies that did not stop the reading (unattributed footnotes, numbering, ...)."""

    def count(self, kind: ParagraphKind | str) -> int:
        """How many paragraphs are of this kind."""
        return sum(1 for p in self.paragraphs if p.kind == kind)

    @property
    def chapeau(self) -> list[str]:
        """The chapeau lines (`RECOMMEND:`), in order."""
        return [p.text for p in self.paragraphs if p.role == "chapeau"]

    def reservation(self, key: str) -> OasReservation:
        """The reservation with this key (KeyError if none)."""
        for r in self.reservations:
            if r.key == key:
                return r
        raise KeyError(key)


#: A numbered paragraph: `12.<tab>text`, `1. text`, `3)` (leading tabs allowed).
NUMBERED = re.compile(
    r"^\s*(\d{1,3}(?:[ ]?(?:bis|ter|quater|quinquies|sexies))?)\s*[.)]\s+(.*)$", re.DOTALL
)
#: Lines of a document's header block: organ, symbol, revision, date, `Original: ...`.
HEADER_LINE = re.compile(
    r"^(?:OEA/Ser|OAS/Ser|Original\s*:|ORIGINAL\s*:|PERMANENT COUNCIL|"
    r"ORGANI[SZ]ATION OF AMERICAN STATES|"
    r"ORGANIZACIÓN DE LOS ESTADOS|CONSEJO PERMANENTE|COMMITTEE ON|COMISIÓN DE|GENERAL ASSEMBLY|"
    r"\S*/\S*\d|.*\b(?:rev|corr|add)\.\s*\d|\d{1,2} [A-Z][a-z]+ \d{4}$|[A-Z][a-z]+ \d{1,2}, \d{4}$|"
    r"\d{4}-\d\d-\d\d$|United Nations\b|Naciones Unidas\b|Distr\.|General Assembly$|"
    r"Resolution adopted by|Resolución aprobada por|Résolution adoptée par|"
    r"Resolução adotada pela|Agenda item|Tema \d|[A-Z][a-z]+ session$)"
)
_SERIES = re.compile(r"^(?:OEA|OAS)/Ser\b\S*$")
_ORIGINAL = re.compile(r"^Original\s*:\s*(\S.*)$", re.IGNORECASE)


def header_metadata(lines: list[str]) -> dict[str, str]:
    """What a text's header lines say about its organ, series and original language, read
    only where the text says it (nothing is guessed): `organ` is the lines before the first
    line with a digit or a slash (series, symbol, date), one a line; `series` the `OEA/Ser...`
    line; `original_language` the language of `Original: ...`."""
    out: dict[str, str] = {}
    organ: list[str] = []
    past = False  # past the organ's lines
    for line in lines:
        original = _ORIGINAL.match(line)
        if original:
            out.setdefault("original_language", original[1].strip())
        elif _SERIES.match(line):
            out.setdefault("series", line)
        elif not past and not re.search(r"[\d/]", line):
            organ.append(line)
            continue
        past = True
    if organ:
        out["organ"] = "\n".join(organ)
    return out


_FOLLOW_UP_NAMES = {"FOLLOW-UP", "FOLLOWUP", "SEGUIMIENTO", "SUIVI", "ACOMPANHAMENTO"}
_PARTICIPLE = ("ING", "ANDO", "ENDO", "ANT")
_FORMAL = re.compile(
    r"(?:Government|Delegation|Gobierno|Delegación|Gouvernement|Délégation|Governo|Delegação)"
    r" (?:of (?:the )?|de (?:la |l’|l')?|du |des |da |do |das |dos )$"
)


def is_preambular(text: str) -> bool:
    """True if `text` opens with an upper-case participle phrase and goes on in lower case:
    an all-caps word ending in -ING (RECALLING, "RECALLING, likewise,"; also -ANDO, -ENDO,
    -ANT for Spanish, Portuguese and French), a phrase of the language tables in any case
    (`Recalling`, `Noting with concern`, `TENIENDO PRESENTE`), two or more all-caps words
    followed by a lower-case word (FURTHER RECOGNIZING, TAKING INTO ACCOUNT, RECALLING ALSO), or one
    all-caps -ED word followed by one (CONVINCED that)."""
    tokens = text.split()
    caps: list[str] = []
    for tok in tokens:
        word = tok.strip(",;:")
        if len(word) < 2 or not word.replace("-", "").isalpha() or not word.isupper():
            break
        caps.append(word)
        if tok.endswith(","):
            break
    rest = tokens[len(caps) :]
    if opens_with_participle(text):
        return True
    if not caps or not any(c.islower() for c in "".join(rest)):
        return False
    if any(len(w) >= 5 and w.endswith(_PARTICIPLE) for w in caps):
        return True
    following = rest[0].lstrip("“\"'(")
    return (len(caps) >= 2 or caps[0].endswith("ED")) and following[:1].islower()


def is_chapeau(text: str) -> bool:
    """True for an all-caps line ending with ':' (`RECOMMEND:`, `RESOLVES:`, `FOLLOW-UP:`,
    `RESUELVE:`, `DÉCIDE :`)."""
    body = text[:-1]
    return (
        text.endswith(":")
        and len(text) <= 80
        and "\n" not in text
        and body.upper() == body
        and text[:1].isalpha()
        and not NUMBERED.match(text)
    )


def is_heading(text: str) -> bool:
    """True for a short single line with no closing punctuation that is neither numbered nor
    preambular: a title, a header line or a section heading."""
    return (
        0 < len(text) <= 120
        and "\n" not in text
        and text[-1] not in ".;,:…"
        and not NUMBERED.match(text)
        and not is_preambular(text)
    )


def is_follow_up_heading(text: str) -> bool:
    """True for the heading that opens the follow-up items (`FOLLOW-UP:`, `Seguimiento`)."""
    name = re.sub(r"[\s_]+", "-", text.rstrip(":").strip().upper())
    named = name in _FOLLOW_UP_NAMES or any(name.startswith(f"{n}-") for n in _FOLLOW_UP_NAMES)
    return named and (is_chapeau(text) or is_heading(text))


def _names(roster: Sequence[Delegation]) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for d in roster:
        variants = {d.name_en, d.name_en.removeprefix("The "), d.name_es}
        variants |= set(DELEGATION_NAMES.get(d.code, ()))  # French and Portuguese too
        variants |= {v.replace("Saint ", "St. ") for v in variants if v.startswith("Saint ")}
        names += [(v, d.code) for v in variants if v]
    return names


def guess_delegation(text: str, roster: Sequence[Delegation] | None = None) -> str | None:
    """The code of the member state a footnote names (its name in any official language):
    the one after "Government of" / "Gobierno de" / "Gouvernement de" / "Governo de" (or
    "Delegation of" ...) if any, else the one named first; None if none is."""
    found: list[tuple[int, int, int, str]] = []
    for name, code in _names(member_states() if roster is None else roster):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            formal = _FORMAL.search(text[max(0, m.start() - 30) : m.start()])
            found.append((0 if formal else 1, m.start(), -len(name), code))
    return min(found)[3] if found else None
