"""Run by the system Python, which has LibreOffice's bridge (Debian's python3-uno), not by the
test environment: open a document in a headless LibreOffice of its own, and print as JSON its
tracked changes and its paragraphs (text and paragraph style) as shown, with every change
accepted, and with every change rejected, as Writer's Edit > Track Changes > Accept All and
Reject All do.

    /usr/bin/python3 tests/libreoffice_changes.py FILE
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _paragraphs(doc: Any) -> list[list[str]]:
    out = []
    items = doc.getText().createEnumeration()
    while items.hasMoreElements():
        el = items.nextElement()
        if el.supportsService("com.sun.star.text.Paragraph"):
            out.append([el.getString(), el.ParaStyleName])
    return out


def _changes(doc: Any) -> list[list[str]]:
    out = []
    items = doc.getRedlines().createEnumeration()
    while items.hasMoreElements():
        r = items.nextElement()
        t = r.RedlineDateTime
        when = f"{t.Year:04}-{t.Month:02}-{t.Day:02}T{t.Hours:02}:{t.Minutes:02}:{t.Seconds:02}"
        out.append([r.RedlineType, r.RedlineAuthor, when])
    return out


def main(source: str) -> None:
    """Print {"changes": [[type, author, date]...], "shown"/"accepted"/"rejected": [[text,
    style]...]}."""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "in" + os.path.splitext(source)[1])
        shutil.copy(source, path)
        pipe = f"workplan-test-{os.getpid()}"
        office = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.join(work, 'profile'))}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        desktop = None
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            ctx = None
            for _ in range(1200):  # LibreOffice takes a moment to listen
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except NoConnectException:
                    if office.poll() is not None:
                        raise SystemExit("LibreOffice stopped before it listened") from None
                    time.sleep(0.1)
            if ctx is None:
                raise SystemExit("LibreOffice did not listen")
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            out: dict[str, Any] = {}
            for mode, command in (
                ("shown", ""),
                ("accepted", ".uno:AcceptAllTrackedChanges"),
                ("rejected", ".uno:RejectAllTrackedChanges"),
            ):
                url = uno.systemPathToFileUrl(path)
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
                if doc is None:
                    raise SystemExit(f"LibreOffice could not open {source}")
                if command:
                    frame = doc.getCurrentController().getFrame()
                    dispatcher.executeDispatch(frame, command, "", 0, ())
                else:
                    out["changes"] = _changes(doc)
                out[mode] = _paragraphs(doc)
                doc.close(True)
            print(json.dumps(out, ensure_ascii=False))
        finally:
            if desktop is not None:
                with contextlib.suppress(Exception):  # it may be gone already
                    desktop.terminate()
            try:
                office.wait(timeout=60)
            except subprocess.TimeoutExpired:
                office.kill()
                office.wait()


if __name__ == "__main__":
    main(sys.argv[1])
