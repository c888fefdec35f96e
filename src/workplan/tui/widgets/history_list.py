"""The selected paragraph's history: the events that mention it, newest first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from workplan.model import Event


class EventIndex:
    """Events grouped by the paragraphs their payload mentions (directly, or through one of
    the paragraph's amendments: a position on A6 is in A6's paragraph's history), built once
    per load."""

    def __init__(
        self,
        events: Iterable[Event],
        uids: Iterable[str],
        amendment_targets: dict[str, str] | None = None,
    ) -> None:
        self._events = list(events)
        self._uids = frozenset(uids)
        self._targets = amendment_targets or {}
        self._by_uid: dict[str, list[Event]] | None = None

    def for_paragraph(self, uid: str) -> list[Event]:
        """The events mentioning `uid` or one of its amendments, newest first."""
        if self._by_uid is None:
            self._by_uid = {}
            for ev in self._events:
                found = {
                    self._targets.get(mentioned, mentioned)
                    for mentioned in _strings(ev.payload)
                    if mentioned in self._uids or mentioned in self._targets
                }
                for mentioned in found:
                    self._by_uid.setdefault(mentioned, []).append(ev)
        return list(reversed(self._by_uid.get(uid, [])))


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value (keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def line(ev: Event) -> Content:
    """One event: time, who, and its summary."""
    who = ev.actor + (f" for {ev.on_behalf_of}" if ev.on_behalf_of else "")
    summary = str(ev.payload.get("summary") or ev.action)
    return Content.assemble(
        (f"{ev.at:%Y-%m-%d %H:%M} ", "$foreground-muted"), (who, "bold"), " ", summary
    )


class HistoryList(OptionList):
    """A virtual list of events; text from the record is shown literally."""

    DEFAULT_CSS = """
    HistoryList {
        height: auto;
        max-height: 20;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)

    def show(self, events: list[Event]) -> None:
        """Show these events (already newest first)."""
        if not events:
            self.set_options(
                [
                    Option(
                        Content.styled("Nothing recorded yet.", "$foreground-muted"), disabled=True
                    )
                ]
            )
            return
        self.set_options([Option(line(ev)) for ev in events])
