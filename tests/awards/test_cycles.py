"""Setting up cycles: moments entered in a zone and stored in UTC, categories, form, rubric."""

import re
from datetime import UTC, datetime

import pytest

from pen.awards import cycles, reviewing
from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.members.service import profile_of
from tests.awards.conftest import DEADLINE_UTC, signed_in


def cycle_input(**changes) -> cycles.CycleInput:
    values = dict(name="PEN Awards 2012", description="", time_zone="America/Panama",
                  opens_local=datetime(2012, 1, 1, 8, 0),
                  closes_local=datetime(2012, 3, 1, 17, 0), grace_minutes=30)
    values.update(changes)
    return cycles.CycleInput(**values)


def test_moments_are_entered_in_the_cycles_zone_and_stored_in_utc(cycle, admin):
    assert cycle.closes_at == DEADLINE_UTC
    other = cycles.create_cycle(admin, cycle_input())
    db.session.expire_all()
    assert other.opens_at == datetime(2012, 1, 1, 13, 0, tzinfo=UTC)  # Panama is UTC-5
    assert cycles.local_times(other)["closes"] == datetime(2012, 3, 1, 17, 0)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"closes_local": datetime(2011, 12, 1)}, "closes", "must close after it opens"),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
    ({"time_zone": "Europe/Zurich", "closes_local": datetime(2012, 3, 25, 2, 30)}, "closes",
     "does not exist in Europe/Zurich"),
    ({"grace_minutes": -5}, "grace_minutes", "grace period"),
    ({"name": "PEN Awards 2011"}, "name", "already a cycle"),
])
def test_bad_cycle_settings_are_refused_next_to_their_field(cycle, admin, changes, field,
                                                            message):
    with pytest.raises(ValidationError) as refused:
        cycles.create_cycle(admin, cycle_input(**changes))
    assert refused.value.field == field and message in refused.value.message


def test_only_admins_set_up_cycles(app, cycle, member):
    with pytest.raises(Forbidden):
        cycles.create_cycle(member, cycle_input())
    client = signed_in(app, member)
    assert client.get("/awards/new").status_code == 403
    assert client.get(f"/awards/{cycle.id}/setup").status_code == 403
    sneaky = client.post(f"/awards/{cycle.id}/categories", data={"category-name": "Sneaky"})
    assert sneaky.status_code == 403


def test_an_admin_opens_a_cycle_through_the_pages(app, admin, clock):
    client = signed_in(app, admin)
    response = client.post("/awards/new", data={
        "name": "PEN Awards 2013", "description": "Call", "time_zone": "Asia/Bangkok",
        "opens": "2011-01-15T09:00", "closes": "2011-04-01T18:00", "grace_minutes": "30"})
    assert response.status_code == 302
    setup = response.headers["Location"]
    cycle_id = int(setup.split("/")[-2])
    assert client.post(f"/awards/{cycle_id}/categories", data={
        "category-name": "Awareness raising", "category-allow_self": "y"}).status_code == 302
    assert client.post(f"/awards/{cycle_id}/questions", data={
        "question-label": "Region", "question-kind": "choice",
        "question-choices": "Africa"}).status_code == 400
    assert client.post(f"/awards/{cycle_id}/criteria", data={
        "criterion-name": "Impact", "criterion-weight": "11"}).status_code == 400
    assert client.post(f"/awards/{cycle_id}/criteria", data={
        "criterion-name": "Impact", "criterion-weight": "2"}).status_code == 302
    page = client.get(setup).get_data(as_text=True)
    assert "Awareness raising" in page and "weight 2" in page
    assert "1 Apr 2011, 18:00 (Asia/Bangkok)" in page


