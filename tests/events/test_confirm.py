"""Removing an event, cancelling a registration and declining one ask first; only a
confirmed post acts, and those without the right are refused as before."""

from sqlalchemy import select

from pen.events import registration
from pen.events.models import Event
from pen.extensions import db
from tests.events.conftest import future_fields, with_profile


def _exists(event_id: int) -> bool:
    db.session.expire_all()
    return db.session.scalar(select(Event.id).where(Event.id == event_id)) is not None


def test_removing_an_event_asks_first(make_event, admin_client):
    event = make_event()
    page = admin_client.get(f"/events/{event.id}/delete").get_data(as_text=True)
    assert "Remove the event Webinars on Endosulfan?" in page
    assert "every registration are removed with it" in page
    assert admin_client.post(f"/events/{event.id}/delete").status_code == 200
    assert _exists(event.id)
    assert admin_client.post(f"/events/{event.id}/delete",
                             data={"confirmed": "1"}).status_code == 302
    assert not _exists(event.id)


def test_a_member_cannot_remove_an_event_even_confirmed(make_event, member_client):
    event = make_event()
    assert member_client.get(f"/events/{event.id}/delete").status_code == 403
    assert member_client.post(f"/events/{event.id}/delete",
                              data={"confirmed": "1"}).status_code == 403
    assert _exists(event.id)


def test_cancelling_a_registration_asks_first(make_event, member, member_client):
    event = make_event(future_fields())
    registration.register(member, event)
    page = member_client.post(f"/events/{event.id}/cancel").get_data(as_text=True)
    assert "Cancel your registration for Regional workshop on PCB inventories?" in page
    db.session.expire_all()
    assert registration.registration_of(member, event).status == "confirmed"
    member_client.post(f"/events/{event.id}/cancel", data={"confirmed": "1"})
    db.session.expire_all()
    assert registration.registration_of(member, event).status == "cancelled"


def test_declining_asks_the_ocp_and_refuses_another_country_as_before(
        make_event, member, make_user, client_as):
    event = make_event(future_fields("Regional workshop in Dakar", registration="ocp"))
    with_profile(member, country="BF")
    pending = registration.register(member, event)
    ocp = with_profile(make_user(email="ocp.bf@example.org"), country="BF", role="ocp")
    other = with_profile(make_user(email="ocp.eg@example.org"), country="EG", role="ocp")
    url = f"/events/registrations/{pending.id}/decline"
    assert client_as(other).get(url).status_code == 403
    assert client_as(other).post(url, data={"confirmed": "1"}).status_code == 403
    page = client_as(ocp).post(url).get_data(as_text=True)
    assert "Decline the registration of Nguyen Thi Lan for Regional workshop in Dakar?" in page
    db.session.refresh(pending)
    assert pending.status == "pending"
    assert client_as(ocp).post(url, data={"confirmed": "1"}).status_code == 302
    db.session.refresh(pending)
    assert pending.status == "declined"
