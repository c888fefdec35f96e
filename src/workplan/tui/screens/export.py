"""Export the open document: clean, compilation or redline text, in any of the formats, of
the working draft or of a revision exactly as it was frozen, in the original or (clean and
compilation) in one of the official languages it is translated into.

The text is built from the record on the UI thread (one read), then rendered and written in a
thread worker (pandoc for .docx / .odt can take seconds) while a progress bar runs.

The TUI may run as a service account under an SSH forced command, so what a user types here
never chooses a path: the file goes into the one export folder the operator set (`--export-dir`,
`$WORKPLAN_EXPORT_DIR`, or `exports` beside the database), under a bare file name that
`workplan.files.export_target` checks. An existing file is overwritten only after a yes. In a
browser (textual-serve) nothing is written on the server: the export is offered as a download.
Returns the path written last (or None).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, ProgressBar, RadioSet, Select, Static

from workplan.errors import WorkplanError
from workplan.formats.registry import DRAFT_FORMAT
from workplan.formats.registry import FORMATS as EXPORTS
from workplan.tui.screens.pickers import ConfirmScreen, Dialog
from workplan.tui.widgets.choices import MarkedRadioButton as RadioButton

if TYPE_CHECKING:
    from workplan.files import ExportFolder
    from workplan.formats.export import ExportDoc
    from workplan.service import Service

#: kind id → label.
KINDS = {
    "clean": "Clean text (agreed)",
    "clean-all": "Clean text, all (bracketed)",
    "compilation": "Compilation text",
    "redline": "Redline (A → B)",
}
#: format id → file extension, in the dialog's order (the registry's formats, files first).
FORMATS = {
    name: EXPORTS[name].extension
    for name in ("docx", "odt", "html", "markdown", "txt", "json", DRAFT_FORMAT)
}


WORKING = "draft"
"""The revision choice meaning the working draft as it stands."""


ORIGINAL = ""
"""The language choice meaning the original's own."""


def default_name(
    document: str,
    kind: str,
    fmt: str,
    sides: tuple[str, str],
    revision: str | None = None,
    lang: str = ORIGINAL,
) -> str:
    """The file name proposed for an export: the document, the kind, the revision reprinted
    (`-rev1`), the language it is printed in (`-es`) and the extension."""
    what = f"redline-{sides[0]}-{sides[1]}" if kind == "redline" else kind
    if kind != "redline" and revision is not None:
        what += f"-rev{revision}"
    elif fmt == DRAFT_FORMAT:
        what = "draft"
    if lang and kind != "redline" and what != "draft":
        what += f"-{lang}"
    return f"{document}-{what}.{FORMATS[fmt]}"


def render(built: ExportDoc | str, fmt: str) -> str | bytes:
    """The export in one format (pure; pandoc for docx and odt). A draft file comes built;
    a text built for the draft format is printed in Markdown."""
    if isinstance(built, str):
        return built
    return EXPORTS[fmt].render(built)


