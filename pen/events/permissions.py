"""Who may see and do what with events: the "event" rule and the named predicates.

An event of the whole network is for every member; an event of a thematic group
for that group's members (and administrators, who see every group's content:
``groups.permissions.in_group``), everywhere: calendar, list, event page, .ics
files and feeds, registrations. ``EVENT_RULE`` says it once and is registered on
the app; ``visible_clause`` (SQL) and ``can_view_event`` (one event) ask it.
"""

from sqlalchemy import or_, select

from .. import visibility
from ..auth.permissions import is_admin, is_member, register_predicate
from ..groups import permissions as group_permissions
from ..members import designations
from ..members.models import Designation
from ..visibility import AnyOf, Is, Rule, UserIs
from .models import THROUGH_OCP, Event, Registration

EVENT_KIND = "event"
EVENT_RULE = Rule(EVENT_KIND, Event, UserIs("member", is_member),
                  AnyOf(Is("network", Event.group_id, None),       # the network's events,
                        group_permissions.in_group(Event.group_id)))  # or a group's


def register_rules(app) -> None:
    """Register the event rule on ``app``."""
    visibility.register_rule(app, EVENT_KIND, EVENT_RULE)


def visible_clause(user):
    """The registered rule as a SQL condition on ``Event``."""
    return visibility.rule_for(EVENT_KIND).clause(user)


def can_view_event(user, event: Event) -> bool:
    """Whether ``user`` may see ``event``: the registered rule."""
    return visibility.rule_for(EVENT_KIND).can(user, event)


def can_create_event(user) -> bool:
    """Administrators (the Secretariat) and group coordinators organise events."""
    return is_admin(user) or (is_member(user) and bool(coordinated_group_ids(user)))


def coordinated_group_ids(user) -> set[int]:
    """The groups ``user`` coordinates (they may organise events for them)."""
    return {gid for gid in group_permissions.member_group_ids(user)
            if group_permissions.is_coordinator(user, gid)}


def can_manage_event(user, event: Event) -> bool:
    """The organiser and administrators edit an event and see its registrations."""
    return can_view_event(user, event) and (
        is_admin(user) or (event.organiser_id is not None and event.organiser_id == user.id))


def is_ocp_of(user, country: str | None) -> bool:
    """Whether ``user`` is a current, verified official contact point of ``country`` (a
    designation the Secretariat recorded, in force today)."""
    return designations.is_current(user, "ocp", country)


def ocp_countries(user) -> list[str]:
    """The countries ``user`` is currently the verified official contact point for."""
    return designations.countries_of(user, "ocp")


def has_ocp(country: str | None) -> bool:
    """Whether ``country`` has a current official contact point on PEN."""
    return bool(designations.holders("ocp", country))


def may_endorse(user, country: str | None) -> bool:
    """A current OCP of ``country``; the Secretariat (administrators) where it has none."""
    return is_ocp_of(user, country) or (is_admin(user) and not has_ocp(country))


def endorsable_clause(user):
    """SQL condition on ``Registration``: pending ones ``user`` may decide (their OCP
    countries; for administrators also every country without a current OCP)."""
    parts = [Registration.country.in_(ocp_countries(user))]
    if is_admin(user):
        has_one = select(Designation.id).where(
            Designation.kind == "ocp", Designation.country == Registration.country,
            designations.current_clause()).exists()
        parts.append(~has_one)
    return or_(*parts)


def goes_through_ocp(event: Event) -> bool:
    """Whether registrations wait for an OCP's endorsement."""
    return event.registration == THROUGH_OCP


def can_endorse(user) -> bool:
    """Current OCPs (their countries) and the Secretariat (countries without one) have an
    endorsement queue."""
    return is_admin(user) or bool(ocp_countries(user))


PREDICATES = {"create_event": can_create_event, "manage_event": can_manage_event,
              "view_event": can_view_event, "endorse_registrations": can_endorse}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.manage_event(event)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)
