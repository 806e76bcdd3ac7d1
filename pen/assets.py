"""Third-party assets the build installs: Bootstrap's CSS, left-to-right and right-to-left.

Bootstrap comes from the ``xstatic-bootstrap`` package (never copied into the
repository) and is served from this app under ``/static/vendor/bootstrap/`` so pages
load nothing from elsewhere (the Content-Security-Policy allows only 'self').
"""

import xstatic.pkg.bootstrap as xstatic_bootstrap
from flask import Blueprint, Flask, url_for

BOOTSTRAP_ENDPOINT = "bootstrap_assets.static"


def register(app: Flask) -> None:
    """Serve the installed Bootstrap and let templates ask for the right stylesheet."""
    app.register_blueprint(Blueprint(
        "bootstrap_assets", __name__, static_folder=xstatic_bootstrap.BASE_DIR,
        static_url_path="/static/vendor/bootstrap"))
    app.add_template_global(bootstrap_css_url)


def bootstrap_css_url(direction: str = "ltr") -> str:
    """The URL of Bootstrap's stylesheet for a text direction (``rtl`` mirrors the layout)."""
    name = "bootstrap.rtl.min.css" if direction == "rtl" else "bootstrap.min.css"
    return url_for(BOOTSTRAP_ENDPOINT, filename=f"css/{name}")
