"""The meeting form: a date-time input, a time zone searched from the list (a datalist,
which works without JavaScript) with the coordinator's own zone chosen for a new meeting."""

import re

from pen.extensions import db
from pen.groups import meetings
from pen.members.service import profile_of


def test_a_new_meeting_starts_on_the_coordinators_zone(group, coordinator, client_as):
    profile_of(coordinator).timezone = "America/Panama"
    db.session.commit()
    page = client_as(coordinator).get(f"/groups/{group.slug}/meetings/new").get_data(
        as_text=True)
    assert 'type="datetime-local"' in page
    zone = re.search(r'<input[^>]*name="timezone"[^>]*>', page).group(0)
    assert 'value="America/Panama"' in zone and 'list="pen-timezones"' in zone
    assert '<option value="Europe/Zurich">' in page


def test_without_a_zone_of_their_own_a_new_meeting_is_in_utc(group, coordinator, client_as):
    page = client_as(coordinator).get(f"/groups/{group.slug}/meetings/new").get_data(
        as_text=True)
    zone = re.search(r'<input[^>]*name="timezone"[^>]*>', page).group(0)
    assert 'value="UTC"' in zone and 'list="pen-timezones"' in zone


def test_a_zone_not_in_the_list_is_refused_and_the_form_kept(group, coordinator, client_as):
    response = client_as(coordinator).post(f"/groups/{group.slug}/meetings/new", data={
        "title": "Second meeting", "starts_local": "2031-03-04T09:30",
        "timezone": "Mars/Olympus", "place": "Panama City"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and meetings.upcoming(group) == []
    assert "Choose a time zone from the list." in page
    assert 'value="Mars/Olympus"' in page and 'value="Second meeting"' in page
