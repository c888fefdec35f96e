"""The outline: a draft's sections and paragraphs in one virtual list."""

from __future__ import annotations

from collections.abc import Iterator

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workplan.model import Draft, Paragraph, Section
from workplan.tui.widgets.badges import badge

KIND_MARK = {"preambular": "pre", "operative": "op", "follow-up": "fu", "other": "oth"}
"""Short marker per paragraph kind."""

SECTION_PREFIX = "§"
"""Prefix of section option ids, so they never collide with paragraph uids."""

STARTS = 160
"""How much of a paragraph's text a line keeps (the rest is cut by the width anyway)."""


class Outline(OptionList):
    """Every section heading and paragraph of a draft, one line each, virtualised.

    Headings are disabled options, so the cursor moves from paragraph to paragraph.
    """

    DEFAULT_CSS = """
    Outline {
        height: 1fr;
        max-height: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option-disabled {
            color: $text-accent;
            text-style: bold;
        }
    }
    """

    class ParagraphHighlighted(Message):
        """The cursor moved onto a paragraph."""

        def __init__(self, uid: str) -> None:
            super().__init__()
            self.uid = uid
            """The paragraph's uid."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self._uids: list[str] = []
        self._known: frozenset[str] = frozenset()

    @property
    def uids(self) -> list[str]:
        """The paragraph uids, in outline order."""
        return list(self._uids)

    @property
    def current_uid(self) -> str | None:
        """The uid under the cursor, or None when no paragraph is highlighted."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return option_id if option_id in self._known else None

    def show_draft(self, draft: Draft, statuses: dict[str, str], keep: str | None = None) -> None:
        """Fill the list with a draft; keep the cursor on `keep` if it is still there."""
        width = min(max((len(r) for r in draft.refs.values()), default=1), 14)
        options: list[Option] = []
        for item, depth in outline_rows(draft):
            if isinstance(item, Section):
                title = Content("  " * depth + item.title)
                options.append(Option(title, id=SECTION_PREFIX + item.id, disabled=True))
            else:
                ref, status = draft.refs.get(item.uid, ""), statuses.get(item.uid, "")
                options.append(Option(self._line(item, ref, status, width, depth), id=item.uid))
        self._uids = [p.uid for p in draft.paragraphs]
        self._known = frozenset(self._uids)
        self.set_options(options)
        target = keep if keep in self._known else (self._uids[0] if self._uids else None)
        if target is not None:
            self.highlighted = self.get_option_index(target)

    @staticmethod
    def _line(p: Paragraph, ref: str, status: str, width: int, depth: int) -> Content:
        start = p.text.split("\n", 1)[0][:STARTS]
        return Content.assemble(
            "  " * depth,
            badge(status),
            " ",
            (f"{ref or '·':>{width}}", "bold"),
            " ",
            (f"{KIND_MARK.get(str(p.kind), '?'):<3}", "$foreground-muted"),
            " ",
            start,
        )

    def move_to(self, uid: str) -> None:
        """Put the cursor on a paragraph."""
        self.highlighted = self.get_option_index(uid)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Turn the list's highlight into a paragraph message."""
        event.stop()
        if event.option_id in self._known:
            self.post_message(self.ParagraphHighlighted(event.option_id))


def outline_rows(draft: Draft) -> Iterator[tuple[Section | Paragraph, int]]:
    """Headings and paragraphs in reading order, each with its depth (0 = top level).

    A heading comes before the first paragraph under it; empty sections keep their place.
    """
    sections = draft.sections
    index = {s.id: i for i, s in enumerate(sections)}
    shown: set[str] = set()
    passed = 0  # sections before this index have had their turn

    def headings_up_to(target: int) -> Iterator[tuple[Section, int]]:
        nonlocal passed
        while passed <= target:
            s = sections[passed]
            passed += 1
            for ancestor in draft.section_path(s.id):
                if ancestor.id not in shown:
                    shown.add(ancestor.id)
                    yield ancestor, len(draft.section_path(ancestor.id)) - 1

    current: str | None = None
    depth = 0
    for p in draft.paragraphs:
        if p.section != current:
            current = p.section
            depth = max(len(draft.section_path(current)) - 1, 0)
            if current in index:
                yield from headings_up_to(index[current])
        yield p, depth
    yield from headings_up_to(len(sections) - 1)
