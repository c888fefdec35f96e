"""Options inside a paragraph: an operative paragraph offering alternatives (`Option 1:` /
`Option 2:`, `Opción A`, `Alternative text:`) or leading in to a list (`... to:`) keeps its
sub-items, whose numbering restarts (`1.`, `2.` or `a)`, `b)`), with their printed numbers, as
lines of its own text: a delegate negotiates OP2 and its options as one paragraph, never the
sub-items as new operative paragraphs renumbered after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workplan.model.lexicon import is_option_line
from workplan.model.oas import NUMBERED, OasDocument, OasParagraph

#: A labelled sub-item: `a) text`, `(b) text`, `c. text`, `iv) text`.
LABELLED = re.compile(r"^(?:\(?(?:[a-z]{1,2}|[ivx]{1,5})\)|[a-z]\.)\s+\S")
#: A list item that announces more items (`...;`, `...; and`, `..., y`).
_GOES_ON = re.compile(r"(?:[;,]|[;,]\s+(?:and|or|y|o|et|ou|e))$")


@dataclass
class Folded:
    """One operative paragraph that kept sub-items: its printed number, how many options it
    offers and how many items it took in."""

    number: str
    options: int
    items: int


def offers_options(text: str) -> bool:
    """True if any line of a paragraph's text opens an alternative (`Option 1:`)."""
    return any(is_option_line(line) for line in text.split("\n"))


def _label(q: OasParagraph, lines: list[str]) -> str:
    """The printed label of a numbered sub-item as the text prints it (`1.` or `1)`)."""
    raw = lines[q.line - 1] if 0 < q.line <= len(lines) else ""
    m = NUMBERED.match(raw)
    if m and m[1] == q.printed_number:
        return raw[: m.start(2)].strip()
    return f"{q.printed_number}."


def _continues_list(q: OasParagraph, last: int, head: OasParagraph, prev: str) -> bool:
    """True if the numbered paragraph `q` is an item of the sub-list (restarting at 1, or the
    next item of it) rather than the operative paragraph after `head`."""
    n = q.printed_number or ""
    if not n.isdigit():
        return False
    if int(n) == 1:
        return True
    if last == 0 or int(n) != last + 1:
        return False
    after_head = head.printed_number or ""
    # `3.` after OP2's items `1.`, `2.`: the next operative paragraph, unless the item before
    # announces more (`...;`, `...; and`)
    return not (after_head.isdigit() and int(n) == int(after_head) + 1) or bool(
        _GOES_ON.search(prev.rstrip())
    )


def fold_options(doc: OasDocument, lines: list[str]) -> list[Folded]:
    """Take into each operative paragraph that offers options or ends with a lead-in (`:`) the
    paragraphs that follow it in its section and belong to it: option lines, labelled items
    (`a)`), and numbered items whose numbering restarts. Calls and reservations move with
    them. `lines` is the text the reader read (for the printed labels). Returns what was
    folded."""
    paras = doc.paragraphs
    new_index: dict[int, int] = {}
    out: list[OasParagraph] = []
    folded: list[Folded] = []
    i = 0
    while i < len(paras):
        head = paras[i]
        new_index[i] = len(out)
        out.append(head)
        i += 1
        nxt = paras[i] if i < len(paras) else None
        options = offers_options(head.text)
        lead_in = head.text.rstrip().endswith(":")
        ahead = nxt is not None and nxt.role == "text" and is_option_line(nxt.text)
        if head.role != "operative" or not (options or lead_in or ahead):
            continue
        last, items, prev = 0, 0, head.text
        while i < len(paras):
            q = paras[i]
            if q.section != head.section:
                break
            if q.role == "text" and is_option_line(q.text):
                text, last, options = q.text, 0, True
            elif q.role == "text" and LABELLED.match(q.text):
                text, items = q.text, items + 1
            elif q.role == "operative" and _continues_list(q, last, head, prev):
                text, items = f"{_label(q, lines)} {q.text}", items + 1
                last = int(q.printed_number or 0)
            else:
                break
            head.text = f"{head.text}\n{text}"
            head.calls += q.calls
            head.reservations += [k for k in q.reservations if k not in head.reservations]
            new_index[i] = len(out) - 1
            prev = text
            i += 1
        if items or head.text.count("\n"):
            count = sum(1 for line in head.text.split("\n") if is_option_line(line))
            folded.append(Folded(head.printed_number or "", count, items))
    doc.paragraphs = out
    for r in doc.reservations:
        r.paragraphs = list(dict.fromkeys(new_index[k] for k in r.paragraphs if k in new_index))
    return folded
