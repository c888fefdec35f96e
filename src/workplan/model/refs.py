"""Printed references: computed from kind and order, never stored."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from workplan.errors import InputError, NotFoundError
from workplan.model.document import Numbering, ParagraphKind, Section

PREFIX = {
    ParagraphKind.PREAMBULAR: "PP",
    ParagraphKind.OPERATIVE: "OP",
    ParagraphKind.FOLLOW_UP: "FU",
}
_REF = re.compile(r"^(?:(?P<sec>[a-z0-9][a-z0-9-]*)/)?(?P<pre>PP|OP|FU)?(?P<n>\d+)$", re.IGNORECASE)


def root_of(section: str | None, sections: dict[str, Section]) -> str | None:
    """The top-level section that holds `section`."""
    seen: set[str] = set()
    while section is not None and section in sections and sections[section].parent:
        if section in seen:
            break
        seen.add(section)
        section = sections[section].parent
    return section


class Numbered(Protocol):
    """What numbering needs of a paragraph (a `Paragraph`, or a lighter row)."""

    @property
    def uid(self) -> str: ...

    @property
    def kind(self) -> ParagraphKind: ...

    @property
    def section(self) -> str | None: ...

    @property
    def position(self) -> int: ...

    @property
    def deleted(self) -> bool: ...


def compute_refs(
    paragraphs: Sequence[Numbered], sections: Sequence[Section], numbering: Numbering
) -> dict[str, str]:
    """Map uid → printed ref (`PP3`, `OP12`, `FU1`, or `prevention/OP3` per section).

    Deleted paragraphs and paragraphs of kind `other` get no ref (an empty string).
    """
    by_id = {s.id: s for s in sections}
    counters: dict[tuple[str, str | None], int] = {}
    refs: dict[str, str] = {}
    for p in sorted(paragraphs, key=lambda p: p.position):
        prefix = PREFIX.get(p.kind)
        if prefix is None or p.deleted:
            refs[p.uid] = ""
            continue
        scope = None
        if p.kind == ParagraphKind.OPERATIVE and numbering == Numbering.PER_SECTION:
            scope = root_of(p.section, by_id)
        key = (prefix, scope)
        counters[key] = counters.get(key, 0) + 1
        ref = f"{prefix}{counters[key]}"
        refs[p.uid] = f"{scope}/{ref}" if scope else ref
    return refs


def _shown(ref: str, limit: int = 40) -> str:
    """`ref` quoted for a message, cut to `limit` characters (a message stays one short line)."""
    return repr(ref if len(ref) <= limit else ref[:limit] + "…")


def resolve_ref(ref: str, refs: dict[str, str], document: str) -> str:
    """Return the uid a printed ref or uid points at.

    Accepts `OP12`, `op12`, bare `12` (operative), `PP3`, `FU2`, `section/OP3`, or a uid.
    """
    ref = ref.strip()
    if ref in refs:
        return ref
    m = _REF.match(ref)
    if not m:
        raise NotFoundError(f"no paragraph {_shown(ref)} in {document}")
    prefix = (m["pre"] or "OP").upper()
    wanted = f"{prefix}{m['n'].lstrip('0') or '0'}"  # never int(): 5,000 digits would raise
    if m["sec"]:
        wanted = f"{m['sec'].lower()}/{wanted}"
        matches = [uid for uid, r in refs.items() if r == wanted]
    else:
        matches = [uid for uid, r in refs.items() if r == wanted or r.endswith("/" + wanted)]
    if not matches:
        raise NotFoundError(f"no paragraph {_shown(ref)} in {document}")
    if len(matches) > 1:
        options = ", ".join(refs[u] for u in matches)
        raise InputError(f"{ref!r} is ambiguous in {document}: say which ({options})")
    return matches[0]
