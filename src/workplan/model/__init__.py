"""Domain models: plain pydantic, no I/O, no UI, no SQL.

Names are imported from their modules when first used, so `from workplan.model import Role`
does not load the pydantic models (the read path uses `model.vocab` and `model.views` alone).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workplan.model.document import Document, Lineage, Paragraph, Section, new_uid
    from workplan.model.draft import Draft
    from workplan.model.events import Event
    from workplan.model.principals import Delegation, member_states
    from workplan.model.vocab import (
        CHAIR,
        OBSERVER,
        SECRETARIAT,
        Decision,
        Numbering,
        ParagraphKind,
        Principal,
        Role,
    )

#: name → the module defining it (the lightest one: `vocab` has no pydantic).
_WHERE = {
    "CHAIR": "vocab",
    "OBSERVER": "vocab",
    "SECRETARIAT": "vocab",
    "Decision": "vocab",
    "Numbering": "vocab",
    "ParagraphKind": "vocab",
    "Principal": "vocab",
    "Role": "vocab",
    "Document": "document",
    "Lineage": "document",
    "Paragraph": "document",
    "Section": "document",
    "new_uid": "document",
    "Draft": "draft",
    "Event": "events",
    "Delegation": "principals",
    "member_states": "principals",
}

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


def __getattr__(name: str) -> Any:
    """A model by name, its module imported on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'workplan.model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"workplan.model.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
