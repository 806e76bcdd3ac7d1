"""The welcome checklist a new member lands on: what to do first in the network.

A step links to its page only when that page exists in this app (the groups and
forums may come later); until then it is shown as coming soon, with no link.
Areas that arrive later can say when a step is done with ``register_done_check``.
"""

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from ..members import service as members

_CHECKS_KEY = "pen.onboarding.done_checks"


@dataclass(frozen=True)
class StepSpec:
    """A step of the checklist: its text and the endpoints that may serve it."""

    key: str
    title: object
    text: object
    endpoints: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """A step as one member sees it: where it leads (None: coming soon) and whether it is done."""

    key: str
    title: str
    text: str
    url: str | None
    done: bool


STEPS = (
    StepSpec("profile", _l("Complete your profile"),
             _l("Your organisation, country, expertise and a few words about your work, so "
                "that other experts can find you."), ("members.edit_mine",)),
    StepSpec("group", _l("Join a thematic group"),
             _l("Work with the members who share your field: inventories, maintenance, "
                "disposal…"), ("groups.index",)),
    StepSpec("introduce", _l("Introduce yourself in the forum"),
             _l("Say hello to the network and tell it what you are working on."),
             ("forums.introductions", "forums.index")),
)


def register_done_check(app, key: str, check) -> None:
    """Let an area tell ``app`` whether a member has done a step: ``check(user) -> bool``."""
    app.extensions.setdefault(_CHECKS_KEY, {})[key] = check


def profile_complete(user) -> bool:
    """The profile names an organisation and a country, and at least one area of expertise."""
    profile = members.get_profile(user.id)
    return bool(profile and profile.organisation and profile.country and profile.expertise)



def steps_for(user) -> list[Step]:
    """The checklist for this member."""
    return [Step(spec.key, str(spec.title), str(spec.text), _url(spec.endpoints),
                 bool(_done_checks().get(spec.key, lambda _user: False)(user)))
            for spec in STEPS]


def _done_checks() -> dict:
    """This app's checks, by step; the profile step is the checklist's own."""
    return {"profile": profile_complete, **current_app.extensions.get(_CHECKS_KEY, {})}


def _url(endpoints: tuple[str, ...]) -> str | None:
    """A link to the first of these endpoints that exists, else None."""
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None
