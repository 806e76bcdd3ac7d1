"""The members' part of the activity feed: who joined the network.

Registered with ``pen.activity``; filtered by the registered "member_profile"
rule, and news names only accounts in use (an administrator, who may open a
suspended member's profile, is not told of them as news).
"""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from .. import activity
from ..auth.models import User
from ..visibility import rule_for
from . import permissions


def _joined(user, query: activity.Query) -> activity.Branch:
    """Accounts in use, when they joined (were created active or accepted their invitation)."""
    return activity.Branch(
        select(*activity.row(MEMBERS, User.activated_at, User.id, User.display_name,
                             activity.no_int(), User.id, User.id, activity.no_int()))
        .where(rule_for(permissions.PROFILE_KIND).clause(user),
               permissions.active_account_clause(), User.activated_at.is_not(None)),
        User.activated_at, User.id)


def _describe(item, group) -> tuple[Markup, str]:
    """A member who joined the network: their profile (never in a group)."""
    url = url_for("members.profile", user_id=item.ref)
    return activity.fill(_("%(member)s joined the network"),
                         member=activity.link(url, item.title)), url


MEMBERS = activity.Source("member", "members", 4, _joined, _describe, groupless=True)


def register(app) -> None:
    """Add the members' source to the feed."""
    activity.register_source(app, MEMBERS)
