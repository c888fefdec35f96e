"""A comparison, paragraph by paragraph: refs (`OP12 → OP13`), status, moves, word diff.

Virtual (Line API): entries are wrapped to the width once, and only the rows on screen are
drawn. The cursor moves entry by entry; Enter posts `DiffView.EntryChosen`.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message

from workplan.diff_render import label, notes, refs, with_text
from workplan.model.diff import DraftDiff, ParaDiff, ParaStatus
from workplan.tui.widgets.line_list import Item, LineList

INDENT = 2
"""Cells the text of an entry is indented under its heading."""

OP_STYLES = {"=": "", "+": "underline bold $text-success", "-": "strike $text-error"}
"""Word-diff styles: inserted underlined in green, deleted struck in red (any theme)."""

STATUS_STYLES = {
    ParaStatus.UNCHANGED: "$foreground-muted",
    ParaStatus.MODIFIED: "bold $text-warning",
    ParaStatus.RENUMBERED: "$text-primary",
    ParaStatus.MOVED: "bold $text-secondary",
    ParaStatus.INSERTED: "bold $text-success",
    ParaStatus.DELETED: "bold $text-error",
}


NOTE_STYLE = "italic $text-accent"
"""Changes of status and reservations under an entry's heading."""


def heading(p: ParaDiff) -> Content:
    """An entry's first line: refs, status and a move mark (readable without colour)."""
    moved = p.moved and p.status != ParaStatus.MOVED
    kind = label(p) if p.status == ParaStatus.UNCHANGED else p.status.value
    return Content.assemble(
        (refs(p), "bold"),
        "  ",
        (kind, STATUS_STYLES[p.status]),
        (" ↕ moved" if moved else "", "bold $text-secondary"),
    )


def note_lines(p: ParaDiff) -> list[Content]:
    """`status: under negotiation → agreed`, `reservations: + R2 (Jamaica)`, indented."""
    return [Content(" " * INDENT) + Content.styled(note, NOTE_STYLE) for note in notes(p)]


def body(p: ParaDiff) -> Content:
    """The word diff; inserted and deleted words are also bracketed `{+…+}` / `[-…-]` so the
    change reads without colour."""
    parts: list[Content | tuple[str, str] | str] = []
    for op, text in p.ops:
        if op == "=":
            parts.append(text)
        elif op == "+":
            parts.append(("{+" + text + "+}", OP_STYLES["+"]))
        else:
            parts.append(("[-" + text + "-]", OP_STYLES["-"]))
    return Content.assemble(*parts)


def sides(p: ParaDiff) -> tuple[Content, Content]:
    """The two sides of an entry: A with its deleted words struck, B with its inserted words
    underlined (and bracketed, so each reads without colour)."""
    left: list[Content | tuple[str, str] | str] = []
    right: list[Content | tuple[str, str] | str] = []
    for op, text in p.ops:
        if op == "=":
            left.append(text)
            right.append(text)
        elif op == "+":
            right.append(("{+" + text + "+}", OP_STYLES["+"]))
        else:
            left.append(("[-" + text + "-]", OP_STYLES["-"]))
    return Content.assemble(*left), Content.assemble(*right)


def side_by_side(p: ParaDiff, width: int) -> list[Content]:
    """An entry's two sides wrapped into columns of half the width, `A │ B` line by line."""
    column = max((width - INDENT - 3) // 2, 8)
    a, b = (side.wrap(column) if side else [] for side in sides(p))
    blank = Content(" " * column)
    rows = []
    for i in range(max(len(a), len(b))):
        left = a[i].pad_right(column - a[i].cell_length) if i < len(a) else blank
        right = b[i] if i < len(b) else Content("")
        rows.append(Content(" " * INDENT) + left + Content.styled(" │ ", "dim") + right)
    return rows


class DiffView(LineList):
    """The entries of a `DraftDiff`: those it lists (`DraftDiff.listed`: changed, renumbered,
    or with another status or reservations), or every paragraph when `context` is set. An
    entry whose text and place are the same shows its heading and notes, not its text."""

    DEFAULT_CSS = """
    DiffView {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    class EntryChosen(Message):
        """Enter on an entry."""

        def __init__(self, entry: ParaDiff) -> None:
            super().__init__()
            self.entry = entry
            """The paragraph pair chosen."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._diff: DraftDiff | None = None
        self._entries: list[ParaDiff] = []
        self._lines: list[Content] = []
        self._built_width = 0
        self.context = False
        """Show unchanged paragraphs too."""
        self.side_by_side = False
        """Show A and B in two columns rather than one inline word diff."""

    @property
    def diff(self) -> DraftDiff | None:
        """The comparison shown."""
        return self._diff

    @property
    def entries(self) -> list[ParaDiff]:
        """The entries shown, in order."""
        return list(self._entries)

    @property
    def current(self) -> ParaDiff | None:
        """The entry under the cursor."""
        key = self.current_key
        return None if key is None else self._entries[int(key)]

    def show_diff(
        self,
        diff: DraftDiff | None,
        *,
        context: bool | None = None,
        side_by_side: bool | None = None,
    ) -> None:
        """Show a comparison (None: nothing), keeping the cursor on the same paragraph."""
        keep = self._identity(self.current)
        if context is not None:
            self.context = context
        if side_by_side is not None:
            self.side_by_side = side_by_side
        self._diff = diff
        self._entries = (
            [] if diff is None else list(diff.paragraphs) if self.context else diff.listed
        )
        self._build(keep)

    @staticmethod
    def _identity(p: ParaDiff | None) -> tuple[str | None, str | None] | None:
        return None if p is None else (p.a_uid, p.b_uid)

    def _build(self, keep: tuple[str | None, str | None] | None = None) -> None:
        width = max(self.scrollable_content_region.width, 20)
        self._built_width = width
        lines: list[Content] = []
        items: list[Item] = []
        keep_key = None
        for i, p in enumerate(self._entries):
            start = len(lines)
            lines.append(heading(p))
            lines += note_lines(p)
            if with_text(p, self.context) and self.side_by_side:
                lines += side_by_side(p, width)
            elif with_text(p, self.context):
                lines += [Content(" " * INDENT) + line for line in body(p).wrap(width - INDENT)]
            items.append(Item(str(i), start, len(lines) - start))
            lines.append(Content(""))
            if keep is not None and self._identity(p) == keep:
                keep_key = str(i)
        self._lines = lines
        self.set_rows(len(lines), items, keep=keep_key)

    def row_content(self, row: int) -> Content:
        """One wrapped line."""
        return self._lines[row]

    def on_resize(self) -> None:
        """Wrap again at the new width."""
        if self.scrollable_content_region.width != self._built_width and self._entries:
            self._build(self._identity(self.current))

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        """Enter on an entry: say which paragraph pair it is."""
        event.stop()
        self.post_message(self.EntryChosen(self._entries[int(event.key)]))
