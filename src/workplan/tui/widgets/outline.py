"""The outline: sections and paragraphs of a draft in one virtual list."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workplan.model import Draft
from workplan.tui.widgets.badges import badge

KIND_MARK = {"preambular": "pp", "operative": "op", "follow-up": "fu", "other": "··"}


class Outline(OptionList):
    """Every section heading and paragraph of a draft, virtualised (one line each)."""

    DEFAULT_CSS = """
    Outline {
        height: 1fr;
        border: none;
        background: $surface;
    }
    Outline > .option-list--option-disabled {
        color: $text-accent;
        text-style: bold;
    }
    """

    class ParagraphHighlighted(Message):
        """The cursor moved onto a paragraph."""

        def __init__(self, uid: str) -> None:
            super().__init__()
            self.uid = uid

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self._uids: list[str] = []

    def show_draft(self, draft: Draft, statuses: dict[str, str], keep: str | None = None) -> None:
        """Fill the list with a draft's sections and paragraphs; keep the cursor on `keep`."""
        options: list[Option] = []
        self._uids = []
        current: str | None = None
        emitted: set[str] = set()
        for p in draft.paragraphs:
            if p.section != current:
                current = p.section
                for depth, s in enumerate(draft.section_path(current)):
                    if s.id not in emitted:
                        emitted.add(s.id)
                        title = Text("  " * depth + s.title)
                        options.append(Option(title, id=f"§{s.id}", disabled=True))
            options.append(Option(self._line(draft, p.uid, statuses.get(p.uid, "")), id=p.uid))
            self._uids.append(p.uid)
        self.clear_options()
        self.add_options(options)
        target = keep if keep in self._uids else (self._uids[0] if self._uids else None)
        if target is not None:
            self.highlighted = self.get_option_index(target)

    def _line(self, draft: Draft, uid: str, status: str) -> Text:
        p = draft.by_uid[uid]
        glyph, style = badge(status)
        ref = draft.refs.get(uid) or "·"
        first = p.text.split("\n", 1)[0]
        if len(first) > 90:
            first = first[:89].rstrip() + "…"
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{glyph} ", style=style)
        line.append(f"{ref:>6} ", style="bold")
        line.append(f"{KIND_MARK.get(str(p.kind), '')} ", style="dim")
        line.append(first)
        return line

    @property
    def uids(self) -> list[str]:
        """The paragraph uids in outline order."""
        return list(self._uids)

    @property
    def current_uid(self) -> str | None:
        """The uid under the cursor, if a paragraph is highlighted."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return option_id if option_id in self._uids else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Translate the list's highlight into a paragraph message."""
        event.stop()
        if event.option_id and not event.option_id.startswith("§"):
            self.post_message(self.ParagraphHighlighted(event.option_id))
