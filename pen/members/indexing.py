"""How members become search documents: the "member" adapter of ``pen.search``.

A document is an account (id = user id) with its profile. Who finds it is the
registered "member_profile" rule's index form (``members.permissions``).
Contact fields (email, phone) are never indexed, so no search can reveal them.
"""

from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import search, visibility
from ..auth.models import User, UserStatus
from ..extensions import db
from . import countries, page_profiles, permissions
from .models import ExpertiseArea, Profile, ProfileLanguage, profile_expertise

KIND = "member"
BATCH = 500
CHECKED_WITH_PAGE = 100  # a page of hits at most (search's MAX_PER_PAGE)


def enqueue_profile(user_id: int) -> None:
    """Reindex one member after the current transaction commits."""
    search.enqueue(KIND, user_id)


def enqueue_holders(expertise_id: int) -> None:
    """Reindex every member holding an expertise term (renamed or deleted)."""
    holders = db.session.scalars(select(profile_expertise.c.user_id)
                                 .where(profile_expertise.c.expertise_id == expertise_id))
    for user_id in holders:
        search.enqueue(KIND, user_id)


class MemberAdapter(search.Adapter):
    """Members by name, organisation, country, expertise and bio."""

    kind = KIND
    label = _l("Members")
    search_endpoint = "members.index"
    # Few text fields on purpose: each is analysed once per stemmer, and indexing
    # time grows with their number (55,000 members must reindex in under a minute).
    text_fields = {"name": 5.0, "about": 2.0, "bio": 1.0}
    keyword_fields = ("country", "region", "organisation_type", "convention_role",
                      "expertise", "language", "status")
    facets = ("country", "region", "organisation_type", "convention_role", "expertise",
              "language", "status")
    sortable = {"name": "text", "joined": "date", "country_name": "text"}

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Accounts with their profiles, as plain rows read ``BATCH`` accounts at a time.

        Three queries per batch and no ORM objects: building 55,000 documents
        then takes seconds, not most of a reindex.
        """
        wanted = sorted(ids) if ids is not None else list(
            db.session.scalars(select(User.id).order_by(User.id)))
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            expertise = _expertise_of(chunk)
            languages = _languages_of(chunk)
            for row in db.session.execute(_ROWS.where(User.id.in_(chunk)).order_by(User.id)):
                yield _document(row, expertise.get(row.id, []), languages.get(row.id, []))

    def source_texts(self, ids: Collection[int]) -> dict[int, dict[str, str]]:
        """The text fields of each member, for snippets: from the one read the directory's
        cards and the unified search's summaries share (``page_profiles``), countries
        named with one locale lookup; no acl and no keyword field (snippets show text)."""
        members = page_profiles.load(ids)
        names = countries.names({m.country for m in members.values() if m.country})
        return {user_id: _texts(member, names) for user_id, member in members.items()}

    def ids(self) -> Iterable[int]:
        """Every account is in the index."""
        return db.session.scalars(select(User.id))

    @property
    def acl_scheme(self) -> str:
        """The profile rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(permissions.PROFILE_KIND)

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered profile rule."""
        return visibility.rule_for(permissions.PROFILE_KIND).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered profile rule: for a page of hits,
        its Python form on the accounts read now with what the page's snippets and
        cards show (``page_profiles``: one statement for the three); for more ids
        (changes the index has not applied yet), its clause."""
        rule = visibility.rule_for(permissions.PROFILE_KIND)
        if len(ids) > CHECKED_WITH_PAGE:
            return rule.visible_ids(user, ids)
        members = page_profiles.load(ids, fresh=True)
        return {i for i, member in members.items() if rule.can(user, member.user)}

    def present(self, hits) -> list[dict]:
        """Title, link and summary of each hit, for the unified search page (the
        profiles the snippets read, or one query)."""
        members = page_profiles.load([hit.id for hit in hits])
        return [_presented(hit, members.get(hit.id)) for hit in hits]


def _presented(hit, profile: page_profiles.PageProfile | None) -> dict:
    profile = profile if profile and profile.has_profile else None
    parts = [profile.organisation, countries.name(profile.country)] if profile else []
    return {
        "title": profile.user.display_name if profile else "",
        "url": url_for("members.profile", user_id=hit.id),
        "summary": ", ".join(part for part in parts if part),
        "snippet": hit.snippet,
    }


_ROWS = (select(User.id, User.display_name, User.status, User.created_at,
                Profile.user_id.label("profile_id"), Profile.organisation, Profile.title,
                Profile.country, Profile.region, Profile.organisation_type,
                Profile.convention_role, Profile.bio)
         .outerjoin(Profile, Profile.user_id == User.id))


def _expertise_of(user_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(id, name) of each member's expertise terms, by name, for a batch of members."""
    rows = db.session.execute(
        select(profile_expertise.c.user_id, ExpertiseArea.id, ExpertiseArea.name)
        .join(ExpertiseArea, ExpertiseArea.id == profile_expertise.c.expertise_id)
        .where(profile_expertise.c.user_id.in_(user_ids)).order_by(ExpertiseArea.name))
    found: dict[int, list[tuple[int, str]]] = {}
    for user_id, term_id, name in rows:
        found.setdefault(user_id, []).append((term_id, name))
    return found


def _languages_of(user_ids: list[int]) -> dict[int, list[str]]:
    """Each member's language codes, in code order, for a batch of members."""
    rows = db.session.execute(select(ProfileLanguage.user_id, ProfileLanguage.code)
                              .where(ProfileLanguage.user_id.in_(user_ids))
                              .order_by(ProfileLanguage.code))
    found: dict[int, list[str]] = {}
    for user_id, code in rows:
        found.setdefault(user_id, []).append(code)
    return found


def _document(row, expertise: list[tuple[int, str]], languages: list[str]) -> search.Document:
    """One member as the index sees them, from a row of ``_ROWS``."""
    status = UserStatus(row.status)
    acl = visibility.rule_for(permissions.PROFILE_KIND).acl(row)  # reads the row's status
    values = {"name": row.display_name, "status": status.value, "joined": row.created_at}
    if row.profile_id is not None:
        values.update(_profile_values(row, expertise, languages))
    return search.Document(id=row.id, acl=acl, values=values)


def _about(profile, country_name: str, expertise_names) -> list[str]:
    """The "about" field: organisation, title, country, region and expertise, in order
    (``profile``: a row of ``_ROWS`` or a ``page_profiles.PageProfile``)."""
    return [profile.organisation, profile.title, country_name, profile.region or "",
            *expertise_names]


def _texts(member: page_profiles.PageProfile, country_names: dict[str, str]) -> dict[str, str]:
    """A member's text fields as ``Adapter.source_texts`` gives them (lists joined by new
    lines, empty fields left out)."""
    texts = {"name": member.user.display_name}
    if member.has_profile:
        about = _about(member, country_names.get(member.country or "", ""),
                       (term.name for term in member.expertise))
        texts.update(about="\n".join(str(v) for v in about if v), bio=member.bio)
    return {name: text for name, text in texts.items() if text}


def _profile_values(row, expertise: list[tuple[int, str]], languages: list[str]) -> dict:
    """The indexed values of a profile."""
    country_name = countries.name(row.country)
    return {
        "about": _about(row, country_name, (name for _, name in expertise)),
        "bio": row.bio,
        "country": row.country or "",
        "country_name": country_name,
        "region": countries.REGION_SLUGS.get(row.region, ""),
        "organisation_type": row.organisation_type or "",
        "convention_role": row.convention_role or "",
        "expertise": [str(term_id) for term_id, _ in expertise],
        "language": languages,
    }
