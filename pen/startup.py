"""Start-up checks: a setting that cannot work stops the process with one line naming it.

``create_app`` runs them before anything uses the settings: a data folder that cannot be
written, a rate-limit store that is unusable or does not answer, a database that cannot
be reached. Each raises ``config.ConfigurationError``, which ``flask --app pen ...``
prints as ``Error: <line>`` and a gunicorn worker as the line alone; both exit non-zero,
with no traceback, instead of failing later with a 500 page. gunicorn's master runs them
too, before it starts any worker (``check_environment``, from ``pen.gunicorn_conf``).

The database check opens one connection of its own, on server databases only (a SQLite
file is created by ``db upgrade``), and closes it, so no pooled connection is inherited
by a forked process. ``PEN_CHECK_DATABASE_AT_START=false`` skips it, for a process that
should start while the database is down and answer 503 on ``/healthz`` meanwhile; the
tests do, as they build hundreds of apps, some on a database that is not there on purpose.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from limits.errors import ConfigurationError as LimitsConfigurationError
from limits.storage import storage_from_string
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from . import config
from .config import ConfigurationError


def check(app: Flask) -> None:
    """Every check, on an app whose settings are loaded and nothing bound yet."""
    for setting in ("DATA_DIR", "INDEX_DIR", "UPLOADS_DIR", "STATIC_CACHE_DIR"):
        check_folder(f"PEN_{setting}", Path(app.config[setting]))
    check_rate_limit_storage(app.config["RATELIMIT_STORAGE_URI"],
                             app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
    check_database(app)


def check_environment() -> None:
    """Every check on the settings a process started now would have, without an app."""
    app = Flask("pen", instance_path=os.environ.get("PEN_INSTANCE_PATH"),
                instance_relative_config=True)
    config.load(app, None)
    check(app)


def check_folder(setting: str, folder: Path) -> None:
    """The folder exists (made if missing), can be listed, and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        next(folder.iterdir(), None)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigurationError(
            f"{setting}: {folder} is not a folder this process can read and write ({reason})"
        ) from None


def check_rate_limit_storage(uri: str, options: dict) -> None:
    """The store is one the limiter knows, its client is installed, and it answers."""
    if uri == "memory://":  # nothing to reach (and building one starts a timer thread)
        return
    shown = _without_password(uri)
    try:
        storage = storage_from_string(uri, **options)
    except (LimitsConfigurationError, ValueError) as exc:
        raise ConfigurationError(
            f"PEN_RATELIMIT_STORAGE_URI: cannot use {shown} ({exc})") from None
    if not storage.check():
        raise ConfigurationError(
            f"PEN_RATELIMIT_STORAGE_URI: {shown} does not answer (is the server running?)")


def _without_password(uri: str) -> str:
    """The URI as it may be printed: a password replaced by ``***``."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_database(app: Flask) -> None:
    """One ``SELECT 1`` on a server database, unless ``CHECK_DATABASE_AT_START`` is off."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["CHECK_DATABASE_AT_START"] or url.get_backend_name() == "sqlite":
        return
    engine = create_engine(url, **app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise ConfigurationError(
            f"PEN_DATABASE_URL: could not connect to "
            f"{url.render_as_string(hide_password=True)} ({_first_line(exc)})") from None
    finally:
        engine.dispose()


def _first_line(exc: SQLAlchemyError) -> str:
    """The driver's own reason, first line only (psycopg adds hints on further lines)."""
    reason = str(getattr(exc, "orig", None) or exc)
    return next((line.strip() for line in reason.splitlines() if line.strip()), reason)
