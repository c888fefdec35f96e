"""Rendering a DraftDiff: terminal text, porcelain, JSON, Markdown and a self-contained page."""

from __future__ import annotations

import html
from typing import Any

from workplan.model.diff import DraftDiff, ParaDiff, ParaStatus
from workplan.model.negotiation import STATUS_LABELS, Status

_GREEN_UL, _RED_STRIKE, _DIM, _BOLD, _RESET = (
    "\x1b[32;4m",
    "\x1b[31;9m",
    "\x1b[2m",
    "\x1b[1m",
    "\x1b[0m",
)


def _shown(diff: DraftDiff, context: bool) -> list[ParaDiff]:
    """Every paragraph with `context`; otherwise those listed (see `DraftDiff.listed`)."""
    return list(diff.paragraphs) if context else diff.listed


def with_text(p: ParaDiff, context: bool) -> bool:
    """Whether an entry shows its text: always with `context`, else only when the text or
    its place changed (a paragraph only renumbered or agreed is named, not reprinted)."""
    return context or p.changed


def status_label(status: str) -> str:
    """A status id as people say it: `under-negotiation` → `under negotiation`."""
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status.replace("-", " ")


def notes(p: ParaDiff) -> list[str]:
    """What changed besides the text: `status: under negotiation → agreed`,
    `reservations: + R2 (Jamaica); - R1 (Paraguay)` (none when nothing did)."""
    out = []
    if p.status_changed:
        out.append(f"status: {status_label(p.a_status)} → {status_label(p.b_status)}")
    if p.reservations_changed:
        parts = [f"+ {r}" for r in p.reservations_added]
        parts += [f"- {r}" for r in p.reservations_removed]
        out.append(f"reservations: {'; '.join(parts)}")
    return out


def refs(p: ParaDiff) -> str:
    """`OP12 → OP13`, `+ OP5` (inserted), `- OP7` (deleted) or just `OP3`."""
    a, b = p.a_ref or p.a_uid or "", p.b_ref or p.b_uid or ""
    if p.status == ParaStatus.INSERTED:
        return f"+ {b}"
    if p.status == ParaStatus.DELETED:
        return f"- {a}"
    return a if a == b else f"{a} → {b}"


def label(p: ParaDiff) -> str:
    """An entry's kind of change: `modified, moved`, `renumbered`, `status changed`..."""
    if p.status == ParaStatus.UNCHANGED and p.noted:
        what = [
            w
            for w, on in (("status", p.status_changed), ("reservations", p.reservations_changed))
            if on
        ]
        return f"{' and '.join(what)} changed"
    text = p.status.value
    if p.moved and p.status != ParaStatus.MOVED:
        text += ", moved"
    return text


_label = label

_EXTRA = {"status_changed": "status change", "reservations_changed": "reservation change"}


def _count(key: str, n: int) -> str:
    if key in _EXTRA:
        return f"{n} {_EXTRA[key]}{'s' if n != 1 else ''}"
    return f"{n} {key}"


def summary_text(diff: DraftDiff) -> str:
    """`2 modified (1 also moved), 1 inserted, 1 status change` (unchanged left out)."""
    counts = diff.summary
    both = counts.pop("moved_and_modified", 0)
    parts = [_count(k, n) for k, n in counts.items() if n and k != ParaStatus.UNCHANGED]
    if both:
        parts = [f"{p} ({both} also moved)" if p.endswith(" modified") else p for p in parts]
    return ", ".join(parts) or "no changes"


