"""The words of a resolution's anatomy, one table per language: preambular openers
(participles, upper case in OAS style, mixed case in UN style), chapeaus, openings, the
follow-up heading, footnote sections, and the lines under a title kept as metadata. Data,
not code: the classifiers read these tables. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, TypedDict

from workplan.model import languages
from workplan.model.languages import NAMES


class Lexicon(TypedDict):
    """One language's words."""

    participles: list[str]
    """Phrases that open a preambular paragraph (matched in any case, at a word boundary)."""
    chapeaus: list[str]
    """Lines that open the operative part (matched upper case, with or without ':')."""
    openings: list[str]
    """The author's opening line (`THE GENERAL ASSEMBLY,`)."""
    follow_up: list[str]
    """Headings of the follow-up part."""
    notes: list[str]
    """Headings of a footnote section at the end."""
    under_title: list[str]
    """Openings of the parenthesised lines under a title kept as metadata."""
    options: list[str]
    """Words that open an alternative text offered in a paragraph (`Option 1:`)."""
    adoption: list[str]
    """Openings of the line that ends with the date of adoption (`Resolution adopted by the
    General Assembly on 4 December 2025`)."""


EN: Lexicon = {
    "participles": [
        "recalling",
        "reaffirming",
        "recognizing",
        "recognising",
        "considering",
        "noting",
        "noting with concern",
        "noting with appreciation",
        "taking note",
        "taking into account",
        "bearing in mind",
        "emphasizing",
        "emphasising",
        "stressing",
        "welcoming",
        "expressing",
        "acknowledging",
        "affirming",
        "underlining",
        "highlighting",
        "mindful",
        "aware",
        "convinced",
        "concerned",
        "deeply concerned",
        "alarmed",
        "guided by",
        "having considered",
        "having examined",
        "taking into consideration",
        "further recognizing",
        "determined",
        "drawing attention",
        "observing",
        "believing",
        "desiring",
        "seeking",
        "reiterating",
    ],
    "chapeaus": ["RESOLVES", "RECOMMEND", "RECOMMENDS", "DECIDES", "AGREES", "DECLARES"],
    "openings": ["THE GENERAL ASSEMBLY", "THE PERMANENT COUNCIL", "The General Assembly"],
    "follow_up": ["FOLLOW-UP", "FOLLOWUP"],
    "notes": ["FOOTNOTES", "NOTES", "ENDNOTES"],
    "under_title": ["presented by", "adopted at", "adopted by", "approved at", "approved by"],
    "options": ["option", "alternative text", "alternative"],
    "adoption": ["resolution adopted by", "decision adopted by"],
}

ES: Lexicon = {
    "participles": [
        "recordando",
        "reafirmando",
        "reconociendo",
        "considerando",
        "teniendo presente",
        "teniendo en cuenta",
        "tomando nota",
        "observando",
        "destacando",
        "subrayando",
        "acogiendo",
        "expresando",
        "preocupados",
        "preocupada",
        "convencidos",
        "convencida",
        "conscientes",
        "consciente",
        "afirmando",
        "resaltando",
        "reiterando",
        "habiendo visto",
        "habiendo considerado",
        "visto",
        "guiados por",
    ],
    "chapeaus": ["RESUELVE", "RECOMIENDA", "RECOMENDAMOS", "DECIDE", "ACUERDA", "DECLARA"],
    "openings": ["LA ASAMBLEA GENERAL", "EL CONSEJO PERMANENTE"],
    "follow_up": ["SEGUIMIENTO"],
    "notes": ["NOTAS DE PIE DE PÁGINA", "NOTAS", "NOTAS AL PIE"],
    "under_title": [
        "presentado por",
        "presentada por",
        "aprobado en",
        "aprobada en",
        "aprobado por",
        "aprobada por",
        "adoptado en",
        "adoptada en",
    ],
    "options": ["opción", "texto alternativo", "alternativa", "variante"],
    "adoption": ["resolución aprobada por", "decisión aprobada por"],
}

FR: Lexicon = {
    "participles": [
        "rappelant",
        "considérant",
        "réaffirmant",
        "reconnaissant",
        "notant",
        "prenant note",
        "soulignant",
        "tenant compte",
        "ayant à l'esprit",
        "ayant à l’esprit",
        "conscient",
        "consciente",
        "convaincu",
        "convaincue",
        "préoccupé",
        "préoccupée",
        "accueillant",
        "exprimant",
        "affirmant",
        "ayant examiné",
    ],
    "chapeaus": ["DÉCIDE", "DECIDE", "RÉSOUT", "RECOMMANDE", "DÉCLARE"],
    "openings": ["L'ASSEMBLÉE GÉNÉRALE", "L’ASSEMBLÉE GÉNÉRALE", "LE CONSEIL PERMANENT"],
    "follow_up": ["SUIVI"],
    "notes": ["NOTES DE BAS DE PAGE", "NOTES"],
    "under_title": ["présenté par", "présentée par", "adopté à", "adoptée à", "adoptée par"],
    "options": ["option", "variante", "texte alternatif"],
    "adoption": ["résolution adoptée par", "décision adoptée par"],
}

