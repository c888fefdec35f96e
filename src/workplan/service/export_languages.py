"""An export in another official language: the title, the headings, the paragraphs and their
footnotes in their translations made from the original as printed. A missing or stale one is
printed in the original's words (a paragraph as not agreed, in brackets; a title, heading or
footnote in brackets) and listed, never silently."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workplan.footnotes import FootnoteSource
from workplan.model import Draft
from workplan.model.document import Document
from workplan.model.negotiation import Revision
from workplan.model.translation import (
    TITLE,
    TargetKind,
    Translation,
    footnote_kind,
    paragraph_source,
    source_hash,
)
from workplan.service.exports import Masthead, _InLanguage, _Para, _Text

Header = Callable[[Document, "Revision | None", "str | None"], Masthead]


class Translator:
    """The translations of one language at hand, and what was asked of them and not found
    (`untranslated`: "OP3: stale", "title: missing", in the order asked, each once)."""

    def __init__(self, made: Iterable[Translation]) -> None:
        self._found: dict[tuple[str, str], dict[str, str]] = {}
        for t in made:
            self._found.setdefault((str(t.kind), t.target), {})[t.source] = t.text
        self.untranslated: list[str] = []
        self._seen: set[str] = set()

    def said(self, kind: TargetKind, target: str, source: str, name: str) -> str | None:
        """The translation made from `source`, or None (then listed as untranslated)."""
        translated = self._found.get((str(kind), target), {}).get(source)
        if translated is None and name not in self._seen:
            self._seen.add(name)
            state = "stale" if (str(kind), target) in self._found else "missing"
            self.untranslated.append(f"{name}: {state}")
        return translated

    def said_or_bracketed(
        self, kind: TargetKind, target: str, original: str, source: str, name: str
    ) -> str:
        """The translation, or the original in brackets."""
        translated = self.said(kind, target, source, name)
        return f"[{original}]" if translated is None else translated

    def footnote(self, n: FootnoteSource) -> FootnoteSource:
        """A reservation's or a note's footnote in the language (or bracketed)."""
        kind, key, source = footnote_kind(n.reservation), n.reservation, source_hash(n.text)
        return n.model_copy(update={"text": self.said_or_bracketed(kind, key, n.text, source, key)})


def in_language(
    text: _Text,
    keep: list[_Para],
    lang: str,
    made: Iterable[Translation],
    header: Header,
) -> _InLanguage:
    """`text` in `lang`, as far as the paragraphs in `keep` show it, from the translations
    `made` (a revision's reprint passes those made from the text as frozen); `header` makes
    the masthead in that language."""
    tr = Translator(made)
    document = text.draft.document
    title = document.title
    if title:
        title = tr.said_or_bracketed(TargetKind.TITLE, TITLE, title, source_hash(title), "title")
    # the notes called from the title and the headings, before the paragraphs' footnotes
    called = {k: [tr.footnote(n) for n in v] for k, v in text.called.items()}
    shown = {s.id for x in keep for s in text.draft.section_path(x.paragraph.section)}
    sections = [
        s.model_copy(
            update={
                "title": tr.said_or_bracketed(
                    TargetKind.SECTION, s.id, s.title, source_hash(s.title), f"section {s.id}"
                )
            }
        )
        if s.id in shown
        else s
        for s in text.draft.sections
    ]
    paras: list[_Para] = []
    bracketed: set[str] = set()
    for x in keep:
        p = x.paragraph
        ref = text.refs.get(p.uid) or text.draft.ref(p.uid)
        words = tr.said(TargetKind.PARAGRAPH, p.uid, paragraph_source(p.version), ref)
        if words is None:
            bracketed.add(p.uid)  # printed in the original's words, in brackets
            words = p.text
        paras.append(
            _Para(
                paragraph=p.model_copy(update={"text": words}),
                status=x.status,
                objecting=x.objecting,
                ad_ref=x.ad_ref,
                silence_until=x.silence_until,
                amendments=x.amendments,
                notes=[tr.footnote(n) for n in x.notes],
            )
        )
    translated = document.model_copy(update={"title": title})
    draft = Draft.model_construct(
        document=translated, sections=sections, paragraphs=[x.paragraph for x in paras]
    )
    return _InLanguage(
        text=_Text(
            draft=draft,
            paras=paras,
            refs=text.refs,
            head=header(translated, text.rev, lang),
            closing=text.closing,
            properties=text.properties,
            called=called,
            rev=text.rev,
        ),
        keep=paras,
        bracketed=bracketed,
        untranslated=tr.untranslated,
    )
