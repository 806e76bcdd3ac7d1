"""The awards' part of the activity feed: winners announced.

Registered with ``pen.activity``; filtered by the registered "award_results"
rule, and only announced results are news (an administrator, who sees results
before, is not told of them as news until they are published).
"""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from .. import activity
from ..visibility import rule_for
from . import permissions
from .models import AwardCycle


def _announced(user, query: activity.Query) -> activity.Branch:
    """Cycles whose winners were announced, when they were."""
    return activity.Branch(
        select(*activity.row(RESULTS, AwardCycle.announced_at, AwardCycle.id, AwardCycle.name,
                             activity.no_int(), activity.no_int(), AwardCycle.id,
                             activity.no_int()))
        .where(rule_for(permissions.RESULTS_KIND).clause(user),
               permissions.ANNOUNCED.where(user)),
        AwardCycle.announced_at, AwardCycle.id)


def _describe(item, group) -> tuple[Markup, str]:
    """Award winners announced: the winners page (never in a group)."""
    url = url_for("awards.winners", cycle_id=item.ref)
    return activity.fill(_("The winners of %(cycle)s are announced"),
                         cycle=activity.link(url, item.title)), url


RESULTS = activity.Source("award", "awards", 8, _announced, _describe, groupless=True)


def register(app) -> None:
    """Add the awards' source to the feed."""
    activity.register_source(app, RESULTS)
