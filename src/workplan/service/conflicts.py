"""Saying in words what changed a paragraph, for the exit-75 conflict message."""

from __future__ import annotations

from workplan.model import Event


def describe_change(event: Event) -> str:
    """What an event did and who did it, in words: `A1 accepted by CHAIR at 2026-03-02 14:00Z`."""
    p = event.payload
    who = f"{event.actor} for {event.on_behalf_of}" if event.on_behalf_of else event.actor
    summary = str(p.get("summary") or event.action)
    if event.action == "amendment.accepted" and p.get("amendment"):
        what = f"{p['amendment']} accepted"
    elif event.action == "silence.broken":
        what = f"silence broken ({p['why']})" if p.get("why") else "silence broken"
        who = str(p.get("by") or who)
    else:
        what = summary
    by = "" if event.actor == "SYSTEM" or what.startswith(who) else f" by {who}"
    return f"{what}{by} at {event.at:%Y-%m-%d %H:%M}Z"
