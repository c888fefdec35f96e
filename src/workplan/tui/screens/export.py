"""Export the open document: clean, compilation or redline text, in any of six formats.

The text is built from the record on the UI thread (one read), then rendered and written in a
thread worker (pandoc for .docx / .odt can take seconds) while a progress bar runs. An existing
file is overwritten only after a yes. In a browser (textual-serve) the file is also offered as a
download. Returns the path written last (or None).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, ProgressBar, RadioButton, RadioSet, Select, Static

from workplan.errors import WorkplanError
from workplan.tui.screens.pickers import ConfirmScreen, Dialog

if TYPE_CHECKING:
    from workplan.formats.export import ExportDoc
    from workplan.service import Service

#: kind id → label.
KINDS = {
    "clean": "Clean text (agreed)",
    "clean-all": "Clean text, all (bracketed)",
    "compilation": "Compilation text",
    "redline": "Redline (A → B)",
}
#: format id → file extension.
FORMATS = {
    "docx": "docx",
    "odt": "odt",
    "html": "html",
    "markdown": "md",
    "txt": "txt",
    "json": "json",
    "md": "md",
}
DRAFT_FORMAT = "md"
"""The project's own draft format: the whole document, losslessly (the kind does not apply)."""


def default_path(document: str, kind: str, fmt: str, sides: tuple[str, str]) -> Path:
    """Where an export goes unless told otherwise: the current folder, named after it."""
    what = f"redline-{sides[0]}-{sides[1]}" if kind == "redline" else kind
    if fmt == DRAFT_FORMAT:
        what = "draft"
    return Path.cwd() / f"{document}-{what}.{FORMATS[fmt]}"


def render(built: ExportDoc | str, fmt: str) -> str | bytes:
    """The export in one format (pure; pandoc for docx and odt). A draft file comes built."""
    from workplan.formats import export

    if isinstance(built, str):
        return built
    if fmt in ("docx", "odt"):
        return export.render_binary(built, fmt)  # type: ignore[arg-type]
    if fmt == "json":
        return json.dumps(export.render_json(built), ensure_ascii=False, indent=2) + "\n"
    renderers = {"txt": export.render_text, "markdown": export.render_markdown}
    return renderers.get(fmt, export.render_html)(built)


class ExportScreen(Dialog[Path | None]):
    """Choose what and where; ctrl+s (or Enter in the path) exports; Escape closes."""

    DEFAULT_CSS = """
    ExportScreen {
        & Horizontal { height: auto; }
        & RadioSet { width: 1fr; }
        & Select { width: 1fr; }
        & #sides { display: none; }
        &.-redline #sides { display: block; }
        & #running { display: none; }
        &.-running #running { display: block; }
        & #written { color: $text-success; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "run", "Export", id="export-run"),
    ]

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__()
        self.service = service
        """The one door to the record."""
        self.document_id = document_id
        """The document exported."""
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
            with Horizontal(id="sides"):
                a_default = sides[-2][1] if len(sides) > 1 else Select.BLANK
                yield Select(sides, value=a_default, prompt="Side A", id="side-a")
                yield Select(sides, value="draft", prompt="Side B", id="side-b")
            yield Input(id="path", placeholder="File to write")
            yield ProgressBar(total=None, show_eta=False, id="running")
            yield Static("", id="written", markup=False)
            yield Label("ctrl+s or Enter exports · Tab moves · Escape closes", classes="hint")

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
    def redline_sides(self) -> tuple[str, str]:
        """The two sides of a redline."""
        a, b = self.query_one("#side-a", Select), self.query_one("#side-b", Select)
        return (
            str(a.value) if a.value != Select.BLANK else "",
            str(b.value) if b.value != Select.BLANK else "",
        )

    def _propose(self) -> None:
        """Fill in the default path, unless the user typed one."""
        self.set_class(self.kind == "redline", "-redline")
        if self._typed:
            return
        path = self.query_one("#path", Input)
        with path.prevent(Input.Changed):
            path.value = str(
                default_path(self.document_id, self.kind, self.format, self.redline_sides)
            )

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """A new kind or format: a new default name."""
        self._propose()

    def on_select_changed(self, event: Select.Changed) -> None:
        """New redline sides: a new default name."""
        self._propose()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The user typed a path: keep it."""
        self._typed = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the path exports."""
        self.action_run()

    def action_run(self) -> None:
        """Export, asking first before overwriting a file."""
        if self.has_class("-running"):
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify("Give a file name", severity="error")
            return
        path = Path(raw).expanduser().absolute()
        if path.exists():

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(path, force=True)

            self.app.push_screen(ConfirmScreen(f"{path} exists. Overwrite it?"), answered)
        else:
            self._start(path, force=False)

    def _build(self) -> ExportDoc | str:
        kind, doc = self.kind, self.document_id
        if self.format == DRAFT_FORMAT:
            return self.service.export_draft(doc)
        if kind == "redline":
            a, b = self.redline_sides
            if not a or not b:
                raise WorkplanError("choose both sides of the redline")
            return self.service.export_redline(doc, a, b)
        if kind == "compilation":
            return self.service.export_compilation(doc)
        return self.service.export_clean(doc, include_all=kind == "clean-all")

    def _start(self, path: Path, *, force: bool) -> None:
        try:
            built = self._build()
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        self.add_class("-running")
        self.query_one("#written", Static).update(f"Writing {path}…")
        self.write(built, self.format, path, force)

    @work(thread=True, exclusive=True, group="export")
    def write(self, built: ExportDoc | str, fmt: str, path: Path, force: bool) -> None:
        """Render and write the file (off the UI thread), then say where it went."""
        from workplan.files import write_atomic

        try:
            written = write_atomic(path, render(built, fmt), force=force)
        except WorkplanError as exc:
            self.app.call_from_thread(self._failed, exc.message)
        except (OSError, RuntimeError) as exc:  # pandoc or the file system refused
            self.app.call_from_thread(self._failed, f"cannot write {path}: {exc}")
        else:
            self.app.call_from_thread(self._done, written)

    def _failed(self, message: str) -> None:
        self.remove_class("-running")
        self.query_one("#written", Static).update("")
        self.notify(message, title="Export failed", severity="error")

    def _done(self, path: Path) -> None:
        self.remove_class("-running")
        self.written = path
        size = path.stat().st_size
        where = f"Written: {path} ({size:,} bytes)"
        if self.app.is_web:
            self.app.deliver_binary(path, save_filename=path.name)
            where += " · offered as a download"
        self.query_one("#written", Static).update(where)
        self.notify(where, title="Exported")

    def action_cancel(self) -> None:
        """Close, returning the last file written."""
        self.dismiss(self.written)
