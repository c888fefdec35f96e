"""The four official languages of the OAS: their codes, their names in each of them, the
words an export's header prints in each, and the member states' names in each. Data only.
"""

from __future__ import annotations

import unicodedata

from workplan.errors import InputError

#: The official languages' codes, in the OAS's order of listing.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt")

#: Each language's name, in each language: NAMES[language][written in].
NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "es": "inglés", "fr": "anglais", "pt": "inglês"},
    "es": {"en": "Spanish", "es": "español", "fr": "espagnol", "pt": "espanhol"},
    "fr": {"en": "French", "es": "francés", "fr": "français", "pt": "francês"},
    "pt": {"en": "Portuguese", "es": "portugués", "fr": "portugais", "pt": "português"},
}

#: Other ways a document's metadata may name a language (lower case, accents kept).
_ALIASES: dict[str, str] = {
    "castellano": "es",
    "castilian": "es",
    "english": "en",
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "por": "pt",
}

#: The months, as a date line prints them in each language.
MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "pt": (
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
}

#: The words an export prints around the text, in each language. `{n}` is a revision number,
#: `{date}` a date written with `date_words`, `{time}` a time of day (UTC).
LABELS: dict[str, dict[str, str]] = {
    "original": {"en": "Original", "es": "Original", "fr": "Original", "pt": "Original"},
    "working-draft": {
        "en": "Working draft",
        "es": "Proyecto de trabajo",
        "fr": "Projet de travail",
        "pt": "Projeto de trabalho",
    },
    "after-rev": {
        "en": " after rev. {n}",
        "es": " posterior a la rev. {n}",
        "fr": " postérieur à la rév. {n}",
        "pt": " posterior à rev. {n}",
    },
    "printed": {
        "en": "printed {date} {time} UTC",
        "es": "impreso el {date}, {time} UTC",
        "fr": "imprimé le {date}, {time} UTC",
        "pt": "impresso em {date}, {time} UTC",
    },
    "compilation": {
        "en": "compilation text",
        "es": "texto de compilación",
        "fr": "texte de compilation",
        "pt": "texto de compilação",
    },
    "objecting": {"en": "Objecting", "es": "Se oponen", "fr": "S’opposent", "pt": "Opõem-se"},
    "ad-referendum": {
        "en": "Ad referendum",
        "es": "Ad referéndum",
        "fr": "Ad referendum",
        "pt": "Ad referendum",
    },
    "silence-until": {
        "en": "Under silence until {until}",
        "es": "En procedimiento de silencio hasta el {until}",
        "fr": "En procédure d’approbation tacite jusqu’au {until}",
        "pt": "Em procedimento de silêncio até {until}",
    },
}

#: A paragraph's status as the compilation text prints it, in each language (English as
#: `model.negotiation.STATUS_LABELS` words it).
STATUS_WORDS: dict[str, dict[str, str]] = {
    "not-discussed": {
        "en": "not yet discussed",
        "es": "aún no examinado",
        "fr": "pas encore examiné",
        "pt": "ainda não examinado",
    },
    "under-negotiation": {
        "en": "under negotiation",
        "es": "en negociación",
        "fr": "en négociation",
        "pt": "em negociação",
    },
    "under-silence": {
        "en": "under silence",
        "es": "en procedimiento de silencio",
        "fr": "en procédure d’approbation tacite",
        "pt": "em procedimento de silêncio",
    },
    "agreed-ad-ref": {
        "en": "agreed ad referendum",
        "es": "acordado ad referéndum",
        "fr": "convenu ad referendum",
        "pt": "acordado ad referendum",
    },
    "agreed": {"en": "agreed", "es": "acordado", "fr": "convenu", "pt": "acordado"},
    "deleted": {"en": "deleted", "es": "suprimido", "fr": "supprimé", "pt": "suprimido"},
}


def label(key: str, lang: str, **values: object) -> str:
    """One of `LABELS` in `lang`, its `{...}` filled in."""
    return LABELS[key][lang].format(**values)


def date_words(year: int, month: int, day: int, lang: str = "en") -> str:
    """A date as an OAS header prints it: `5 December 2014`, `5 de diciembre de 2014`,
    `5 décembre 2014`, `5 de dezembro de 2014`."""
    name = MONTHS[lang][month - 1]
    if lang in ("es", "pt"):
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


