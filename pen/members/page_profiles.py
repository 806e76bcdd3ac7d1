"""The members of one page of hits, read once for everything the page shows.

A directory page (or the members' part of the unified search) needs the same
members three times: the search engine's snippets (``MemberAdapter.source_texts``),
the cards (``directory.profiles_for``) and the unified search's summaries
(``MemberAdapter.present``). ``load`` reads them in one statement (account, profile
and expertise terms joined, as plain rows: no ORM objects) and keeps them for the
rest of the request, so the next reader does not go back to the database.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import bindparam, select

from ..auth.models import User, UserStatus
from ..extensions import db
from .models import ExpertiseArea, Profile, profile_expertise

_KEY = "pen.members.page_profiles"


@dataclass(frozen=True)
class Term:
    """An expertise term as a card shows it."""

    id: int
    name: str


@dataclass(frozen=True)
class Account:
    """What a card or a snippet shows of an account."""

    id: int
    display_name: str
    status: UserStatus
    created_at: datetime
    avatar_key: str | None


@dataclass(frozen=True)
class PageProfile:
    """A member of a page of hits: the account, its profile's shown fields (None when
    the account has no profile: ``has_profile``) and the expertise terms by name."""

    user: Account
    has_profile: bool
    title: str | None
    organisation: str | None
    country: str | None
    region: str | None
    organisation_type: str | None
    convention_role: str | None
    bio: str | None
    expertise: tuple[Term, ...]

    @property
    def user_id(self) -> int:
        """The account's id (a profile's key)."""
        return self.user.id


_ROWS = (select(User.id, User.display_name, User.status, User.created_at, User.avatar_key,
                Profile.user_id.label("profile_id"), Profile.title, Profile.organisation,
                Profile.country, Profile.region, Profile.organisation_type,
                Profile.convention_role, Profile.bio,
                ExpertiseArea.id.label("term_id"), ExpertiseArea.name.label("term_name"))
         .outerjoin(Profile, Profile.user_id == User.id)
         .outerjoin(profile_expertise, profile_expertise.c.user_id == Profile.user_id)
         .outerjoin(ExpertiseArea, ExpertiseArea.id == profile_expertise.c.expertise_id)
         .order_by(User.id, ExpertiseArea.name, ExpertiseArea.id)
         # built once: the ids are bound at each read
         .where(User.id.in_(bindparam("ids", expanding=True))))


def load(ids: Collection[int], fresh: bool = False) -> dict[int, PageProfile]:
    """``{user id: member}`` of the accounts among ``ids``, in one statement; the
    members this request already read are not read again, unless ``fresh`` (a
    visibility check reads the database as it is now, and the readers after it reuse
    what it read)."""
    kept = _kept()
    missing = list(ids) if fresh else [i for i in ids if i not in kept]
    if missing:
        rows: dict[int, list] = {}
        for row in db.session.execute(_ROWS, {"ids": missing}):
            rows.setdefault(row.id, []).append(row)
        for user_id in missing:  # an account gone since is not kept either
            kept.pop(user_id, None)
        kept.update({user_id: _member(found) for user_id, found in rows.items()})
    return {i: kept[i] for i in ids if i in kept}


def _member(rows: list) -> PageProfile:
    """One member from its rows (one per expertise term, or one)."""
    row = rows[0]
    return PageProfile(
        user=Account(row.id, row.display_name, UserStatus(row.status), row.created_at,
                     row.avatar_key),
        has_profile=row.profile_id is not None, title=row.title,
        organisation=row.organisation, country=row.country, region=row.region,
        organisation_type=row.organisation_type, convention_role=row.convention_role,
        bio=row.bio,
        expertise=tuple(Term(r.term_id, r.term_name) for r in rows if r.term_id is not None))


def _kept() -> dict[int, PageProfile]:
    """The members this request read so far: kept with the request (its WSGI
    environment), never across requests; outside a request nothing is kept."""
    if not has_request_context():
        return {}
    return request.environ.setdefault(_KEY, {})
