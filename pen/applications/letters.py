"""The mail an applicant receives, always in the language they chose on the form.

Each message is an outbox row added to the caller's transaction (``pen.mail``),
so it goes out exactly when the change that caused it is committed.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import mail
from ..onboarding.sending import external_url
from ..types import utcnow
from .models import Application


def _send(application: Application, subject, template: str, **context) -> None:
    """Render ``mail/applications/<template>.txt`` in the applicant's language and queue it.

    ``subject`` is a function, called under the applicant's locale.
    """
    with force_locale(application.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        mail.queue_template(application.email, subject(), f"applications/{template}",
                            application=application, **context)


def _answer_form(application: Application, subject, template: str, **context) -> None:
    """A mail anyone can cause by sending the form: its time is kept for the throttle."""
    _send(application, subject, template, **context)
    application.last_mailed_at = utcnow()


def confirm_email(application: Application, token: str, hours: int) -> None:
    """The link that confirms the address; nobody sees the application before it is used."""
    _answer_form(application, lambda: _("Confirm your application to join PEN"), "confirm",
          link=external_url("applications.confirm", token=token), hours=hours)


def already_open(application: Application) -> None:
    """Someone applied again with this address while an application is open."""
    _answer_form(application, lambda: _("Your application to join PEN"), "already_open")


def received(application: Application) -> None:
    """The address is confirmed: the application is with the Secretariat."""
    _send(application, lambda: _("Your application to join PEN has been received"), "received")


def question(application: Application, text: str, token: str, days: int) -> None:
    """The Secretariat asks for more information; the link leads to the answer page."""
    _send(application, lambda: _("The PEN Secretariat has a question about your application"),
          "question", question=text, link=external_url("applications.answer", token=token),
          days=days)


def approved(application: Application) -> None:
    """Welcome: the invitation, with its own link, follows in a separate message."""
    _send(application, lambda: _("Your application to join PEN is approved"), "approved")


def declined(application: Application, message: str) -> None:
    """The decision and the Secretariat's message."""
    _send(application, lambda: _("Your application to join PEN"), "declined", message=message)
