"""Organisers give sessions as rows (day, start, end, end day), adding rows as they go;
what they typed stays when a row is refused or a row is added."""

from sqlalchemy import select

from pen.events.models import Event
from pen.extensions import db

FORM = {"title": "Webinars on Endosulfan", "kind": "webinar", "timezone": "Europe/Zurich",
        "registration": "none", "region": "", "group_id": ""}


def _rows(*rows) -> dict:
    """Form fields for rows of (day, start, end, end_day)."""
    return {f"session-{n}-{name}": value for n, row in enumerate(rows)
            for name, value in zip(("day", "start", "end", "end_day"), row, strict=True)}


def test_a_new_event_shows_one_empty_row(admin_client):
    page = admin_client.get("/events/new").get_data(as_text=True)
    assert 'name="session-0-day"' in page and 'name="session-1-day"' not in page
    assert 'name="add_session"' in page


def test_rows_become_the_events_sessions(admin_client):
    answer = admin_client.post("/events/new", data={**FORM, **_rows(
        ("2011-02-16", "14:00", "15:00", ""), ("2011-02-15", "09:00", "17:00", "2011-02-18"),
        ("", "", "", ""))})
    assert answer.status_code == 302
    event = db.session.scalar(select(Event))
    spans = sorted((s.starts_at.isoformat(), s.ends_at.isoformat()) for s in event.sessions)
    assert spans == [("2011-02-15T08:00:00+00:00", "2011-02-18T16:00:00+00:00"),
                     ("2011-02-16T13:00:00+00:00", "2011-02-16T14:00:00+00:00")]
    edit = admin_client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2011-02-18"' in edit and 'name="session-1-end_day"' in edit


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(admin_client):
    page = admin_client.post("/events/new", data={
        **FORM, **_rows(("2011-02-16", "14:00", "15:00", "")), "add_session": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="Webinars on Endosulfan"' in html
    assert 'name="session-0-day" value="2011-02-16"' in html
    assert 'name="session-1-day" value=""' in html
    assert db.session.scalar(select(Event.id)) is None


def test_a_half_filled_row_is_refused_naming_it_and_kept(admin_client):
    page = admin_client.post("/events/new", data={**FORM, **_rows(
        ("2011-02-16", "14:00", "15:00", ""), ("2011-02-18", "14:00", "", ""))})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "Session 2: give its day" in html
    assert 'name="session-1-day" value="2011-02-18"' in html
    assert db.session.scalar(select(Event.id)) is None
