"""Third-party assets the build installs: Bootstrap's CSS, left-to-right and right-to-left.

Bootstrap comes from the ``bootstrap-wrapper`` package (a wheel of Bootstrap's
``dist`` folder, never copied into the repository). This module is the one place that
knows where it lives; ``staticfiles`` serves it with the site's own files under
``/static/vendor/bootstrap/``, fingerprinted and compressed, so pages load nothing
from elsewhere (the Content-Security-Policy allows only 'self').
"""

from pathlib import Path

import bootstrap_wrapper
from flask import Flask, url_for

#: where the vendor's stylesheets appear under ``/static/``
BOOTSTRAP_PREFIX = "vendor/bootstrap/css"
STYLESHEETS = {"ltr": "bootstrap.min.css", "rtl": "bootstrap.rtl.min.css"}


def vendor_files() -> dict[str, Path]:
    """Name under ``/static/`` -> installed file, for every third-party file pages use."""
    css = Path(bootstrap_wrapper.get_bootstrap_css_dir())
    return {f"{BOOTSTRAP_PREFIX}/{name}": css / name for name in STYLESHEETS.values()}


def register(app: Flask) -> None:
    """Let templates ask for the right stylesheet."""
    app.add_template_global(bootstrap_css_url)


def bootstrap_css_url(direction: str = "ltr") -> str:
    """The URL of Bootstrap's stylesheet for a text direction (``rtl`` mirrors the layout)."""
    name = STYLESHEETS["rtl" if direction == "rtl" else "ltr"]
    return url_for("static", filename=f"{BOOTSTRAP_PREFIX}/{name}")
