"""Countries (ISO 3166 alpha-2, names from pycountry) and the network's regions.

The regions are those the PEN contact list uses: the five UN regional groups,
with the Arab States as a sixth, as the Stockholm Convention's regional work does.
Where the network's own list places a country (Egypt, Morocco and Tunisia in
Africa), this mapping follows it.
"""

import unicodedata
from functools import cache

import pycountry
from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

REGIONS = (
    "Africa",
    "Arab States",
    "Asia-Pacific",
    "Central and Eastern Europe",
    "Latin America and the Caribbean",
    "Western Europe and Others",
)

# The regions' names in the reader's language (the English names are the stored values).
REGION_LABELS = {
    "Africa": _l("Africa"),
    "Arab States": _l("Arab States"),
    "Asia-Pacific": _l("Asia-Pacific"),
    "Central and Eastern Europe": _l("Central and Eastern Europe"),
    "Latin America and the Caribbean": _l("Latin America and the Caribbean"),
    "Western Europe and Others": _l("Western Europe and Others"),
}

REGION_SLUGS = {
    region: region.lower().replace(" and ", "-").replace(" ", "-") for region in REGIONS
}
REGION_BY_SLUG = {slug: region for region, slug in REGION_SLUGS.items()}

_REGION_MEMBERS = {
    "Africa": "AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS "
              "LR MG MW ML MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS TG TN UG TZ ZM ZW",
    "Arab States": "DZ BH IQ JO KW LB LY MR OM PS QA SA SD SY AE YE",
    "Asia-Pacific": "AF BD BT BN KH CN CK CY FJ IN ID IR JP KZ KI KG LA MY MV MH FM MN MM NR NP "
                    "NU KP PK PW PG PH KR WS SG SB LK TJ TH TL TO TM TV UZ VU VN",
    "Central and Eastern Europe": "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MK MD PL RO RU RS "
                                  "SK SI UA",
    "Latin America and the Caribbean": "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT "
                                       "HN JM MX NI PA PY PE KN LC VC SR TT UY VE",
    "Western Europe and Others": "AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ "
                                 "NO PT SM ES SE CH TR GB US",
}
REGION_OF = {code: region for region, codes in _REGION_MEMBERS.items() for code in codes.split()}

# Names the UN uses (and the contact list writes) that ISO spells differently.
_UN_NAMES = {
    "KR": "Republic of Korea", "KP": "Democratic People's Republic of Korea",
    "MD": "Republic of Moldova", "TZ": "United Republic of Tanzania", "CZ": "Czech Republic",
    "BO": "Bolivia (Plurinational State of)", "VE": "Venezuela (Bolivarian Republic of)",
    "IR": "Iran (Islamic Republic of)", "CD": "Democratic Republic of the Congo",
    "LA": "Lao People's Democratic Republic", "SY": "Syrian Arab Republic",
    "PS": "State of Palestine", "TR": "Türkiye", "FM": "Micronesia (Federated States of)",
    "GB": "United Kingdom", "US": "United States of America", "VN": "Viet Nam",
    "RU": "Russian Federation",
}
_ALIASES = {
    "south korea": "KR", "korea": "KR", "north korea": "KP", "moldova": "MD",
    "tanzania": "TZ", "turkey": "TR", "palestine": "PS", "drc": "CD", "dr congo": "CD",
    "congo": "CG", "usa": "US", "uk": "GB", "great britain": "GB", "ivory coast": "CI",
    "swaziland": "SZ", "macedonia": "MK", "north macedonia": "MK", "burma": "MM",
    "cape verde": "CV", "east timor": "TL", "vietnam": "VN", "russia": "RU",
}


def name(code: str | None) -> str:
    """The country's name in the reader's language (CLDR's names through Babel; in
    English as the UN writes it); empty for no country."""
    if not code:
        return ""
    language = str(get_locale() or "en")
    if language != "en":
        return _localised_names(language).get(code) or english_name(code)
    return english_name(code)


def names(codes) -> dict[str, str]:
    """``{code: name}`` of several countries in the reader's language (the language
    looked up once, not once a country: a directory page names some 50)."""
    language = str(get_locale() or "en")
    localised = _localised_names(language) if language != "en" else {}
    return {code: (localised.get(code) or english_name(code)) if code else ""
            for code in codes}


def region_name(region: str | None) -> str:
    """A region's name in the reader's language."""
    return str(REGION_LABELS.get(region, region or ""))


@cache
def _localised_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


@cache
def english_name(code: str) -> str:
    """The country's name as the UN writes it in English (exports, imports, the index);
    remembered: the directory names some 70 countries a page."""
    if code in _UN_NAMES:
        return _UN_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code)


def code_for(text: str | None) -> str | None:
    """The ISO code for a country name or code as people write it; None if unknown."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None
    key = cleaned.casefold()
    if key in _ALIASES:
        return _ALIASES[key]
    for code, un_name in _UN_NAMES.items():
        if un_name.casefold() == key:
            return code
    try:
        return pycountry.countries.lookup(cleaned).alpha_2
    except LookupError:
        return None


def choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country in a region, sorted by name in the reader's language."""
    return _choices(str(get_locale() or "en"))


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _localised_names(language) if language != "en" else {}
    pairs = ((code, names.get(code) or english_name(code)) for code in REGION_OF)
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


def _sort_key(text: str) -> str:
    """Accents after their letter (Égypte with the E's), case ignored."""
    return unicodedata.normalize("NFKD", text).casefold()
