"""Notification settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

EMAIL_CHOICES = [
    ("immediate", _l("Email me each notification as it happens")),
    ("digest", _l("Email me a daily digest")),
    ("none", _l("No email: I read them on the site")),
]


class EmailModeForm(FlaskForm):
    """How a member wants notifications by email."""

    email_mode = RadioField(_l("Notifications by email"), choices=EMAIL_CHOICES)
