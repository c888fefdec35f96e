"""Status badges: a glyph and a letter per status, readable without colour."""

from __future__ import annotations

from workplan.model.negotiation import STATUS_LABELS, Status

#: status → (glyph, letter, style of the glyph)
BADGES: dict[str, tuple[str, str, str]] = {
    Status.NOT_DISCUSSED: ("○", "N", "dim"),
    Status.UNDER_NEGOTIATION: ("◐", "U", "bold yellow"),
    Status.UNDER_SILENCE: ("◔", "S", "bold magenta"),
    Status.AGREED_AD_REF: ("◑", "R", "bold cyan"),
    Status.AGREED: ("●", "A", "bold green"),
    Status.DELETED: ("✕", "D", "red"),
}


def badge(status: str) -> tuple[str, str]:
    """The badge text (glyph + letter) and its style."""
    glyph, letter, style = BADGES.get(status, ("?", "?", ""))
    return f"{glyph}{letter}", style


def label(status: str) -> str:
    """The status in words."""
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status
