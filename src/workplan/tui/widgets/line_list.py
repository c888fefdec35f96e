"""A virtual list drawn with the Line API: only the visible rows are ever rendered.

Rows are one line each and built on demand by the subclass (`row_content`); the cursor stops
on *items*, each covering one or more rows (a paragraph, a wrapped diff entry), and skips the
rows between them (section headings). Modelled on Textualize/toolong's `LogLines`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual


@dataclass(frozen=True, slots=True)
class Item:
    """A place the cursor can stop: its key and the rows it covers."""

    key: str
    """Unique within the list (a paragraph uid, an entry number)."""
    row: int
    """Its first row."""
    height: int = 1
    """How many rows it covers."""


class LineList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows rendered lazily, a cursor over items; posts `Highlighted` and `Selected`."""

    DEFAULT_CSS = """
    LineList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        & > .line-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .line-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False, id="list-down"),
        Binding("up", "cursor_up", "Up", show=False, id="list-up"),
        Binding("home", "first", "First", show=False, id="list-first"),
        Binding("end", "last", "Last", show=False, id="list-last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
        Binding("enter", "select", "Open", show=False, id="list-select"),
    ]

    cursor: reactive[int | None] = reactive(None, init=False, repaint=False)
    """Index of the item under the cursor (None when the list is empty)."""

    class Highlighted(Message):
        """The cursor moved onto an item."""

        def __init__(self, line_list: LineList, key: str) -> None:
            super().__init__()
            self.line_list = line_list
            """The list."""
            self.key = key
            """The item's key."""

        @property
        def control(self) -> LineList:
            """The list that posted the message."""
            return self.line_list

    class Selected(Highlighted):
        """Enter (or a second click) on an item."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._row_count = 0
        self._items: list[Item] = []
        self._starts: list[int] = []
        self._index: dict[str, int] = {}
        self._contents: LRUCache[int, Content] = LRUCache(4096)
        self._strips: LRUCache[tuple[int, bool, bool, int], Strip] = LRUCache(1024)

    # -- what subclasses provide -------------------------------------------------------------
    def row_content(self, row: int) -> Content:
        """The content of one row (called only for rows about to be drawn)."""
        raise NotImplementedError

    def set_rows(self, row_count: int, items: list[Item], keep: str | None = None) -> None:
        """Replace the rows and items; keep the cursor on `keep` if it is still there.

        Moving the cursor here posts no message: the caller knows what it showed.
        """
        self._row_count = row_count
        self._items = items
        self._starts = [item.row for item in items]
        self._index = {item.key: i for i, item in enumerate(items)}
        self._contents.clear()
        self._strips.clear()
        target = self._index.get(keep, 0 if items else None) if keep else (0 if items else None)
        self.set_reactive(LineList.cursor, target)
        self.virtual_size = Size(0, row_count)
        self._scroll_to_cursor()
        self.refresh()

    # -- reading -----------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """How many rows there are (lines, not items)."""
        return self._row_count

    @property
    def keys(self) -> list[str]:
        """Every item's key, in order."""
        return [item.key for item in self._items]

    @property
    def current_key(self) -> str | None:
        """The key under the cursor."""
        return None if self.cursor is None else self._items[self.cursor].key

    def has_key(self, key: str) -> bool:
        """True when an item has this key."""
        return key in self._index

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on an item (posting `Highlighted`); False when there is no such item."""
        if key not in self._index:
            return False
        self.cursor = self._index[key]
        return True

    # -- drawing -----------------------------------------------------------------------------
    def _content(self, row: int) -> Content:
        content = self._contents.get(row)
        if content is None:
            content = self.row_content(row)
            self._contents[row] = content
        return content

    def _on_cursor(self, row: int) -> bool:
        if self.cursor is None:
            return False
        item = self._items[self.cursor]
        return item.row <= row < item.row + item.height

    def render_line(self, y: int) -> Strip:
        """Draw one visible line."""
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= self._row_count:
            return Strip.blank(width, self.rich_style)
        on_cursor = self._on_cursor(row)
        key = (row, on_cursor, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            style = self.get_visual_style("line-list--cursor") if on_cursor else None
            style = style or self.get_visual_style()
            strips = Visual.to_strips(self, self._content(row), width, 1, style, pad=True)
            strip = strips[0] if strips else Strip([Segment(" " * width, style.rich_style)])
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        """A theme or CSS change: draw everything again."""
        super().notify_style_update()
        self._strips.clear()

    def _refresh_item(self, index: int | None) -> None:
        if index is not None and index < len(self._items):
            item = self._items[index]
            self.refresh_lines(item.row - self.scroll_offset.y, item.height)

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        """Redraw the two items, scroll the new one into view, say which it is."""
        self._refresh_item(old)
        self._refresh_item(new)
        self._scroll_to_cursor()
        if new is not None:
            self.post_message(self.Highlighted(self, self._items[new].key))

    def validate_cursor(self, cursor: int | None) -> int | None:
        """Keep the cursor on an item."""
        if cursor is None or not self._items:
            return None
        return max(0, min(cursor, len(self._items) - 1))

    def _scroll_to_cursor(self) -> None:
        if self.cursor is None:
            return
        item = self._items[self.cursor]
        top = 0 if self.cursor == 0 else item.row
        height = item.row + item.height - top
        region = Region(0, top, max(self.scrollable_content_region.width, 1), height)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def on_focus(self) -> None:
        """The cursor changes colour with focus: draw again."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor changes colour with focus: draw again."""
        self.refresh()

    # -- moving ------------------------------------------------------------------------------
    def _step(self, delta: int) -> None:
        if self._items:
            self.cursor = (self.cursor or 0) + delta if self.cursor is not None else 0

    def action_cursor_down(self) -> None:
        """Next item."""
        self._step(1)

    def action_cursor_up(self) -> None:
        """Previous item."""
        self._step(-1)

    def action_first(self) -> None:
        """First item."""
        if self._items:
            self.cursor = 0

    def action_last(self) -> None:
        """Last item."""
        if self._items:
            self.cursor = len(self._items) - 1

    def _page(self, direction: int) -> None:
        if self.cursor is None:
            return
        target_row = self._items[self.cursor].row + direction * max(self.size.height - 1, 1)
        index = bisect_right(self._starts, max(target_row, 0)) - 1
        self.cursor = max(index, 0) if direction < 0 else max(index, self.cursor + 1)

    def action_page_down(self) -> None:
        """About one screen further."""
        self._page(1)

    def action_page_up(self) -> None:
        """About one screen back."""
        self._page(-1)

    def action_select(self) -> None:
        """Say the item under the cursor was chosen."""
        if self.cursor is not None:
            self.post_message(self.Selected(self, self._items[self.cursor].key))

    def item_at_row(self, row: int) -> int | None:
        """The index of the item covering a row, or None (a heading, past the end)."""
        index = bisect_right(self._starts, row) - 1
        if index < 0:
            return None
        item = self._items[index]
        return index if row < item.row + item.height else None

    def on_click(self, event: events.Click) -> None:
        """Click moves the cursor; clicking the item under the cursor selects it."""
        index = self.item_at_row(event.y - self.gutter.top + self.scroll_offset.y)
        if index is None:
            return
        if index == self.cursor:
            self.action_select()
        else:
            self.cursor = index
