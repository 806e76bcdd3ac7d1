"""Error pages in the site's layout, for the errors a member can meet."""

import math
import time

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .errors import FULL_DISK, StorageFull
from .extensions import db, limiter, login_manager

PLAIN = {"Content-Type": "text/plain; charset=utf-8"}
MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("There is no page at this address, or it is not open to you.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    410: (_l("Link expired"), _l("This link is no longer valid.")),
    413: (_l("Too large"), _l("What you sent is larger than the site accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"),
          _l("The error was recorded. Please try again in a few minutes.")),
}


# What a member reads when a part PEN depends on is down: what is happening, that nothing
# they saved is lost, that the operators know (the worker's alerts, pen.monitoring).
UNAVAILABLE = {
    "database": (_l("PEN cannot reach its database"),
                 _l("Nothing can be read or saved for the moment; what was saved before is "
                    "safe. The Secretariat's technical team is alerted automatically. "
                    "Please try again in a few minutes.")),
    "storage": (_l("The server has no space left"),
                _l("What you sent could not be saved, and nothing was half-saved. The "
                   "Secretariat's technical team is alerted automatically. Please go back: "
                   "your text is still in the form; try again later.")),
    "ratelimit": (_l("A service PEN relies on is not answering"),
                  _l("This action is paused for the moment. The Secretariat's technical "
                     "team is alerted automatically. Please try again in a few minutes.")),
}
RETRY_SECONDS = 30


def render_error(code: int, detail: str | None = None, retry_after: int | None = None):
    """The error page for ``code`` with an optional specific explanation."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message, retry_after=retry_after), code


def handle_http_error(error: HTTPException):
    """Any HTTP error: our page, keeping the headers the error carries (e.g. Allow)."""
    body, code = render_error(error.code or 500, _detail(error))
    response = error.get_response()
    response.set_data(body)
    response.mimetype = "text/html"
    return response, code


def _detail(error: HTTPException) -> str | None:
    """A service's own explanation, when it gave one beyond werkzeug's default."""
    default = type(error).description
    return error.description if error.description != default else None


def handle_csrf_error(error: CSRFError):
    """A form sent without a valid token: usually an old tab; say how to recover."""
    return render_error(400, str(_l("This form has expired or was not sent from this site. "
                                    "Please go back, reload the page and try again.")))


def handle_rate_limit(error):
    """429 with Retry-After, and a page that says when to try again."""
    current = limiter.current_limit
    seconds = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    body, code = render_error(429, retry_after=seconds)
    return body, code, {"Retry-After": str(seconds)}


def handle_server_error(error):
    """Unexpected failures: logged by Flask; the member sees a calm page."""
    try:
        return render_error(500)
    except Exception:  # the layout itself is broken: fall back to plain text
        current_app.logger.exception("error page failed to render")
        return "Something went wrong. Please try again in a few minutes.", 500, PLAIN


def render_unavailable(part: str, error: Exception):
    """503 with Retry-After: a page that needs neither the database nor the member."""
    current_app.logger.error("unavailable: %s (%s: %s) on %s", part, type(error).__name__,
                             str(error).splitlines()[0][:200] if str(error) else "",
                             request.endpoint)
    db.session.rollback()
    # The member cannot be loaded without the database: the page is drawn for a
    # visitor, in the language of the session or the browser.
    g._login_user = login_manager.anonymous_user()
    title, message = UNAVAILABLE[part]
    body = render_template("errors/unavailable.html", title=title, message=message,
                           retry_after=RETRY_SECONDS)
    return body, 503, {"Retry-After": str(RETRY_SECONDS)}


def handle_database_down(error: Exception):
    """The database refused or dropped the connection: 503, not 500."""
    return render_unavailable("database", error)


def handle_storage_full(error: StorageFull):
    """A write no form caught (``files`` refuses it): the storage page, 503."""
    return render_unavailable("storage", error)


def handle_rate_limit_store_down(error: Exception):
    """The shared rate-limit store (Redis) does not answer: 503, not 500."""
    return render_unavailable("ratelimit", error)


def handle_os_error(error: OSError):
    """A full disk is a 503 the operators are told about; any other OSError is a bug,
    raised on to Flask's own handling (logged, then the 500 page)."""
    if error.errno in FULL_DISK:
        return render_unavailable("storage", error)
    raise error


def _register_redis(app: Flask) -> None:
    """The store does not answer: 503."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    app.register_error_handler(RedisConnectionError, handle_rate_limit_store_down)
    app.register_error_handler(RedisTimeoutError, handle_rate_limit_store_down)


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
    if app.config["RATELIMIT_STORAGE_URI"].split(":", 1)[0] in ("redis", "rediss"):
        _register_redis(app)  # redis is only imported where it is the store (4 MB a worker)
    app.register_error_handler(OSError, handle_os_error)
    app.register_error_handler(StorageFull, handle_storage_full)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(429, handle_rate_limit)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
