"""Exceptions services raise; views turn them into pages.

Services never touch ``request`` or ``flash``: they raise these, and the view
shows the message beside the field it names (or at the top of the form).
"""

import errno

from werkzeug.exceptions import Forbidden, NotFound

__all__ = ["FULL_DISK", "Forbidden", "NotFound", "StorageFull", "ValidationError"]

FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT})  # "no space left", "quota exceeded"


class ValidationError(Exception):
    """Input a member can correct: the message is shown to them as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StorageFull(ValidationError):
    """A write refused because the disk is full: nothing was kept; the form shows why, and
    the answer is 503 (the operators are alerted by the disk check)."""
