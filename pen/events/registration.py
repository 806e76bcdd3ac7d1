"""Registrations: capacity and waiting list, endorsement by official contact points.

Where an event says registrations go through official contact points, a
registration waits (``pending``) until an OCP of the member's country endorses
or declines it. A registration that is accepted takes a place if one is free,
else joins the waiting list; when a confirmed member cancels, the first on the
waiting list is promoted. Each change emails the member through the outbox, in
the same transaction.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from .. import audit, i18n, mail
from ..auth.models import Role, RoleName, User, UserStatus, user_roles
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..members import designations
from ..members.models import Profile
from ..notifications.service import absolute_url, path_for
from ..types import utcnow
from . import permissions
from .models import (
    ACTIVE_STATUSES,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    PENDING,
    WAITLISTED,
    Event,
    Registration,
)

NOTE_MAX = 500


def registration_of(user, event: Event) -> Registration | None:
    """``user``'s registration for ``event`` (in any state), or None."""
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))


def confirmed_count(event: Event) -> int:
    """Places taken."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == CONFIRMED)) or 0


def _lock(event: Event) -> None:
    """Serialise registrations for one event (PostgreSQL row lock; SQLite locks on write)."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _seat_or_wait(registration: Registration) -> None:
    """Confirm if a place is free, else put on the waiting list."""
    event = registration.event
    full = event.capacity is not None and confirmed_count(event) >= event.capacity
    registration.status = WAITLISTED if full else CONFIRMED
    registration.queued_at = utcnow()


def register(user, event: Event, note: str = "") -> Registration:
    """Register ``user``: pending an OCP's endorsement, confirmed, or on the waiting list."""
    if not permissions.can_view_event(user, event):
        raise NotFound()
    _check_open(event)
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long."), "note")
    _lock(event)
    registration = registration_of(user, event)
    if registration is not None and registration.status in ACTIVE_STATUSES:
        raise ValidationError(_("You are already registered for this event."))
    country = _country_of(user)
    if permissions.goes_through_ocp(event) and not country:
        raise ValidationError(_("Add your country to your profile first: registrations for "
                                "this event go through your country's official contact point."))
    if registration is None:
        registration = Registration(event=event, user_id=user.id)
        db.session.add(registration)
    registration.user, registration.country, registration.note = user, country, note.strip()
    registration.created_at, registration.decided_at, registration.decided_by_id = \
        utcnow(), None, None
    if permissions.goes_through_ocp(event):
        registration.status = PENDING
    else:
        _seat_or_wait(registration)
    db.session.flush()
    audit.record(user, "event.register", registration, event_id=event.id,
                 status=registration.status)
    _mail_member(registration)
    if registration.status == PENDING:
        _mail_ocps(registration)
    db.session.commit()
    return registration


def _check_open(event: Event) -> None:
    """Refuse events that take no registrations or have begun."""
    if not event.takes_registrations:
        raise ValidationError(_("This event takes no registrations."))
    if event.starts_at <= utcnow():
        raise ValidationError(_("Registration has closed: the event has begun."))


def _country_of(user) -> str | None:
    """The member's country on their profile, if any."""
    profile = db.session.get(Profile, user.id)
    return profile.country if profile else None


def cancel(user, registration: Registration) -> None:
    """The member withdraws; a freed place goes to the first on the waiting list."""
    if registration.user_id != user.id:
        raise Forbidden(_("This is not your registration."))
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This registration is no longer active."))
    _lock(registration.event)
    freed = registration.status == CONFIRMED
    registration.status, registration.decided_at = CANCELLED, utcnow()
    audit.record(user, "event.cancel", registration, event_id=registration.event_id)
    db.session.flush()
    if freed:
        promote_waiting(registration.event)
    db.session.commit()


def promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served."""
    promoted = []
    while event.capacity is None or confirmed_count(event) < event.capacity:
        first = db.session.scalar(select(Registration).where(
            Registration.event_id == event.id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id).limit(1))
        if first is None:
            break
        first.status = CONFIRMED
        db.session.flush()
        audit.record(None, "event.promote", first, event_id=event.id)
        _mail_member(first, promoted=True)
        promoted.append(first)
    return promoted


def check_endorser(actor, registration: Registration) -> None:
    """404 if the event is hidden from ``actor``; 403 unless they are its country's OCP."""
    if not permissions.can_view_event(actor, registration.event):
        raise NotFound()
    if not permissions.may_endorse(actor, registration.country):
        raise Forbidden(_("Only a current, verified official contact point of the member's "
                          "country endorses this registration."))
    if registration.status != PENDING:
        raise ValidationError(_("This registration has already been decided."))


def endorse(actor, registration: Registration) -> Registration:
    """An OCP of the member's country endorses: a place, or the waiting list."""
    check_endorser(actor, registration)
    _lock(registration.event)
    _seat_or_wait(registration)
    registration.decided_at, registration.decided_by_id = utcnow(), actor.id
    audit.record(actor, "event.endorse", registration, event_id=registration.event_id,
                 status=registration.status)
    _mail_member(registration, endorsed=True)
    db.session.commit()
    return registration


def decline(actor, registration: Registration) -> Registration:
    """An OCP of the member's country declines the registration."""
    check_endorser(actor, registration)
    registration.status = DECLINED
    registration.decided_at, registration.decided_by_id = utcnow(), actor.id
    audit.record(actor, "event.decline", registration, event_id=registration.event_id)
    _mail_member(registration)
    db.session.commit()
    return registration


