"""Who may do what: one table, role × action, deny by default."""

from __future__ import annotations

from workplan.model import Role

D, C, S = Role.DELEGATION, Role.CHAIR, Role.SECRETARIAT

#: action → roles allowed. An action missing here is refused to everyone.
POLICY: dict[str, frozenset[Role]] = {
    "document.import": frozenset({C, S}),
    "document.new": frozenset({C, S}),
    "document.meta": frozenset({C, S}),
    "amendment.propose": frozenset({D, S}),
    "amendment.cosponsor": frozenset({D, S}),
    "amendment.withdraw": frozenset({D, S}),
    "amendment.revise": frozenset({D, S}),
    "amendment.decide": frozenset({C}),
    "position.record": frozenset({D, S}),
    "reservation.attach": frozenset({D, S}),
    "reservation.detach": frozenset({D, S}),
    "reservation.edit": frozenset({D, S}),
    "reservation.withdraw": frozenset({D, S}),
    "paragraph.agree": frozenset({C}),
    "paragraph.delete": frozenset({C}),
    "paragraph.reopen": frozenset({C}),
    "paragraph.silence": frozenset({C}),
    "revision.freeze": frozenset({C, S}),
}

#: Actions a delegation may only take for itself, and the secretariat only on behalf of one.
ON_BEHALF_ACTIONS = frozenset(
    {
        "amendment.propose",
        "amendment.cosponsor",
        "amendment.withdraw",
        "amendment.revise",
        "position.record",
        "reservation.attach",
        "reservation.detach",
        "reservation.edit",
        "reservation.withdraw",
    }
)


def allowed(role: Role, action: str) -> bool:
    """True when the policy lets `role` take `action`."""
    return role in POLICY.get(action, frozenset())
