"""Settings: defaults, then instance/config.py, then PEN_* environment variables.

Every setting can be given as an environment variable with the ``PEN_`` prefix
(``PEN_DATABASE_URL``, ``PEN_SECRET_KEY``…); values are parsed as JSON when they
look like JSON, so ``PEN_SESSION_IDLE_MINUTES=30`` is an integer.

A setting that cannot work raises ``ConfigurationError`` at start-up (``pen.startup``).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from gunicorn.errors import AppImportError
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError


class ConfigurationError(click.ClickException, AppImportError):
    """A setting with an unusable value; the message is one line that names the setting.

    As a ``ClickException`` it makes ``flask --app pen ...`` print ``Error: <line>`` and
    exit 1; as gunicorn's ``AppImportError`` it makes a gunicorn worker print the line
    and the master stop (exit 4) instead of booting workers again. No traceback either way.
    """

DEFAULTS = {
    # "development" turns on debug and the dev server's conveniences; anything else is production.
    "ENV": "production",
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "DATA_DIR": None,  # None: the instance folder; holds index/, uploads/, mail/
    "INDEX_DIR": None,  # None: DATA_DIR/index; this server's own search indexes (a local disk)
    "UPLOADS_DIR": None,  # None: DATA_DIR/uploads; shared by every app server and worker
    "MAIL_URL": None,  # smtp://host:port, smtps://user:pass@host:port; None writes .eml files
    "MAIL_FROM": "PEN Secretariat <no-reply@pen.example>",
    "MAIL_MAX_ATTEMPTS": 8,
    # Envelope sender of outgoing mail, where delivery reports (bounces) go; None: MAIL_FROM.
    # Route it to `flask --app pen mail receive` (or pipe it to `mail bounce`).
    "MAIL_BOUNCE_ADDRESS": None,
    # Reply by email: notification mails carry reply+<token>@REPLY_DOMAIN, which the MTA
    # hands to `flask --app pen mail receive`; None: no reply addresses.
    "REPLY_DOMAIN": None,
    "INBOUND_MAX_MB": 25,  # larger incoming mail is refused by the receiver (552)
    "SITE_NAME": "PCBs Elimination Network",
    "SESSION_IDLE_MINUTES": 120,  # unused this long, a session ends (remembered: REMEMBER_DAYS)
    "SESSION_MAX_DAYS": 30,  # every session ends this long after sign-in, however used
    "REMEMBER_DAYS": 14,
    # Roles that must sign in with a second factor (TOTP); others may choose to.
    "TWO_FACTOR_REQUIRED_ROLES": ["admin", "committee"],
    "TWO_FACTOR_REMEMBER_DAYS": 30,  # a browser may skip the second step this long
    "TWO_FACTOR_LIMIT": "5 per minute",  # codes tried per account before 429
    "DATA_EXPORT_DAYS": 7,  # the link to a member's "download my data" zip works this long
    "ACCOUNT_CLOSE_GRACE_DAYS": 14,  # a closed account is erased after this; signing in keeps it
    "PASSWORD_RESET_HOURS": 2,
    "MAX_CONTENT_MB": 25,
    "PHOTO_MAX_MB": 5,
    "FORUM_ATTACHMENT_MAX_MB": 20,  # largest file attached to a forum post
    "FORUM_ATTACHMENTS_PER_POST": 5,
    "FORUM_NEW_DAYS": 14,  # "New" topics: started this many days ago at most, never opened
    "FORUM_IMAGE_GRACE_HOURS": 24,  # a pasted image in no post is removed after this
    "AWARDS_MAX_UPLOAD_MB": 10,  # largest supporting document of a nomination (PDF, DOCX)
    "AWARDS_CLOCK": None,  # tests and demos: a function returning "now" for the awards
    "MESSAGES_MAX_PARTICIPANTS": 20,  # the largest private conversation, its starter included
    "MESSAGES_NEW_PER_DAY": 20,  # conversations a member may start in 24 hours (not admins)
    "NOTIFICATIONS_DEFAULT_EMAIL": "immediate",  # immediate, digest or none, until a member chooses
    "SITE_URL": None,  # e.g. https://pen.example.org: the links in emails; None uses the request's
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per minute",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per minute",
    # Stated for every app: the limiter is one object per process, and Flask-Limiter keeps
    # "disabled" from an earlier app that turned it off unless the next app says otherwise.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_KEY_PREFIX": "",  # set one per site when several sites share one Redis
    "STATIC_CACHE_DIR": None,  # None: DATA_DIR/static; fingerprinted, compressed static files
    "CHECK_DATABASE_AT_START": True,  # False: start (and answer 503 on /healthz) while it is down
    "PROXY_FIX": False,  # set when served behind a proxy that sends X-Forwarded-*
    "PASSWORD_HASH": {},  # argon2 PasswordHasher parameters; empty means the library's defaults
    "BABEL_DEFAULT_LOCALE": "en",
    "SITE_MODE": "open",  # pilot or open, until an administrator sets it (then the database rules)
    "INVITATION_DAYS": 30,  # an invitation link works this long
    "INVITATIONS_PER_MINUTE": 200,  # bulk invitations are spaced 60/N s apart in the outbox
    "LOG_FORMAT": "text",  # text (key=value) or json: one line per request, worker pass, error
    "LOG_LEVEL": "INFO",
    "METRICS_TOKEN": None,  # /metrics needs "Authorization: Bearer <this>"; None: no /metrics
    "ALERT_EMAILS": [],  # besides the administrators, who is mailed when something is wrong
    "ALERT_CHECK_SECONDS": 60,  # how often the worker looks at the platform's health
    "ALERT_MAIL_DELAY_MINUTES": 30,  # mail waiting longer than this in the outbox is an incident
    "ALERT_DISK_FREE_MB": 1024,  # less free space than this where PEN writes is an incident
    "APPLICATION_LIMIT_PER_ADDRESS": "10 per hour",  # applications sent from one address
    "APPLICATION_MIN_SECONDS": 5,  # a form sent sooner after it was shown is a robot's
    "APPLICATION_CONFIRM_HOURS": 72,  # the link confirming an applicant's email works this long
    "APPLICATION_ANSWER_DAYS": 30,  # the link to answer the Secretariat's question works this long
    "APPLICATION_REVIEWER_ROLES": ["admin"],  # roles that review applications to join
}


def load(app: Flask, overrides: dict | None) -> None:
    """Fill ``app.config`` from defaults, instance file, environment and overrides."""
    app.config.update(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PEN")
    app.config.update(overrides or {})
    _derive(app)


def _derive(app: Flask) -> None:
    """Turn the PEN settings into the names Flask and its extensions read."""
    cfg = app.config
    cfg["DEBUG"] = cfg["ENV"] == "development"
    data_dir = Path(cfg["DATA_DIR"] or app.instance_path)
    cfg["DATA_DIR"] = str(data_dir)
    cfg["INDEX_DIR"] = str(cfg.get("INDEX_DIR") or data_dir / "index")
    cfg["UPLOADS_DIR"] = str(cfg.get("UPLOADS_DIR") or data_dir / "uploads")
    cfg["STATIC_CACHE_DIR"] = str(cfg["STATIC_CACHE_DIR"] or data_dir / "static")
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"] or f"sqlite:///{data_dir / 'pen.sqlite3'}"
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(cfg["SQLALCHEMY_DATABASE_URI"]))
    if cfg["RATELIMIT_STORAGE_URI"].split(":", 1)[0] in ("redis", "rediss"):
        # A Redis that stops answering fails a request after 5 s instead of hanging it.
        cfg.setdefault("RATELIMIT_STORAGE_OPTIONS",
                       {"socket_connect_timeout": 5, "socket_timeout": 5})
    cfg["SECRET_KEY"] = cfg.get("SECRET_KEY") or _instance_secret_key(Path(app.instance_path))
    cfg["MAX_CONTENT_LENGTH"] = int(cfg["MAX_CONTENT_MB"]) * 1024 * 1024
    cfg["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=int(cfg["SESSION_IDLE_MINUTES"]))
    cfg["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(cfg["REMEMBER_DAYS"]))
    cfg.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # The session cookie is signed again when its contents change or when the row's
        # "last seen" moves (at most once a minute, ``auth.sessions.touch``), not on
        # every response: its expiry still follows the idle timeout.
        SESSION_REFRESH_EACH_REQUEST=False,
        RATELIMIT_HEADERS_ENABLED=True,
        BOOTSTRAP_SERVE_LOCAL=True,
        # The token lives as long as the session, which has its own idle timeout.
        WTF_CSRF_TIME_LIMIT=None,
    )


def _engine_options(url: str) -> dict:
    """Connection settings: on PostgreSQL a connect timeout, so an unreachable server
    fails fast; on SQLite how long a statement waits for another process's write
    (``pen.database`` checks idle connections and sets SQLite's journal mode)."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise ConfigurationError(f"PEN_DATABASE_URL: not a database URL ({exc})") from None
    if backend == "postgresql":
        return {"connect_args": {"connect_timeout": 10}}
    if backend == "sqlite":
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}  # a database PEN is not tested on: the plain check


def _instance_secret_key(instance: Path) -> str:
    """Read the generated key from the instance folder, creating it exactly once."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()
