"""The directory as CSV (for administrators) and a member as a vCard."""

import csv
import io

from ..spreadsheet import safe_cell
from . import countries, permissions
from .vocabulary import CONVENTION_ROLES, LANGUAGES, ORGANISATION_TYPES

CSV_COLUMNS = ("name", "email", "status", "title", "organisation", "organisation_type",
               "country", "region", "role", "expertise", "languages", "phone")


def directory_csv(profiles) -> str:
    """CSV of the given profiles, in the contact list's own column names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for profile in profiles:
        writer.writerow(safe_cell(value) for value in _csv_row(profile))
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheet programs read UTF-8


def _csv_row(profile) -> list[str]:
    user = profile.user
    return [
        user.display_name, user.email, user.status.value, profile.title, profile.organisation,
        str(ORGANISATION_TYPES.get(profile.organisation_type, "")),
        countries.name(profile.country), profile.region or "",
        str(CONVENTION_ROLES.get(profile.convention_role, "")).split(" (")[0],
        "; ".join(term.name for term in profile.expertise),
        "; ".join(str(LANGUAGES[code]) for code in profile.languages if code in LANGUAGES),
        profile.phone,
    ]


def vcard(profile, viewer) -> str:
    """A vCard 3.0 of the member, with only the contact fields the viewer may see."""
    import vobject  # only for a vCard

    card = vobject.vCard()
    card.add("fn").value = profile.user.display_name
    card.add("n").value = vobject.vcard.Name(given=profile.user.display_name)
    if profile.organisation:
        card.add("org").value = [profile.organisation]
    if profile.title:
        card.add("title").value = profile.title
    if permissions.can_see_contact(viewer, profile, "email"):
        email = card.add("email")
        email.value, email.type_param = profile.user.email, "INTERNET"
    if profile.phone and permissions.can_see_contact(viewer, profile, "phone"):
        card.add("tel").value = profile.phone
    if profile.country:
        card.add("adr").value = vobject.vcard.Address(country=countries.name(profile.country))
    return card.serialize()
