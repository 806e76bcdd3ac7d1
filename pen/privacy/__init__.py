"""Members' own data: the privacy notice administrators edit, linked from every page."""

from flask import Flask


def register(app: Flask) -> None:
    """The blueprint of the privacy pages."""
    from .views import bp

    app.register_blueprint(bp)
