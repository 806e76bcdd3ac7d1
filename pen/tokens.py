"""Single-use secrets sent by email: only their hash is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return ``(token, digest)``: the token goes in the link, the digest in the database."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    """SHA-256 of a token; tokens are random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
