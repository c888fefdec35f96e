"""The selected paragraph: its ref, kind, status, section, uid, lineage and full text.

A paragraph under silence shows the time left before its deadline, counting down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

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
    silence_until: datetime | None = None
    """The silence deadline (UTC) while it is under silence."""
    deadline: str = ""
    """The deadline as the group reads it, local time with UTC beside ("2027-03-05 17:00 EST
    (22:00 UTC)"); "" to show it in UTC."""
    open_amendments: int = 0
    """How many amendments on it are open."""
    reservations: int = 0
    """How many reservations are attached to it."""
    insertions: int = 0
    """How many open amendments propose a new paragraph next to it (they do not block it)."""
    formerly: str = ""
    """Its ref before the last revision renumbered it (`OP2 bis (before rev. 1)`), or ""."""


def counts_line(info: ParagraphInfo) -> str:
    """ " · 2 open amendments · 1 reservation" (the tab labels stay fixed, so moving from one
    paragraph to the next never re-lays out and re-animates the tab bar)."""
    parts = []
    if info.open_amendments:
        n = info.open_amendments
        parts.append(f"{n} open amendment{'s' if n > 1 else ''}")
    if info.insertions:
        n = info.insertions
        parts.append(f"{n} proposed insertion{'s' if n > 1 else ''} next to it")
    if info.reservations:
        n = info.reservations
        parts.append(f"{n} reservation{'s' if n > 1 else ''}")
    return "".join(f" · {p}" for p in parts)


def time_left(until: datetime, now: datetime) -> str:
    """What is left before a deadline, e.g. "2d 03h 15m left" (or "deadline passed")."""
    seconds = int((until - now).total_seconds())
    if seconds <= 0:
        return "deadline passed"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return (f"{days}d " if days else "") + f"{hours:02d}h {minutes:02d}m left"


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

    COUNTDOWN_SECONDS = 20.0
    """How often a silence countdown is redrawn."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self._clock = clock or (lambda: datetime.now(UTC))

    def on_mount(self) -> None:
        """Redraw now and then, so a silence countdown stays current."""
        self.set_interval(self.COUNTDOWN_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.info is not None and self.info.silence_until is not None:
            self.update(self.describe(self.info, self._clock()))

    @property
    def uid(self) -> str | None:
        """The uid of the paragraph shown."""
        return self.info.uid if self.info else None

    def watch_info(self, info: ParagraphInfo | None) -> None:
        """Re-render when the paragraph changes."""
        self.update(self.describe(info, self._clock()))

    @staticmethod
    def describe(info: ParagraphInfo | None, now: datetime | None = None) -> Content:
        """The view's content for a paragraph (`now` for the silence countdown)."""
        if info is None:
            return Content.styled("No paragraph selected.", "$foreground-muted")
        silence = ""
        if info.silence_until is not None:
            left = time_left(info.silence_until, now or datetime.now(UTC))
            until = info.deadline or f"{info.silence_until:%Y-%m-%d %H:%M} UTC"
            silence = f"silence until {until} · {left}\n"
        return Content.assemble(
            (info.ref or "(no number)", "bold"),
            (f" · formerly {info.formerly}" if info.formerly else "", "$text-warning"),
            (f" · {info.kind}\n", "$foreground-muted"),
            badge(info.status),
            f" {label(info.status)}",
            (f"{counts_line(info)}\n", "$foreground-muted"),
            (silence, "bold $text-secondary"),
            (f"{info.section}\n" if info.section else "", "italic"),
            f"{info.lineage}\n" if info.lineage else "",
            (f"uid {info.uid} · version {info.version}\n", "$foreground-muted"),
            "\n",
            info.text,
        )
