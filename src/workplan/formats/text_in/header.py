"""The header block of a document: symbol, date, original language, organ, series, title,
and the parenthesised lines under the title ("(Presented by ...)", "(Adopted at ...)")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from workplan.model.languages import MONTHS
from workplan.model.lexicon import is_adoption_line, is_under_title, language_name
from workplan.model.oas import header_metadata

#: Month names in the four languages (and Spanish's "setiembre"), lower case → number.
_MONTHS = {
    **{m.lower(): i for names in MONTHS.values() for i, m in enumerate(names, start=1)},
    "setiembre": 9,
}
_DMY = re.compile(r"^(\d{1,2})(?:er)?\s+(?:de\s+)?([^\W\d_]+)\s+(?:de\s+)?(\d{4})$")
_MDY = re.compile(r"^([^\W\d_]+)\s+(\d{1,2}),\s*(\d{4})$")
_SYMBOL = re.compile(r"^(?!(?:OEA|OAS)/Ser\b)[A-Z][A-Za-z]{0,9}[/.][A-Za-z0-9./()\- ]*\d")
_UN_SYMBOL = re.compile(r"(?:^|\s)([A-Z]{1,3}/(?:RES|[A-Z]{1,5})/[\w/.()-]*\d[\w/.()-]*)")
_ORIGINAL = re.compile(r"^Original\s*:\s*(\S.*)$", re.IGNORECASE)


def read_date(line: str) -> str | None:
    """An ISO date from `3 March 2026`, `3 de marzo de 2026`, `March 3, 2026`, `2026-03-03`."""
    s = " ".join(line.split()).rstrip(".")
    try:
        if m := _DMY.match(s):
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])).isoformat()
        if m := _MDY.match(s):
            return date(int(m[3]), _MONTHS[m[1].lower()], int(m[2])).isoformat()
        return date.fromisoformat(s).isoformat()
    except (KeyError, ValueError):
        return None


def adoption_date(line: str) -> str | None:
    """The ISO date a line dating a resolution's adoption ends with (`Resolution adopted by
    the General Assembly on 4 December 2025`, `Resolución aprobada por la Asamblea General el
    4 de diciembre de 2025`), or None for any other line."""
    if not is_adoption_line(line):
        return None
    words = line.strip().rstrip(".").split()
    for k in range(len(words) - 1, max(len(words) - 6, 0), -1):
        if d := read_date(" ".join(words[k:])):
            return d
    return None


def read_header(
    header: list[str], title: str | None, under: list[str], front: Sequence[str] = ()
) -> dict[str, str]:
    """What the header block says: `symbol`, `date`, `original_language` (its English name,
    whatever language the text names it in), `organ`, `series`, `title`, and `presented` /
    `adopted` (the lines under the title, without parentheses). A line dating the adoption
    (in the header or in the `front` paragraphs before the body, as UN resolutions print it)
    gives `adopted_on`, which is then the `date`; the header's own date is `distributed`.
    Only what the text says; nothing guessed."""
    out: dict[str, str] = {}
    for line in [*header, *front]:
        if "adopted_on" not in out and (d := adoption_date(line)):
            out["adopted_on"] = d
    for line in header:
        _read_header_line(line.strip(), out)
    out.update({k: v for k, v in header_metadata(header).items() if k not in out})
    if "adopted_on" in out:
        if "date" in out and out["date"] != out["adopted_on"]:
            out["distributed"] = out["date"]
        out["date"] = out["adopted_on"]
    if title:
        out["title"] = title
    for line in under:
        s = line.strip()[1:-1].strip()
        low = s.lower()
        key = "presented" if low.startswith(("present", "présent", "apresent")) else "adopted"
        out[key] = f"{out[key]}\n{s}" if key in out else s
    return out


def _read_header_line(s: str, out: dict[str, str]) -> None:
    """What one header line says (its date, original language or symbol), into `out`; the
    first of each wins, and an adoption line is read elsewhere."""
    if is_adoption_line(s):
        return
    if "date" not in out and (d := read_date(s)):
        out["date"] = d
    elif m := _ORIGINAL.match(s):
        out.setdefault("original_language", language_name(m[1]))
    elif "symbol" not in out and _SYMBOL.match(s):
        out["symbol"] = s
    elif "symbol" not in out and (m := _UN_SYMBOL.search(s)):
        out["symbol"] = m[1]


def take_under_title(lines: list[str], origin: list[int]) -> tuple[list[str], list[int], list[str]]:
    """Take the parenthesised lines under the title out of the first lines (before the first
    paragraph that ends a sentence): they are metadata, never paragraphs or headings."""
    under: list[str] = []
    keep_l: list[str] = []
    keep_o: list[int] = []
    for i, (line, no) in enumerate(zip(lines, origin, strict=True)):
        if i < 60 and is_under_title(line):
            under.append(line.strip())
            continue
        keep_l.append(line)
        keep_o.append(no)
    return keep_l, keep_o, under
