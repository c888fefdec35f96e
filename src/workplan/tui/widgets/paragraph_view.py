"""The selected paragraph: its ref, kind, status, section, uid, lineage and full text."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from workplan.tui.widgets.badges import badge, label


@dataclass(frozen=True)
class ParagraphInfo:
    """What the view shows; the screen builds it from the service's models."""

    uid: str
    """The paragraph's uid."""
    ref: str
    """Its printed ref, or "" when it has none."""
    kind: str
    """Preambular, operative, follow-up or other."""
    section: str
    """The section path, outermost first (e.g. "Areas › Member states")."""
    lineage: str
    """Where it came from (e.g. "from Second Work Plan OP12"), or ""."""
    status: str
    """Its status id (see `workplan.model.negotiation.Status`)."""
    text: str
    """The full text."""
    version: int
    """Its version counter."""


class ParagraphView(Static):
    """Shows one paragraph. Text from the record is shown literally, never read as markup."""

    DEFAULT_CSS = """
    ParagraphView {
        height: auto;
        padding: 1 2;
    }
    """

    info: reactive[ParagraphInfo | None] = reactive(None)
    """The paragraph shown, or None."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)

    @property
    def uid(self) -> str | None:
        """The uid of the paragraph shown."""
        return self.info.uid if self.info else None

    def watch_info(self, info: ParagraphInfo | None) -> None:
        """Re-render when the paragraph changes."""
        self.update(self.describe(info))

    @staticmethod
    def describe(info: ParagraphInfo | None) -> Content:
        """The view's content for a paragraph."""
        if info is None:
            return Content.styled("No paragraph selected.", "$foreground-muted")
        return Content.assemble(
            (info.ref or "(no number)", "bold"),
            (f" · {info.kind}\n", "$foreground-muted"),
            badge(info.status),
            f" {label(info.status)}\n",
            (f"{info.section}\n" if info.section else "", "italic"),
            f"{info.lineage}\n" if info.lineage else "",
            (f"uid {info.uid} · version {info.version}\n", "$foreground-muted"),
            "\n",
            info.text,
        )
