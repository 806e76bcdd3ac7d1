"""How members become search documents: the "member" adapter of ``pen.search``.

A document is an account (id = user id) with its profile. Active members are
visible to every member; invited and suspended accounts only to administrators.
Contact fields (email, phone) are never indexed, so no search can reveal them.
"""

from collections.abc import Collection, Iterable

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import search
from ..auth import permissions
from ..auth.models import User, UserStatus
from ..extensions import db
from . import countries
from .models import Profile, profile_expertise

KIND = "member"
BATCH = 500


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
        """Accounts with their profiles, read in batches."""
        query = (select(User, Profile).outerjoin(Profile, Profile.user_id == User.id)
                 .options(selectinload(Profile.expertise), selectinload(Profile.language_rows))
                 .order_by(User.id).execution_options(yield_per=BATCH))
        if ids is not None:
            query = query.where(User.id.in_(list(ids)))
        for user, profile in db.session.execute(query):
            yield to_document(user, profile)

    def ids(self) -> Iterable[int]:
        """Every account is in the index."""
        return db.session.scalars(select(User.id))

    def visibility_terms(self, user) -> set[str]:
        """Members see active members; administrators see every account."""
        if permissions.is_admin(user):
            return {"members", "admins"}
        return {"members"} if permissions.is_member(user) else set()

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the same rule as profile pages."""
        query = select(User.id).where(User.id.in_(list(ids)))
        if not permissions.is_admin(user):
            if not permissions.is_member(user):
                return set()
            query = query.where(User.status == UserStatus.ACTIVE)
        return set(db.session.scalars(query))


    def present(self, hits) -> list[dict]:
        """Title, link and summary of each hit, for the unified search page (one query)."""
        ids = [hit.id for hit in hits]
        profiles = {p.user_id: p for p in db.session.scalars(
            select(Profile).where(Profile.user_id.in_(ids)))}
        return [_presented(hit, profiles.get(hit.id)) for hit in hits]


def _presented(hit, profile: Profile | None) -> dict:
    parts = [profile.organisation, countries.name(profile.country)] if profile else []
    return {
        "title": profile.user.display_name if profile else "",
        "url": url_for("members.profile", user_id=hit.id),
        "summary": ", ".join(part for part in parts if part),
        "snippet": hit.snippet,
    }


def to_document(user: User, profile: Profile | None) -> search.Document:
    """One member as the index sees them."""
    acl = {"members"} if user.status == UserStatus.ACTIVE else {"admins"}
    values = {"name": user.display_name, "status": user.status.value,
              "joined": user.created_at}
    if profile is not None:
        values.update(_profile_values(profile))
    return search.Document(id=user.id, acl=acl, values=values)


def _profile_values(profile: Profile) -> dict:
    country_name = countries.name(profile.country)
    return {
        "about": [profile.organisation, profile.title, country_name, profile.region or "",
                  *(term.name for term in profile.expertise)],
        "bio": profile.bio,
        "country": profile.country or "",
        "country_name": country_name,
        "region": countries.REGION_SLUGS.get(profile.region, ""),
        "organisation_type": profile.organisation_type or "",
        "convention_role": profile.convention_role or "",
        "expertise": [str(term.id) for term in profile.expertise],
        "language": profile.languages,
    }
