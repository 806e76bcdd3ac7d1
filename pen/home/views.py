"""The network home and the health check."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .. import search
from ..auth import permissions, service
from ..auth.access import public
from ..extensions import csrf, db

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """The member's home page."""
    counts = service.count_by_status() if permissions.can_manage_users(current_user) else None
    return render_template("home/index.html", account_counts=counts)


@bp.get("/healthz")
@csrf.exempt
@public
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/search")
def unified_search():
    """Search every area at once; hits grouped by kind, each linking to its area's search."""
    q = request.args.get("q", "").strip()
    sections = []
    if q:
        for kind, results in search.search_all(current_user, q, per_kind=5).items():
            adapter = search.get_adapter(kind)
            sections.append({"kind": kind, "label": getattr(adapter, "label", kind),
                             "results": results, "items": adapter.present(results.hits),
                             "more_url": url_for(adapter.search_endpoint, q=q)})
    return render_template("home/search.html", q=q, sections=sections)
