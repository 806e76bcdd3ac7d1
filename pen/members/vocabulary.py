"""The fixed lists of the member database (the expertise list lives in a table)."""

from flask_babel import lazy_gettext as _l

from ..vocabulary import Labels

ORGANISATION_TYPES = {
    "government": _l("Government"),
    "ngo": _l("NGO"),
    "industry": _l("Industry"),
    "utility": _l("Utility"),
    "intergovernmental": _l("Intergovernmental organisation"),
    "academia": _l("Academia"),
    "regional_centre": _l("Regional centre"),
}

# Roles under the Stockholm Convention (not platform roles).
CONVENTION_ROLES = {
    "ocp": _l("Official contact point (OCP)"),
    "nfp": _l("National focal point (NFP)"),
    "dna": _l("Designated national authority (DNA)"),
    "expert": _l("Expert"),
}

# The same in the reader's language, administrators' labels first (``pen.vocabulary``).
ORGANISATION_TYPE_LABELS = Labels("organisation_type", ORGANISATION_TYPES)
CONVENTION_ROLE_LABELS = Labels("convention_role", CONVENTION_ROLES)

# Who may see a contact field (email, phone).
CONTACT_VISIBILITY = {
    "members": _l("All members"),
    "groups": _l("Members of my thematic groups"),
    "admins": _l("Administrators only"),
}

# Languages members work in: the six UN languages first, then others often met.
LANGUAGES = {
    "ar": _l("Arabic"), "zh": _l("Chinese"), "en": _l("English"), "fr": _l("French"),
    "ru": _l("Russian"), "es": _l("Spanish"), "de": _l("German"), "pt": _l("Portuguese"),
    "it": _l("Italian"), "ja": _l("Japanese"), "ko": _l("Korean"), "tr": _l("Turkish"),
    "pl": _l("Polish"), "cs": _l("Czech"), "nl": _l("Dutch"), "sv": _l("Swedish"),
    "hi": _l("Hindi"), "id": _l("Indonesian"), "vi": _l("Vietnamese"), "th": _l("Thai"),
    "sw": _l("Swahili"), "fa": _l("Persian"), "uk": _l("Ukrainian"), "ro": _l("Romanian"),
}

DEFAULT_EXPERTISE = (
    "PCB inventories",
    "Maintenance of PCB-containing equipment",
    "Transformers and capacitors",
    "Environmentally sound disposal",
    "Decontamination",
    "Sampling and analysis",
    "Legislation and enforcement",
    "Customs and illegal trade",
    "Waste management",
    "Co-processing in cement kilns",
    "Alternatives to PCBs",
    "Awareness raising",
)

# How the contact list writes organisation types and roles.
_ORGANISATION_TYPE_ALIASES = {
    "intergovernmental organization": "intergovernmental",
    "intergovernmental organisation": "intergovernmental", "igo": "intergovernmental",
    "regional centre": "regional_centre", "regional center": "regional_centre",
    "non-governmental organization": "ngo", "university": "academia",
}
_LANGUAGE_NAMES = {"arabic": "ar", "chinese": "zh", "english": "en", "french": "fr",
                   "russian": "ru", "spanish": "es", "german": "de", "portuguese": "pt",
                   "italian": "it", "japanese": "ja", "korean": "ko", "turkish": "tr",
                   "polish": "pl", "czech": "cs", "dutch": "nl", "swedish": "sv",
                   "hindi": "hi", "indonesian": "id", "vietnamese": "vi", "thai": "th",
                   "swahili": "sw", "persian": "fa", "ukrainian": "uk", "romanian": "ro",
                   "español": "es", "français": "fr", "русский": "ru", "العربية": "ar",
                   "中文": "zh"}


def organisation_type_for(text: str) -> str | None:
    """The key of an organisation type as a list writes it ("Utility", "NGO"…)."""
    key = " ".join(text.split()).casefold()
    if key in ORGANISATION_TYPES:
        return key
    if key in _ORGANISATION_TYPE_ALIASES:
        return _ORGANISATION_TYPE_ALIASES[key]
    return next((k for k, label in ORGANISATION_TYPES.items() if str(label).casefold() == key),
                None)


def convention_role_for(text: str) -> str | None:
    """The key of a Convention role as a list writes it ("OCP", "Expert"…)."""
    key = text.strip().casefold()
    return key if key in CONVENTION_ROLES else None


def language_for(text: str) -> str | None:
    """The code of a language given by name or code ("French", "fr")."""
    key = text.strip().casefold()
    return key if key in LANGUAGES else _LANGUAGE_NAMES.get(key)
