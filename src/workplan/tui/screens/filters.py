"""What the draft screen's outline is narrowed to, and narrowing a draft by it.

The dialog that chooses it is `draft_filter.FilterScreen` (imported when opened: the draft
screen's first frame imports no dialog).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING

from workplan.model.vocab import STATUS_LABELS, Stance, Status

if TYPE_CHECKING:
    from workplan.model import Draft, Paragraph
    from workplan.service.pages import DraftPage


@dataclass(frozen=True)
class Filters:
    """What the outline is narrowed to; the empty value shows everything."""

    statuses: frozenset[str] = frozenset()
    """Statuses to show (empty: any)."""
    delegation: str = ""
    """A delegation code: show where it holds one of `stances` (any position when empty)."""
    stances: frozenset[str] = frozenset()
    """The delegation's stances that count."""
    search: str = ""
    """Text (or ref) the paragraph must contain, case-insensitive."""

    @property
    def active(self) -> bool:
        """True when anything is filtered out."""
        return bool(self.statuses or self.delegation or self.search)

    def describe(self) -> str:
        """The filter in words, for the filter bar."""
        parts = []
        if self.statuses:
            parts.append(" or ".join(STATUS_LABELS[Status(s)] for s in sorted(self.statuses)))
        if self.delegation:
            what = " or ".join(sorted(self.stances)) if self.stances else "any position"
            parts.append(f"{self.delegation}: {what}")
        if self.search:
            parts.append(f"text contains “{self.search}”")
        return " · ".join(parts)

    def without_search(self) -> Filters:
        """The same filter, minus the text search."""
        return replace(self, search="")


@cache
def _filtered_draft() -> Callable[..., Draft]:
    """The class of a filtered draft, made when first filtering (the draft screen's first frame
    imports no pydantic model)."""
    from pydantic import Field

    from workplan.model import Draft

    class FilteredDraft(Draft):
        """Some of a draft's paragraphs, keeping the whole draft's printed refs."""

        full_refs: dict[str, str] = Field(default_factory=dict)
        """uid → printed ref in the whole draft."""

        @cached_property
        def refs(self) -> dict[str, str]:
            """The whole draft's refs (a subset must not renumber)."""
            return self.full_refs

    return FilteredDraft


def filter_draft(page: DraftPage, statuses: Mapping[str, str], f: Filters) -> Draft:
    """The paragraphs matching `f`, under the sections that hold them."""
    draft = page.draft
    kept = [p for p in draft.paragraphs if _matches(page, statuses, f, p)]
    used = {s.id for p in kept for s in draft.section_path(p.section)}
    return _filtered_draft()(
        document=draft.document,
        sections=[s for s in draft.sections if s.id in used],
        paragraphs=kept,
        full_refs=draft.refs,
    )


def _matches(page: DraftPage, statuses: Mapping[str, str], f: Filters, p: Paragraph) -> bool:
    if f.statuses and statuses.get(p.uid) not in f.statuses:
        return False
    if f.search:
        needle = f.search.casefold()
        if needle not in p.text.casefold() and needle != page.draft.refs.get(p.uid, "").casefold():
            return False
    if f.delegation:
        targets = [p.uid, *(a.id for a in page.by_target.get(p.uid, []))]
        held = {
            stance
            for t in targets
            for delegation, stance in page.stances.get(t, ())
            if delegation == f.delegation
        }
        if any(r.delegation == f.delegation for r in page.reservations_on(p.uid)):
            held.add(str(Stance.RESERVE))
        if not (held & f.stances if f.stances else held):
            return False
    return True
