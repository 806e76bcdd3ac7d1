"""Designations under the Convention: recorded by the Secretariat, requested by members.

Official contact points (OCPs), national focal points (NFPs) and designated national
authorities (DNAs) are nominated by governments; on PEN an administrator records them
with a country and dates. A member may ask for one with a justification; an
administrator approves (recording it) or declines, and each side is notified. Only
designations in force count: ``holders`` and ``is_current`` are what other areas ask.
The profile's ``convention_role`` is derived from them, for the directory's facet.
"""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from .. import audit, notifications, worker
from ..auth import permissions
from ..auth.models import Role, RoleName, User, UserStatus, user_roles
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..notifications.texts import sentence
from ..types import utcnow
from . import countries, indexing
from .models import (
    DESIGNATION_KINDS,
    REQUEST_APPROVED,
    REQUEST_DECLINED,
    REQUEST_PENDING,
    Designation,
    DesignationRequest,
    Profile,
)

JUSTIFICATION_MAX = 2000
TARGET = "designation_request"


def today() -> date:
    """The date designations are judged on (UTC)."""
    return utcnow().date()


def current_clause(on: date | None = None):
    """SQL condition on ``Designation``: in force on ``on`` (today by default)."""
    day = on or today()
    return (Designation.starts_on <= day) & or_(Designation.ends_on.is_(None),
                                                Designation.ends_on >= day)


def holders(kind: str, country: str | None) -> list[User]:
    """The active members currently designated ``kind`` for ``country``."""
    if not country:
        return []
    return list(db.session.scalars(
        select(User).join(Designation, Designation.user_id == User.id)
        .where(Designation.kind == kind, Designation.country == country, current_clause(),
               User.status == UserStatus.ACTIVE).order_by(User.id).distinct()))


def is_current(user, kind: str, country: str | None) -> bool:
    """Whether ``user`` holds a designation ``kind`` for ``country`` in force today."""
    if not permissions.is_member(user) or not country:
        return False
    return db.session.scalar(select(Designation.id).where(
        Designation.user_id == user.id, Designation.kind == kind,
        Designation.country == country, current_clause()).limit(1)) is not None


def countries_of(user, kind: str) -> list[str]:
    """The countries ``user`` currently holds a designation ``kind`` for."""
    if not permissions.is_member(user):
        return []
    return sorted(set(db.session.scalars(select(Designation.country).where(
        Designation.user_id == user.id, Designation.kind == kind, current_clause()))))


def of_member(user_id: int) -> list[Designation]:
    """Every designation of a member, the latest first (for the profile and admins)."""
    return list(db.session.scalars(select(Designation).where(Designation.user_id == user_id)
                                   .order_by(Designation.starts_on.desc(), Designation.id)))


def in_force(user_id: int) -> list[Designation]:
    """A member's designations in force today: what the profile shows as verified."""
    return list(db.session.scalars(select(Designation).where(
        Designation.user_id == user_id, current_clause()).order_by(Designation.kind)))


def _require_admin(actor) -> None:
    """Only the Secretariat records and decides designations."""
    if not permissions.is_admin(actor):
        raise Forbidden(_("Only administrators record designations."))


