"""Events and sessions, the calendar (month, list, filters), visibility, time zones."""

from datetime import UTC, datetime, timedelta

import pytest

from pen.errors import ValidationError
from pen.events import calendar, service
from pen.events.service import SessionTimes
from pen.groups import meetings
from pen.groups.registry import LinkTarget, register_link_kind
from pen.types import utcnow

from .conftest import fields, future_fields, with_profile

PROFILE = {"email_visibility": "members", "phone_visibility": "members",
           "organisation_type": "", "country": "", "convention_role": ""}


def test_a_webinar_on_four_days_is_one_event_with_four_sessions(app, make_event,
                                                                 member_client):
    event = make_event()
    assert len(event.sessions) == 4
    assert event.starts_at == datetime(2011, 2, 16, 13, 0, tzinfo=UTC)  # 14:00 in Geneva
    page = member_client.get("/events/?month=2011-02").get_data(as_text=True)
    assert page.count("Webinars on Endosulfan") == 4
    assert "(1/4)" in page and "(4/4)" in page


def test_end_before_start_is_refused_beside_the_field(app, make_event, admin_client):
    bad = fields(days=(16,))
    bad.sessions = [SessionTimes(datetime(2011, 2, 16, 15), datetime(2011, 2, 16, 14))]
    with pytest.raises(ValidationError, match="ends before it starts"):
        make_event(bad)
    response = admin_client.post("/events/new", data={
        "title": "Webinars on Endosulfan", "kind": "webinar", "timezone": "Europe/Zurich",
        "sessions": "2011-02-16 15:00 14:00", "registration": "none"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Session 1 ends before it starts." in page
    # what was typed is kept, in the rows the form shows
    assert 'name="session-0-start" value="15:00"' in page
    assert 'name="session-0-end" value="14:00"' in page


def test_a_time_zone_that_does_not_exist_is_refused(app, make_event, admin_client):
    with pytest.raises(ValidationError, match="Mars/Olympus_Mons is not a time zone"):
        make_event(fields(zone="Mars/Olympus_Mons"))
    for not_a_zone in ("../../etc/passwd", "/usr/share/zoneinfo/UTC", "", "Europe/Zurich "):
        with pytest.raises(ValidationError, match="is not a time zone"):
            make_event(fields(zone=not_a_zone))
    response = admin_client.post("/events/new", data={
        "title": "Webinars on Endosulfan", "kind": "webinar", "timezone": "Europe/Atlantis",
        "sessions": "2011-02-16 14:00 15:00", "registration": "none"})
    assert response.status_code == 400
    assert "Europe/Atlantis is not a time zone" in response.get_data(as_text=True)


def test_a_session_line_that_cannot_be_read_names_its_line(admin_client):
    response = admin_client.post("/events/new", data={
        "title": "COP-5", "kind": "conference", "timezone": "Europe/Zurich",
        "sessions": "2011-04-25 09:00 2011-04-29 17:00\nsoon", "registration": "none"})
    assert "Session 2: give its day, its start and its end" in response.get_data(as_text=True)


def test_a_time_the_clocks_skip_is_refused(make_event):
    skipped = fields(days=(27,), month=3)
    skipped.sessions = [SessionTimes(datetime(2011, 3, 27, 2, 30), datetime(2011, 3, 27, 4))]
    with pytest.raises(ValidationError, match="does not exist in Europe/Zurich"):
        make_event(skipped)


def test_the_form_creates_an_event_and_shows_it(admin_client):
    response = admin_client.post("/events/new", data={
        "title": "Fifth Meeting of the Conference of the Parties", "kind": "conference",
        "timezone": "Europe/Zurich", "sessions": "2011-04-25 09:00 2011-04-29 17:00",
        "venue": "Geneva, Switzerland", "registration": "none", "audience": ["ocp", "nfp"]})
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mon, 25 Apr 2011, 09:00" in page and "Fri, 29 Apr 2011, 17:00 (Europe/Zurich)" in page
    assert "Official contact points (OCPs)" in page


def test_times_show_in_the_event_zone_and_the_members(app, make_event, member, member_client):
    event = make_event()
    with_profile(member, timezone="Asia/Ho_Chi_Minh")
    page = member_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Wed, 16 Feb 2011, 14:00\u201315:00 (Europe/Zurich)" in page
    assert "Your time:" in page and "20:00\u201321:00 (Asia/Ho_Chi_Minh)" in page
    month = member_client.get("/events/?month=2011-02").get_data(as_text=True)
    assert "Times on your clock: Asia/Ho_Chi_Minh" in month and "20:00 Webinars" in month


def test_a_members_time_zone_that_does_not_exist_is_refused(member, member_client):
    response = member_client.post("/members/me/edit", data={
        "display_name": member.display_name, "timezone": "Pacific/Atlantis", **PROFILE})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pacific/Atlantis is not a time zone" in page
    ok = member_client.post("/members/me/edit", data={
        "display_name": member.display_name, "timezone": "America/Panama", **PROFILE})
    assert ok.status_code == 302
    from pen.members.service import member_zone

    assert member_zone(member).key == "America/Panama"


def test_group_events_are_for_group_members_only(app, make_event, group, coordinator,
                                                 member, member_client, client_as):
    event = make_event(fields(title="Retrofilling training", group_id=group.id))
    assert member_client.get(f"/events/{event.id}").status_code == 404
    assert member_client.get(f"/events/{event.id}.ics").status_code == 404
    assert "Retrofilling" not in member_client.get("/events/?month=2011-02").get_data(
        as_text=True)
    assert "Retrofilling" not in member_client.get("/events/list?when=past").get_data(
        as_text=True)
    insider = client_as(coordinator)
    assert insider.get(f"/events/{event.id}").status_code == 200
    assert "Retrofilling" in insider.get("/events/?month=2011-02").get_data(as_text=True)
    assert calendar.upcoming_for(member) == []


def test_filters_by_type_region_and_group(app, make_event, group, admin_client):
    make_event(fields(title="Webinars on Endosulfan"))
    make_event(fields(title="Synergies workshop in Cairo", kind="workshop", days=(21,),
                      region="Arab States"))
    make_event(fields(title="Maintenance group training", kind="workshop", days=(22,),
                      group_id=group.id))
    page = admin_client.get("/events/?month=2011-02&kind=webinar").get_data(as_text=True)
    assert "Endosulfan" in page and "Cairo" not in page
    page = admin_client.get("/events/?month=2011-02&region=Arab+States").get_data(as_text=True)
    assert "Cairo" in page and "Endosulfan" not in page
    page = admin_client.get(f"/events/?month=2011-02&group={group.id}").get_data(as_text=True)
    assert "Maintenance group training" in page and "Cairo" not in page
    page = admin_client.get("/events/?month=2011-02&kind=sabotage").get_data(as_text=True)
    assert "Cairo" in page  # an unknown filter value is ignored, not an error


def test_group_meetings_appear_in_the_calendar_of_its_members(app, group, coordinator,
                                                              member, client_as):
    meetings.create_meeting(coordinator, group, meetings.MeetingFields(
        "1st meeting of the Thematic Group", datetime(2011, 2, 15, 9, 0), "America/Panama",
        "Panama City, Panama"))
    assert "1st meeting of the Thematic Group" in client_as(coordinator).get(
        "/events/?month=2011-02").get_data(as_text=True)
    assert "1st meeting" not in client_as(member).get("/events/?month=2011-02").get_data(
        as_text=True)


def test_upcoming_for_the_dashboard(app, make_event, group, coordinator):
    make_event(future_fields("Later workshop", in_days=20))
    make_event(future_fields("Sooner webinar", in_days=3, kind="webinar"))
    make_event(fields())  # 2011: past
    meetings.create_meeting(coordinator, group, meetings.MeetingFields(
        "Online review of the draft guide", (utcnow() + timedelta(days=5)).replace(
            tzinfo=None, microsecond=0), "UTC", online_url="https://meet.pen.example/m"))
    items = calendar.upcoming_for(coordinator, limit=5)
    assert [i.title for i in items] == ["Sooner webinar", "Online review of the draft guide",
                                        "Later workshop"]
    assert all(i.starts_at.tzinfo is not None and i.url.startswith("/") for i in items)
    assert items[0].zone == "UTC"
    assert len(calendar.upcoming_for(coordinator, limit=1)) == 1


def test_past_events_link_their_materials(app, make_event, member_client):
    def resolver(user, ids):
        return {i: LinkTarget(f"Report {i}", f"/library/{i}", visible=(i != 99)) for i in ids}

    register_link_kind(app, "document", resolver)
    make_event(fields(title="Webinars on NIPs", material_ids=[12]))
    with pytest.raises(ValidationError, match="No library document #99"):
        service.create_event(_admin(), fields(material_ids=[99]))
    page = member_client.get("/events/list?when=past").get_data(as_text=True)
    assert "Webinars on NIPs" in page and '<a href="/library/12">Report 12</a>' in page


def _admin():
    from sqlalchemy import select

    from pen.auth.models import User
    from pen.extensions import db

    return db.session.scalar(select(User).where(User.email == "amina.diallo@example.org"))


def test_only_organisers_edit_and_members_cannot_create(app, make_event, member_client):
    event = make_event()
    assert member_client.get("/events/new").status_code == 403
    assert member_client.get(f"/events/{event.id}/edit").status_code == 403
    assert member_client.post(f"/events/{event.id}/delete").status_code == 403


def test_the_group_page_shows_its_next_events(app, make_event, group, coordinator, client_as):
    make_event(future_fields("Retrofilling training", group_id=group.id))
    page = client_as(coordinator).get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Retrofilling training" in page and "calendar" in page


def test_the_edit_form_shows_the_sessions_as_typed_and_saves_changes(app, make_event,
                                                                     admin_client):
    event = make_event()
    page = admin_client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="session-0-day" value="2011-02-16"' in page  # one row per session
    assert 'name="session-1-day" value="2011-02-18"' in page
    assert 'name="session-1-end" value="15:00"' in page
    response = admin_client.post(f"/events/{event.id}/edit", data={
        "title": "Webinars on Endosulfan", "kind": "webinar", "timezone": "Europe/Zurich",
        "sessions": "2011-02-16 14:00 15:00\n2011-02-18 14:00 15:00", "region": "",
        "group_id": "", "registration": "open"})
    assert response.status_code == 302
    service.db.session.refresh(event)
    assert len(event.sessions) == 2 and event.registration == "open"


def test_a_coordinator_organises_only_for_their_group(app, group, coordinator, member):
    from pen.auth.permissions import is_member
    from pen.events import permissions

    assert is_member(coordinator) and permissions.can_create_event(coordinator)
    assert not permissions.can_create_event(member)
    with pytest.raises(ValidationError, match="groups you coordinate"):
        service.create_event(coordinator, fields())  # network-wide: administrators only
    event = service.create_event(coordinator, fields(group_id=group.id))
    assert event.organiser_id == coordinator.id


def test_the_calendar_offers_the_personal_feed_link(app, member, member_client):
    from pen.notifications import feedkeys

    page = member_client.get("/events/").get_data(as_text=True)
    assert "Create a personal feed key" in page
    token = feedkeys.renew(member)
    assert f"/events.ics?key={token}" in member_client.get("/events/").get_data(as_text=True)


def test_the_worker_sends_reminders(app):
    from pen import worker

    assert worker.run_pass()["event reminders"] == 0


def test_the_group_events_panel_is_not_shown_to_outsiders(app, make_event, group, member,
                                                          member_client):
    make_event(future_fields("Retrofilling training", group_id=group.id))
    page = member_client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Retrofilling training" not in page


def test_a_new_event_starts_in_the_organisers_time_zone(admin, admin_client):
    with_profile(admin, timezone="America/Panama")
    page = admin_client.get("/events/new").get_data(as_text=True)
    assert 'value="America/Panama"' in page and 'list="pen-timezones"' in page
