"""Domain models: plain pydantic, no I/O, no UI, no SQL."""

from workplan.model.document import (
    Decision,
    Document,
    Lineage,
    Numbering,
    Paragraph,
    ParagraphKind,
    Section,
    new_uid,
)
from workplan.model.draft import Draft
from workplan.model.events import Event
from workplan.model.principals import (
    CHAIR,
    OBSERVER,
    SECRETARIAT,
    Delegation,
    Principal,
    Role,
    member_states,
)

__all__ = [
    "CHAIR",
    "OBSERVER",
    "SECRETARIAT",
    "Decision",
    "Delegation",
    "Document",
    "Draft",
    "Event",
    "Lineage",
    "Numbering",
    "Paragraph",
    "ParagraphKind",
    "Principal",
    "Role",
    "Section",
    "member_states",
    "new_uid",
]
