"""The working group's time zone: where a deadline typed without a zone is read, and how
deadlines are shown ("2027-03-05 17:00 EST (22:00 UTC)").

A document names its zone in its metadata (`meta --timezone America/New_York`, stored as
`metadata.timezone`, an IANA name); without one, the host's zone is used. Deadlines are
stored in UTC whatever the zone.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workplan.errors import InputError

if TYPE_CHECKING:
    from workplan.model import Document
    from workplan.model.views import DocumentView

#: The metadata key holding a document's time zone.
TIMEZONE_KEY = "timezone"
#: What `meta --timezone` takes to drop the document's zone (the host's is used again).
NO_ZONE = "none"


def zone(name: str) -> ZoneInfo:
    """The zone an IANA name names (`America/New_York`, `UTC`); InputError for any other."""
    name = name.strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise InputError(
            f"unknown time zone {shown!r}: give an IANA name such as America/New_York or UTC"
        ) from None


def host_zone_name() -> str:
    """The host's zone as an IANA name: `TZ` if it names one, else what /etc/localtime links
    to, else /etc/timezone, else UTC."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    with contextlib.suppress(OSError):
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name:
            try:
                zone(name)
                return name
            except InputError:
                continue
    return "UTC"


def zone_name(document: Document | DocumentView) -> tuple[str, str]:
    """(the document's zone name, where it comes from: `document` or `host`)."""
    own = document.metadata.get(TIMEZONE_KEY)
    return (own, "document") if own else (host_zone_name(), "host")


def document_zone(document: Document | DocumentView) -> ZoneInfo:
    """The zone a document's deadlines are read and shown in."""
    name, _ = zone_name(document)
    try:
        return zone(name)
    except InputError:  # a zone the host's tz database no longer knows
        return ZoneInfo("UTC")


def localise(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in `tz` as an aware time. A time the clocks skip (spring forward)
    is refused; a time they pass twice (fall back) is the first of the two."""
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise InputError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_key(tz)} (the clocks go forward"
            " then): give another time"
        )
    return aware


def describe(when: datetime, tz: tzinfo) -> str:
    """A deadline in the group's local time with UTC beside it: "2027-03-05 17:00 EST
    (22:00 UTC)", the UTC date too when it differs; just "... UTC" in UTC itself."""
    return _beside_utc(when, tz, "%Y-%m-%d")


def describe_short(when: datetime, tz: tzinfo) -> str:
    """A deadline for a table cell: "05 Mar 17:00 EST (22:00 UTC)", or "05 Mar 22:00 UTC"."""
    return _beside_utc(when, tz, "%d %b")


def _beside_utc(when: datetime, tz: tzinfo, day: str) -> str:
    """`when` in `tz` (days written `day`) with the UTC time beside it, or UTC alone."""
    utc = when.astimezone(UTC)
    local = when.astimezone(tz)
    if local.utcoffset() == utc.utcoffset() and local.tzname() in ("UTC", "UCT", "Zulu"):
        return f"{utc.strftime(day)} {utc:%H:%M} UTC"
    beside = f"{utc:%H:%M}" if utc.date() == local.date() else f"{utc.strftime(day)} {utc:%H:%M}"
    return f"{local.strftime(day)} {local:%H:%M} {local.tzname()} ({beside} UTC)"


def zone_key(tz: tzinfo) -> str:
    """The IANA name of a zone (`America/New_York`)."""
    return getattr(tz, "key", None) or str(tz)
