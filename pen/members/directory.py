"""The directory's query: what the member asked, turned into a search, and its labels."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import search, vocabulary
from ..auth.models import User
from ..extensions import db
from . import countries, page_profiles, permissions
from .indexing import KIND
from .models import ExpertiseArea, Profile, profile_expertise
from .vocabulary import CONVENTION_ROLES, LANGUAGES, ORGANISATION_TYPES

PER_PAGE = 20
MAX_QUERY = 500
FILTERS = ("region", "country", "organisation_type", "convention_role", "expertise", "language")
ADMIN_FILTERS = ("status",)
SORTS = {"relevance": None, "name": "name", "country": "country_name", "newest": "-joined"}


@dataclass
class Params:
    """The directory's query string, checked."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args, viewer) -> "Params":
        """Read ``request.args``; unknown filters and sorts are ignored, not errors."""
        allowed = FILTERS + tuple(list_filters()) + (
            ADMIN_FILTERS if permissions.is_admin(viewer) else ())
        filters = {name: [v for v in args.getlist(name) if v][:20] for name in allowed}
        sort = args.get("sort", "")
        q = args.get("q", "").strip()
        return cls(q=q, filters={k: v for k, v in filters.items() if v},
                   sort=sort if sort in SORTS else ("relevance" if q else "name"),
                   page=max(1, args.get("page", 1, type=int) or 1))

    def without(self, name: str, value: str) -> dict:
        """Query-string arguments with one filter value removed (for "remove" links)."""
        return self.to_args(drop=(name, value))

    def to_args(self, drop: tuple[str, str] | None = None) -> dict:
        """The query string arguments that reproduce this query (page 1)."""
        args = {"q": self.q or None, "sort": self.sort}
        for name, values in self.filters.items():
            kept = [v for v in values if (name, v) != drop]
            if kept:
                args[name] = kept
        return args


def search_members(viewer, params: Params, per_page: int = PER_PAGE) -> search.Results:
    """Run the directory query for ``viewer``; hits and counts are only what they may see.

    While this server's index is being rebuilt, the database finds members by name
    and organisation instead, and the page says search is being rebuilt.
    """
    if any(name in list_filters() for name in params.filters):
        return _database_search(viewer, params, per_page)
    sort = SORTS.get(params.sort) or ""
    results = search.search(KIND, viewer, params.q, filters=params.filters,
                            sort=sort.lstrip("-") or None, reverse=sort.startswith("-"),
                            page=params.page, per_page=per_page)
    if not results.unavailable:
        return results
    fallback = _database_search(viewer, params, per_page)
    fallback.messages, fallback.unavailable = results.messages, True
    return fallback


def profiles_for(hits, cards: bool = False) -> list:
    """The profiles of a page of hits, in hit order: with their expertise and languages
    (3 queries), or, for the directory's ``cards``, what a card shows only: the members
    the search's snippets read for this page (``page_profiles.PageProfile``, no
    second read; neither languages nor roles)."""
    ids = [hit.id for hit in hits]
    if not ids:
        return []
    if cards:
        found = {i: p for i, p in page_profiles.load(ids).items() if p.has_profile}
    else:
        query = select(Profile).where(Profile.user_id.in_(ids)).options(
            selectinload(Profile.expertise), selectinload(Profile.language_rows))
        found = {profile.user_id: profile for profile in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]


def all_matching_profiles(viewer, params: Params, batch: int = 500):
    """Every profile the query matches, page after page (for the CSV export)."""
    page = Params(params.q, params.filters, params.sort, 1)
    while True:
        result = search_members(viewer, page, per_page=batch)
        yield from profiles_for(result.hits)
        if not result.has_next:
            return
        page.page += 1


def facet_labels(result: search.Results, filter_options: list) -> dict[str, dict[str, str]]:
    """Human labels of the facet values in ``result``, by facet; ``filter_options`` is
    what ``list_filter_options`` gave for this page (computed once, shown twice)."""
    expertise_ids = [int(v) for v, _ in result.facets.get("expertise", []) if v.isdigit()]
    names = dict(db.session.execute(select(ExpertiseArea.id, ExpertiseArea.name)
                                    .where(ExpertiseArea.id.in_(expertise_ids))).all()
                 ) if expertise_ids else {}
    fixed = _fixed_labels(str(get_locale() or "en"))
    return {
        **fixed,
        **{kind: {**fixed[kind], **vocabulary.labels(kind)}
           for kind in ("organisation_type", "convention_role")},
        "country": countries.names(code for code, _ in result.facets.get("country", [])),
        "expertise": {str(i): vocabulary.label("expertise", i, name) for i, name in names.items()},
        **{name: dict(options) for name, _title, options in filter_options},
    }


