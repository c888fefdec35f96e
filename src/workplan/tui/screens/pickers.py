"""Small modals: pick a delegation (fuzzy), pick one of a list, type a text, a deadline, confirm."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from workplan.errors import WorkplanError

if TYPE_CHECKING:
    from workplan.model import Delegation

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A centred box; Escape cancels (dismisses with None, or False for a confirmation)."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 90%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & .title { text-style: bold; }
        & .hint { color: $text-muted; }
        & .error { color: $text-error; }
        & OptionList { height: auto; max-height: 14; }
        & TextArea { height: 8; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def action_cancel(self) -> None:
        """Close without an answer; ask first when typing would be lost (see `unsaved`)."""
        question = self.unsaved()
        if question is None:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(question), answered)

    def unsaved(self) -> str | None:
        """The question to ask before throwing away typing here (None: nothing to lose)."""
        return None


class DelegationPicker(Dialog[str | None]):
    """Type a code or an English or Spanish name; Enter picks the highlighted delegation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, id="picker-next"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker-previous"),
    ]

    def __init__(self, title: str, delegations: list[Delegation], last: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._delegations = sorted(delegations, key=lambda d: d.code != last)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            yield Input(placeholder="Code or name (English or Spanish)", id="query")
            yield OptionList(markup=False, id="choices")
            yield Label("Enter picks · ↑↓ move · Escape cancels", classes="hint")

    def on_mount(self) -> None:
        """List everyone until something is typed."""
        self._fill("")

    def _fill(self, query: str) -> None:
        choices = self.query_one(OptionList)
        query = query.strip()
        if not query:
            ranked = self._delegations
            shown = [Content(_name(d)) for d in ranked]
        else:
            matcher = Matcher(query)
            scored = [(_score(matcher, query, d), d) for d in self._delegations]
            ranked = [d for s, d in sorted(scored, key=lambda x: -x[0]) if s > 0]
            shown = [_highlight(matcher, _name(d)) for d in ranked]
        choices.set_options(Option(c, id=d.code) for c, d in zip(shown, ranked, strict=True))
        choices.highlighted = 0 if ranked else None

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the list as the user types."""
        self._fill(event.value)

    def on_input_submitted(self) -> None:
        """Pick the highlighted delegation."""
        choices = self.query_one(OptionList)
        if choices.highlighted is not None:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter in the list) picks that delegation."""
        self.dismiss(event.option_id)

    def action_move(self, step: int) -> None:
        """Move the highlight while the cursor stays in the input."""
        choices = self.query_one(OptionList)
        if choices.option_count:
            now = choices.highlighted if choices.highlighted is not None else -step
            choices.highlighted = (now + step) % choices.option_count


def _name(d: Delegation) -> str:
    return f"{d.code}  {d.name_en}" + (f" · {d.name_es}" if d.name_es != d.name_en else "")


def _score(matcher: Matcher, query: str, d: Delegation) -> float:
    if query.upper() == d.code:
        return 10.0
    return max(matcher.match(d.code), matcher.match(d.name_en), matcher.match(d.name_es))


def _highlight(matcher: Matcher, text: str) -> Content:
    return matcher.highlight(text) if escape(text) == text else Content(text)


class ChoicePicker(Dialog[str | None]):
    """Pick one of a few labelled choices; returns its id."""

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        """`choices` are (id, label) pairs; labels are shown literally."""
        super().__init__()
        self._title = title
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            yield OptionList(*[Option(label, id=cid) for cid, label in self._choices], markup=False)
            yield Label("Enter picks · Escape cancels", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen id."""
        self.dismiss(event.option_id)


class TextPrompt(Dialog[str | None]):
    """Type (or edit) a text, possibly several paragraphs; ctrl+s keeps it. Escape (and
    quitting) asks first when the text was changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="prompt-submit"),
    ]

    def __init__(
        self, title: str, text: str = "", discard: str = "Discard your unsaved text?"
    ) -> None:
        """`discard` is the question asked before throwing away a changed text."""
        super().__init__()
        self._title = title
        self._text = text
        self._discard = discard

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            yield TextArea(self._text, id="text")
            yield Label("ctrl+s saves · Escape cancels", classes="hint")

    def unsaved(self) -> str | None:
        """The question to ask when the text differs from the one the prompt opened with."""
        text = self.query_one(TextArea).text
        return self._discard if text.strip() and text != self._text else None

    def action_submit(self) -> None:
        """Return the text (nothing when it is blank)."""
        text = self.query_one(TextArea).text.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Type a text first, or press Escape.", severity="warning")


