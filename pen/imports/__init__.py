"""Imports on the web: an administrator uploads a member list or a library zip, previews
it, confirms, and the worker imports it with a progress bar and a per-line report.

Settings (``PEN_`` environment variables or ``instance/config.py``):
``IMPORT_MAX_MB`` (largest upload), ``IMPORT_MAX_LINES`` (lines of one CSV file),
``IMPORT_ZIP_MAX_MB`` (what a zip may unpack to), ``IMPORT_ZIP_MAX_RATIO``
(compression ratio of one entry over 1 MB), ``IMPORT_ZIP_MAX_ENTRIES``.
"""

from flask import Flask, current_app

from .. import worker
from .kinds import Kind, Line, Preview, all_kinds, kind_for, register_kind
from .textfiles import Refused
from .zips import Limits

__all__ = ["Kind", "Line", "Preview", "Refused", "all_kinds", "kind_for", "max_lines",
           "register", "register_kind", "zip_limits"]

DEFAULTS = {
    "IMPORT_MAX_MB": 200,
    "IMPORT_MAX_LINES": 10_000,
    "IMPORT_ZIP_MAX_MB": 1024,
    "IMPORT_ZIP_MAX_RATIO": 100,
    "IMPORT_ZIP_MAX_ENTRIES": 5000,
}


def register(app: Flask) -> None:
    """Settings and the worker task that runs confirmed imports."""
    from . import jobs

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    worker.register_task(app, "imports", jobs.run_pending)


def max_lines() -> int:
    """The most lines one CSV file may have."""
    return int(current_app.config["IMPORT_MAX_LINES"])


def zip_limits() -> Limits:
    """The app's limits for unpacking a zip."""
    config = current_app.config
    return Limits(max_entries=int(config["IMPORT_ZIP_MAX_ENTRIES"]),
                  max_total=int(float(config["IMPORT_ZIP_MAX_MB"]) * 2**20),
                  max_ratio=int(config["IMPORT_ZIP_MAX_RATIO"]))
