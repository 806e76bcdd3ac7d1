"""Notifications: in the site (a bell, a page), by email at once or in a daily digest.

Every area sends through ``service.notify`` and registers, per kind of target,
who may still see it (``service.register_target``); see ``service``.
"""

from flask import Flask
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .. import worker
from ..auth import loading
from ..extensions import db
from .replies import ReplyRefused, register_reply_target
from .service import (
    RuleTarget,
    Target,
    notify,
    notify_grouped,
    path_for,
    register_kind,
    register_silencer,
    register_target,
    withdraw_excerpts,
)
from .texts import sentence

__all__ = ["ReplyRefused", "RuleTarget", "Target", "notify", "notify_grouped", "path_for",
           "register", "register_kind", "register_reply_target", "register_silencer",
           "register_target", "sentence", "withdraw_excerpts"]


def register(app: Flask) -> None:
    """Blueprint, the email worker task, the ``mail`` commands and the bell's count."""
    from . import bell, cli, delivery, service  # noqa: F401 - bell adds its routes to bp
    from .views import bp

    app.register_blueprint(bp)
    worker.register_task(app, "notifications", delivery.deliver_immediate)
    app.cli.add_command(cli.mail_cli)

    app.context_processor(lambda: {"unread_notifications": _bell_count})
    loading.register_rider(app, service.UNREAD_RIDER, service.unread_column,
                           depends_on=("notifications",))


def _bell_count() -> int:
    """The bell's number; an error page whose database is down still renders, without it."""
    from .service import unread_count

    try:
        return unread_count(current_user)
    except SQLAlchemyError:
        db.session.rollback()
        return 0