@lru_cache(maxsize=16)
def _fixed_labels(locale: str) -> dict[str, dict[str, str]]:
    """The labels of the facets with fixed values, in ``locale`` (the current one: the
    argument keys the cache). Translated once per language, not on every page."""
    return {
        "region": {slug: countries.region_name(region)
                   for region, slug in countries.REGION_SLUGS.items()},
        "organisation_type": {k: str(v) for k, v in ORGANISATION_TYPES.items()},
        "convention_role": {k: str(v) for k, v in CONVENTION_ROLES.items()},
        "language": {k: str(v) for k, v in LANGUAGES.items()},
        "status": {"active": _("Active"), "invited": _("Invited"), "suspended": _("Suspended")},
    }


@dataclass(frozen=True)
class FacetLink:
    """One value of a facet as the page lists it: the link adds it to the query, or
    removes it when it is already chosen (``active``)."""

    value: str
    label: str
    count: int
    href: str
    active: bool


def facet_links(base_url: str, params: Params, result: search.Results, labels: dict,
                limit: int = 12) -> list[tuple[str, list[FacetLink]]]:
    """``(facet name, links)`` for each facet with values: its first ``limit`` values.

    The query strings are encoded here, the other arguments once per facet, instead of
    building a URL through the router for each of the ~70 values."""
    out, args = [], params.to_args()
    for name, values in result.facets.items():
        chosen = params.filters.get(name, [])
        rest = urlencode([(k, v) for k, v in args.items() if k != name and v is not None],
                         doseq=True)
        links = []
        for value, count in values[:limit]:
            active = value in chosen
            kept = [c for c in chosen if c != value] if active else [*chosen, value]
            own = "&".join(f"{name}={quote_plus(v)}" for v in kept)  # urlencode's form
            query = "&".join(part for part in (rest, own) if part)
            links.append(FacetLink(value, labels.get(name, {}).get(value, value), count,
                                   f"{base_url}?{query}" if query else base_url, active))
        if links:
            out.append((name, links))
    return out


FACET_TITLES = {
    "region": _l("Region"), "country": _l("Country"),
    "organisation_type": _l("Type of organisation"),
    "convention_role": _l("Role under the Convention"), "expertise": _l("Expertise"),
    "language": _l("Language"), "status": _l("Account"),
}


def expertise_usage() -> dict[int, int]:
    """How many profiles hold each expertise term."""
    rows = db.session.execute(select(profile_expertise.c.expertise_id, func.count())
                              .group_by(profile_expertise.c.expertise_id))
    return dict(rows.all())


# --- Filters higher layers add (thematic groups), answered by the database --------

#: Profile columns a database-answered query can still filter on.
COLUMN_FILTERS = ("country", "organisation_type", "convention_role")


@dataclass(frozen=True)
class ListFilter:
    """A directory filter another area adds: ``options(viewer)`` -> [(value, label)];
    ``member_ids(viewer, value)`` -> a SELECT of user ids, or None when the value is
    unknown or not for the viewer (then nobody matches)."""

    name: str
    title: object
    options: Callable
    member_ids: Callable


_LIST_FILTERS_KEY = "pen.members.list_filters"


def register_list_filter(app, list_filter: ListFilter) -> None:
    """Let a higher layer add a filter to the directory of ``app`` (by its name, once)."""
    app.extensions.setdefault(_LIST_FILTERS_KEY, {})[list_filter.name] = list_filter


def list_filters() -> dict[str, ListFilter]:
    """The filters higher layers added to this app's directory, by name."""
    return current_app.extensions.get(_LIST_FILTERS_KEY, {})


def facet_titles() -> dict:
    """The title of every facet and added filter, for the directory's form."""
    return {**FACET_TITLES, **{name: f.title for name, f in list_filters().items()}}


def list_filter_options(viewer) -> list[tuple[str, object, list]]:
    """``(name, title, options)`` of each added filter, for the directory's form."""
    return [(f.name, f.title, f.options(viewer)) for f in list_filters().values()]


def _database_search(viewer, params: Params, per_page: int) -> search.Results:
    """The directory narrowed by an added filter: the database finds and pages the
    members (by name); the name text and the profile-column filters still apply."""
    query = select(Profile.user_id).join(Profile.user)
    for name, values in params.filters.items():
        if name in list_filters():
            subqueries = [list_filters()[name].member_ids(viewer, v) for v in values]
            query = query.where(or_(*[Profile.user_id.in_(s) for s in subqueries
                                      if s is not None], Profile.user_id.is_(None)))
        elif name in COLUMN_FILTERS:
            query = query.where(getattr(Profile, name).in_(values))
    if params.q:
        like = f"%{params.q[:100]}%"
        query = query.where(or_(User.display_name.ilike(like), Profile.organisation.ilike(like)))
    query = query.where(permissions.visible_profile_clause(viewer))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = db.session.scalars(query.order_by(User.display_name, Profile.user_id)
                             .limit(per_page).offset((params.page - 1) * per_page))
    return search.Results(kind=KIND, query=params.q, page=params.page, per_page=per_page,
                          total=total, hits=[search.Hit(id=i, kind=KIND) for i in ids])
