"""The thematic groups an applicant may name, and what becomes of them on approval.

Groups live in a higher layer than applications, so they register here what to
offer (``choices``) and how to turn an approved applicant's interests into
join requests (``file_requests``), per app, in ``app.extensions``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

_KEY = "pen.applications.group_source"


@dataclass(frozen=True)
class GroupSource:
    """``choices()`` -> [(id, name)]; ``file_requests(actor, user, ids, message)`` -> names."""

    choices: Callable[[], list[tuple[int, str]]]
    file_requests: Callable[[object, object, list[int], str], list[str]]


def register_group_source(app: Flask, source: GroupSource) -> None:
    """Let the groups area offer its groups to applicants."""
    app.extensions[_KEY] = source


def _source() -> GroupSource | None:
    """This app's registered source, if the groups area is there."""
    return current_app.extensions.get(_KEY)


def group_choices() -> list[tuple[int, str]]:
    """The groups an applicant may say they are interested in (none without a groups area)."""
    source = _source()
    return list(source.choices()) if source else []


def file_requests(actor, user, group_ids: list[int], message: str) -> list[str]:
    """Ask to join these groups for a newly approved member; the names of those asked."""
    source = _source()
    if source is None or not group_ids:
        return []
    return source.file_requests(actor, user, group_ids, message)
