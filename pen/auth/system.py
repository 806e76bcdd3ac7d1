"""The system as an actor: commands, demo seeding and tests act with an admin's rights.

It has no account, so the audit log records it as the system (actor None).
"""

from .models import RoleName, UserStatus


class SystemActor:
    """An administrator without an account."""

    id = None
    is_authenticated = True
    status = UserStatus.ACTIVE
    role_names = frozenset({RoleName.ADMIN.value, RoleName.MEMBER.value})


SYSTEM = SystemActor()
