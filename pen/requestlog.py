"""Logs an operator can search: one line per request, with a request id a member can quote.

Every request gets an id: the one nginx sent in ``X-Request-Id`` when it looks like
one, else a new random one. It goes back in the response's ``X-Request-Id`` header
and on the error pages, and it is on the request's log line together with the
member's id, the endpoint, the route (the pattern, never the path: paths carry
invitation and reset tokens), the status and the duration. Query strings, form
fields and bodies are never logged.

``PEN_LOG_FORMAT=json`` writes each line as one JSON object (python-json-logger);
the default is ``key=value`` text. ``PEN_LOG_LEVEL`` sets the level (INFO).
"""

import logging
import re
import secrets
import sys
import time

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from . import metrics

HEADER = "X-Request-Id"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_LOGGER = "pen.request"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FIELDS = ("request_id", "member", "method", "endpoint", "route", "status", "ms")


class RequestContext(logging.Filter):
    """Adds the request id (and, on request lines, the request's fields) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id() if has_request_context() else None
        return True


class TextFormatter(logging.Formatter):
    """``key=value`` text: the message, its fields and the request id, then any traceback."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        extras = [f"{name}={getattr(record, name)}" for name in FIELDS[1:]
                  if getattr(record, name, None) is not None]
        rid = getattr(record, "request_id", None)
        return " ".join([line, *extras, *([f"request_id={rid}"] if rid else [])])


def configure(app: Flask) -> None:
    """Give the ``pen`` loggers one handler on stderr, text or JSON as configured."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name("pen")
    handler.addFilter(RequestContext())
    if str(app.config["LOG_FORMAT"]).lower() == "json":
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(TextFormatter(TEXT_FORMAT))
    logger = logging.getLogger("pen")
    for old in [h for h in logger.handlers if h.get_name() == "pen"]:
        logger.removeHandler(old)  # a second app in one process replaces, not doubles
    logger.addHandler(handler)
    logger.setLevel(str(app.config["LOG_LEVEL"]).upper())
    logger.propagate = False


def request_id() -> str:
    """This request's id, made on first use."""
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if _VALID_ID.fullmatch(sent) else secrets.token_hex(8)
    return g.request_id


def _start() -> None:
    """``before_request``: note the start time and fix the id."""
    g.request_started = time.perf_counter()
    request_id()


def _finish(response):
    """``after_request``: the header, the log line, the request metrics."""
    response.headers[HEADER] = request_id()
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "-"
    metrics.observe_request(endpoint, request.method, response.status_code, seconds)
    if endpoint != "static":
        logging.getLogger(REQUEST_LOGGER).info("request", extra={
            "member": _member_id(), "method": request.method, "endpoint": endpoint,
            "route": request.url_rule.rule if request.url_rule else "-",
            "status": response.status_code, "ms": round(seconds * 1000, 1)})
    return response


def _member_id() -> int | None:
    """The signed-in member's id if this request loaded one (never loads it just to log)."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def register(app: Flask) -> None:
    """Configure logging and time every request."""
    configure(app)
    app.before_request(_start)
    app.after_request(_finish)
