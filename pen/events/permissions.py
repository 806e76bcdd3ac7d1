"""Who may see and do what with events: the named predicates.

An event of a thematic group is for that group's members (and administrators,
who see every group's content), everywhere: calendar, list, event page, .ics
files and feeds, registrations. ``visible_clause`` is that rule in SQL, and
``can_view_event`` the same rule for one event.
"""

from sqlalchemy import or_, select

from ..auth.permissions import is_admin, is_member, register_predicate
from ..groups import permissions as group_permissions
from ..members import designations
from ..members.models import Designation
from .models import THROUGH_OCP, Event, Registration


def visible_clause(user):
    """The SQL condition on ``Event`` for the events ``user`` may see."""
    if not is_member(user):
        return Event.id.is_(None)
    if group_permissions.sees_all_groups(user):
        return Event.id.is_not(None)
    groups = sorted(group_permissions.member_group_ids(user))
    return or_(Event.group_id.is_(None), Event.group_id.in_(groups))


def can_view_event(user, event: Event) -> bool:
    """Network events are for every member; group events for the group's members."""
    return is_member(user) and group_permissions.can_see_group_content(user, event.group_id)


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


def register_predicates() -> None:
    """Expose the predicates to templates as ``can.manage_event(event)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(name, predicate)
