"""Personal feed keys: a feed reader cannot log in, so the link itself says who reads.

The token in a feed link is ``[user id, nonce]`` signed with the secret key; the
database keeps only the nonce. A new nonce (or none) revokes every old link at
once, and a database copy alone cannot forge one.
"""

import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .. import audit
from ..auth import permissions
from ..auth.models import User
from ..extensions import db
from .models import FeedKey

SALT = "pen.feed-key"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user) -> str | None:
    """The member's current feed token, or None if they have none."""
    key = db.session.get(FeedKey, user.id)
    return _serializer().dumps([user.id, key.nonce]) if key else None


def renew(user) -> str:
    """Create the member's feed token, or replace it (revoking the old links)."""
    key = db.session.get(FeedKey, user.id)
    if key is None:
        key = FeedKey(user_id=user.id)
        db.session.add(key)
    key.nonce = secrets.token_hex(16)
    audit.record(user, "feeds.key_renewed", user)
    db.session.commit()
    return token_for(user)


def revoke(user) -> None:
    """Remove the member's feed token: every feed link they had stops working."""
    key = db.session.get(FeedKey, user.id)
    if key is not None:
        db.session.delete(key)
        audit.record(user, "feeds.key_revoked", user)
        db.session.commit()


def may_read_feeds(user) -> bool:
    """Feeds are the site by other means: only for members who may enter it (in pilot
    mode, the test group and administrators; the predicate is onboarding's)."""
    return permissions.predicate("enter_site", permissions.is_member)(user)


def user_for_token(token: str) -> User | None:
    """The active member a feed token belongs to, or None if it is forged or revoked."""
    try:
        user_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    key = db.session.get(FeedKey, int(user_id)) if isinstance(user_id, int) else None
    if key is None or not hmac.compare_digest(key.nonce, str(nonce)):
        return None
    user = db.session.get(User, key.user_id)
    return user if may_read_feeds(user) else None
