"""The privacy notice: read by anyone, changed by administrators (audited)."""

from flask_babel import gettext as _

from .. import audit, markup
from ..auth import permissions
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..types import utcnow
from .models import NOTICE_ID, PrivacyNotice

NOTICE_MAX = 50_000


def notice() -> PrivacyNotice | None:
    """The privacy notice, if administrators wrote one."""
    return db.session.get(PrivacyNotice, NOTICE_ID)


def save_notice(actor, body: str) -> PrivacyNotice:
    """Replace the notice's text (Markdown, sanitised once, here)."""
    if not permissions.is_admin(actor):
        raise Forbidden(_("Only administrators edit the privacy notice."))
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Write the notice."), field="body")
    if len(text) > NOTICE_MAX:
        raise ValidationError(_("The notice is too long."), field="body")
    found = notice() or PrivacyNotice(id=NOTICE_ID)
    found.body, found.body_html = text, markup.render(text)
    found.updated_at, found.updated_by_id = utcnow(), getattr(actor, "id", None)
    db.session.add(found)
    audit.record(actor, "privacy.notice", found, length=len(text))
    db.session.commit()
    return found
