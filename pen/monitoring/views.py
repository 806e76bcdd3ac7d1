"""System health, for administrators: the checks now, the incidents, the last days."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..auth import permissions
from . import alerts, checks
from .charts import line_chart

bp = Blueprint("monitoring", __name__, url_prefix="/admin/health")
CHART_DAYS = 7


@bp.before_request
def require_admin():
    """Administrators only; the operator's own view is /metrics."""
    if not permissions.is_admin(current_user):
        abort(403)


@bp.get("/")
def health():
    """Every check with its figure, open and recent incidents, and a chart per figure."""
    series = alerts.recent_samples(CHART_DAYS)
    return render_template(
        "monitoring/health.html", checks=checks.all_checks(),
        open_incidents=alerts.open_incidents(), incidents=alerts.recent_incidents(),
        charts={name: line_chart(points) for name, points in sorted(series.items())},
        days=CHART_DAYS)
