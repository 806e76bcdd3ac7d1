"""The network home: the member's dashboard, the activity feed, the administrators'
dashboard, unified search, the liveness and readiness answers, and the metrics."""

import hmac

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from .. import health, metrics, search
from ..applications import review as applications
from ..auth import permissions
from ..auth.access import public
from ..extensions import csrf
from ..monitoring import alerts
from ..types import utcnow
from . import dashboard, feed, stats
from .entries import KIND_LABELS, entries

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """The member's home page: events, group news, notifications, the welcome checklist."""
    return render_template("home/index.html", board=dashboard.for_member(current_user))


def _feed_query() -> feed.Query:
    """The feed's filters from the query string; unknown values are dropped, a bad cursor
    answers 400."""
    scope = request.args.get("scope", "all")
    kinds = tuple(k for k in request.args.getlist("kind") if k in feed.kinds())
    before = request.args.get("before")
    try:
        cursor = feed.Cursor.decode(before) if before else None
    except feed.BadCursor:
        abort(400)
    return feed.Query(scope if scope in feed.SCOPES else "all", kinds, cursor)


@bp.get("/activity")
def activity():
    """The activity feed: what happened in the network, newest first, page by page."""
    query = _feed_query()
    page = feed.page(current_user, query)
    next_url = None
    if page.next_cursor is not None:
        next_url = url_for(".activity", scope=query.scope, kind=list(query.kinds),
                           before=page.next_cursor.encode())
    return render_template("home/activity.html", query=query, items=entries(page.items),
                           next_url=next_url, kind_labels=KIND_LABELS,
                           first_page=query.before is None)


def _require_admin() -> None:
    """The dashboard is for administrators: 403 for everyone else."""
    if not permissions.is_admin(current_user):
        abort(403)


@bp.get("/admin/dashboard")
def admin_dashboard():
    """The network's figures for administrators: members, activity, groups, downloads."""
    _require_admin()
    now = utcnow()
    today = now.date()
    states = stats.members_by_state()
    return render_template(
        "home/admin_dashboard.html", states=states, bar_states=stats.state_bars(states),
        activations=stats.weekly_chart(stats.activations_per_day(today), today),
        posts=stats.weekly_chart(stats.posts_per_day(today), today),
        groups=stats.bars(stats.most_active_groups(now)),
        categories=stats.bars(stats.most_active_categories(now)),
        downloads=stats.bars(stats.top_downloads()), total_downloads=stats.total_downloads(),
        active_days=stats.ACTIVE_DAYS, weeks=stats.WEEKS, applications=applications.counts(),
        open_incidents=alerts.open_incidents())


@bp.get("/admin/dashboard/<name>.csv")
def admin_figure_csv(name: str):
    """One figure of the dashboard as CSV."""
    _require_admin()
    body = stats.figure_csv(name, utcnow())
    if body is None:
        abort(404)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="pen-{name}.csv"'})


@bp.get("/healthz")
@csrf.exempt
@public
def healthz():
    """Liveness: 200 when the database answers, 503 when it does not."""
    if not health.database().ok:
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/readyz")
@csrf.exempt
@public
def readyz():
    """Readiness: 200 when this server is current (database, its search indexes, its
    worker), else 503; each check with why it is not."""
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    body = {"status": "ready" if ready else "not ready",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail, "value": c.value}
                       for c in checks}}
    return body, 200 if ready else 503


@bp.get("/metrics")
@csrf.exempt
@public
def metrics_endpoint():
    """Prometheus metrics, for the operator holding ``PEN_METRICS_TOKEN``; 404 for anyone
    else, and for everyone when no token is set (nothing tells a member it exists)."""
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(sent.encode(), str(token).encode()):
        abort(404)
    return Response(metrics.exposition(), mimetype=None,
                    headers={"Content-Type": metrics.CONTENT_TYPE, "Cache-Control": "no-store"})


@bp.get("/search")
def unified_search():
    """Search every area at once; hits grouped by kind, each linking to its area's search."""
    q = request.args.get("q", "").strip()
    sections = []
    if q:
        found = search.search_all(current_user, q, per_kind=5, prefer_lang=str(get_locale()))
        for kind, results in found.items():
            adapter = search.get_adapter(kind)
            sections.append({"kind": kind, "label": getattr(adapter, "label", kind),
                             "results": results, "items": adapter.present(results.hits),
                             "more_url": _more_url(adapter, q)})
    return render_template("home/search.html", q=q, sections=sections)


def _more_url(adapter, q: str) -> str | None:
    """The area's own search page for ``q``; None for a kind that has none."""
    endpoint = getattr(adapter, "search_endpoint", None)
    return url_for(endpoint, q=q) if endpoint else None
