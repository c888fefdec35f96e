"""Who is acting: single-user mode, or a login pinned to a principal by the roster file.

The roster is `roster.toml` in the database's folder, owned by the secretariat:

    [logins]
    maria = "MEX"          # an OS user, or the name a forced SSH command passes
    secretariat = "SECRETARIAT"
    chair = "CHAIR"

When it maps the current login, that principal is pinned and `--as` cannot change it (the
secretariat still records for a delegation with `--for`). Without a roster: single-user mode.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workplan.errors import InputError, PermissionDenied
from workplan.model import OBSERVER, Principal


@dataclass(frozen=True)
class Identity:
    """The acting principal and how it was decided."""

    principal: Principal
    on_behalf_of: str | None
    mode: str
    """`single-user` or `roster`."""
    login: str
    roster_path: Path


def current_login(db_path: Path) -> str:
    """The login: the OS user, or `WORKPLAN_LOGIN` as set by a forced SSH command.

    `WORKPLAN_LOGIN` is honoured only for the account that owns the database (the service
    account the forced commands run as): anyone else setting it is still their OS user.
    """
    import pwd

    forced = os.environ.get("WORKPLAN_LOGIN")
    target = db_path if db_path.exists() else db_path.parent
    if forced and target.exists() and target.stat().st_uid == os.getuid():
        return forced
    return pwd.getpwuid(os.getuid()).pw_name


def roster_path_for(db_path: Path) -> Path:
    """The roster file that governs a database: `roster.toml` beside it."""
    return db_path.expanduser().resolve().parent / "roster.toml"


def load_roster(path: Path) -> dict[str, Principal]:
    """login → principal, from a roster file (refused if others can write it)."""
    mode = path.stat().st_mode
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionDenied(f"{path} is writable by others; make it 0644 or stricter")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid roster ({exc})") from exc
    logins = data.get("logins")
    if not isinstance(logins, dict):
        raise InputError(f'{path}: needs a [logins] table mapping login = "PRINCIPAL"')
    return {str(k): Principal.parse(str(v)) for k, v in logins.items()}


def resolve_identity(
    db_path: Path, as_arg: str | None, for_arg: str | None, *, as_source: str = "--as"
) -> Identity:
    """Decide the acting principal for this process.

    A pinned login asking to be someone else (`as_source` names how: `--as` or `WORKPLAN_AS`)
    is refused, and the refusal recorded as the pinned principal. `--for` is checked by the
    service at each action (only the secretariat may record for a delegation), which records
    its refusals too.
    """
    path = roster_path_for(db_path)
    login = current_login(db_path.expanduser().resolve())
    if not path.is_file():
        principal = Principal.parse(as_arg) if as_arg else Principal(id=OBSERVER)
        return Identity(principal, for_arg, "single-user", login, path)
    roster = load_roster(path)
    pinned = roster.get(login, Principal(id=OBSERVER))
    if as_arg:
        attempted = Principal.parse(as_arg)
        if attempted != pinned:
            shown = f"--as {attempted.id}" if as_source == "--as" else f"{as_source}={attempted.id}"
            reason = f"you are logged in as {login} ({pinned.id}); {shown} is not allowed"
            record_refusal(
                db_path,
                pinned,
                "identity.assume",
                reason,
                attempted=attempted.id,
                via=as_source,
                login=login,
            )
            raise PermissionDenied(reason)
    return Identity(pinned, for_arg, "roster", login, path)


def record_refusal(
    db_path: Path, actor: Principal, action: str, reason: str, **details: Any
) -> bool:
    """Record a refusal made before any service exists, as `actor` (the pinned principal).

    Only into an initialised record that this process may already write (a delegate without
    write access to the file leaves no trace, and none is created); the refusal itself never
    depends on it. Nothing but the `permission.refused` event is written. True if recorded.
    """
    path = db_path.expanduser()
    if not (
        path.is_file()
        and os.access(path, os.R_OK | os.W_OK)
        and os.access(path.parent, os.W_OK | os.X_OK)
    ):
        return False
    from workplan.service.core import ServiceBase
    from workplan.store import connect
    from workplan.store import delegations as store_delegations

    try:
        db = connect(path)
    except Exception:  # not a record we can open: the refusal stands, unrecorded
        return False
    try:
        if not store_delegations.is_initialised(db):
            return False
        ServiceBase(db, actor)._refuse(action, reason, **details)
    except Exception:  # busy beyond the bounded wait, read-only mount, ...: same
        return False
    finally:
        db.close()
    return True
