"""Private conversations between members: messages, participants, who may write, reports."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .. import notifications, search
from ..auth import loading


def register(app: Flask) -> None:
    """Visibility rules, blueprint, search adapter, notification target, kind and
    silencer (blocks), template predicates and the unread count."""
    _register_stored(app)
    from . import (  # noqa: F401
        contacts,
        contacts_views,
        email_replies,
        indexing,
        permissions,
        reading,
        report_views,
    )
    from .views import bp

    app.register_blueprint(bp)
    permissions.register_rules(app)
    search.register_adapter(app, indexing.MessageAdapter())
    notifications.register_target(app, permissions.CONVERSATION_KIND,
                                  notifications.RuleTarget(permissions.CONVERSATION_KIND))
    notifications.register_kind(app, "message.new", _l("New message"))
    notifications.register_silencer(app, contacts.silenced)
    notifications.register_reply_target(app, permissions.CONVERSATION_KIND, "c",
                                        email_replies.reply_by_email)
    permissions.register_predicates(app)
    app.context_processor(lambda: {"unread_conversations": _unread_count})
    loading.register_rider(app, UNREAD_RIDER, reading.unread_column,
                           depends_on=("message_participants", "message_conversations",
                                       "messages"))
    _register_my_data(app)


def _register_my_data(app: Flask) -> None:
    """The member's own messages and files go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "messages", mydata.messages)


UNREAD_RIDER = "messages.unread"


def _unread_count() -> int:
    """The number beside "Messages" (read with the session unless this request wrote
    conversations); an error page whose database is down still renders."""
    from ..extensions import db
    from . import reading

    if (loaded := loading.rider(UNREAD_RIDER, current_user)) is not loading.MISSING:
        return loaded or 0
    try:
        return reading.unread_count(current_user)
    except SQLAlchemyError:
        db.session.rollback()
        return 0


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Message

    rerender.register_stored(app, "messages", Message, "body", "body_html")
