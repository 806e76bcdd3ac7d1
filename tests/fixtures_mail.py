"""Mail fixtures, loaded by test modules with ``pytest_plugins = ["tests.fixtures_mail"]``."""

import pytest

from tests.smtp_server import SMTPServer, free_port


@pytest.fixture(scope="session")
def _smtp_controller():
    """One real SMTP server for the whole run."""
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_controller):
    """The SMTP server, emptied and accepting, for one test."""
    _smtp_controller.reset()
    yield _smtp_controller
    _smtp_controller.reset()


@pytest.fixture
def smtp_app(app, smtp_server):
    """The app under test (``app`` fixture), its mail going to ``smtp_server``."""
    app.config["MAIL_URL"] = smtp_server.url
    return app


@pytest.fixture
def closed_port_url():
    """An SMTP URL where nothing listens."""
    return f"smtp://127.0.0.1:{free_port()}"
