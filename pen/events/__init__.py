"""Events: webinars, workshops, meetings and conferences; the calendar, iCalendar
files and feeds, registrations (through official contact points where an event
says so), reminders.

Content layer: it reads group membership (``pen.groups.permissions``), group
meetings (``pen.groups.meetings``) and library documents through the groups'
"document" link kind, and plugs a panel into the group page. Nothing below it
imports it; the home dashboard calls ``pen.events.calendar.upcoming_for``.
"""

from flask import Flask
from flask_babel import gettext as _

from .. import i18n, worker
from ..auth.signals import account_erased
from ..groups import Section, register_section


def group_section(group, user):
    """The group page's "Events" panel: the group's next events, for its members."""
    from ..groups import permissions as group_permissions
    from . import calendar

    if not group_permissions.can_see_group_content(user, group.id):
        return None
    return Section(_("Events"), "events/group_section.html",
                   {"events": calendar.upcoming_of_group(user, group), "group": group})


def _reminders() -> int:
    """The worker's task: queue the reminders that are due; how many (0 ends a drain)."""
    from . import registration

    return registration.send_reminders()


def register(app: Flask) -> None:
    """Blueprint, predicates, template helpers, the group panel, command and worker task."""
    _register_stored(app)
    from . import cli, indexing, permissions, registration_views, times  # noqa: F401
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    indexing.register(app)
    permissions.register_predicates(app)
    app.add_template_global(i18n.format_moment_range, "event_range")
    app.add_template_global(i18n.format_clock, "event_clock")
    app.add_template_global(times.for_member, "member_range")
    register_section(app, "events", group_section, order=30)
    cli.register(app)
    worker.register_task(app, "event reminders", _reminders)
    _register_my_data(app)


def _forget_registrations(user, **_ignored) -> None:
    """``account_erased``: a former member's registrations go (who attended is personal)."""
    from sqlalchemy import delete

    from ..extensions import db
    from .models import Registration

    db.session.execute(delete(Registration).where(Registration.user_id == user.id))


def _register_my_data(app: Flask) -> None:
    """The member's registrations go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "event_registrations", mydata.registrations)
    account_erased.connect(_forget_registrations)


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Event

    rerender.register_stored(app, "events", Event, "description", "description_html")
