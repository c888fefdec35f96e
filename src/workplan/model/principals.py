"""Who acts: the member-state delegations, the chair, the secretariat and observers."""

from __future__ import annotations

from pydantic import ConfigDict, field_validator

from workplan.model.base import Model
from workplan.model.vocab import CHAIR, DELEGATION_CODE, OBSERVER, SECRETARIAT, Principal, Role

__all__ = ["CHAIR", "OBSERVER", "SECRETARIAT", "Delegation", "Principal", "Role", "member_states"]


class Delegation(Model):
    """A member state's delegation, identified by its ISO 3166-1 alpha-3 code."""

    model_config = ConfigDict(frozen=True)

    code: str
    """ISO 3166-1 alpha-3 code, upper case (ARG, JAM, USA)."""
    name_en: str
    """English short name."""
    name_es: str
    """Spanish name."""
    active: bool = True
    """False for a state that does not take part (Cuba) or has left (Nicaragua)."""
    note: str = ""
    """Why the flag is what it is, when that needs saying."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip().upper()
        if not DELEGATION_CODE.match(value):
            raise ValueError(
                f"delegation code must be three letters (ISO 3166-1 alpha-3): {value!r}"
            )
        return value


# (code, English, Spanish, active, note) as in DOMAIN.md.
_MEMBER_STATES: list[tuple[str, str, str, bool, str]] = [
    ("ATG", "Antigua and Barbuda", "Antigua y Barbuda", True, ""),
    ("ARG", "Argentina", "Argentina", True, ""),
    ("BHS", "The Bahamas", "Bahamas", True, ""),
    ("BRB", "Barbados", "Barbados", True, ""),
    ("BLZ", "Belize", "Belice", True, ""),
    ("BOL", "Bolivia", "Bolivia", True, ""),
    ("BRA", "Brazil", "Brasil", True, ""),
    ("CAN", "Canada", "Canadá", True, ""),
    ("CHL", "Chile", "Chile", True, ""),
    ("COL", "Colombia", "Colombia", True, ""),
    ("CRI", "Costa Rica", "Costa Rica", True, ""),
    ("CUB", "Cuba", "Cuba", False, "does not participate"),
    ("DMA", "Dominica", "Dominica", True, ""),
    ("DOM", "Dominican Republic", "República Dominicana", True, ""),
    ("ECU", "Ecuador", "Ecuador", True, ""),
    ("SLV", "El Salvador", "El Salvador", True, ""),
    ("GRD", "Grenada", "Grenada", True, ""),
    ("GTM", "Guatemala", "Guatemala", True, ""),
    ("GUY", "Guyana", "Guyana", True, ""),
    ("HTI", "Haiti", "Haití", True, ""),
    ("HND", "Honduras", "Honduras", True, ""),
    ("JAM", "Jamaica", "Jamaica", True, ""),
    ("MEX", "Mexico", "México", True, ""),
    ("NIC", "Nicaragua", "Nicaragua", False, "left the OAS on 19 November 2023"),
    ("PAN", "Panama", "Panamá", True, ""),
    ("PRY", "Paraguay", "Paraguay", True, ""),
    ("PER", "Peru", "Perú", True, ""),
    ("KNA", "Saint Kitts and Nevis", "Saint Kitts y Nevis", True, ""),
    ("LCA", "Saint Lucia", "Santa Lucía", True, ""),
    ("VCT", "Saint Vincent and the Grenadines", "San Vicente y las Granadinas", True, ""),
    ("SUR", "Suriname", "Suriname", True, ""),
    ("TTO", "Trinidad and Tobago", "Trinidad y Tobago", True, ""),
    ("USA", "United States", "Estados Unidos", True, ""),
    ("URY", "Uruguay", "Uruguay", True, ""),
    ("VEN", "Venezuela", "Venezuela", True, "status contested"),
]


def member_states() -> list[Delegation]:
    """The 35 OAS member states, with their active flags."""
    return [
        Delegation(code=c, name_en=en, name_es=es, active=a, note=n)
        for c, en, es, a, n in _MEMBER_STATES
    ]