def test_a_form_with_errors_keeps_the_values(app, admin):
    response = signed_in(app, admin).post("/awards/new", data={
        "name": "PEN Awards 2014", "time_zone": "UTC", "opens": "2014-03-01T00:00",
        "closes": "2014-01-01T00:00", "grace_minutes": "30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "must close after it opens" in page
    assert 'value="PEN Awards 2014"' in page


def test_members_see_a_cycle_once_it_opens(app, admin, member, clock):
    upcoming = cycles.create_cycle(admin, cycle_input(
        opens_local=datetime(2011, 6, 1), closes_local=datetime(2011, 7, 1)))
    client = signed_in(app, member)
    assert client.get(f"/awards/{upcoming.id}").status_code == 404
    assert "PEN Awards 2012" not in client.get("/awards/").get_data(as_text=True)
    clock.set(datetime(2011, 6, 2, tzinfo=UTC))
    assert client.get(f"/awards/{upcoming.id}").status_code == 200


def test_the_rubric_is_frozen_once_scored(cycle, submitted, reviewer, admin, clock):
    clock.after_deadline()
    first, second = cycle.criteria
    reviewing.save_review(reviewer, submitted, {first.id: 4, second.id: 4}, "")
    with pytest.raises(ValidationError):
        cycles.add_criterion(admin, cycle, "Late criterion")
    with pytest.raises(ValidationError):
        cycles.remove_criterion(admin, first)
    with pytest.raises(ValidationError):
        cycles.remove_category(admin, submitted.category)


def test_setup_removals_and_review_steps_through_the_pages(app, cycle, admin, clock):
    client = signed_in(app, admin)
    unused = cycle.categories[1]
    assert client.post(f"/awards/{cycle.id}/categories/{unused.id}/delete",
                       data={"confirmed": "1"}).status_code == 302
    question = cycle.questions[-1]
    assert client.post(f"/awards/{cycle.id}/questions/{question.id}/delete",
                       data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert [c.name for c in cycle.categories] == ["PCB inventories"]
    assert len(cycle.questions) == 2
    assert client.post(f"/awards/{cycle.id}/open-review").status_code == 302
    assert client.post(f"/awards/{cycle.id}/close-review").status_code == 302
    db.session.expire_all()
    assert cycle.review_opened_at is not None and cycle.review_closed_at is not None
    assert client.get(f"/awards/{cycle.id}/export/secrets.csv").status_code == 404


def test_removing_a_setup_item_asks_first(app, cycle, admin):
    client = signed_in(app, admin)
    criterion_id, name = cycle.criteria[0].id, cycle.criteria[0].name
    url = f"/awards/{cycle.id}/criteria/{criterion_id}/delete"
    page = client.get(url).get_data(as_text=True)
    assert f"Remove the criterion {name}?" in page
    assert client.post(url).status_code == 200  # unconfirmed: the question again
    db.session.expire_all()
    assert criterion_id in [c.id for c in cycle.criteria]
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert criterion_id not in [c.id for c in cycle.criteria]


def test_a_member_cannot_remove_a_setup_item(app, cycle, member):
    client = signed_in(app, member)
    url = f"/awards/{cycle.id}/categories/{cycle.categories[1].id}/delete"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirmed": "1"}).status_code == 403
    db.session.expire_all()
    assert len(cycle.categories) == 2


def test_the_zone_is_typed_to_search_and_a_new_cycle_starts_on_the_admins_clock(app, admin):
    profile_of(admin).timezone = "America/Panama"
    db.session.commit()
    page = signed_in(app, admin).get("/awards/new").get_data(as_text=True)
    [zone_input] = re.findall(r'<input[^>]*name="time_zone"[^>]*>', page)
    assert 'list="pen-cycle-timezones"' in zone_input and 'value="America/Panama"' in zone_input
    assert '<datalist id="pen-cycle-timezones">' in page and '<option value="Asia/Bangkok">' in page


def test_a_new_cycle_without_a_zone_on_the_profile_starts_in_utc(app, admin):
    page = signed_in(app, admin).get("/awards/new").get_data(as_text=True)
    [zone_input] = re.findall(r'<input[^>]*name="time_zone"[^>]*>', page)
    assert 'value="UTC"' in zone_input


@pytest.mark.parametrize("typed, reason", [
    ("Mars/Olympus", "Mars/Olympus is not a time zone."),
    ("   ", "Choose a time zone from the list."),
])
def test_an_unknown_zone_is_refused_with_the_reason_and_the_form_kept(app, admin, typed,
                                                                      reason):
    response = signed_in(app, admin).post("/awards/new", data={
        "name": "PEN Awards 2015", "time_zone": typed, "opens": "2015-03-01T00:00",
        "closes": "2015-05-01T00:00", "grace_minutes": "30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and reason in page
    assert 'value="PEN Awards 2015"' in page and 'value="2015-05-01T00:00"' in page
    assert typed.strip() == "" or f'value="{typed}"' in page
    assert cycles.db.session.query(cycles.AwardCycle).count() == 0
