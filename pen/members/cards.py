"""The directory's cards: what each member's card shows, worked out once per page.

Drawn by the template alone, a page of 20 cards made some 150 calls back into Python
(the avatar macro, ``country_name``, ``vocab`` for each expertise term, the status
label), each finding the reader's language again. Here the language is looked up
once for the countries, each expertise term is labelled once however many cards
show it, the links come from one ``url_for`` of each kind, and the template only
prints the fields (the same HTML as before).
"""

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from .. import avatars, vocabulary
from ..auth.models import UserStatus
from . import countries

_SENTINEL = "987654321"
_SEPARATOR = Markup(" · ")


@dataclass(frozen=True)
class Card:
    """One member's card: name, face, links, what they do, where, their expertise, and
    the words of the search found in their profile (``found``, or None)."""

    user_id: int
    name: str
    face: Markup
    profile_url: str
    message_url: str | None  # None on the reader's own card
    status: UserStatus | None  # shown when the account is not active
    line: str
    country: str
    expertise: Markup
    found: object


def cards(profiles: list, hits: list, reader_id: int | None) -> list[Card]:
    """The cards of a page: ``profiles`` (``page_profiles.PageProfile``, in order), the
    page's ``hits`` (their highlights, matched by member) and who reads the page."""
    profile_url, message_url = _url_pattern("members.profile", "user_id"), \
        _url_pattern("messages.new", "to")
    names = countries.names({p.country for p in profiles if p.country})
    terms = _term_labels(term for p in profiles for term in p.expertise)
    found = {hit.id: hit.highlights.get("about") or hit.highlights.get("bio") for hit in hits}
    return [Card(
        user_id=p.user_id, name=p.user.display_name, face=avatars.face(p.user, 32),
        profile_url=profile_url.replace(_SENTINEL, str(p.user_id)),
        message_url=None if p.user_id == reader_id else message_url.replace(
            _SENTINEL, str(p.user_id)),
        status=None if p.user.status == UserStatus.ACTIVE else p.user.status,
        line=", ".join(part for part in (p.title, p.organisation) if part),
        country=names.get(p.country, "") if p.country else "",
        expertise=_SEPARATOR.join(terms[term.id] for term in p.expertise),
        found=found.get(p.user_id) or None) for p in profiles]


def _url_pattern(endpoint: str, argument: str) -> str:
    """The endpoint's URL with a placeholder for the member's id (one ``url_for`` a page
    instead of one a card)."""
    return url_for(endpoint, **{argument: int(_SENTINEL)})


def _term_labels(terms) -> dict[int, str]:
    """``{term id: label}``: each expertise term named once in the reader's language."""
    labels: dict[int, str] = {}
    for term in terms:
        if term.id not in labels:
            labels[term.id] = vocabulary.label("expertise", term.id, term.name)
    return labels