def render_text(diff: DraftDiff, *, color: bool = False, context: bool = False) -> str:
    """For the terminal: insertions green underlined, deletions red struck, moves marked."""
    out = []
    for p in _shown(diff, context):
        head = f"{refs(p)}  [{_label(p)}]"
        out.append(f"{_BOLD}{head}{_RESET}" if color else head)
        out += [f"  {note}" for note in notes(p)]
        if not with_text(p, context):
            out.append("")
            continue
        body = []
        for op, text in p.ops:
            if op == "=":
                body.append(text)
            elif color:
                body.append(f"{_GREEN_UL if op == '+' else _RED_STRIKE}{text}{_RESET}")
            else:
                body.append(f"{{+{text}+}}" if op == "+" else f"[-{text}-]")
        out.append("".join(body) + "\n")
    out.append(summary_text(diff))
    return "\n".join(out) + "\n"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def render_porcelain(diff: DraftDiff, *, context: bool = False) -> str:
    """Stable lines for scripts: `@@ status moved a_ref b_ref a_uid b_uid`, then
    `@status A B` (status ids) when the status changed, `@reservation + R2 (Jamaica)` (or `-`)
    for each reservation attached or detached, then op lines (none for an entry whose text and
    place are the same, unless `context`).

    Fields are split on spaces, so a ref is written without its space (`OP4bis`, which every
    ref input accepts)."""
    out = []
    for p in _shown(diff, context):
        out.append(
            " ".join(
                [
                    "@@",
                    p.status.value,
                    "moved" if p.moved else "-",
                    p.a_ref.replace(" ", "") or "-",
                    p.b_ref.replace(" ", "") or "-",
                    p.a_uid or "-",
                    p.b_uid or "-",
                ]
            )
        )
        if p.status_changed:
            out.append(f"@status {p.a_status} {p.b_status}")
        out += [f"@reservation + {r}" for r in p.reservations_added]
        out += [f"@reservation - {r}" for r in p.reservations_removed]
        if with_text(p, context):
            out += [("=" if op == "=" else op) + _esc(text) for op, text in p.ops]
    return "\n".join(out) + ("\n" if out else "")


def render_json(diff: DraftDiff, *, context: bool = False) -> dict[str, Any]:
    """`{"paragraphs": [...], "summary": {...}}` (the caller adds "a" and "b")."""
    return {
        "paragraphs": [
            {
                "status": p.status.value,
                "moved": p.moved,
                "a_ref": p.a_ref,
                "b_ref": p.b_ref,
                "a_uid": p.a_uid,
                "b_uid": p.b_uid,
                "a_status": p.a_status or None,
                "b_status": p.b_status or None,
                "status_changed": p.status_changed,
                "reservations_added": list(p.reservations_added),
                "reservations_removed": list(p.reservations_removed),
                "ops": [[op, t] for op, t in p.ops],
            }
            for p in _shown(diff, context)
        ],
        "summary": diff.summary,
    }


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>&{}~|#" else c for c in text)


def render_markdown(diff: DraftDiff, *, context: bool = False, title: str = "") -> str:
    """CriticMarkup-style Markdown: {++inserted++}, {--deleted--}."""
    out = [f"# {_md_escape(title)}", ""] if title else []
    for p in _shown(diff, context):
        out.append(f"**{_md_escape(refs(p))}** ({_label(p)})")
        out.append("")
        for note in notes(p):
            out += [f"_{_md_escape(note)}_", ""]
        if not with_text(p, context):
            continue
        body = []
        for op, text in p.ops:
            t = _md_escape(text).replace("\n", "\\\n")
            body.append(t if op == "=" else f"{{++{t}++}}" if op == "+" else f"{{--{t}--}}")
        out += ["".join(body), ""]
    out.append(f"_{summary_text(diff)}_")
    return "\n".join(out) + "\n"


_CSS = """body{font-family:Georgia,serif;max-width:50em;margin:2em auto;line-height:1.5}
ins{color:#1a7f37;text-decoration:underline}del{color:#cf222e;text-decoration:line-through}
.ref{font-family:sans-serif;font-weight:bold}.status{font-family:sans-serif;color:#57606a}
p{white-space:pre-wrap}"""


def render_html(diff: DraftDiff, *, context: bool = False, title: str = "") -> str:
    """A self-contained HTML page; every text is escaped."""
    body = []
    for p in _shown(diff, context):
        parts = []
        for op, text in p.ops:
            t = html.escape(text)
            parts.append(t if op == "=" else f"<ins>{t}</ins>" if op == "+" else f"<del>{t}</del>")
        extra = "".join(f'<div class="status">{html.escape(n)}</div>' for n in notes(p))
        text = f"<p>{''.join(parts)}</p>" if with_text(p, context) else ""
        body.append(
            f'<section><div><span class="ref">{html.escape(refs(p))}</span> '
            f'<span class="status">{html.escape(_label(p))}</span></div>'
            f"{extra}{text}</section>"
        )
    t = html.escape(title or "Comparison")
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{t}</title>'
        f"<style>{_CSS}</style></head><body><h1>{t}</h1>\n"
        + "\n".join(body)
        + f'\n<p class="status">{html.escape(summary_text(diff))}</p></body></html>\n'
    )
