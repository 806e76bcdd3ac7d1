"""The forum fixtures serve the notification tests too: forums are what notifies today."""

from tests.fixtures_mail import _smtp_controller, smtp_app, smtp_server  # noqa: F401
from tests.forums.conftest import (  # noqa: F401
    author,
    category,
    moderator,
    other_category,
    topic,
)
