"""Status badges: a glyph and a letter per status, readable without colour."""

from __future__ import annotations

from functools import cache

from textual.content import Content

from workplan.model.vocab import STATUS_LABELS, Status

#: status → (glyph, letter, style); styles name theme variables so every theme stays readable.
BADGES: dict[str, tuple[str, str, str]] = {
    Status.NOT_DISCUSSED: ("○", "N", "$foreground-muted"),
    Status.UNDER_NEGOTIATION: ("◐", "U", "bold $text-warning"),
    Status.UNDER_SILENCE: ("◔", "S", "bold $text-secondary"),
    Status.AGREED_AD_REF: ("◑", "R", "bold $text-primary"),
    Status.AGREED: ("●", "A", "bold $text-success"),
    Status.DELETED: ("✕", "D", "$text-error"),
}


@cache
def badge(status: str) -> Content:
    """The badge (glyph + letter) of a status, styled (made once per status: every outline
    line shows one)."""
    glyph, letter, style = BADGES.get(status, ("?", "?", ""))
    return Content.styled(f"{glyph}{letter}", style)


def label(status: str) -> str:
    """The status in words."""
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status