def _folded(value: str) -> str:
    """Lower case without accents: `Español` and `espanol` read alike."""
    decomposed = unicodedata.normalize("NFD", value.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_BY_NAME: dict[str, str] = {
    **{_folded(code): code for code in LANGUAGES},
    **{_folded(name): code for code, names in NAMES.items() for name in names.values()},
    **{_folded(alias): code for alias, code in _ALIASES.items()},
}


def language_code(value: str | None) -> str | None:
    """The code of the official language `value` names (a code, or its name in any of the
    four: `Spanish`, `español`, `espagnol`), or None for anything else."""
    if not value:
        return None
    return _BY_NAME.get(_folded(value))


def language_name(code: str, written_in: str = "en") -> str:
    """A language's name, written in another (`language_name("en", "es")` is `inglés`)."""
    return NAMES[code][written_in]


def original_line(original_language: str, lang: str) -> str:
    """The `Original: ...` line of a text printed in `lang`: `Original: inglés`. A language
    that is not an official one is printed as the document names it."""
    code = language_code(original_language)
    name = language_name(code, lang) if code else original_language
    return f"{label('original', lang)}: {name}"


#: The member states' names in the four languages: code → (en, es, fr, pt). English and
#: Spanish as the roster writes them (`model.principals`); French and Portuguese as the OAS
#: does. The importer reads a reservation's delegation from any of them.
DELEGATION_NAMES: dict[str, tuple[str, str, str, str]] = {
    "ATG": ("Antigua and Barbuda", "Antigua y Barbuda", "Antigua-et-Barbuda", "Antígua e Barbuda"),
    "ARG": ("Argentina", "Argentina", "Argentine", "Argentina"),
    "BHS": ("The Bahamas", "Bahamas", "Bahamas", "Bahamas"),
    "BRB": ("Barbados", "Barbados", "Barbade", "Barbados"),
    "BLZ": ("Belize", "Belice", "Belize", "Belize"),
    "BOL": ("Bolivia", "Bolivia", "Bolivie", "Bolívia"),
    "BRA": ("Brazil", "Brasil", "Brésil", "Brasil"),
    "CAN": ("Canada", "Canadá", "Canada", "Canadá"),
    "CHL": ("Chile", "Chile", "Chili", "Chile"),
    "COL": ("Colombia", "Colombia", "Colombie", "Colômbia"),
    "CRI": ("Costa Rica", "Costa Rica", "Costa Rica", "Costa Rica"),
    "CUB": ("Cuba", "Cuba", "Cuba", "Cuba"),
    "DMA": ("Dominica", "Dominica", "Dominique", "Dominica"),
    "DOM": (
        "Dominican Republic",
        "República Dominicana",
        "République dominicaine",
        "República Dominicana",
    ),
    "ECU": ("Ecuador", "Ecuador", "Équateur", "Equador"),
    "SLV": ("El Salvador", "El Salvador", "El Salvador", "El Salvador"),
    "GRD": ("Grenada", "Grenada", "Grenade", "Granada"),
    "GTM": ("Guatemala", "Guatemala", "Guatemala", "Guatemala"),
    "GUY": ("Guyana", "Guyana", "Guyana", "Guiana"),
    "HTI": ("Haiti", "Haití", "Haïti", "Haiti"),
    "HND": ("Honduras", "Honduras", "Honduras", "Honduras"),
    "JAM": ("Jamaica", "Jamaica", "Jamaïque", "Jamaica"),
    "MEX": ("Mexico", "México", "Mexique", "México"),
    "NIC": ("Nicaragua", "Nicaragua", "Nicaragua", "Nicarágua"),
    "PAN": ("Panama", "Panamá", "Panama", "Panamá"),
    "PRY": ("Paraguay", "Paraguay", "Paraguay", "Paraguai"),
    "PER": ("Peru", "Perú", "Pérou", "Peru"),
    "KNA": (
        "Saint Kitts and Nevis",
        "Saint Kitts y Nevis",
        "Saint-Kitts-et-Nevis",
        "São Cristóvão e Névis",
    ),
    "LCA": ("Saint Lucia", "Santa Lucía", "Sainte-Lucie", "Santa Lúcia"),
    "VCT": (
        "Saint Vincent and the Grenadines",
        "San Vicente y las Granadinas",
        "Saint-Vincent-et-les-Grenadines",
        "São Vicente e Granadinas",
    ),
    "SUR": ("Suriname", "Suriname", "Suriname", "Suriname"),
    "TTO": ("Trinidad and Tobago", "Trinidad y Tobago", "Trinité-et-Tobago", "Trinidad e Tobago"),
    "USA": ("United States", "Estados Unidos", "États-Unis", "Estados Unidos"),
    "URY": ("Uruguay", "Uruguay", "Uruguay", "Uruguai"),
    "VEN": ("Venezuela", "Venezuela", "Venezuela", "Venezuela"),
}


def delegation_name(code: str, lang: str = "en") -> str:
    """A member state's name in an official language (its code when it is not one)."""
    names = DELEGATION_NAMES.get(code)
    return names[LANGUAGES.index(lang)] if names else code


def other_languages(original_language: str) -> tuple[str, ...]:
    """The official languages a document is translated into: every one but its original's
    (all four when its original is not an official language)."""
    code = language_code(original_language)
    return tuple(lang for lang in LANGUAGES if lang != code)


def require_language(value: str) -> str:
    """An official language's code from a code or a name; anything else is refused."""
    code = language_code(value)
    if code is None:
        raise InputError(
            f"unknown language {value!r}: use one of {', '.join(LANGUAGES)}"
            " (English, Spanish, French, Portuguese)"
        )
    return code
