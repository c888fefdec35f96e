"""The selected paragraph: its ref, kind, section, lineage, status and full text."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from workplan.tui.widgets.badges import badge, label


@dataclass(frozen=True)
class ParagraphInfo:
    """What the view shows; built by the screen from the service's models."""

    uid: str
    ref: str
    kind: str
    section: str
    lineage: str
    status: str
    text: str
    version: int


class ParagraphView(Static):
    """Shows one paragraph. User text is displayed literally (never as markup)."""

    DEFAULT_CSS = """
    ParagraphView {
        height: auto;
        padding: 1 2;
    }
    """

    info: reactive[ParagraphInfo | None] = reactive(None)
    """The paragraph shown."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    @property
    def uid(self) -> str | None:
        """The uid of the paragraph shown."""
        return self.info.uid if self.info else None

    def watch_info(self, info: ParagraphInfo | None) -> None:
        """Re-render when the paragraph changes."""
        self.update(self._render_info(info))

    def _render_info(self, info: ParagraphInfo | None) -> Text:
        if info is None:
            return Text("No paragraph selected.", style="dim")
        glyph, style = badge(info.status)
        out = Text()
        out.append(info.ref or "(no number)", style="bold")
        out.append(f"  {info.kind}  ", style="dim")
        out.append(f"{glyph} {label(info.status)}", style=style)
        out.append(f"\n{info.section}\n" if info.section else "\n", style="italic")
        out.append(f"uid {info.uid} · version {info.version}\n", style="dim")
        if info.lineage:
            out.append(f"{info.lineage}\n", style="dim")
        out.append("\n")
        out.append(info.text)
        return out
