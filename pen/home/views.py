"""The network home and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

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