class PositionPrompt(Dialog[tuple[str, str] | None]):
    """Choose a stance and add an optional comment; returns (stance, comment)."""

    DEFAULT_CSS = """
    PositionPrompt RadioSet { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Record", id="position-submit"),
    ]

    def __init__(
        self, title: str, stances: list[tuple[str, str]], stance: str, comment: str = ""
    ) -> None:
        """`stances` are (stance, label) pairs; `stance` and `comment` are shown first."""
        super().__init__()
        self._title = title
        self._stances = stances
        self._stance = stance
        self._comment = comment

    def compose(self) -> ComposeResult:
        from workplan.tui.widgets.choices import MarkedRadioButton

        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            with RadioSet(id="stance"):
                for stance, label in self._stances:
                    yield MarkedRadioButton(label, value=stance == self._stance, name=stance)
            yield Input(self._comment, placeholder="Comment (optional)", id="comment")
            yield Label(
                "↑↓ Enter: stance · Enter in the comment records · Esc cancels", classes="hint"
            )

    def on_mount(self) -> None:
        """Start on the stances (the current one highlighted)."""
        self.query_one(RadioSet).focus()

    def on_radio_set_changed(self) -> None:
        """A stance chosen: on to the comment."""
        self.query_one("#comment", Input).focus()

    @property
    def stance(self) -> str:
        """The stance chosen."""
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.name if pressed else None) or self._stance

    def unsaved(self) -> str | None:
        """Ask before quitting with a comment typed."""
        typed = self.query_one("#comment", Input).value.strip()
        return "Discard your unsaved comment?" if typed and typed != self._comment else None

    def on_input_submitted(self) -> None:
        """Enter in the comment records the position."""
        self.action_submit()

    def action_submit(self) -> None:
        """Return the stance and the comment."""
        self.dismiss((self.stance, self.query_one("#comment", Input).value.strip()))


def parse_deadline_input(value: str, now: datetime, tz: tzinfo = UTC) -> datetime:
    """A deadline from "+72h" / "+3d" / "+90m" (from `now`) or ISO 8601 (in `tz`, the
    document's zone, when it names none)."""
    from workplan.service.decisions import parse_deadline

    return parse_deadline(value, now, tz)


class DeadlinePrompt(Dialog[datetime | None]):
    """Ask for a silence deadline: "+72h" or an ISO time (in the document's zone unless it
    names one); Enter accepts."""

    def __init__(self, title: str, now: datetime, tz: tzinfo = UTC, default: str = "+72h") -> None:
        super().__init__()
        self._title = title
        self._now = now
        self._tz = tz
        self._default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            yield Input(self._default, placeholder="+72h or 2026-03-05T17:00", id="deadline")
            yield Static("", id="deadline-error", classes="error", markup=False)
            yield Label("Enter accepts · Escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the deadline, or say why it is not one."""
        try:
            self.dismiss(parse_deadline_input(event.value, self._now, self._tz))
        except WorkplanError as exc:
            self.query_one("#deadline-error", Static).update(exc.message)


class ConfirmScreen(Dialog[bool]):
    """A yes/no question: y or Enter says yes, n or Escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, markup=False)
            yield Label("y / Enter: yes · n / Escape: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)

    def action_cancel(self) -> None:
        """Escape means no."""
        self.dismiss(False)
