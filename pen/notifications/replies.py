"""Reply by email: per-recipient reply addresses, and the areas that take replies.

A notification mail about a topic or a conversation is sent with
``Reply-To: reply+<code><id>.<member id>.<version>.<signature>@REPLY_DOMAIN``.
The signature is an HMAC of the rest with the secret key (lower-case hex: mail
servers may change the case of an address), so an address cannot be made up
or turned to another member or target; the version is the member's
``ReplyKey``, and revoking (a new version) makes every older address refuse.

Areas register, per target type, a letter for the address and a function
``handler(user, target_id, text, uploads)`` that posts the reply through the
area's own service and rules, raising ``ReplyRefused`` (or ``ValidationError``)
with a reason the sender is told. This module knows no area.
"""

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from .. import audit
from ..extensions import db
from .models import ReplyKey

_KEY = "pen.reply_targets"
LOCAL_PART = re.compile(r"^reply\+([a-z])(\d+)\.(\d+)\.(\d+)\.([0-9a-f]{20})$")


class ReplyRefused(Exception):
    """A reply that cannot be posted; the message says why, to the sender."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReplyTarget:
    """What an area registered for one target type."""

    target_type: str
    code: str
    handler: Callable


@dataclass(frozen=True)
class ReplyAddress:
    """What a reply address says: whose it is and what it answers."""

    user_id: int
    target_type: str
    target_id: int
    version: int


def register_reply_target(app: Flask, target_type: str, code: str, handler: Callable) -> None:
    """Let replies by email to notifications about ``target_type`` be posted by ``handler``."""
    targets = app.extensions.setdefault(_KEY, {})
    if any(t.code == code and t.target_type != target_type for t in targets.values()):
        raise ValueError(f"reply code {code!r} is taken")
    targets[target_type] = ReplyTarget(target_type, code, handler)


def _targets() -> dict[str, ReplyTarget]:
    return current_app.extensions.get(_KEY, {})


def target(target_type: str) -> ReplyTarget | None:
    """The registered reply target of ``target_type``, if any."""
    return _targets().get(target_type)


def _sign(payload: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"pen.reply:{payload}".encode(), hashlib.sha256).hexdigest()[:20]


def version_of(user_id: int) -> int:
    """The member's current reply-address version."""
    key = db.session.get(ReplyKey, user_id)
    return key.version if key is not None else 0


def address_for(user, target_type: str, target_id: int) -> str | None:
    """The member's reply address for a target, or None (no ``REPLY_DOMAIN``, or a
    target type that takes no replies)."""
    domain, found = current_app.config.get("REPLY_DOMAIN"), target(target_type)
    if not domain or found is None:
        return None
    payload = f"{found.code}{int(target_id)}.{user.id}.{version_of(user.id)}"
    return f"reply+{payload}.{_sign(payload)}@{domain}"


def parse(address: str) -> ReplyAddress | None:
    """What a reply address says, or None if it is malformed, forged or for another domain."""
    local, _, domain = (address or "").strip().strip("<>").lower().rpartition("@")
    configured = (current_app.config.get("REPLY_DOMAIN") or "").lower()
    match = LOCAL_PART.match(local)
    if not configured or domain != configured or match is None:
        return None
    code, target_id, user_id, version, signature = match.groups()
    payload = f"{code}{target_id}.{user_id}.{version}"
    if not hmac.compare_digest(_sign(payload), signature):
        return None
    found = next((t for t in _targets().values() if t.code == code), None)
    if found is None:
        return None
    return ReplyAddress(int(user_id), found.target_type, int(target_id), int(version))


def revoke(user) -> None:
    """Make every reply address the member was sent stop working (audited)."""
    key = db.session.get(ReplyKey, user.id)
    if key is None:
        key = ReplyKey(user_id=user.id, version=0)
        db.session.add(key)
    key.version += 1
    audit.record(user, "mail.reply_addresses_revoked", user)
    db.session.commit()