PT: Lexicon = {
    "participles": [
        "recordando",
        "reafirmando",
        "reconhecendo",
        "considerando",
        "tendo presente",
        "tendo em conta",
        "levando em conta",
        "tomando nota",
        "observando",
        "destacando",
        "ressaltando",
        "sublinhando",
        "acolhendo",
        "expressando",
        "convencidos",
        "conscientes",
        "preocupados",
        "afirmando",
        "reiterando",
    ],
    "chapeaus": ["RESOLVE", "RECOMENDA", "DECIDE", "DECLARA"],
    "openings": ["A ASSEMBLEIA GERAL", "O CONSELHO PERMANENTE"],
    "follow_up": ["ACOMPANHAMENTO", "SEGUIMENTO"],
    "notes": ["NOTAS DE RODAPÉ", "NOTAS"],
    "under_title": [
        "apresentado por",
        "apresentada por",
        "aprovado em",
        "aprovada em",
        "adotado em",
        "adotada em",
    ],
    "options": ["opção", "texto alternativo", "alternativa", "variante"],
    "adoption": ["resolução adotada pela", "resolução aprovada pela", "decisão adotada pela"],
}

#: Every table by language code.
LEXICONS: dict[str, Lexicon] = {"en": EN, "es": ES, "fr": FR, "pt": PT}

#: The four languages' names in each of the four languages (one table, `model/languages.py`).
LANGUAGE_NAMES = NAMES


_Field = Literal[
    "participles",
    "chapeaus",
    "openings",
    "follow_up",
    "notes",
    "under_title",
    "options",
    "adoption",
]


def _all(field: _Field) -> list[str]:
    words = {w for lex in LEXICONS.values() for w in lex[field]}
    return sorted(words, key=len, reverse=True)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


_PARTICIPLES = re.compile(
    r"^(?:" + "|".join(re.escape(_fold(w)) for w in _all("participles")) + r")(?=[\s,])"
)
_CHAPEAUS = {_fold(w) for w in _all("chapeaus")}
_OPENINGS = {_fold(w) for w in _all("openings")}
_NOTES = {_fold(w) for w in _all("notes")}
_UNDER_TITLE = re.compile(
    r"^\((?:" + "|".join(re.escape(_fold(w)) for w in _all("under_title")) + r")\b"
)


def language_code(name: str) -> str | None:
    """The code (`es`) of a language named in any of the four languages, in any case
    (`español`, `SPANISH`, `Espagnol`, `es`); None for another language."""
    return languages.language_code(" ".join(name.split()).rstrip("."))


def language_name(name: str) -> str:
    """The one name a document stores for a language: its English name (`español` gives
    `Spanish`); a language outside the table is kept as printed."""
    code = language_code(name)
    return NAMES[code]["en"] if code else " ".join(name.split())


_OPTION = re.compile(
    r"^\[?\s*(?:" + "|".join(re.escape(_fold(w)) for w in _all("options")) + r")"
    r"(?:\s+(?:\d{1,2}|[a-z]|[ivx]{1,4})\b\s*(?:[:.)\]–—-]|$)|\s*:)"
)
_ADOPTION = re.compile(r"^(?:" + "|".join(re.escape(_fold(w)) for w in _all("adoption")) + r")\b")


def is_option_line(text: str) -> bool:
    """True for a line opening an alternative text: `Option 1:`, `[Opción A]`, `Alternative
    text:`, `Variante B -` (a word of the tables' `options`, a label or a colon)."""
    return bool(_OPTION.match(_fold(text.strip())))


def is_adoption_line(text: str) -> bool:
    """True for the line that dates a resolution's adoption (`Resolution adopted by the
    General Assembly on ...`, `Resolución aprobada por la Asamblea General el ...`)."""
    return bool(_ADOPTION.match(_fold(text.strip())))


def opens_with_participle(text: str) -> bool:
    """True if `text` opens with a preambular phrase of any table, capitalised as a paragraph
    opens (`Recalling its resolution`, `Noting with concern`, `TENIENDO PRESENTE que`) and
    going on in lower case."""
    if not text[:1].isupper():
        return False
    m = _PARTICIPLES.match(_fold(text))
    if not m:
        return False
    rest = text[m.end() :].lstrip(" ,")
    return bool(rest) and (rest[:1].islower() or rest[:1] in "“\"'(")


def is_chapeau_word(text: str) -> bool:
    """True for a chapeau of any table on a line of its own (`RESUELVE:`, `DÉCIDE`)."""
    word = text.strip().rstrip(":").strip()
    return word.isupper() and _fold(word) in _CHAPEAUS


def is_opening_line(text: str) -> bool:
    """True for the author's opening line (`LA ASAMBLEA GENERAL,`)."""
    return _fold(text.strip().rstrip(",:").strip()) in _OPENINGS


def is_notes_heading(text: str) -> bool:
    """True for the heading of a footnote section (`FOOTNOTES`, `NOTAS DE PIE DE PÁGINA`,
    `Notes`)."""
    word = text.strip().rstrip(":").strip()
    return (word.isupper() or word.istitle()) and _fold(word) in _NOTES


def is_under_title(text: str) -> bool:
    """True for a parenthesised line under a title: `(Presented by ...)`, `(Aprobada en ...)`."""
    s = text.strip()
    return s.endswith(")") and bool(_UNDER_TITLE.match(_fold(s)))
