"""Who is acting: single-user mode, or a login pinned to a principal by the roster file.

The roster is `roster.toml` in the database's folder, owned by the secretariat:

    [logins]
    maria = "MEX"          # an OS user, or the name a forced SSH command passes
    secretariat = "SECRETARIAT"
    chair = "CHAIR"

When it maps the current login, that principal is pinned and `--as` cannot change it (the
secretariat still records for a delegation with `--for`). Without a roster: single-user mode.

Nothing runs unless the database's folder is private (owned by the database's owner or root,
writable by no one else), and a roster is honoured only as a regular file owned by the
database's owner and writable by no one else: anything else named `roster.toml` there (a
link, a folder, a FIFO, a file of another account's) is refused, never taken for "no roster".
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workplan.errors import InputError, PermissionDenied
from workplan.model import OBSERVER, Principal
from workplan.service.policy import initialise_refusal

#: A roster larger than this is not a roster (a few hundred logins fit in a few kB).
MAX_ROSTER_BYTES = 1 << 20


@dataclass(frozen=True)
class Identity:
    """The acting principal and how it was decided."""

    principal: Principal
    on_behalf_of: str | None
    mode: str
    """`single-user` or `roster`."""
    login: str
    roster_path: Path

    @property
    def pinned(self) -> bool:
        """True when the roster decided the principal (`--as` did not)."""
        return self.mode == "roster"


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


def _account(uid: int) -> str:
    """An account's name for messages (its number when it has none)."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _stat(path: Path) -> os.stat_result | None:
    """`stat` of a path, None when it does not exist; unreadable is refused (exit 77)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except PermissionError:
        raise PermissionDenied(f"cannot look at {path}: permission denied") from None


def database_owner(db_path: Path) -> int | None:
    """The uid owning the database file, or its folder while there is no file yet.

    None when neither exists (nothing to govern yet).
    """
    path = db_path.expanduser().resolve()
    st = _stat(path) or _stat(path.parent)
    return st.st_uid if st else None


def check_folder(db_path: Path) -> None:
    """Refuse to run when the database's folder is not private to the database's owner.

    Whoever can write the folder can put a roster there (or take it away), so a folder
    writable by group or others, sticky or not (`/tmp`), or owned by another account than the
    database's (root aside), is refused (exit 77).
    """
    path = db_path.expanduser().resolve()
    folder = path.parent
    st = _stat(folder)
    if st is None:
        return
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionDenied(
            f"the database's folder {folder} is writable by others, who could put a roster"
            f" there: make it private (chmod go-w {folder}) or keep the database elsewhere"
        )
    owner = database_owner(path)
    if owner is not None and st.st_uid not in (owner, 0):
        raise PermissionDenied(
            f"the database's folder {folder} belongs to {_account(st.st_uid)}, not to"
            f" {_account(owner)} who owns the database: keep the database in its owner's folder"
        )


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _read_roster(path: Path, owner: int | None) -> str | None:
    """The roster's text, or None when there is no roster at `path`.

    Opened without following a link and without blocking, then checked on the open file (so
    it cannot be swapped between the check and the read): a regular file, owned by `owner`,
    writable by no one else. Anything else existing at `path` is refused (exit 77).
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return None  # with O_NOFOLLOW a link, even a dangling one, is ELOOP: this is absence
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PermissionDenied(
                f"the roster {path} is a symbolic link: it must be a regular file"
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise PermissionDenied(
                f"the roster {path} cannot be read (permission denied): this account cannot"
                " tell who it is"
            ) from None
        raise PermissionDenied(f"the roster {path} cannot be opened: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PermissionDenied(
                f"the roster {path} is {_kind(st.st_mode)}: it must be a regular file"
            )
        if owner is not None and st.st_uid != owner:
            raise PermissionDenied(
                f"the roster {path} belongs to {_account(st.st_uid)}, not to"
                f" {_account(owner)} who owns the database"
            )
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionDenied(f"{path} is writable by others; make it 0644 or stricter")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_ROSTER_BYTES and (chunk := os.read(fd, 65536)):
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise PermissionDenied(f"the roster {path} cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_ROSTER_BYTES:
        raise InputError(f"{path}: not a valid roster (larger than {MAX_ROSTER_BYTES} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a valid roster ({exc})") from exc


def parse_roster(path: Path, text: str) -> dict[str, Principal]:
    """login → principal, from a roster's text (`path` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not a valid roster ({exc})") from exc
    logins = data.get("logins")
    if not isinstance(logins, dict):
        raise InputError(f'{path}: needs a [logins] table mapping login = "PRINCIPAL"')
    return {str(k): Principal.parse(str(v)) for k, v in logins.items()}


def load_roster(path: Path, owner: int | None = None) -> dict[str, Principal] | None:
    """login → principal, from the roster at `path`; None when there is none.

    Refused (exit 77) unless a regular file owned by `owner` (the database's owner; by
    default this folder's owner) and writable by no one else.
    """
    if owner is None:
        st = _stat(path.parent)
        owner = st.st_uid if st else None
    text = _read_roster(path, owner)
    return None if text is None else parse_roster(path, text)


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
    check_folder(db_path)
    owner = database_owner(db_path)
    roster = None if owner is None else load_roster(path, owner)
    login = current_login(db_path.expanduser().resolve())
    if roster is None:
        principal = Principal.parse(as_arg) if as_arg else Principal(id=OBSERVER)
        return Identity(principal, for_arg, "single-user", login, path)
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


def require_may_create(identity: Identity) -> None:
    """Before a record is created: a pinned login may only if it may initialise one (exit 77).

    A login the roster does not name only reads, so it never creates a database file.
    """
    if not identity.pinned:
        return
    why = initialise_refusal(identity.principal.id, identity.principal.role)
    if why:
        raise PermissionDenied(f"{why} (login {identity.login})")


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
    from workplan.service.core import Session
    from workplan.store import connect
    from workplan.store import delegations as store_delegations
    from workplan.store.failures import STORAGE_FAILURES

    try:
        db = connect(path)
    except STORAGE_FAILURES:  # not a record we can open: the refusal stands, unrecorded
        return False
    try:
        if not store_delegations.is_initialised(db):
            return False
        Session(db, actor).refuse(action, reason, **details)
    except STORAGE_FAILURES:  # busy beyond the bounded wait, read-only mount, ...: same
        return False
    finally:
        db.close()
    return True