def get_registration_or_404(registration_id: int) -> Registration:
    """The registration, or NotFound."""
    found = db.session.get(Registration, registration_id)
    if found is None:
        raise NotFound()
    return found


def queue_query(actor):
    """The registrations waiting for ``actor``'s endorsement (their country), oldest first."""
    if not permissions.can_endorse(actor):
        raise Forbidden(_("The endorsement queue is for official contact points."))
    return (select(Registration).join(Event, Registration.event_id == Event.id)
            .where(Registration.status == PENDING, permissions.endorsable_clause(actor),
                   permissions.visible_clause(actor))
            .order_by(Registration.created_at, Registration.id))


def roster(event: Event) -> list[Registration]:
    """Every registration of the event: confirmed, waiting, pending, then the rest."""
    order = {CONFIRMED: 0, WAITLISTED: 1, PENDING: 2, DECLINED: 3, CANCELLED: 4}
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                              .order_by(Registration.queued_at, Registration.id))
    return sorted(rows, key=lambda r: order.get(r.status, 9))


def _event_link(event: Event) -> str:
    """The event's address for an email."""
    return absolute_url(path_for("events.show", event_id=event.id))


def _mail_member(registration: Registration, promoted: bool = False,
                 endorsed: bool = False) -> None:
    """Tell the member where their registration stands, in their language."""
    recipient = i18n.recipients([registration.user_id])[registration.user_id]
    with i18n.for_recipient(registration.user, recipient):
        _queue_status_mail(registration, recipient, promoted, endorsed)


def _queue_status_mail(registration: Registration, recipient: i18n.Recipient, promoted: bool,
                       endorsed: bool) -> None:
    """Queue the status mail; its times are also shown on the member's clock, if they
    chose one (``recipient.zone``)."""
    event = registration.event
    subjects = {
        CONFIRMED: _("Your place at %(title)s is confirmed", title=event.title),
        WAITLISTED: _("You are on the waiting list for %(title)s", title=event.title),
        PENDING: _("Your registration for %(title)s awaits endorsement", title=event.title),
        DECLINED: _("Your registration for %(title)s was declined", title=event.title),
    }
    mail.queue_template(registration.user.email, subjects[registration.status],
                        "events_registration", registration=registration, event=event,
                        promoted=promoted, endorsed=endorsed, link=_event_link(event),
                        member_zone=recipient.zone)


def _ocps_to_ask(registration: Registration) -> list[User]:
    """The current OCPs of the member's country who may see the event, the member aside;
    where the country has none, the Secretariat (the administrators)."""
    ocps = designations.holders("ocp", registration.country) or _secretariat()
    return [ocp for ocp in ocps if ocp.id != registration.user_id
            and permissions.can_view_event(ocp, registration.event)]


def _secretariat() -> list[User]:
    """The active administrators, who endorse for countries without an OCP."""
    return list(db.session.scalars(select(User).join(user_roles).join(Role).where(
        Role.name == RoleName.ADMIN.value, User.status == UserStatus.ACTIVE)))


def _mail_ocps(registration: Registration) -> None:
    """Ask the OCPs of the member's country to endorse or decline."""
    ocps = _ocps_to_ask(registration)
    writing = i18n.recipients(ocp.id for ocp in ocps)
    queue = absolute_url(path_for("events.queue"))
    for ocp in ocps:
        with i18n.for_recipient(ocp, writing[ocp.id]):
            mail.queue_template(ocp.email, _("A registration awaits your endorsement"),
                                "events_endorsement_request", registration=registration,
                                event=registration.event, ocp=ocp, link=queue)


def send_reminders(now=None) -> int:
    """Email confirmed members of events starting within ``EVENTS_REMINDER_HOURS``. The
    registrations are claimed in the transaction that queues their mail, so no reminder
    is ever sent twice; a fixed number of queries however many are due."""
    due = _claim_reminders(now or utcnow())
    writing = i18n.recipients(registration.user_id for registration in due)
    for registration in due:
        with i18n.for_recipient(registration.user, writing[registration.user_id]):
            mail.queue_template(registration.user.email,
                                _("Reminder: %(title)s", title=registration.event.title),
                                "events_reminder", registration=registration,
                                event=registration.event, link=_event_link(registration.event),
                                member_zone=writing[registration.user_id].zone)
    db.session.commit()
    return len(due)


def _claim_reminders(now) -> list[Registration]:
    """Mark reminded the confirmed registrations of events starting soon that were not
    yet; those, with their members, events and sessions. One UPDATE claims them all: a
    worker running at the same time waits for it, then finds them taken."""
    hours = int(current_app.config.get("EVENTS_REMINDER_HOURS", 24))
    soon = (select(Registration.id).join(Event, Registration.event_id == Event.id)
            .where(Registration.status == CONFIRMED, Event.starts_at > now,
                   Event.starts_at <= now + timedelta(hours=hours)))
    claimed = db.session.scalars(
        update(Registration).where(Registration.id.in_(soon), Registration.reminded_at.is_(None))
        .values(reminded_at=now).returning(Registration.id)).all()
    if not claimed:
        return []
    return list(db.session.scalars(
        select(Registration).where(Registration.id.in_(claimed))
        .options(selectinload(Registration.event).selectinload(Event.sessions))
        .join(Event, Registration.event_id == Event.id)
        .order_by(Event.starts_at, Registration.id)))
