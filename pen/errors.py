"""Exceptions services raise; views turn them into pages.

Services never touch ``request`` or ``flash``: they raise these, and the view
shows the message beside the field it names (or at the top of the form).
"""

from werkzeug.exceptions import Forbidden, NotFound

__all__ = ["Forbidden", "NotFound", "ValidationError"]


class ValidationError(Exception):
    """Input a member can correct: the message is shown to them as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