def _check_fields(kind: str, country: str | None, starts_on, ends_on) -> None:
    """Refuse an unknown kind, a country that does not exist, or dates out of order."""
    if kind not in DESIGNATION_KINDS:
        raise ValidationError(_("Choose a designation from the list."), field="kind")
    if not country or country not in countries.REGION_OF:
        raise ValidationError(_("There is no country with the code %(code)s.",
                                code=country or "—"), field="country")
    if not isinstance(starts_on, date):
        raise ValidationError(_("Give the date the designation starts."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The designation cannot end before it starts."),
                              field="ends_on")


def _check_overlap(user_id: int, kind: str, country: str, starts_on: date,
                   ends_on: date | None, exclude: int | None = None) -> None:
    """Refuse a second designation of the same member, kind and country over the same days."""
    clash = db.session.scalar(select(Designation).where(
        Designation.user_id == user_id, Designation.kind == kind, Designation.country == country,
        Designation.id != (exclude or 0),
        or_(Designation.ends_on.is_(None), Designation.ends_on >= starts_on),
        Designation.starts_on <= (ends_on or date.max)).limit(1))
    if clash is not None:
        raise ValidationError(_(
            "These dates overlap the member's designation from %(start)s to %(end)s.",
            start=clash.starts_on.isoformat(),
            end=clash.ends_on.isoformat() if clash.ends_on else _("no end date")),
            field="starts_on")


def record(actor, user: User, kind: str, country: str | None, starts_on: date,
           ends_on: date | None = None, commit: bool = True) -> Designation:
    """Record a designation (administrators); audited, shown as verified, member told."""
    _require_admin(actor)
    _check_fields(kind, country, starts_on, ends_on)
    _check_overlap(user.id, kind, country, starts_on, ends_on)
    found = Designation(user_id=user.id, kind=kind, country=country, starts_on=starts_on,
                        ends_on=ends_on, recorded_by_id=getattr(actor, "id", None))
    db.session.add(found)
    db.session.flush()
    audit.record(actor, "designation.record", found, user_id=user.id, kind=kind,
                 country=country, starts_on=starts_on.isoformat(),
                 ends_on=ends_on.isoformat() if ends_on else None)
    sync_profile_role(user.id)
    if commit:
        db.session.commit()
    return found


def end(actor, designation: Designation, ends_on: date) -> Designation:
    """End a designation on ``ends_on`` (not before it started); audited."""
    _require_admin(actor)
    if not isinstance(ends_on, date) or ends_on < designation.starts_on:
        raise ValidationError(_("The designation cannot end before it starts."),
                              field="ends_on")
    designation.ends_on = ends_on
    audit.record(actor, "designation.end", designation, ends_on=ends_on.isoformat())
    sync_profile_role(designation.user_id)
    db.session.commit()
    return designation


def get_or_404(designation_id: int) -> Designation:
    """A designation by id, or NotFound."""
    found = db.session.get(Designation, designation_id)
    if found is None:
        raise NotFound()
    return found


def recorded_query(country: str | None = None):
    """Designations for the administrators' list, by country then start, newest first."""
    query = select(Designation).order_by(Designation.country, Designation.kind,
                                         Designation.starts_on.desc(), Designation.id)
    return query.where(Designation.country == country) if country else query


def sync_profile_role(user_id: int) -> bool:
    """Set the profile's Convention role (the directory's facet) from the designations in
    force: OCP before NFP before DNA; a role no designation backs is cleared. True if it
    changed."""
    profile = db.session.get(Profile, user_id)
    if profile is None:
        return False
    held = set(db.session.scalars(select(Designation.kind).where(
        Designation.user_id == user_id, current_clause())))
    wanted = next((kind for kind in DESIGNATION_KINDS if kind in held), None)
    if wanted is None and profile.convention_role not in DESIGNATION_KINDS:
        return False
    if profile.convention_role == wanted:
        return False
    profile.convention_role = wanted
    indexing.enqueue_profile(user_id)
    return True


def refresh_profile_roles() -> int:
    """Worker task: follow designations that started or ended since (a date passes).
    How many profiles changed (0 when nothing did, so ``worker --once`` stops)."""
    ids = set(db.session.scalars(select(Designation.user_id)))
    ids |= set(db.session.scalars(select(Profile.user_id).where(
        Profile.convention_role.in_(DESIGNATION_KINDS))))
    changed = sum(sync_profile_role(user_id) for user_id in sorted(ids))
    db.session.commit()
    return changed


# --- Requests ------------------------------------------------------------------

def request_designation(user, kind: str, country: str | None,
                        justification: str) -> DesignationRequest:
    """A member asks to be recorded as ``kind`` for ``country``; administrators are told."""
    if not permissions.is_member(user):
        raise Forbidden(_("Only members ask for designations."))
    _check_fields(kind, country, today(), None)
    text = (justification or "").strip()
    if not text:
        raise ValidationError(_("Say why: who designated you, and where it is published."),
                              field="justification")
    if len(text) > JUSTIFICATION_MAX:
        raise ValidationError(_("The justification is too long."), field="justification")
    _check_not_pending(user.id, kind, country)
    found = DesignationRequest(user_id=user.id, kind=kind, country=country, justification=text)
    db.session.add(found)
    db.session.flush()
    audit.record(user, "designation.request", found, kind=kind, country=country)
    _notify_admins(found, user)
    db.session.commit()
    return found


def _check_not_pending(user_id: int, kind: str, country: str) -> None:
    """One pending request per member, kind and country."""
    if db.session.scalar(select(DesignationRequest.id).where(
            DesignationRequest.user_id == user_id, DesignationRequest.kind == kind,
            DesignationRequest.country == country,
            DesignationRequest.status == REQUEST_PENDING).limit(1)) is not None:
        raise ValidationError(_("You already asked for this designation; the Secretariat "
                                "will answer."), field="kind")


def pending_request(user_id: int, kind: str, country: str | None,
                    justification: str) -> DesignationRequest:
    """A pending request made for a member (the contact-list import), without notice."""
    found = DesignationRequest(user_id=user_id, kind=kind, country=country,
                               justification=justification)
    db.session.add(found)
    return found


def get_request_or_404(request_id: int) -> DesignationRequest:
    """A request by id, or NotFound."""
    found = db.session.get(DesignationRequest, request_id)
    if found is None:
        raise NotFound()
    return found


def _check_decidable(actor, found: DesignationRequest) -> None:
    """Administrators decide pending requests only."""
    _require_admin(actor)
    if found.status != REQUEST_PENDING:
        raise ValidationError(_("This request has already been decided."))


def approve(actor, found: DesignationRequest, country: str | None, starts_on: date,
            ends_on: date | None = None) -> Designation:
    """Record the requested designation (the country may be corrected); the member is told."""
    _check_decidable(actor, found)
    designation = record(actor, found.user, found.kind, country, starts_on, ends_on,
                         commit=False)
    found.country, found.designation_id = country, designation.id
    _decide(actor, found, REQUEST_APPROVED, "")
    db.session.commit()
    return designation


def decline(actor, found: DesignationRequest, note: str) -> DesignationRequest:
    """Decline a request with a reason the member reads."""
    _check_decidable(actor, found)
    if not (note or "").strip():
        raise ValidationError(_("Tell the member why."), field="note")
    _decide(actor, found, REQUEST_DECLINED, note.strip()[:JUSTIFICATION_MAX])
    db.session.commit()
    return found


def _decide(actor, found: DesignationRequest, status: str, note: str) -> None:
    """Mark decided, audit, and tell the member."""
    found.status, found.decision_note = status, note
    found.decided_at, found.decided_by_id = utcnow(), getattr(actor, "id", None)
    audit.record(actor, f"designation.request_{status}", found, note=note)
    title = (sentence("Your request to be recorded as %(role)s was approved",
                      role=found.kind.upper()) if status == REQUEST_APPROVED else
             sentence("Your request to be recorded as %(role)s was declined",
                      role=found.kind.upper()))
    notifications.notify([found.user_id], "designation.decided", _target(found, title, True),
                         can_see=lambda user: True, actor=actor, excerpt=note)


def _notify_admins(found: DesignationRequest, user) -> None:
    """Tell every administrator a request waits."""
    admins = db.session.scalars(select(User.id).join(user_roles).join(Role).where(
        Role.name == RoleName.ADMIN.value, User.status == UserStatus.ACTIVE))
    title = sentence("%(name)s asks to be recorded as %(role)s", name=user.display_name,
                     role=found.kind.upper())
    notifications.notify(list(admins), "designation.requested", _target(found, title, False),
                         can_see=permissions.is_admin, actor=user,
                         excerpt=found.justification)


def _target(found: DesignationRequest, title, for_member: bool) -> notifications.Target:
    """The notification target: the member's designations page, or the admins' queue."""
    endpoint = "members.my_designations" if for_member else "members.designations_page"
    return notifications.Target(TARGET, found.id, title, notifications.path_for(endpoint))


def pending_query():
    """Pending requests, oldest first (the administrators' queue)."""
    return (select(DesignationRequest).where(DesignationRequest.status == REQUEST_PENDING)
            .order_by(DesignationRequest.created_at, DesignationRequest.id))


def requests_of(user_id: int) -> list[DesignationRequest]:
    """A member's requests, newest first."""
    return list(db.session.scalars(select(DesignationRequest).where(
        DesignationRequest.user_id == user_id).order_by(DesignationRequest.created_at.desc(),
                                                        DesignationRequest.id.desc())))


def visible_request_ids(user, ids) -> set[int]:
    """Notification targets: administrators see every request, members their own."""
    if permissions.is_admin(user):
        return set(ids)
    return set(db.session.scalars(visible_request_query(user).where(
        DesignationRequest.id.in_(list(ids)))))


def visible_request_query(user):
    """The ids of requests ``user`` may see, as a SELECT (for the bell's SQL)."""
    query = select(DesignationRequest.id)
    return query if permissions.is_admin(user) else query.where(
        DesignationRequest.user_id == user.id)


visible_request_ids.query = visible_request_query

KIND_LABELS = {"designation.requested": _l("Designation request"),
               "designation.decided": _l("Your designation request")}


def register(app) -> None:
    """Notification targets and kinds; the worker follows dates as they pass."""
    notifications.register_target(app, TARGET, visible_request_ids)
    for kind, label in KIND_LABELS.items():
        notifications.register_kind(app, kind, label)
    worker.register_task(app, "designations", refresh_profile_roles)
