"""Thematic groups: working spaces with their members, work plan and meetings.

Groups sit above identity (auth, members, onboarding, notifications) and below
content (forums, library, events). Content areas import ``permissions`` for the
membership rule and plug into the group page and the work plan through
``registry`` (``register_section``, ``register_link_kind``); forms pick another area's
objects by searching through ``pickers`` (``register_picker``).
"""

from flask import Flask

from ..auth import loading
from ..members import permissions as member_permissions
from .pickers import register_picker
from .registry import LinkTarget, Section, register_link_kind, register_section

__all__ = ["LinkTarget", "Section", "register", "register_link_kind", "register_picker",
           "register_section"]


def register(app: Flask) -> None:
    """Blueprint, predicates, notification targets and the hooks of lower layers."""
    _register_stored(app)
    from . import activity, hooks, indexing, member_views, notices, permissions, plan_views  # noqa: F401
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    indexing.register(app)
    activity.register(app)
    permissions.register_predicates(app)
    loading.register_rider(app, permissions.ROLES_RIDER, permissions.roles_column,
                           depends_on=("group_memberships",))
    notices.register(app)
    member_permissions.register_shared_group_check(app, permissions.shares_group)
    hooks.register(app)


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Activity, Group, Meeting

    rerender.register_stored(app, "groups", Group, "description", "description_html")
    rerender.register_stored(app, "work-plan activities", Activity, "description",
                             "description_html")
    rerender.register_stored(app, "meetings", Meeting, "agenda", "agenda_html")
