"""iCalendar: per event, the member's feed, a group's feed; valid RFC 5545, visibility."""

from datetime import UTC, datetime, timedelta

import icalendar

from pen.groups import meetings
from pen.notifications import feedkeys
from pen.types import utcnow

from .conftest import fields, future_fields


def parse(response) -> icalendar.Calendar:
    """The body as a calendar (icalendar raises on anything that is not RFC 5545)."""
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.get_data())


def vevents(cal) -> list:
    return list(cal.walk("VEVENT"))


def test_an_event_downloads_as_ics_with_every_session(app, make_event, member_client):
    event = make_event()
    cal = parse(member_client.get(f"/events/{event.id}.ics"))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    found = vevents(cal)
    assert len(found) == 4
    first = min(found, key=lambda v: v.decoded("DTSTART"))
    assert first.decoded("DTSTART") == datetime(2011, 2, 16, 13, 0, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2011, 2, 16, 14, 0, tzinfo=UTC)
    assert str(first["SUMMARY"]) == "Webinars on Endosulfan (1/4)"
    assert len({str(v["UID"]) for v in found}) == 4
    assert all("DTSTAMP" in v for v in found)


def test_the_members_feed_works_with_the_personal_key_and_stops_when_revoked(
        app, make_event, group, member, client):
    make_event(future_fields("Webinars on Endosulfan"))
    make_event(future_fields("Maintenance group training", group_id=group.id))
    make_event(fields(title="Webinars of 2011"))  # more than a year ago: left out
    token = feedkeys.renew(member)
    cal = parse(client.get(f"/events.ics?key={token}"))
    titles = {str(v["SUMMARY"]).split(" (")[0] for v in vevents(cal)}
    assert titles == {"Webinars on Endosulfan"}  # the group's event is not for this member
    feedkeys.revoke(member)
    assert client.get(f"/events.ics?key={token}").status_code == 404
    assert client.get("/events.ics?key=forged").status_code == 404
    assert client.get("/events.ics").status_code == 302  # no key, not signed in: log in


def test_the_group_feed_is_for_its_members_with_its_meetings(app, make_event, group,
                                                             coordinator, member, client):
    make_event(fields(title="Maintenance group training", days=(22,), group_id=group.id))
    make_event(fields(title="Webinars on Endosulfan"))
    meetings.create_meeting(coordinator, group, meetings.MeetingFields(
        "1st meeting of the Thematic Group", datetime(2011, 2, 15, 9, 0), "America/Panama",
        "Panama City, Panama"))
    insider = feedkeys.renew(coordinator)
    outsider = feedkeys.renew(member)
    assert client.get(f"/events/groups/{group.slug}.ics?key={outsider}").status_code == 404
    assert client.get(f"/events/groups/nothing.ics?key={insider}").status_code == 404
    cal = parse(client.get(f"/events/groups/{group.slug}.ics?key={insider}"))
    assert cal["X-WR-CALNAME"] == "PEN: Maintenance of PCB-containing equipment"


def test_feeds_carry_upcoming_events_and_meetings(app, make_event, group, coordinator, client):
    make_event(future_fields("Retrofilling training", group_id=group.id))
    make_event(future_fields("Regional workshop on PCB inventories", in_days=30))
    meetings.create_meeting(coordinator, group, meetings.MeetingFields(
        "Online review of the draft guide", (utcnow() + timedelta(days=5)).replace(
            tzinfo=None, microsecond=0), "UTC", online_url="https://meet.pen.example/m"))
    token = feedkeys.renew(coordinator)
    everything = {str(v["SUMMARY"]) for v in vevents(parse(client.get(
        f"/events.ics?key={token}")))}
    assert everything == {"Retrofilling training", "Regional workshop on PCB inventories",
                          "Online review of the draft guide (Maintenance of PCB-containing "
                          "equipment)"}
    groups_only = {str(v["SUMMARY"]) for v in vevents(parse(client.get(
        f"/events/groups/{group.slug}.ics?key={token}")))}
    assert "Regional workshop on PCB inventories" not in groups_only
    assert "Retrofilling training" in groups_only


def test_text_is_escaped_and_lines_folded(app, make_event, member_client):
    event = make_event(fields(title="Inventories; PCBs, transformers\\capacitors " + "x" * 90,
                              venue="Panama City, Panama"))
    body = member_client.get(f"/events/{event.id}.ics").get_data()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(body)
    assert str(vevents(cal)[0]["LOCATION"]) == "Panama City, Panama"
    assert str(vevents(cal)[0]["SUMMARY"]).startswith("Inventories; PCBs, transformers\\capacitors")
