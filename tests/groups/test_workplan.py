"""The work plan: activities, owners, links, timeline, CSV, overdue; and meetings."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.forums import service as forums
from pen.groups import LinkTarget, meetings, membership, register_link_kind, workplan
from pen.groups.meetings import MeetingFields
from pen.groups.workplan import ActivityFields

TODAY = date.today()


@pytest.fixture
def team(group, member, coordinator):
    """The group with the member in it."""
    membership.request_to_join(member, group)
    membership.decide_request(coordinator, membership.own_request(member, group), True)
    return group


def test_coordinator_plans_with_owners_and_topic_links(team, coordinator, member, category,
                                                       client_as):
    topic = forums.create_topic(coordinator, category, "Inventory template", "Draft",
                                group_id=team.id)
    response = client_as(coordinator).post(f"/groups/{team.slug}/plan/new", data={
        "title": "Publish the inventory template", "status": "in_progress",
        "start_date": (TODAY - timedelta(days=40)).isoformat(),
        "due_date": (TODAY - timedelta(days=2)).isoformat(),
        "owner_ids": [member.id], "links": f"topic {topic.id}"})
    assert response.status_code == 302
    html = client_as(member).get(f"/groups/{team.slug}/plan").get_data(as_text=True)
    assert "Publish the inventory template" in html and "Nguyen Thi Lan" in html
    assert "overdue" in html and "<svg" in html and "Inventory template" in html


def test_links_to_what_the_coordinator_cannot_open_are_refused(team, coordinator, admin,
                                                               make_group, category):
    other = make_group(slug="elsewhere", coordinators=[admin])
    secret = forums.create_topic(admin, category, "Other group's topic", "x",
                                 group_id=other.id)
    with pytest.raises(ValidationError) as error:
        workplan.create_activity(coordinator, team, ActivityFields(
            "Borrow a topic", links=[("topic", secret.id)]))
    assert error.value.field == "links"


def test_a_bad_link_line_is_reported_by_line(team, coordinator, client_as):
    response = client_as(coordinator).post(f"/groups/{team.slug}/plan/new", data={
        "title": "Something", "status": "planned", "links": "topic 1\nwhatever"})
    assert response.status_code == 400
    assert "Line 2: write a kind (topic" in response.get_data(as_text=True)


def test_owners_must_be_members_and_dates_in_order(team, coordinator, make_user):
    with pytest.raises(ValidationError):
        workplan.create_activity(coordinator, team, ActivityFields(
            "Outsider owner", owner_ids=[make_user().id]))
    with pytest.raises(ValidationError) as error:
        workplan.create_activity(coordinator, team, ActivityFields(
            "Backwards", start_date=TODAY, due_date=TODAY - timedelta(days=1)))
    assert error.value.field == "due_date"


def test_members_read_the_plan_but_only_coordinators_change_it(team, member, client_as):
    with pytest.raises(Forbidden):
        workplan.create_activity(member, team, ActivityFields("Mine"))
    client = client_as(member)
    assert client.get(f"/groups/{team.slug}/plan").status_code == 200
    assert client.get(f"/groups/{team.slug}/plan/new").status_code == 403


def test_outsiders_get_404_for_plan_and_csv(team, make_user, client_as):
    client = client_as(make_user())
    assert client.get(f"/groups/{team.slug}/plan").status_code == 404
    assert client.get(f"/groups/{team.slug}/plan.csv").status_code == 404


def test_csv_export_marks_overdue_and_defuses_formulas(team, coordinator, member, client_as):
    workplan.create_activity(coordinator, team, ActivityFields(
        "=HYPERLINK(1)", status="planned", due_date=TODAY - timedelta(days=1),
        owner_ids=[member.id]))
    workplan.create_activity(coordinator, team, ActivityFields(
        "Finished", status="done", due_date=TODAY - timedelta(days=9)))
    response = client_as(member).get(f"/groups/{team.slug}/plan.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("title,status,start_date,due_date,overdue")
    assert "'=HYPERLINK(1),planned" in lines[1] and ",yes," in lines[1]
    assert lines[2].startswith("Finished,done") and ",yes," not in lines[2]


def test_editing_an_activity_changes_status_and_is_audited(team, coordinator, client_as):
    activity = workplan.create_activity(coordinator, team, ActivityFields("Survey"))
    response = client_as(coordinator).post(
        f"/groups/{team.slug}/plan/{activity.id}/edit",
        data={"title": "Survey", "status": "done"})
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.status == "done"
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "group.activity_update"))
    assert entry.detail == {"status_before": "planned", "status": "done"}


def test_meeting_with_time_zone_agenda_and_minutes(app, team, coordinator, member, client_as):
    register_link_kind(app, "document", lambda user, ids: {
        i: LinkTarget("Minutes of the Panama meeting", f"/library/{i}", True, team.id)
        for i in ids})
    response = client_as(coordinator).post(f"/groups/{team.slug}/meetings/new", data={
        "title": "Second meeting", "starts_local": "2031-03-04T09:30",
        "timezone": "America/Panama", "place": "Panama City", "agenda": "1. *Inventories*",
        "minutes_document_id": "12"})
    assert response.status_code == 302
    meeting = meetings.upcoming(team)[0]
    assert meeting.starts_at == datetime.fromisoformat("2031-03-04T14:30+00:00")
    html = client_as(member).get(f"/groups/{team.slug}").get_data(as_text=True)
    assert "Second meeting" in html and "09:30 (America/Panama)" in html
    assert "/library/12" in html
    listing = client_as(member).get(f"/groups/{team.slug}/meetings").get_data(as_text=True)
    assert "<em>Inventories</em>" in listing and "Minutes of the Panama meeting" in listing


def test_meeting_needs_a_place_or_link_and_a_real_zone(team, coordinator):
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(coordinator, team, MeetingFields(
            "Call", datetime(2031, 1, 1, 9), "Mars/Olympus", "Room 1"))
    assert error.value.field == "timezone"
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(coordinator, team, MeetingFields(
            "Call", datetime(2031, 1, 1, 9), "UTC", "", "javascript:alert(1)"))
    assert error.value.field == "online_url"


def test_minutes_without_a_library_are_refused(team, coordinator):
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(coordinator, team, MeetingFields(
            "Call", datetime(2031, 1, 1, 9), "UTC", "Room 1", minutes_document_id=5))
    assert error.value.field == "minutes_document_id"


def test_timeline_places_bars_in_date_order_and_flags_overdue():
    from pen.groups.models import Activity
    from pen.groups.timeline import build

    early = Activity(title="Early", status="done", start_date=date(2011, 1, 1),
                     due_date=date(2011, 2, 1))
    late = Activity(title="Late", status="planned", start_date=date(2011, 3, 1),
                    due_date=date(2011, 4, 15))
    undated = Activity(title="Someday", status="planned")
    chart = build([early, late, undated], today=date(2011, 6, 1))
    assert [bar.activity.title for bar in chart.bars] == ["Early", "Late"]
    assert chart.bars[0].x < chart.bars[1].x and chart.bars[1].overdue
    assert not chart.bars[0].overdue and chart.today_x is None  # today is past the chart
    assert [tick.label for tick in chart.ticks][:2] == ["Jan 2011", "Feb 2011"]
    assert build([undated], today=date(2011, 5, 1)) is None


def test_calendar_feed_of_meetings_is_for_members_only(team, coordinator, member, make_user):
    meetings.create_meeting(coordinator, team, MeetingFields(
        "Webinar", datetime(2031, 3, 2, 15), "Europe/Zurich", online_url="https://x.example"))
    window = (datetime.fromisoformat("2031-03-01T00:00+00:00"),
              datetime.fromisoformat("2031-04-01T00:00+00:00"))
    assert [m.title for m in meetings.visible_between(member, *window)] == ["Webinar"]
    assert meetings.visible_between(make_user(), *window) == []
