"""The amendment editor: a modal that proposes an amendment and never loses the typed text.

It returns the new amendment, or None when cancelled. When the paragraph changed since the
editor opened, the service refuses with a conflict: the editor stays open, shows what changed,
and ctrl+r re-bases the proposal on the current text (re-applying what was typed) to resubmit.

Given an open amendment (`revising`), the same editor revises its text: prefilled with the
amendment's text, and, when the amendment needs a re-base, showing what changed in the
paragraph since it was written and which of its parts failed to re-apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from workplan.errors import ConflictError, WorkplanError
from workplan.model.negotiation import Amendment, AmendmentKind, Placement
from workplan.tui.screens.pickers import Dialog
from workplan.tui.widgets.amendments_list import DELETED, INSERTED, diff_content

if TYPE_CHECKING:
    from workplan.service import Service

KINDS = [(str(k), str(k)) for k in AmendmentKind]
PLACEMENTS = [(str(p), str(p)) for p in Placement]


@dataclass(frozen=True)
class EditorTarget:
    """The paragraph an amendment is proposed on, as read when the editor opened."""

    document: str
    """The document id."""
    uid: str
    """The paragraph's uid."""
    ref: str
    """Its printed ref (for the title)."""
    text: str
    """Its text when read."""
    version: int
    """Its version when read."""


