"""The forums' own search page: full text with filters by category, author, dates, solved."""

from dataclasses import dataclass, field
from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import search
from ..auth.models import User
from ..extensions import db
from . import indexing, reading
from .posting import KIND
from .views import bp

SORTS = {"relevance": (None, False), "newest": ("date", True), "oldest": ("date", False)}
MAX_AUTHORS = 50


@dataclass
class Params:
    """The search page's query string, checked."""

    q: str = ""
    categories: list[str] = field(default_factory=list)
    author: str = ""
    start: date | None = None
    end: date | None = None
    solved: str = ""
    sort: str = "relevance"
    page: int = 1
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> "Params":
        """Read ``request.args``; bad dates are reported, not errors."""
        params = cls(q=args.get("q", "").strip()[:500], author=args.get("author", "").strip(),
                     categories=[c for c in args.getlist("category") if c.isdigit()][:20],
                     solved=args.get("solved", "") if args.get("solved") in ("yes", "no") else "",
                     sort=args.get("sort", "") if args.get("sort") in SORTS else "relevance",
                     page=max(1, args.get("page", 1, type=int) or 1))
        params.start = params._date(args.get("from", ""))
        params.end = params._date(args.get("to", ""))
        return params

    def _date(self, text: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.messages.append(_("“%(text)s” is not a date like 2011-02-15; it was ignored.",
                                   text=text[:20]))
            return None


def _filters(params: Params) -> dict | None:
    """The engine's keyword filters; None when the author filter matches nobody."""
    filters: dict[str, list[str]] = {}
    if params.categories:
        filters["category"] = params.categories
    if params.solved:
        filters["solved"] = [params.solved]
    if params.start or params.end:
        filters["dates"] = indexing.date_terms(params.start, params.end) or ["none"]
    if params.author:
        pattern = f"%{params.author}%"
        ids = db.session.scalars(select(User.id).where(User.display_name.ilike(pattern))
                                 .limit(MAX_AUTHORS))
        filters["author"] = [str(i) for i in ids]
        if not filters["author"]:
            return None
    return filters


@bp.get("/search", endpoint="search")
def search_page():
    """Search posts and topics the member may see."""
    params = Params.from_args(request.args)
    filters = _filters(params)
    sort, reverse = SORTS[params.sort]
    if filters is None:
        results = search.Results(kind=KIND, query=params.q)
        params.messages.append(_("No member has “%(name)s” in their name.", name=params.author))
    else:
        results = search.search(KIND, current_user, params.q, filters=filters, sort=sort,
                                reverse=reverse, page=params.page)
    return render_template("forums/search.html", params=params, results=results,
                           posts=indexing.posts_for(results.hits),
                           categories=reading.categories())

