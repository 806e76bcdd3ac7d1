"""Uploaded files: stored under random names in ``DATA_DIR/uploads/<area>/``.

A stored file's name never comes from the user, so no path, extension or
Content-Type chosen by an uploader reaches the disk or a response unchecked.
Writes are atomic: a failure leaves no half-written file behind.
"""

import os
import secrets
from pathlib import Path

from flask import current_app


def upload_dir(area: str) -> Path:
    """The folder of one area's uploads, created if needed."""
    folder = Path(current_app.config["DATA_DIR"]) / "uploads" / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_bytes(area: str, data: bytes, suffix: str) -> str:
    """Write ``data`` under a new random name ending in ``suffix``; return the name."""
    name = f"{secrets.token_hex(16)}{suffix}"
    folder = upload_dir(area)
    tmp = folder / f".{name}.part"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, folder / name)
    finally:
        tmp.unlink(missing_ok=True)
    return name


def path_of(area: str, name: str) -> Path:
    """The path of a stored file; refuses names that are not plain stored names."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not a stored file name: {name!r}")
    return upload_dir(area) / name


def delete(area: str, name: str | None) -> None:
    """Remove a stored file if it exists."""
    if name:
        path_of(area, name).unlink(missing_ok=True)
