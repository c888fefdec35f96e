"""The amendments on the selected paragraph: alternatives, sponsors, status, inline word diffs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workplan.model.vocab import AmendmentKind

if TYPE_CHECKING:
    from workplan.model.negotiation import Amendment, Position

INSERTED = "underline $text-success"
"""Style of inserted words: underlined, so it reads without colour."""
DELETED = "strike $text-error"
"""Style of deleted words: struck through, so it reads without colour."""


def diff_content(old: str, new: str) -> Content:
    """`new` against `old` as one text: insertions underlined green, deletions struck red."""
    from workplan.diffing import word_diff

    parts: list[tuple[str, str] | str] = []
    for op, text in word_diff(old, new):
        parts.append(text if op == "=" else (text, INSERTED if op == "+" else DELETED))
    return Content.assemble(*parts)


def stance_summary(positions: Iterable[Position]) -> str:
    """Positions grouped by stance, e.g. "support: CAN, MEX · object: JAM"."""
    by: dict[str, list[str]] = {}
    for p in positions:
        if p.stance != "none":
            by.setdefault(str(p.stance), []).append(p.delegation)
    return " · ".join(f"{stance}: {', '.join(sorted(who))}" for stance, who in by.items())


class AmendmentsList(OptionList):
    """One option per amendment; open alternatives first as alt 1, alt 2; closed ones dimmed.

    Text from the record is shown literally, never read as markup.
    """

    DEFAULT_CSS = """
    AmendmentsList {
        height: auto;
        max-height: 30;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(markup=False, id=id, classes=classes)
        self._ids: list[str] = []

    @property
    def selected_id(self) -> str | None:
        """The id of the highlighted amendment, or None."""
        if self.highlighted is None or not self._ids:
            return None
        return self.get_option_at_index(self.highlighted).id

    def show(
        self,
        text: str,
        amendments: list[Amendment],
        refs: dict[str, str],
        positions: dict[str, list[Position]],
    ) -> None:
        """Fill the list for a paragraph whose current text is `text`; keep the highlight."""
        from workplan.consensus import alternatives

        keep = self.selected_id
        alts = alternatives(amendments)
        ordered = sorted(amendments, key=lambda a: (not a.is_open, _seq(a.id)))
        options = [
            Option(self._prompt(a, text, alts.get(a.id), refs, positions.get(a.id, [])), id=a.id)
            for a in ordered
        ]
        self._ids = [a.id for a in ordered]
        if not options:
            options = [Option(Content.styled("No amendments.", "$foreground-muted"), disabled=True)]
        self.set_options(options)
        if keep in self._ids:
            self.highlighted = self._ids.index(keep)
        elif self._ids:
            self.highlighted = 0

    @staticmethod
    def _prompt(
        a: Amendment, text: str, alt: int | None, refs: dict[str, str], positions: list[Position]
    ) -> Content:
        sponsors = a.proposer + (f" + {', '.join(a.cosponsors)}" if a.cosponsors else "")
        head = Content.assemble(
            (f"alt {alt}  " if alt else "", "bold $text-accent"),
            (a.id, "bold"),
            f" {a.kind} · {sponsors} · {a.status}",
            (" ⚠ needs rebase" if a.needs_rebase else "", "bold $text-warning"),
        )
        lines = [head]
        if a.justification:
            lines.append(Content.styled(f"“{a.justification}”", "italic"))
        if a.kind == AmendmentKind.MODIFY:
            lines.append(diff_content(text, a.text) if a.is_open else Content(a.text))
        elif a.kind == AmendmentKind.DELETE:
            lines.append(Content.styled(text, DELETED if a.is_open else ""))
        elif a.kind == AmendmentKind.MOVE:
            lines.append(Content(f"move after {refs.get(str(a.anchor)) or a.anchor}"))
        else:
            where = str(a.placement or "after")
            lines.append(Content.assemble(f"insert {where}: ", (a.text, INSERTED)))
        if summary := stance_summary(positions):
            lines.append(Content.styled(summary, "$foreground-muted"))
        content = Content("\n").join(lines)
        return content if a.is_open else content.stylize("dim")


def _seq(aid: str) -> int:
    return int(aid[1:]) if aid[1:].isdigit() else 0
