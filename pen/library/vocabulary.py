"""The library's fixed lists: document types, languages, accepted files, access levels."""

from flask_babel import lazy_gettext as _l

from ..members.vocabulary import LANGUAGES
from .models import ACCESS_ADMINS, ACCESS_GROUP, ACCESS_NETWORK

DOC_TYPES = {
    "magazine": _l("Magazine issue"),
    "guideline": _l("Guideline"),
    "inventory": _l("Inventory report"),
    "case_study": _l("Case study"),
    "presentation": _l("Presentation"),
    "training": _l("Training material"),
    "legal": _l("Legal text"),
}

# The six UN languages first: the magazine is published in each.
UN_LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")

# Each language's own name, as the "also in" line shows it.
ENDONYMS = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية",
            "zh": "中文", "ru": "Русский", "de": "Deutsch", "pt": "Português"}

ACCESS_LABELS = {
    ACCESS_NETWORK: _l("The whole network"),
    ACCESS_GROUP: _l("One thematic group"),
    ACCESS_ADMINS: _l("Administrators only"),
}

# Files the library takes (by content, not by name).
ACCEPTED_KINDS = ("pdf", "docx", "odt", "txt", "md", "xlsx", "csv", "pptx")


def language_name(code: str) -> str:
    """A language's name in the reader's language."""
    return str(LANGUAGES.get(code, code))


def endonym(code: str) -> str:
    """A language's name in its own script where we know it (marked with ``lang``)."""
    return ENDONYMS.get(code) or language_name(code)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for forms: the UN languages first, then the others."""
    codes = [*UN_LANGUAGES, *(c for c in LANGUAGES if c not in UN_LANGUAGES)]
    return [(code, str(LANGUAGES[code])) for code in codes]
