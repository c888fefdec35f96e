"""Choices that read without colour: a check mark on what is chosen, a dot on what is not.

Textual draws a chosen and an unchosen toggle with the same glyph in two colours; these
subclasses draw `CHECKED` or `UNCHECKED` inside the button instead.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

CHECKED = "✓"
"""Drawn in a chosen button."""
UNCHECKED = "·"
"""Drawn in a button not chosen."""

T = TypeVar("T")


class MarkedRadioButton(RadioButton):
    """A radio button showing ✓ when chosen and · when not."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = CHECKED if self.value else UNCHECKED
        return super()._button


class MarkedSelectionList(SelectionList[T]):
    """A selection list showing ✓ beside chosen options and · beside the others."""

    def render_line(self, y: int) -> Strip:
        """The line as Textual draws it, with the button's inner glyph replaced."""
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:  # a line past the options: leave it as drawn
            return line
        glyph = CHECKED if option.value in self.selected else UNCHECKED
        segments[1] = Segment(glyph, segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)
