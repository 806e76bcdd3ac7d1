"""Static files without a proxy's help: fingerprinted names, gzip and brotli, ETag/304.

WhiteNoise serves ``/static/``: the site's own files (``pen/static``) and the vendor's
(``assets.vendor_files``). Each file also gets a fingerprinted name holding a digest of
its content (``css/pen.3f2a9c1b7d4e.css``); ``url_for('static', ...)`` returns that name,
so it is cached for a year as immutable and a new release changes the URL. Unhashed
names still answer, with a short max-age, for anything that links to them directly.

The fingerprinted copies and their ``.gz``/``.br`` variants are written at start-up into
``STATIC_CACHE_DIR/<digest of every file>/`` (default ``DATA_DIR/static/``), once per
distinct set of files: an installed package's folder is not ours to write into, and
hashing the files (a few hundred kB) costs milliseconds, so every process knows the
names without a build step; only the first start after an upgrade compresses (about a
second). The folder is written under a temporary name and renamed when complete, so
processes starting together never serve a half-written one.
"""

import hashlib
import os
import shutil
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from . import assets

DIGEST_LENGTH = 12
#: matches a fingerprinted name as ``fingerprinted`` writes it
FINGERPRINTED = rf"\.[0-9a-f]{{{DIGEST_LENGTH}}}\.[A-Za-z0-9]+$"


class StaticFiles(WhiteNoise):
    """WhiteNoise with a one-year lifetime for fingerprinted files and nosniff on all."""

    # One year: the longest lifetime HTTP caches are asked to honour (RFC 9111 5.3).
    FOREVER = 365 * 24 * 60 * 60


def register(app: Flask) -> None:
    """Prepare the files, serve them in front of the app, fingerprint ``url_for`` names."""
    files = source_files(app)
    manifest = {name: fingerprinted(name, digest) for name, (_, digest) in files.items()}
    root = prepared_folder(Path(app.config["STATIC_CACHE_DIR"]), files, manifest)
    app.extensions["pen.static_manifest"] = manifest

    @app.url_defaults
    def fingerprint_static_urls(endpoint: str, values: dict) -> None:
        """``url_for('static', filename=...)`` names the fingerprinted copy."""
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.wsgi_app = StaticFiles(app.wsgi_app, root=str(root), prefix=app.static_url_path,
                               immutable_file_test=FINGERPRINTED,
                               add_headers_function=_add_headers)


def _add_headers(headers, path: str, url: str) -> None:
    """These answers bypass Flask's ``after_request``: the one header that matters here."""
    headers["X-Content-Type-Options"] = "nosniff"


def source_files(app: Flask) -> dict[str, tuple[Path, str]]:
    """Name under ``/static/`` -> (file, digest of its content), own files and vendor's."""
    own = Path(app.static_folder)
    paths = {path.relative_to(own).as_posix(): path
             for path in sorted(own.rglob("*")) if path.is_file()}
    paths.update(assets.vendor_files())
    return {name: (path, _digest(path.read_bytes())) for name, path in paths.items()}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]


def fingerprinted(name: str, digest: str) -> str:
    """``css/pen.css`` -> ``css/pen.<digest>.css`` (the digest before the last suffix)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return f"{name}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def prepared_folder(cache: Path, files: dict[str, tuple[Path, str]],
                    manifest: dict[str, str]) -> Path:
    """The folder holding every file under both names with its variants, made if missing."""
    key = _digest("\n".join(f"{name} {digest}" for name, (_, digest) in files.items()).encode())
    folder = cache / key
    if folder.is_dir():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    scratch = cache / f".{key}.{os.getpid()}.part"
    shutil.rmtree(scratch, ignore_errors=True)
    for name, (path, _) in files.items():
        _write_with_variants(path, scratch / manifest[name], scratch / name)
    try:
        scratch.rename(folder)
    except OSError:  # another process finished the same folder first: theirs is as good
        shutil.rmtree(scratch, ignore_errors=True)
        if not folder.is_dir():
            raise
    return folder


def _write_with_variants(source: Path, hashed: Path, plain: Path) -> None:
    """Copy ``source`` to both names; compress once and give both names the variants."""
    hashed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, hashed)
    variants = Compressor(quiet=True).compress(str(hashed))  # skips images already packed
    shutil.copyfile(hashed, plain)
    for variant in variants:
        shutil.copyfile(variant, str(plain) + variant[len(str(hashed)):])
