"""Liveness and readiness: what load balancers and operators ask a server.

``/healthz`` is liveness: the process answers and reaches the database.
``/readyz`` is readiness: the database answers and every registered check
(the search indexes of this server, its worker…) says this server is current.
An area adds a check with ``register_check(app, function)``; the function
returns a list of ``Check``.
"""

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db, limiter

_CHECKS_KEY = "pen.readiness_checks"


@dataclass(frozen=True)
class Check:
    """One answer of a readiness check: what was checked, whether it is fine, and why not."""

    name: str
    ok: bool
    detail: str = ""
    value: float | None = None  # e.g. seconds behind, for an operator's graph


def register_check(app: Flask, check) -> None:
    """Add a readiness check: a function returning a list of ``Check``."""
    app.extensions.setdefault(_CHECKS_KEY, []).append(check)


def database() -> Check:
    """Whether the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return Check("database", False, type(exc).__name__)
    return Check("database", True)


def rate_limit_store() -> list[Check]:
    """Whether the shared rate-limit store (Redis) answers; nothing to ask for ``memory://``."""
    if current_app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        return []
    try:
        ok = bool(limiter.storage.check())
    except Exception:  # the client's own errors, whatever the store
        ok = False
    return [Check("ratelimit", ok, "" if ok else "the rate-limit store does not answer")]


def readiness() -> list[Check]:
    """The database, then every registered check (skipped when the database is down)."""
    first = database()
    if not first.ok:
        return [first]
    checks = [first]
    for check in current_app.extensions.get(_CHECKS_KEY, []):
        try:
            checks.extend(check())
        except Exception as exc:  # a broken check is a failed check, not a 500
            db.session.rollback()
            current_app.logger.exception("readiness check failed")
            checks.append(Check(getattr(check, "__name__", "check"), False,
                                type(exc).__name__))
    return checks
