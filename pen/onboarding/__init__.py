"""The staged rollout: site mode, cohorts (the test group first), invitations, tracking.

Settings (``PEN_`` environment variables or ``instance/config.py``):
``INVITATION_DAYS`` (how long a link works), ``INVITATIONS_PER_MINUTE`` (the
throttle of bulk sending) and ``SITE_MODE`` (the mode until an administrator
sets one; then the database decides). Links in invitations use ``SITE_URL``
when it is set (it must be, to send from the command line in production).
"""

from flask import Flask

from ..members import importer


def register(app: Flask) -> None:
    """Blueprints, the pilot gate, template predicates, the import hook and commands."""
    from . import access, cli, service
    from .admin_views import bp as rollout_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(rollout_bp)
    access.register(app)
    importer.import_started.connect(service.on_import_started)
    cli.register(app)
