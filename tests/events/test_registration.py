"""Registration: capacity and waiting list, OCP endorsement, emails, reminders, CSV."""

from datetime import timedelta

import pytest

from pen.errors import Forbidden, ValidationError
from pen.events import registration
from pen.extensions import db
from pen.types import utcnow
from tests.conftest import csrf_token_from

from .conftest import fields, future_fields, mails_to, with_profile


@pytest.fixture
def workshop(make_event):
    """A workshop in ten days with two places, members register directly."""
    return make_event(future_fields(capacity=2))


@pytest.fixture
def ocp_workshop(make_event):
    """A workshop whose registrations go through official contact points."""
    return make_event(future_fields("Regional workshop in Dakar", registration="ocp",
                                    region="Africa"))


@pytest.fixture
def burkina_ocp(make_user):
    """The official contact point of Burkina Faso."""
    return with_profile(make_user(email="ocp.bf@example.org", name="Moussa Ouedraogo"),
                        country="BF", role="ocp")


@pytest.fixture
def egypt_ocp(make_user):
    """The official contact point of Egypt."""
    return with_profile(make_user(email="ocp.eg@example.org", name="Ahmed Hassan"),
                        country="EG", role="ocp")


def test_a_member_registers_and_is_confirmed_by_email(workshop, member, member_client):
    page = member_client.get(f"/events/{workshop.id}").get_data(as_text=True)
    response = member_client.post(f"/events/{workshop.id}/register",
                                  data={"csrf_token": csrf_token_from(page), "note": ""})
    assert response.status_code == 302
    page = member_client.get(f"/events/{workshop.id}").get_data(as_text=True)
    assert "Confirmed" in page and "1 of 2 places taken." in page
    sent = mails_to(member.email)
    assert [m.subject for m in sent] == [
        "Your place at Regional workshop on PCB inventories is confirmed"]
    assert f"/events/{workshop.id}" in sent[0].body_text


def test_registering_twice_is_refused(workshop, member, member_client):
    registration.register(member, workshop)
    with pytest.raises(ValidationError, match="already registered"):
        registration.register(member, workshop)
    db.session.rollback()
    member_client.post(f"/events/{workshop.id}/register")
    page = member_client.get(f"/events/{workshop.id}").get_data(as_text=True)
    assert "You are already registered for this event." in page
    assert len(mails_to(member.email)) == 1


def test_past_capacity_members_wait_and_are_promoted_when_someone_cancels(
        workshop, make_user):
    first, second, third = (make_user() for _ in range(3))
    assert registration.register(first, workshop).status == "confirmed"
    assert registration.register(second, workshop).status == "confirmed"
    late = registration.register(third, workshop)
    assert late.status == "waitlisted"
    assert mails_to(third.email)[-1].subject.startswith("You are on the waiting list")
    registration.cancel(first, registration.registration_of(first, workshop))
    db.session.refresh(late)
    assert late.status == "confirmed"
    assert "A place has opened" in mails_to(third.email)[-1].body_text
    assert registration.confirmed_count(workshop) == 2


def test_a_cancelled_member_may_register_again_at_the_back_of_the_queue(workshop, make_user):
    first, second, third = (make_user() for _ in range(3))
    for user in (first, second, third):
        registration.register(user, workshop)
    registration.cancel(first, registration.registration_of(first, workshop))
    again = registration.register(first, workshop)
    assert again.status == "waitlisted"


def test_no_registration_once_the_event_has_begun_or_where_none_is_taken(make_event, member):
    past = make_event(fields(registration="open"))
    with pytest.raises(ValidationError, match="Registration has closed"):
        registration.register(member, past)
    plain = make_event(future_fields("COP-5", registration="none"))
    with pytest.raises(ValidationError, match="takes no registrations"):
        registration.register(member, plain)


