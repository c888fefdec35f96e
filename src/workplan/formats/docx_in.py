"""Reading Word files: pandoc turns a .docx into its document tree; we write it out as OAS plain
text (footnote calls `N/` after the last word, bodies `N. text` at the paragraph's foot), which
the OAS text reader then parses like any Word-converted text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workplan.errors import InputError


def _inline(nodes: list[dict[str, Any]], notes: list[str]) -> str:
    out: list[str] = []
    for node in nodes:
        kind, content = node["t"], node.get("c", [])
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind == "Quoted":
            quote = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(quote[0] + _inline(content[1], notes) + quote[1])
        elif kind in (
            "Emph",
            "Strong",
            "Underline",
            "SmallCaps",
            "Strikeout",
            "Superscript",
            "Subscript",
        ):
            out.append(_inline(content, notes))
        elif kind in ("Span", "Link"):
            out.append(_inline(content[1], notes))
        elif kind == "Code":
            out.append(content[1])
        elif kind == "Note":
            notes.append("\n\n".join(_block_text(b, []) for b in content).strip())
            out.append(f"\x00{len(notes)}\x00")
    return "".join(out)


def _block_text(block: dict[str, Any], notes: list[str]) -> str:
    kind, content = block["t"], block.get("c", [])
    if kind in ("Para", "Plain"):
        return _inline(content, notes)
    if kind == "Header":
        return _inline(content[2], notes)
    return ""


def _blocks(blocks: list[dict[str, Any]], notes: list[str]) -> list[str]:
    paras: list[str] = []
    for block in blocks:
        kind, content = block["t"], block.get("c", [])
        if kind == "OrderedList":
            start = content[0][0]
            for i, item in enumerate(content[1]):
                text = " ".join(_blocks(item, notes))
                paras.append(f"{start + i}.\t{text}")
        elif kind == "BulletList":
            for item in content:
                paras.extend(_blocks(item, notes))
        elif kind in ("BlockQuote", "Div"):
            paras.extend(_blocks(content if kind == "BlockQuote" else content[1], notes))
        else:
            text = _block_text(block, notes)
            if text.strip():
                paras.append(text)
    return paras


def docx_to_oas_text(path: str | Path) -> str:
    """A .docx as OAS plain text with `N/` footnote calls and `N. text` bodies."""
    import pypandoc

    try:
        tree = json.loads(pypandoc.convert_file(str(path), "json", format="docx"))
    except (RuntimeError, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise InputError(f"{path}: not a readable Word file ({first})") from None
    notes: list[str] = []
    lines: list[str] = []
    for para in _blocks(tree.get("blocks", []), notes):
        parts = para.split("\x00")
        text = "".join(parts[0::2]).rstrip()
        calls = [int(n) for n in parts[1::2]]
        lines.append(text + "".join(f"{n}/" for n in calls))
        if calls:
            lines.append("")
            lines += [f"{n}. " + notes[n - 1].replace("\n\n", "\n    ") for n in calls]
        lines.append("")
    return "\n".join(lines)
