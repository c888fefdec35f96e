"""The outline: a draft's sections and paragraphs in one virtual list (Line API).

Only the rows on screen are ever built and drawn, so a 10,000-paragraph draft opens as fast as
a short one and the cursor moves in constant time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from textual.content import Content
from textual.message import Message

from workplan.tui.widgets.badges import badge
from workplan.tui.widgets.line_list import Item, LineList

if TYPE_CHECKING:
    from workplan.model import Draft

KIND_MARK = {"preambular": "pre", "operative": "op", "follow-up": "fu", "other": "oth"}
"""Short marker per paragraph kind."""

SECTION_PREFIX = "§"
"""Prefix of section row ids, so they never collide with paragraph uids."""

STARTS = 160
"""How much of a paragraph's text a line keeps (the rest is cut by the width anyway)."""


class OutlineLine(NamedTuple):
    """One row as shown: its id (uid, or § + section id), its content, and whether it is a
    heading (the cursor skips headings)."""

    id: str
    prompt: Content
    disabled: bool


class SectionLike(Protocol):
    """What the outline needs of a section (a model's `Section` or a read view)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


class ParagraphLike(Protocol):
    """What the outline needs of a paragraph (a model's `Paragraph` or a read view)."""

    @property
    def uid(self) -> str: ...
    @property
    def section(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...


class Row(NamedTuple):
    """One row of the outline: a heading (`uid` None) or a paragraph."""

    uid: str | None
    key: str
    """The paragraph's uid, or the section's id for a heading."""
    text: str
    """The heading's title, or the start of the paragraph's text."""
    kind: str
    depth: int


class Outline(LineList):
    """Every section heading and paragraph of a draft, one line each, virtualised.

    The cursor moves from paragraph to paragraph, skipping headings.
    """

    DEFAULT_CSS = """
    Outline {
        height: 1fr;
        max-height: 100%;
    }
    """

    class ParagraphHighlighted(Message):
        """The cursor moved onto a paragraph."""

        def __init__(self, uid: str) -> None:
            super().__init__()
            self.uid = uid
            """The paragraph's uid."""

    class ParagraphSelected(ParagraphHighlighted):
        """Enter (or a second click) on a paragraph."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._refs: dict[str, str] = {}
        self._statuses: Mapping[str, str] = {}
        self._width = 1

    @property
    def uids(self) -> list[str]:
        """The paragraph uids, in outline order."""
        return self.keys

    @property
    def current_uid(self) -> str | None:
        """The uid under the cursor, or None when the outline is empty."""
        return self.current_key

    def show_draft(
        self, draft: Draft, statuses: Mapping[str, str], keep: str | None = None
    ) -> None:
        """Show a draft; keep the cursor on `keep` if it is still there (else the first one).

        Posts no message: the caller shows the paragraph it finds in `current_uid`.
        """
        self.show_rows(draft.sections, draft.paragraphs, draft.refs, statuses, keep=keep)

    def show_rows(
        self,
        sections: Iterable[SectionLike],
        paragraphs: Iterable[ParagraphLike],
        refs: dict[str, str],
        statuses: Mapping[str, str],
        keep: str | None = None,
    ) -> None:
        """Show sections and paragraphs (models or read views: the first frame shows views,
        read without the write side), the cursor on `keep` if it is there."""
        self._rows = list(outline_rows(list(sections), paragraphs))
        self._refs = refs
        self._statuses = statuses
        self._width = min(max((len(r) for r in self._refs.values()), default=1), 14)
        items = [Item(r.uid, row) for row, r in enumerate(self._rows) if r.uid is not None]
        self.set_rows(len(self._rows), items, keep=keep)

    def move_to(self, uid: str) -> bool:
        """Put the cursor on a paragraph (posting `ParagraphHighlighted`); False if not shown."""
        return self.move_to_key(uid)

    def row_content(self, row: int) -> Content:
        """A heading or a paragraph line: badge, ref, kind marker and the start of the text."""
        r = self._rows[row]
        if r.uid is None:
            return Content.styled("  " * r.depth + r.text, "bold $text-accent")
        ref, status = self._refs.get(r.uid, ""), self._statuses.get(r.uid, "")
        return Content.assemble(
            "  " * r.depth,
            badge(status),
            " ",
            (f"{ref or '·':>{self._width}}", "bold"),
            " ",
            (f"{KIND_MARK.get(r.kind, '?'):<3}", "$text-muted"),
            " ",
            r.text,
        )

    # -- the rows as data (for tests and tools; the screen never needs them all) -------------
    @property
    def options(self) -> list[OutlineLine]:
        """Every row, built now (slow for long drafts: meant for tests)."""
        return [self._line(row) for row in range(len(self._rows))]

    def get_option(self, uid: str) -> OutlineLine:
        """The row of a paragraph."""
        for row, r in enumerate(self._rows):
            if r.uid == uid:
                return self._line(row)
        raise KeyError(uid)

    def _line(self, row: int) -> OutlineLine:
        r = self._rows[row]
        if r.uid is None:
            return OutlineLine(SECTION_PREFIX + r.key, self.row_content(row), True)
        return OutlineLine(r.uid, self.row_content(row), False)

    def on_line_list_highlighted(self, event: LineList.Highlighted) -> None:
        """Turn the cursor's move into a paragraph message."""
        if type(event) is LineList.Highlighted:
            event.stop()
            self.post_message(self.ParagraphHighlighted(event.key))

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        """Turn Enter into a paragraph message."""
        event.stop()
        self.post_message(self.ParagraphSelected(event.key))


def outline_rows(
    sections: Sequence[SectionLike], paragraphs: Iterable[ParagraphLike]
) -> Iterator[Row]:
    """Headings and paragraphs in reading order, each with its depth (0 = top level).

    A heading comes before the first paragraph under it; empty sections keep their place.
    """
    index = {s.id: i for i, s in enumerate(sections)}
    by_id = {s.id: s for s in sections}
    paths: dict[str | None, list[SectionLike]] = {}

    def section_path(sid: str | None) -> list[SectionLike]:
        """The sections from the outermost down to `sid` (as `Draft.section_path`)."""
        if sid not in paths:
            path: list[SectionLike] = []
            at = sid
            while at is not None and at in by_id and by_id[at] not in path:
                path.insert(0, by_id[at])
                at = by_id[at].parent
            paths[sid] = path
        return paths[sid]

    shown: set[str] = set()
    passed = 0  # sections before this index have had their turn

    def headings_up_to(target: int) -> Iterator[Row]:
        nonlocal passed
        while passed <= target:
            s = sections[passed]
            passed += 1
            for ancestor in section_path(s.id):
                if ancestor.id not in shown:
                    shown.add(ancestor.id)
                    depth = len(section_path(ancestor.id)) - 1
                    yield Row(None, ancestor.id, ancestor.title, "", depth)

    current: str | None = None
    depth = 0
    for p in paragraphs:
        if p.section != current:
            current = p.section
            depth = max(len(section_path(current)) - 1, 0)
            if current in index:
                yield from headings_up_to(index[current])
        yield Row(p.uid, p.uid, p.text.split("\n", 1)[0][:STARTS], str(p.kind), depth)
    yield from headings_up_to(len(sections) - 1)