def test_registrations_through_ocps_wait_for_the_ocp_of_the_members_country(
        ocp_workshop, member, burkina_ocp, client_as):
    with pytest.raises(ValidationError, match="Add your country to your profile"):
        registration.register(member, ocp_workshop)
    db.session.rollback()
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    assert pending.status == "pending"
    assert "awaits endorsement" in mails_to(member.email)[-1].subject
    assert mails_to(burkina_ocp.email)[-1].subject == "A registration awaits your endorsement"
    ocp = client_as(burkina_ocp)
    page = ocp.get("/events/queue").get_data(as_text=True)
    assert "Nguyen Thi Lan" in page and "Burkina Faso" in page
    response = ocp.post(f"/events/registrations/{pending.id}/endorse",
                        data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.status == "confirmed" and pending.decided_by_id == burkina_ocp.id
    assert "endorsed your registration" in mails_to(member.email)[-1].body_text
    assert "Nothing waits for your endorsement." in ocp.get("/events/queue").get_data(
        as_text=True)


def test_endorsing_for_another_country_is_forbidden(ocp_workshop, member, egypt_ocp,
                                                    client_as):
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    with pytest.raises(Forbidden):
        registration.endorse(egypt_ocp, pending)
    other = client_as(egypt_ocp)
    assert "Nguyen Thi Lan" not in other.get("/events/queue").get_data(as_text=True)
    assert other.post(f"/events/registrations/{pending.id}/endorse").status_code == 403
    assert other.post(f"/events/registrations/{pending.id}/decline").status_code == 403
    db.session.refresh(pending)
    assert pending.status == "pending"


def test_an_ocp_declines_and_members_who_are_not_ocps_have_no_queue(
        ocp_workshop, member, burkina_ocp, make_user, client_as):
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    registration.decline(burkina_ocp, pending)
    assert pending.status == "declined"
    assert "declined" in mails_to(member.email)[-1].subject
    with pytest.raises(ValidationError, match="already been decided"):
        registration.endorse(burkina_ocp, pending)
    db.session.rollback()
    assert client_as(make_user()).get("/events/queue").status_code == 403


def test_an_expired_ocp_may_not_endorse_and_nothing_changes(ocp_workshop, member, make_user,
                                                            client_as):
    yesterday = utcnow().date() - timedelta(days=1)
    former = with_profile(make_user(email="former.ocp@example.org"), country="BF", role="ocp",
                          until=yesterday)
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    with pytest.raises(Forbidden, match="current, verified official contact point"):
        registration.endorse(former, pending)
    db.session.rollback()
    other = client_as(former)
    assert other.get("/events/queue").status_code == 403
    response = other.post(f"/events/registrations/{pending.id}/endorse")
    assert response.status_code == 403
    db.session.refresh(pending)
    assert pending.status == "pending" and pending.decided_by_id is None
    assert mails_to(former.email) == []  # not asked either


def test_an_ocp_designated_from_tomorrow_may_not_endorse_yet(ocp_workshop, member, make_user):
    future = with_profile(make_user(), country="BF", role="ocp",
                          since=utcnow().date() + timedelta(days=1))
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    with pytest.raises(Forbidden):
        registration.endorse(future, pending)


def test_a_self_declared_role_endorses_nothing(ocp_workshop, member, make_user):
    from pen.members.service import profile_of

    claimant = with_profile(make_user(), country="BF")
    profile_of(claimant).convention_role = "ocp"  # as the old profile form allowed
    db.session.commit()
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    with pytest.raises(Forbidden):
        registration.endorse(claimant, pending)


def test_without_an_ocp_the_registration_goes_to_the_secretariats_queue(
        ocp_workshop, member, admin, burkina_ocp, client_as):
    with_profile(member, country="SN")  # Senegal has no OCP on PEN
    pending = registration.register(member, ocp_workshop)
    assert mails_to(admin.email)[-1].subject == "A registration awaits your endorsement"
    assert mails_to(burkina_ocp.email) == []
    secretariat = client_as(admin)
    page = secretariat.get("/events/queue").get_data(as_text=True)
    assert "Nguyen Thi Lan" in page and "Senegal" in page
    assert "As the Secretariat" in page
    assert secretariat.post(f"/events/registrations/{pending.id}/endorse").status_code == 302
    db.session.refresh(pending)
    assert pending.status == "confirmed" and pending.decided_by_id == admin.id


def test_the_secretariat_does_not_endorse_where_the_country_has_an_ocp(
        ocp_workshop, member, admin, burkina_ocp, client_as):
    with_profile(member, country="BF")
    pending = registration.register(member, ocp_workshop)
    assert "Nguyen Thi Lan" not in client_as(admin).get("/events/queue").get_data(as_text=True)
    with pytest.raises(Forbidden):
        registration.endorse(admin, pending)


def test_an_endorsed_registration_past_capacity_waits(make_event, make_user, burkina_ocp):
    event = make_event(future_fields("Dakar", registration="ocp", capacity=1))
    first, second = (with_profile(make_user(), country="BF") for _ in range(2))
    registration.endorse(burkina_ocp, registration.register(first, event))
    late = registration.endorse(burkina_ocp, registration.register(second, event))
    assert late.status == "waitlisted"


def test_group_events_take_registrations_from_group_members_only(make_event, group, member):
    event = make_event(future_fields("Retrofilling training", group_id=group.id))
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        registration.register(member, event)


def test_the_organiser_sees_the_list_and_exports_it_with_formulas_neutralised(
        workshop, make_user, member, admin_client, client_as):
    people = [make_user(name="=HYPERLINK(\"http://evil\")"), make_user(), make_user()]
    for person in people:
        registration.register(person, workshop, note="+1 vegetarian" if person is people[1]
                              else "")
    page = admin_client.get(f"/events/{workshop.id}/registrations").get_data(as_text=True)
    assert "2 of 2 places taken." in page and "Waiting list" in page
    csv_response = admin_client.get(f"/events/{workshop.id}/registrations.csv")
    body = csv_response.get_data(as_text=True)
    assert csv_response.mimetype == "text/csv"
    assert "'=HYPERLINK" in body and "'+1 vegetarian" in body
    assert body.splitlines()[0].lstrip("\ufeff").startswith("name,email,country,status")
    outsider = client_as(member)
    assert outsider.get(f"/events/{workshop.id}/registrations").status_code == 403
    assert outsider.get(f"/events/{workshop.id}/registrations.csv").status_code == 403


def test_reminders_go_once_to_confirmed_members_of_events_starting_soon(
        app, make_event, make_user):
    soon = make_event(future_fields("Tomorrow's webinar", in_days=1, kind="webinar"))
    later = make_event(future_fields("Next month's workshop", in_days=30))
    here, waiting, elsewhere = make_user(), make_user(), make_user()
    registration.register(here, soon)
    registration.register(elsewhere, later)
    soon.capacity = 1
    db.session.commit()
    registration.register(waiting, soon)
    runner = app.test_cli_runner()
    now = utcnow()
    app.config["EVENTS_REMINDER_HOURS"] = int((soon.starts_at - now) / timedelta(hours=1)) + 1
    result = runner.invoke(args=["events", "remind"])
    assert result.exit_code == 0 and "1 reminder(s) queued" in result.output
    assert mails_to(here.email)[-1].subject == "Reminder: Tomorrow's webinar"
    assert not any(m.subject.startswith("Reminder") for m in mails_to(waiting.email))
    assert not any(m.subject.startswith("Reminder") for m in mails_to(elsewhere.email))
    again = runner.invoke(args=["events", "remind"])
    assert "0 reminder(s) queued" in again.output
    assert sum(m.subject.startswith("Reminder") for m in mails_to(here.email)) == 1


def test_cancelling_what_is_not_yours_is_refused(workshop, member, make_user):
    other = make_user()
    mine = registration.register(member, workshop)
    with pytest.raises(Forbidden):
        registration.cancel(other, mine)