class ExportScreen(Dialog[Path | None]):
    """Choose what and a file name; ctrl+s (or Enter in the name) exports; Escape closes."""

    DEFAULT_CSS = """
    ExportScreen {
        & Horizontal { height: auto; }
        & RadioSet { width: 1fr; }
        & Select { width: 1fr; }
        & #sides { display: none; }
        &.-redline #sides { display: block; }
        &.-redline #revision { display: none; }
        &.-redline #language { display: none; }
        & #running { display: none; }
        &.-running #running { display: block; }
        & #written { color: $text-success; }
        & #folder { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "run", "Export", id="export-run"),
    ]

    def __init__(self, service: Service, document_id: str, exports: ExportFolder) -> None:
        super().__init__()
        self.service = service
        """The one door to the record."""
        self.document_id = document_id
        """The document exported."""
        self.exports = exports
        """The one folder files are written into (never used in a browser)."""
        self.written: Path | None = None
        """The last file written."""
        self._typed = False

    def compose(self) -> ComposeResult:
        sides = self._sides()
        with Vertical():
            yield Label(Content(f"Export {self.document_id}"), classes="title")
            with Horizontal():
                with RadioSet(id="kind"):
                    for i, label in enumerate(KINDS.values()):
                        yield RadioButton(label, value=i == 0)
                with RadioSet(id="format"):
                    for i, fmt in enumerate(FORMATS):
                        yield RadioButton(fmt, value=i == 0)
            with Horizontal(id="which"):
                yield Select(
                    [(Content("Working draft, as it stands"), WORKING)]
                    + [(Content(f"{symbol}, as frozen"), n) for n, symbol in self._revisions()],
                    value=WORKING,
                    allow_blank=False,
                    id="revision",
                )
                yield Select(
                    self._languages(),
                    value=ORIGINAL,
                    allow_blank=False,
                    id="language",
                )
            with Horizontal(id="sides"):
                a_default = sides[-2][1] if len(sides) > 1 else Select.BLANK
                yield Select(sides, value=a_default, prompt="Side A", id="side-a")
                yield Select(sides, value="draft", prompt="Side B", id="side-b")
            yield Static(self._where(), id="folder", markup=False)
            yield Input(id="path", placeholder="File name (no folder)")
            yield ProgressBar(total=None, show_eta=False, id="running")
            yield Static("", id="written", markup=False)
            yield Label("ctrl+s or Enter exports · Tab moves · Escape closes", classes="hint")

    def _where(self) -> str:
        if self.app.is_web:
            return "Offered as a download (nothing is written on the server). File name:"
        return f"Into the export folder {self.exports.path}, as the file:"

    def _revisions(self) -> list[tuple[str, str]]:
        """(number, symbol) of each revision of the document."""
        try:
            return [(str(r.number), r.symbol) for r in self.service.revisions(self.document_id)]
        except WorkplanError:
            return []

    def _languages(self) -> list[tuple[Content, str]]:
        """The original, then each official language it is translated into."""
        from workplan.model.languages import language_code, language_name

        try:
            original = self.service.document(self.document_id).original_language
            others = self.service.translation_languages(self.document_id)
        except WorkplanError:
            return [(Content("In the original"), ORIGINAL)]
        code = language_code(original)
        shown = language_name(code, code) if code else original
        return [(Content(f"In the original ({shown})"), ORIGINAL)] + [
            (Content(f"In {language_name(c, 'en')} ({language_name(c, c)}): its translations"), c)
            for c in others
        ]

    def _sides(self) -> list[tuple[Content, str]]:
        try:
            revisions = self.service.revisions(self.document_id)
            derived = self.service.draft(self.document_id).document.derived_from
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return [(Content("working draft"), "draft")]
        sides = [(Content(f"predecessor plan ({derived})"), derived)] if derived else []
        sides += [(Content(r.symbol), str(r.number)) for r in revisions]
        return [*sides, (Content("working draft"), "draft")]

    def on_mount(self) -> None:
        """Propose a file name; start on the kind."""
        self._propose()
        self.query_one("#kind", RadioSet).focus()

    @property
    def kind(self) -> str:
        """The kind chosen (clean, clean-all, compilation, redline)."""
        return list(KINDS)[max(self.query_one("#kind", RadioSet).pressed_index, 0)]

    @property
    def format(self) -> str:
        """The format chosen."""
        return list(FORMATS)[max(self.query_one("#format", RadioSet).pressed_index, 0)]

    @property
    def revision(self) -> str | None:
        """The revision to reprint as frozen (its number), or None for the working draft."""
        value = self.query_one("#revision", Select).value
        return None if value in (WORKING, Select.BLANK) else str(value)

    @property
    def language(self) -> str:
        """The language to print in (a code), or ORIGINAL."""
        value = self.query_one("#language", Select).value
        return ORIGINAL if value in (ORIGINAL, Select.BLANK) else str(value)

    @property
    def redline_sides(self) -> tuple[str, str]:
        """The two sides of a redline."""
        a, b = self.query_one("#side-a", Select), self.query_one("#side-b", Select)
        return (
            str(a.value) if a.value != Select.BLANK else "",
            str(b.value) if b.value != Select.BLANK else "",
        )

    def _propose(self) -> None:
        """Fill in the default file name, unless the user typed one."""
        self.set_class(self.kind == "redline", "-redline")
        if self._typed:
            return
        path = self.query_one("#path", Input)
        with path.prevent(Input.Changed):
            path.value = default_name(
                self.document_id,
                self.kind,
                self.format,
                self.redline_sides,
                self.revision,
                self.language,
            )

    def on_radio_set_changed(self) -> None:
        """A new kind or format: a new default name."""
        self._propose()

    def on_select_changed(self) -> None:
        """New redline sides: a new default name."""
        self._propose()

    def on_input_changed(self) -> None:
        """The user typed a name: keep it."""
        self._typed = True

    def on_input_submitted(self) -> None:
        """Enter in the name exports."""
        self.action_run()

    def action_run(self) -> None:
        """Export, asking first before overwriting a file; a name that is not a bare file name
        (a path, `..`, a dotfile, the database's) is refused with one line saying why."""
        if self.has_class("-running"):
            return
        name = self.query_one("#path", Input).value.strip()
        try:
            self.exports.target(name)
            exists = not self.app.is_web and self.exports.exists(name)
        except WorkplanError as exc:
            self.notify(exc.message, title="Not exported", severity="error")
            return
        if exists:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(name, force=True)

            question = f"{name} exists in {self.exports.path}. Overwrite it?"
            self.app.push_screen(ConfirmScreen(question), answered)
        else:
            self._start(name, force=False)

    def _build(self) -> ExportDoc | str:
        kind, doc, rev = self.kind, self.document_id, self.revision
        lang = self.language or None
        if self.format == DRAFT_FORMAT and (rev is None or kind == "redline") and not lang:
            return self.service.export_draft(doc)
        if kind == "redline":
            a, b = self.redline_sides
            if not a or not b:
                raise WorkplanError("choose both sides of the redline")
            return self.service.export_redline(doc, a, b)
        if kind == "compilation":
            return self.service.export_compilation(doc, rev=rev, lang=lang)
        return self.service.export_clean(doc, include_all=kind == "clean-all", rev=rev, lang=lang)

    def _start(self, name: str, *, force: bool) -> None:
        try:
            built = self._build()
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        if not isinstance(built, str) and built.untranslated:  # said, never silently
            self.notify(
                f"Untranslated in {built.language}, printed in the original's words in"
                f" brackets: {', '.join(built.untranslated[:8])}"
                + (
                    f" and {len(built.untranslated) - 8} more"
                    if len(built.untranslated) > 8
                    else ""
                ),
                title="Not all translated",
                severity="warning",
            )
        self.add_class("-running")
        self.query_one("#written", Static).update(f"Preparing {name}…")
        self.write(built, self.format, name, force, web=self.app.is_web)

    @work(thread=True, exclusive=True, group="export")
    def write(self, built: ExportDoc | str, fmt: str, name: str, force: bool, web: bool) -> None:
        """Render (off the UI thread), then write into the export folder or, in a browser,
        hand the bytes over as a download."""
        try:
            data = render(built, fmt)
            if web:
                raw = data.encode("utf-8") if isinstance(data, str) else data
                self.app.call_from_thread(self._deliver, name, raw)
                return
            written = self.exports.write(name, data, force=force)
        except WorkplanError as exc:
            self.app.call_from_thread(self._failed, exc.message)
        except (OSError, RuntimeError) as exc:  # pandoc or the file system refused
            self.app.call_from_thread(self._failed, f"cannot export {name}: {exc}")
        else:
            self.app.call_from_thread(self._done, written)

    def _failed(self, message: str) -> None:
        self.remove_class("-running")
        self.query_one("#written", Static).update("")
        self.notify(message, title="Export failed", severity="error")

    def _done(self, path: Path) -> None:
        self.remove_class("-running")
        self.written = path
        where = f"Written: {path}"
        self.query_one("#written", Static).update(where)
        self.notify(where, title="Exported")

    def _deliver(self, name: str, raw: bytes) -> None:
        self.remove_class("-running")
        self.app.deliver_binary(io.BytesIO(raw), save_filename=name)
        where = f"{name} ({len(raw):,} bytes) offered as a download"
        self.query_one("#written", Static).update(where)
        self.notify(where, title="Exported")

    def action_cancel(self) -> None:
        """Close, returning the last file written."""
        self.dismiss(self.written)
