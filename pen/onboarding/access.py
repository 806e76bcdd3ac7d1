"""Who may use the site while it is in pilot mode, and the gate that enforces it.

The predicates join auth's named ones (``can.enter_site()``, ``can.manage_rollout()``
in templates); they live here because they need this area's tables.
"""

from flask import Flask, current_app, has_request_context, render_template, request
from flask_login import current_user
from sqlalchemy import exists, select

from ..auth import loading, permissions
from ..auth.access import is_public_endpoint
from ..auth.loading import MISSING
from ..extensions import db
from .models import TEST_GROUP_SLUG, Cohort, CohortMember, SiteSetting

SITE_MODE_KEY = "site_mode"
SITE_MODE_RIDER = "onboarding.site_mode"
PILOT, OPEN = "pilot", "open"
SITE_MODES = (PILOT, OPEN)
#: pages a logged-in member outside the test group may still reach in pilot mode
ALLOWED_IN_PILOT = {"auth.logout"}


def site_mode() -> str:
    """``pilot`` or ``open``: the database's answer (read with the signed-in member's
    session when there is one), else the ``SITE_MODE`` default."""
    value = loading.rider(SITE_MODE_RIDER, current_user) if has_request_context() else MISSING
    if value is MISSING:
        row = db.session.get(SiteSetting, SITE_MODE_KEY)
        value = row.value if row is not None else None
    mode = value if value is not None else current_app.config.get("SITE_MODE", OPEN)
    return mode if mode in SITE_MODES else PILOT  # an unknown value fails closed


def in_test_group(user) -> bool:
    """Whether the account belongs to the test-group cohort."""
    if getattr(user, "id", None) is None:
        return False
    query = select(exists().where(CohortMember.user_id == user.id,
                                  CohortMember.cohort_id == Cohort.id,
                                  Cohort.slug == TEST_GROUP_SLUG))
    return bool(db.session.scalar(query))


def can_enter_site(user) -> bool:
    """Active members when the site is open; in pilot mode only admins and the test group."""
    if not permissions.is_member(user):
        return False
    return permissions.is_admin(user) or site_mode() == OPEN or in_test_group(user)


def can_manage_rollout(user) -> bool:
    """Site mode, cohorts and invitations are for administrators."""
    return permissions.is_admin(user)


def pilot_gate():
    """``before_request``: a member who may not enter yet gets the "not open yet" page."""
    endpoint = request.endpoint
    if is_public_endpoint(endpoint) or endpoint in ALLOWED_IN_PILOT:
        return None
    if not current_user.is_authenticated or can_enter_site(current_user):
        return None
    return render_template("onboarding/not_open.html"), 403


def register(app: Flask) -> None:
    """Install the gate (after auth's login check) and expose the predicates to templates."""
    permissions.register_predicate(app, "enter_site", can_enter_site)
    permissions.register_predicate(app, "manage_rollout", can_manage_rollout)
    app.before_request(pilot_gate)
    loading.register_rider(app, SITE_MODE_RIDER, _site_mode_column, depends_on=("site_settings",))


def _site_mode_column(_user_id):
    """The stored site mode, read with every signed-in member's session."""
    return (select(SiteSetting.value).where(SiteSetting.key == SITE_MODE_KEY)
            .scalar_subquery())
