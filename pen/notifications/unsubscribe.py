"""One-click unsubscribe (RFC 8058) and the member's own fix of a bouncing address.

Every notification and digest mail carries ``List-Unsubscribe: <link>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``. The link holds the
member's id signed with the secret key: a POST to it (what a mail client sends
on "unsubscribe") turns the member's notification email off; a GET only shows a
page with the button, since link checkers open every link they see.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .. import audit, mail
from ..auth import permissions
from ..auth.models import User
from ..extensions import db
from .models import EMAIL_NONE
from .service import absolute_url, path_for, set_email_mode

SALT = "pen.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user) -> str:
    """The member's unsubscribe token."""
    return _serializer().dumps(user.id)


def user_for_token(token: str) -> User | None:
    """The member a token names, or None if it is forged or the account is gone."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def headers_for(user) -> dict[str, str]:
    """The List-Unsubscribe headers of a notification or digest mail to ``user``."""
    link = absolute_url(path_for("notifications.unsubscribe", token=token_for(user)))
    return {"List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe(user) -> None:
    """Turn the member's notification email off (they still see them on the site)."""
    set_email_mode(user, EMAIL_NONE)


def confirm_address(user) -> bool:
    """The member says their address works again (or changed it): mail flows again."""
    if not permissions.is_member(user) or not mail.clear_bouncing(user.email):
        return False
    audit.record(user, "mail.address_confirmed", user)
    db.session.commit()
    return True
