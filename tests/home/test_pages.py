"""The home page, the activity page and the administrators' dashboard, as people see them."""

import csv
import io
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums import service as forums
from pen.home import dashboard
from pen.library.models import ACCESS_ADMINS, ACCESS_GROUP
from pen.notifications import service as notifications

from .conftest import add_document, announced_cycle, join


def test_home_shows_checklist_until_done_and_group_news(member_client, member, make_group,
                                                        category):
    group = make_group("inventories")
    join(member, group)
    forums.create_topic(member, category, "Counting capacitors", "How?", group_id=group.id)
    page = member_client.get("/").get_data(as_text=True)
    assert "Welcome, Nguyen Thi Lan" in page
    assert "Getting started" in page and "Complete your profile" in page
    assert "Latest in my groups" in page and "Counting capacitors" in page


def test_home_hides_checklist_once_every_step_is_done(app, member_client, monkeypatch):
    from pen.onboarding import checklist
    monkeypatch.setattr(checklist, "profile_complete", lambda user: True)
    for key in ("group", "introduce"):
        checklist.register_done_check(app, key, lambda user: True)
    page = member_client.get("/").get_data(as_text=True)
    assert "Getting started" not in page


def test_home_lists_unread_notifications(member_client, member, make_user, category):
    topic = forums.create_topic(member, category, "Storage of askarel drums", "Where?")
    forums.reply(make_user(name="Kofi Mensah"), topic, "In a bunded area.")  # member watches
    assert notifications.unread_count(member) == 1
    page = member_client.get("/").get_data(as_text=True)
    assert "Unread notifications" in page and "Storage of askarel drums" in page
    assert "You are all caught up" not in page


def test_home_shows_upcoming_events(member_client, monkeypatch):
    calendar = pytest.importorskip("pen.events.calendar")
    webinar = SimpleNamespace(title="Webinar on PCB inventories", url="/events/1",
                              starts_at=datetime(2031, 2, 16, 13, 0, tzinfo=UTC),
                              zone="Europe/Zurich")
    monkeypatch.setattr(calendar, "upcoming_for", lambda user, limit=5: [webinar])
    page = member_client.get("/").get_data(as_text=True)
    assert "Webinar on PCB inventories" in page
    assert "16 Feb 2031, 14:00 (Europe/Zurich)" in page  # on the event's clock


def test_home_without_upcoming_events_says_so(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert "Coming up" in page and "No upcoming events for you." in page


def test_home_without_an_events_area_says_so(member_client, monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(name=name)

    monkeypatch.setattr(dashboard.importlib, "import_module", missing)
    page = member_client.get("/").get_data(as_text=True)
    assert "The events calendar is not available" in page


def test_activity_page_filters_and_pages(member_client, member, category):
    for number in range(35):
        forums.create_topic(member, category, f"Topic number {number}", "Body.")
    add_document("Guidance on inventories")
    first = member_client.get("/activity?kind=forums").get_data(as_text=True)
    assert "Topic number 34" in first and "Guidance on inventories" not in first
    assert "Topic number 0<" not in first and 'rel="next"' in first
    link = next(part for part in first.split('"') if "before=" in part).replace("&amp;", "&")
    second = member_client.get(link).get_data(as_text=True)
    assert "Topic number 0<" in second and "Topic number 34<" not in second
    library = member_client.get("/activity?kind=library").get_data(as_text=True)
    assert "Guidance on inventories" in library and "Topic number" not in library


def test_activity_page_never_shows_what_the_member_may_not_see(member_client, make_user,
                                                                make_group, category, admin):
    theirs = make_group("maintenance")
    insider = make_user()
    join(insider, theirs)
    forums.create_topic(insider, category, "Secret maintenance", "Hush.", group_id=theirs.id)
    add_document("Their shelf", access=ACCESS_GROUP, group=theirs)
    add_document("Admins only minutes", access=ACCESS_ADMINS)
    announced_cycle("PEN Awards draft results", announced=False)
    page = member_client.get("/activity").get_data(as_text=True)
    for secret in ("Secret maintenance", "Their shelf", "Admins only minutes",
                   "PEN Awards draft results"):
        assert secret not in page


def test_activity_my_groups_without_groups_says_so(member_client):
    page = member_client.get("/activity?scope=mine").get_data(as_text=True)
    assert "Nothing to show yet" in page and "Find a group to join" in page


def test_a_forged_cursor_is_refused(member_client):
    assert member_client.get("/activity?before=1;DROP").status_code == 400


def test_unknown_filters_are_ignored(member_client):
    assert member_client.get("/activity?scope=everyone&kind=secrets").status_code == 200


def test_admin_dashboard_is_for_administrators_only(member_client):
    assert member_client.get("/admin/dashboard").status_code == 403
    assert member_client.get("/admin/dashboard/members.csv").status_code == 403


def test_admin_dashboard_draws_every_figure(admin_client, admin, member, make_user, category,
                                            make_group):
    make_user(status=UserStatus.INVITED)
    group = make_group("inventories")
    forums.create_topic(admin, category, "A group topic", "Body.", group_id=group.id)
    document = add_document("Most read guide")
    document.download_count = 12
    db.session.commit()
    page = admin_client.get("/admin/dashboard").get_data(as_text=True)
    for heading in ("Members by state", "Activations per week", "Forum posts per week",
                    "Most active groups", "Most active forum categories", "Library downloads"):
        assert heading in page
    assert page.count("<svg") >= 6 and "Most read guide" in page and "Group inventories" in page
    assert "Inventories" in page  # the category


def test_admin_csv_counts_members_by_state(admin_client, member, make_user):
    make_user(status=UserStatus.INVITED)
    make_user(status=UserStatus.SUSPENDED)
    response = admin_client.get("/admin/dashboard/members.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["state", "accounts"]
    assert dict(rows[1:]) == {"invited": "1", "active": "2", "suspended": "1"}


def test_admin_csv_neutralises_formulas(admin_client):
    document = add_document("=HYPERLINK(\"http://evil.example\",\"click\")")
    document.download_count = 3
    db.session.commit()
    body = admin_client.get("/admin/dashboard/downloads.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1][0].startswith("'=HYPERLINK")


def test_admin_csv_weeks_and_unknown_figure(admin_client, admin, category):
    forums.create_topic(admin, category, "This week", "Body.")
    rows = list(csv.reader(io.StringIO(
        admin_client.get("/admin/dashboard/posts.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["week_of", "posts"] and len(rows) == 27 and rows[-1][1] == "1"
    assert admin_client.get("/admin/dashboard/secrets.csv").status_code == 404


@pytest.mark.parametrize("url", ["/activity", "/"])
def test_pages_cost_the_same_with_more_items(url, member_client, member, make_user, category,
                                             make_group, count_queries):
    group = make_group("inventories")
    join(member, group)
    costs = []
    for batch in (3, 30):
        other = make_user()
        join(other, group)
        for number in range(batch):
            topic = forums.create_topic(member, category, f"T{batch}-{number}", "Body.",
                                        group_id=group.id)
            forums.reply(other, topic, "Reply.")  # a notification for the member each time
            add_document(f"D{batch}-{number}", access=ACCESS_GROUP, group=group)
        with count_queries() as statements:
            assert member_client.get(url).status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]
