"""Where the negotiation stands: counts per status, silence, objections, pending amendments.

`summarise` is pure (it reads a loaded `Negotiation`); the dashboard screen shows its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from workplan.model.vocab import STATUS_LABELS, Status
from workplan.tui.widgets.badges import badge

if TYPE_CHECKING:
    from workplan.service.negotiation_base import Negotiation

AGREED = (Status.AGREED, Status.AGREED_AD_REF)
"""Statuses that count toward a clean text."""


@dataclass(frozen=True)
class Silence:
    """A paragraph under silence."""

    uid: str
    """Its uid."""
    ref: str
    """Its printed ref."""
    until: datetime
    """The deadline (UTC)."""


@dataclass
class Stands:
    """What one delegation holds out on: the paragraphs it objects to or is ad ref on."""

    code: str
    """The delegation's code."""
    objects: list[str] = field(default_factory=list)
    """uids of paragraphs it objects to, in draft order."""
    ad_ref: list[str] = field(default_factory=list)
    """uids of paragraphs where it is ad referendum, in draft order."""


@dataclass(frozen=True)
class Pending:
    """An open amendment waiting for the chair's decision."""

    id: str
    """A1, A2..."""
    uid: str
    """The paragraph it targets (or anchors on)."""
    ref: str
    """That paragraph's printed ref."""
    kind: str
    """modify, insert, delete or move."""
    sponsors: list[str]
    """Proposer then co-sponsors."""
    needs_rebase: bool
    """The paragraph changed and the proposal no longer applies cleanly."""


@dataclass
class Summary:
    """The dashboard's figures."""

    counts: dict[str, int]
    """Paragraphs per status (every status present, zero or not)."""
    silence: list[Silence]
    """Paragraphs under silence, soonest deadline first."""
    stands: list[Stands]
    """Delegations objecting or ad referendum anywhere, by code."""
    pending: list[Pending]
    """Open amendments, in the order proposed."""

    @property
    def live(self) -> int:
        """Paragraphs not deleted."""
        return sum(n for s, n in self.counts.items() if s != Status.DELETED)

    @property
    def agreed(self) -> int:
        """Paragraphs agreed or agreed ad referendum."""
        return sum(self.counts[s] for s in AGREED)


def summarise(neg: Negotiation, now: datetime) -> Summary:
    """Count and list what the dashboard shows, from one loaded negotiation."""
    refs = neg.draft.refs
    counts = {str(s): 0 for s in Status}
    silence: list[Silence] = []
    stands: dict[str, Stands] = {}
    for p in neg.draft.paragraphs:
        st = neg.state(p, now)
        counts[str(st.status)] += 1
        if st.silence_until is not None:
            silence.append(Silence(p.uid, refs.get(p.uid, ""), st.silence_until))
        if st.status in (Status.DELETED, Status.AGREED):
            continue
        for code in st.objecting:
            stands.setdefault(code, Stands(code)).objects.append(p.uid)
        for code in st.ad_ref:
            stands.setdefault(code, Stands(code)).ad_ref.append(p.uid)
    pending = [
        Pending(a.id, a.target, refs.get(a.target, ""), str(a.kind), a.sponsors, a.needs_rebase)
        for a in neg.amendments
        if a.is_open
    ]
    return Summary(
        counts=counts,
        silence=sorted(silence, key=lambda s: s.until),
        stands=[stands[c] for c in sorted(stands)],
        pending=pending,
    )


def counts_line(summary: Summary, width: int | None = None) -> Content:
    """Every status with its badge and count, e.g. "●A agreed 3 · ◐U under negotiation 2";
    given a `width`, lines break between statuses, never inside one."""
    items = [
        Content.assemble(badge(str(s)), f" {label} ", (str(summary.counts[str(s)]), "bold"))
        for s, label in STATUS_LABELS.items()
    ]
    sep = Content(" · ")
    if width is None:
        return sep.join(items)
    lines: list[list[Content]] = [[]]
    for item in items:
        line = lines[-1]
        if line and sep.join([*line, item]).cell_length > width:
            lines.append([item])
        else:
            line.append(item)
    return Content("\n").join(sep.join(line) for line in lines)


def fit_list(words: list[str], width: int, prefix: str = "", limit: int | None = None) -> str:
    """`prefix` and as many of `words` (at most `limit`) as fit in `width` cells, comma
    separated, then "+N more" (or "+N") for the rest: never a word cut in the middle."""
    most = len(words) if limit is None else min(limit, len(words))
    for shown in range(most, -1, -1):
        rest = len(words) - shown
        head = prefix + ", ".join(words[:shown])
        tails = (f" +{rest} more", f" +{rest}") if rest else ("",)
        for tail in tails:
            text = head + tail if shown else prefix + tail.lstrip()
            if len(text) <= width:
                return text
    return prefix + f"+{len(words)}"


def progress_line(summary: Summary) -> Content:
    """Toward a clean text, in words."""
    live, agreed = summary.live, summary.agreed
    share = f"{round(agreed * 100 / live)}%" if live else "–"  # as the progress bar rounds
    ad_ref = summary.counts[str(Status.AGREED_AD_REF)]
    return Content.assemble(
        "Toward a clean text: ",
        (f"{agreed} of {live}", "bold"),
        f" paragraphs agreed ({share})",
        (f", {ad_ref} of them ad referendum" if ad_ref else "", "$foreground-muted"),
    )