class AmendmentEditor(Dialog[Amendment | None]):
    """Kind, text with a live word-diff preview, justification and co-sponsors."""

    DEFAULT_CSS = """
    AmendmentEditor {
        & > VerticalScroll {
            width: 100;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & TextArea { height: 7; }
        & #hint { dock: bottom; width: 1fr; background: $surface; }
        & #where { height: auto; }
        & #where > * { width: 1fr; }
        & #preview, #conflict { height: auto; max-height: 10; padding: 0 1; }
        & #preview { border: round $panel; }
        & #conflict { border: round $error; display: none; }
        &.-conflict #conflict { display: block; }
        & .-hidden { display: none; }
    }
    AmendmentEditor.-short {
        & TextArea { height: 4; }
        & #preview, #conflict { max-height: 5; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Propose", id="amendment-submit"),
        Binding("ctrl+r", "rebase", "Re-base on current text", id="amendment-rebase"),
    ]

    def __init__(
        self,
        service: Service,
        target: EditorTarget,
        acting_as: str,
        revising: Amendment | None = None,
        *,
        open_service: Callable[[], Service] | None = None,
    ) -> None:
        super().__init__()
        self._service = service
        self._open_service = open_service
        """Opens a service on its own connection, for the worker that saves (None: an
        in-memory record, saved on the UI thread)."""
        self._saving = False
        self.target = target
        """The paragraph as read; its text and version become the current ones on re-base."""
        self._acting_as = acting_as
        self._current: EditorTarget | None = None
        self.revising = revising
        """The open amendment whose text is revised (None: a new proposal)."""

    @property
    def initial_text(self) -> str:
        """The text the editor opened with: the amendment's, or the paragraph's."""
        return self.revising.text if self.revising else self.target.text

    def compose(self) -> ComposeResult:
        t, am = self.target, self.revising
        ref = t.ref or t.uid
        title = f"Revise {am.id} ({am.kind} on {ref})" if am else f"Amend {ref}"
        hint = (
            "ctrl+s saves the revision · Escape cancels"
            if am
            else "ctrl+s proposes · ctrl+r re-bases · Escape cancels"
        )
        with VerticalScroll():
            yield Label(f"{title} · as {self._acting_as}", classes="title", markup=False)
            yield Label(hint, classes="hint", id="hint")
            with Horizontal(id="where", classes="-hidden" if am else ""):
                kind = str(am.kind) if am else "modify"
                yield Select(KINDS, value=kind, allow_blank=False, id="kind")
                yield Select(PLACEMENTS, value="after", allow_blank=False, id="placement")
                yield Input(placeholder="Move after (e.g. OP4)", id="anchor")
            yield TextArea(self.initial_text, id="text")
            yield Static("", id="preview", markup=False)
            hidden = "-hidden" if am else ""
            yield Input(placeholder="Justification", id="justification", classes=hidden)
            yield Input(
                placeholder="Co-sponsors: codes, comma separated", id="cosponsors", classes=hidden
            )
            yield Static("", id="conflict", markup=False)

    def on_mount(self) -> None:
        """Start in the text, with the preview drawn (and, revising, what failed to re-base)."""
        self._kind_changed()
        if self.revising is not None:
            self._show_rebase_failures(self.revising)
        self.query_one(TextArea).focus()

    def on_resize(self) -> None:
        """On a short terminal the text and the preview take fewer lines."""
        self.set_class(self.size.height < 32, "-short")

    def unsaved(self) -> str | None:
        """The question to ask before throwing away what was typed, or None if nothing was."""
        typed = self.typed
        edited = bool(typed.strip()) and typed != self.initial_text
        if edited or any(
            self.query_one(f"#{name}", Input).value for name in ("justification", "cosponsors")
        ):
            what = f"revision of {self.revising.id}" if self.revising else "amendment text"
            return f"Discard your unsaved {what}?"
        return None

    def _show_rebase_failures(self, am: Amendment) -> None:
        """Say why an amendment needs a re-base: what changed, and the parts that failed."""
        if not am.needs_rebase:
            return
        t = self.target
        parts = [
            Content.styled(
                f"{am.id} needs a re-base: {t.ref} changed since it was written"
                f" (version {am.base_version}, now {t.version}).",
                "bold",
            )
        ]
        if am.rebase_failures:
            parts.append(Content("These parts of it did not apply to the new text:"))
            parts += [Content(f"  ✗ {failed}") for failed in am.rebase_failures]
        if am.kind == AmendmentKind.MODIFY and am.base_text != t.text:
            parts += [
                Content(f"What changed in {t.ref}:"),
                diff_content(am.base_text, t.text),
            ]
        parts.append(Content.styled("Edit it against the current text; ctrl+s saves.", "italic"))
        self.query_one("#conflict", Static).update(Content("\n").join(parts))
        self.add_class("-conflict")

    @property
    def kind(self) -> str:
        """The amendment kind chosen."""
        return str(self.query_one("#kind", Select).value)

    @property
    def typed(self) -> str:
        """The text typed so far."""
        return self.query_one(TextArea).text

    def on_select_changed(self) -> None:
        """Show the fields the chosen kind needs."""
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind, area = self.kind, self.query_one(TextArea)
        if self.revising is not None:
            pass  # the kind is fixed and the text is the amendment's
        elif kind == "insert" and area.text == self.target.text:
            area.text = ""  # a new paragraph starts empty
        elif kind == "modify" and not area.text:
            area.text = self.target.text
        self.query_one("#placement").set_class(kind != "insert", "-hidden")
        self.query_one("#anchor").set_class(kind != "move", "-hidden")
        area.set_class(kind not in ("modify", "insert"), "-hidden")
        self._preview()

    def on_text_area_changed(self) -> None:
        """Redraw the preview as the user types."""
        self._preview()

    def _preview(self) -> None:
        kind, base = self.kind, self.target.text
        if kind == "modify":
            shown = diff_content(base, self.typed)
        elif kind == "insert":
            shown = Content.styled(self.typed, INSERTED)
        elif kind == "delete":
            shown = Content.styled(base, DELETED)
        else:
            shown = Content(f"{self.target.ref} moves after the paragraph named above.")
        self.query_one("#preview", Static).update(shown)

    def action_submit(self) -> None:
        """Propose (or save the revision) through the service, in a worker on its own
        connection so a busy record never freezes the screen; on a conflict stay open and
        show what changed."""
        if self._saving:
            return
        if self.revising is not None:
            am, typed, doc = self.revising, self.typed, self.target.document
            self._save(lambda svc: svc.revise_amendment(doc, am.id, typed), "Not revised")
            return
        kind, t = self.kind, self.target
        raw = self.query_one("#cosponsors", Input).value
        text = self.typed if kind in ("modify", "insert") else None
        anchor = self.query_one("#anchor", Input).value.strip() or None
        placement = str(self.query_one("#placement", Select).value) if kind == "insert" else None
        justification = self.query_one("#justification", Input).value.strip()
        cosponsors = [c for c in re.split(r"[,;\s]+", raw) if c]
        self._save(
            lambda svc: svc.propose(
                t.document,
                t.uid,
                kind,
                text=text,
                anchor=anchor,
                placement=placement,
                justification=justification,
                cosponsors=cosponsors,
                expect_version=t.version,
            ),
            "Not proposed",
        )

    def _save(self, act: Callable[[Service], Amendment], refused: str) -> None:
        """Run `act`: in a worker with its own service when the record has a file, else here;
        close the editor with its amendment, or show why not."""
        opener = self._open_service
        if opener is None:
            try:
                done = act(self._service)
            except WorkplanError as exc:
                self._not_saved(exc, refused)
                return
            self.dismiss(done)
            return
        self._saving = True

        def work() -> None:
            svc = opener()
            try:
                done = act(svc)
            except WorkplanError as exc:
                self.app.call_from_thread(self._not_saved, exc, refused)
                return
            finally:
                svc.close()
            self.app.call_from_thread(self.dismiss, done)

        self.run_worker(work, thread=True, group="save", exit_on_error=False)

    def _not_saved(self, exc: WorkplanError, refused: str) -> None:
        """Refused: a conflict shows what changed; anything else one line."""
        self._saving = False
        if isinstance(exc, ConflictError) and self.revising is None:
            self._show_conflict(exc)
            return
        self.notify(exc.message, title=refused, severity="error")

    def _show_conflict(self, exc: ConflictError) -> None:
        t = self.target
        try:
            now = self._service.draft(t.document).by_uid.get(t.uid)
        except WorkplanError:
            now = None
        parts = [Content.styled(exc.message, "bold")]
        if now is not None and now.version != t.version:
            self._current = EditorTarget(t.document, t.uid, t.ref, now.text, now.version)
            parts += [
                Content(f"What changed since version {t.version} (now {now.version}):"),
                diff_content(t.text, now.text),
                Content.styled("ctrl+r re-bases your text on it; then ctrl+s.", "italic"),
            ]
        conflict = self.query_one("#conflict", Static)
        conflict.update(Content("\n").join(parts))
        self.add_class("-conflict")
        self.call_after_refresh(conflict.scroll_visible)
        self.refresh_bindings()
        self.notify(exc.message, title="The paragraph changed", severity="error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Re-basing is offered only after a conflict."""
        del parameters  # what is available depends on the action alone
        if action == "rebase":
            return self._current is not None
        return True

    def action_rebase(self) -> None:
        """Take the paragraph's current text and version as the base, and re-apply the
        changes typed (from the old text to the typed one) to it, as accepted amendments are
        re-applied to open ones; when they do not apply cleanly, keep the typed text as it
        is and say which parts failed, so the user compares it with the new text."""
        from workplan.diffing import apply_patch, make_patch

        if self._current is None:
            return
        old, self.target, self._current = self.target, self._current, None
        area = self.query_one(TextArea)
        typed = area.text
        version = self.target.version
        if self.kind == "modify" and typed != old.text:
            result = apply_patch(make_patch(old.text, typed), self.target.text)
            if result.applied:
                area.load_text(result.text)
                message = f"Re-based on version {version}: your changes re-applied to its text."
                self.notify(message)
            else:
                self.notify(
                    f"Re-based on version {version}, but your changes do not apply to its new"
                    f" text ({'; '.join(result.failed)}): your text is kept as typed; the"
                    " preview shows it against the new text.",
                    severity="warning",
                    timeout=10,
                )
        else:
            self.notify(f"Re-based on version {version}; your text is kept.")
        self.remove_class("-conflict")
        self._preview()
        self.refresh_bindings()
