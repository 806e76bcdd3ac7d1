"""Private conversations between members: messages, participants, who may write, reports."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import notifications, search


def register(app: Flask) -> None:
    """Visibility rules, blueprint, search adapter, notification target, kind and
    silencer (blocks), template predicates and the unread count."""
    from . import contacts, contacts_views, indexing, permissions, reading, report_views  # noqa: F401
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    search.register_adapter(app, indexing.MessageAdapter())
    notifications.register_target(app, permissions.CONVERSATION_KIND,
                                  notifications.RuleTarget(permissions.CONVERSATION_KIND))
    notifications.register_kind(app, "message.new", _l("New message"))
    notifications.register_silencer(app, contacts.silenced)
    permissions.register_predicates()
    app.context_processor(lambda: {"unread_conversations": lambda: reading.unread_count(
        current_user)})
