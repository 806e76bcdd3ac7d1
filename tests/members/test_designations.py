"""Designations: recorded by administrators, requested by members, verified on profiles."""

from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from pen.audit import AuditEntry
from pen.auth.system import SYSTEM
from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.members import designations, service
from pen.members.models import Designation, DesignationRequest
from tests.conftest import make_test_app

TODAY = designations.today()


@pytest.fixture(autouse=True)
def one_day(monkeypatch):
    """Every test judges designations on TODAY, even when the run crosses midnight (UTC)."""
    monkeypatch.setattr(designations, "today", lambda: TODAY)


def record_form(email, **changes):
    """The administrators' record form, filled in."""
    data = {"email": email, "kind": "ocp", "country": "BF", "starts_on": "2024-01-01",
            "ends_on": ""}
    data.update(changes)
    return data


def count(model) -> int:
    """Rows of a table."""
    return len(db.session.scalars(select(model)).all())


def test_an_administrator_records_a_designation_shown_verified_and_audited(
        admin_client, admin, member, client_as):
    response = admin_client.post("/members/designations", data=record_form(member.email))
    assert response.status_code == 302
    found = db.session.scalar(select(Designation))
    assert (found.user_id, found.kind, found.country) == (member.id, "ocp", "BF")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "designation.record"))
    assert entry.actor_id == admin.id and entry.detail["country"] == "BF"
    page = client_as(member).get(f"/members/{member.id}").get_data(as_text=True)
    assert "Official contact point (OCP)" in page and "verified" in page
    assert service.profile_of(member).convention_role == "ocp"  # the directory's facet


def test_a_designation_for_a_country_that_does_not_exist_is_refused(admin_client, member):
    response = admin_client.post("/members/designations",
                                 data=record_form(member.email, country="XX"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is no country with the code XX." in page
    assert member.email in page  # what was typed is kept
    assert count(Designation) == 0
    with pytest.raises(ValidationError):
        designations.record(SYSTEM, member, "ocp", "ZZ", TODAY)


def test_overlapping_dates_are_refused_and_adjacent_ones_accepted(admin, member):
    designations.record(admin, member, "nfp", "VN", date(2020, 1, 1), date(2022, 12, 31))
    with pytest.raises(ValidationError) as refused:
        designations.record(admin, member, "nfp", "VN", date(2022, 6, 1))
    assert "overlap" in refused.value.message and "2020-01-01" in refused.value.message
    with pytest.raises(ValidationError):
        designations.record(admin, member, "nfp", "VN", date(2019, 1, 1), date(2020, 1, 1))
    assert count(Designation) == 1
    designations.record(admin, member, "nfp", "VN", date(2023, 1, 1))
    designations.record(admin, member, "ocp", "VN", date(2021, 1, 1))  # another designation
    assert count(Designation) == 3


def test_overlap_through_the_form_says_why_beside_the_field(admin_client, admin, member):
    designations.record(admin, member, "ocp", "BF", date(2024, 1, 1))
    response = admin_client.post("/members/designations",
                                 data=record_form(member.email, starts_on="2025-03-01"))
    assert response.status_code == 400
    assert "These dates overlap the member&#39;s designation from 2024-01-01" in \
        response.get_data(as_text=True)
    assert count(Designation) == 1


def test_an_end_before_the_start_is_refused(admin, member):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        designations.record(admin, member, "dna", "SN", date(2024, 5, 1), date(2024, 4, 1))


def test_members_may_not_record_designations(member, member_client, make_user):
    other = make_user()
    assert member_client.get("/members/designations").status_code == 403
    response = member_client.post("/members/designations", data=record_form(other.email))
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        designations.record(member, member, "ocp", "BF", TODAY)
    assert count(Designation) == 0


def test_an_expired_designation_is_no_longer_shown_verified(admin, member, client_as):
    found = designations.record(admin, member, "ocp", "BF", date(2020, 1, 1))
    designations.end(admin, found, TODAY - timedelta(days=1))
    assert not designations.is_current(member, "ocp", "BF")
    page = client_as(member).get(f"/members/{member.id}").get_data(as_text=True)
    assert "verified" not in page
    assert service.profile_of(member).convention_role is None


def test_the_profile_form_no_longer_declares_a_role(member, member_client):
    page = member_client.get("/members/me/edit").get_data(as_text=True)
    assert 'name="convention_role"' not in page
    member_client.post("/members/me/edit", data={
        "display_name": "Nguyen Thi Lan", "country": "VN", "convention_role": "ocp",
        "email_visibility": "members", "phone_visibility": "members"})
    assert service.profile_of(member).convention_role is None
    assert not designations.is_current(member, "ocp", "VN")


def test_a_request_is_approved_with_notifications_both_ways(member, member_client, admin,
                                                            client_as):
    response = member_client.post("/members/me/designations", data={
        "kind": "ocp", "country": "BF", "justification": "Designated by the Ministry in 2024."})
    assert response.status_code == 302
    admin_client = client_as(admin)
    bell = admin_client.get("/notifications/").get_data(as_text=True)
    assert "Nguyen Thi Lan asks to be recorded as OCP" in bell
    queue = admin_client.get("/members/designations").get_data(as_text=True)
    assert "Designated by the Ministry in 2024." in queue
    asked = db.session.scalar(select(DesignationRequest))
    response = admin_client.post(f"/members/designations/requests/{asked.id}", data={
        "action": "approve", "country": "BF", "starts_on": "2024-02-01", "ends_on": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert asked.status == "approved" and designations.is_current(member, "ocp", "BF")
    mine = member_client.get("/notifications/").get_data(as_text=True)
    assert "Your request to be recorded as OCP was approved" in mine


def test_a_declined_request_tells_the_member_why_and_records_nothing(member, member_client,
                                                                     admin, client_as):
    asked = designations.request_designation(member, "nfp", "VN", "I am the NFP.")
    client_as(admin).post(f"/members/designations/requests/{asked.id}", data={
        "action": "decline", "note": "The Convention's list names someone else."})
    db.session.expire_all()
    assert asked.status == "declined" and count(Designation) == 0
    mine = member_client.get("/notifications/").get_data(as_text=True)
    assert "Your request to be recorded as NFP was declined" in mine
    page = member_client.get("/members/me/designations").get_data(as_text=True)
    assert "The Convention&#39;s list names someone else." in page


def test_a_request_needs_a_justification_and_a_real_country(member):
    with pytest.raises(ValidationError, match="Say why"):
        designations.request_designation(member, "ocp", "BF", "  ")
    with pytest.raises(ValidationError, match="no country with the code XX"):
        designations.request_designation(member, "ocp", "XX", "Because.")
    designations.request_designation(member, "ocp", "BF", "Because.")
    with pytest.raises(ValidationError, match="already asked"):
        designations.request_designation(member, "ocp", "BF", "Again.")
    assert count(DesignationRequest) == 1


def test_members_may_not_decide_requests(member, make_user, client_as):
    other = make_user()
    asked = designations.request_designation(member, "ocp", "BF", "Because.")
    response = client_as(other).post(f"/members/designations/requests/{asked.id}",
                                     data={"action": "approve", "country": "BF",
                                           "starts_on": "2024-01-01"})
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        designations.approve(other, asked, "BF", TODAY)
    assert count(Designation) == 0


def test_the_migration_turns_self_declared_roles_into_pending_requests(tmp_path):
    app = make_test_app(tmp_path, None)
    with app.app_context():
        upgrade(revision="5e8f2a3c4b61")
        db.session.execute(text(
            "INSERT INTO users (id, email, display_name, status, session_nonce, created_at) "
            "VALUES (1, 'a@example.org', 'A', 'active', 'n', '2026-01-01'),"
            " (2, 'b@example.org', 'B', 'active', 'n', '2026-01-01')"))
        db.session.execute(text(
            "INSERT INTO profiles (user_id, title, organisation, country, convention_role, bio,"
            " bio_html, phone, email_visibility, phone_visibility, updated_at) VALUES"
            " (1, '', '', 'BF', 'ocp', '', '', '', 'members', 'members', '2026-01-01'),"
            " (2, '', '', 'VN', 'expert', '', '', '', 'members', 'members', '2026-01-01')"))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT user_id, kind, country, status FROM designation_requests")).all()
        roles = dict(db.session.execute(
            text("SELECT user_id, convention_role FROM profiles")).all())
        designated = db.session.execute(text("SELECT count(*) FROM designations")).scalar()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "ocp", "BF", "pending")]
    assert roles == {1: None, 2: "expert"} and designated == 0


def test_the_worker_follows_dates_as_they_pass_and_then_rests(admin, member, monkeypatch):
    designations.record(admin, member, "ocp", "BF", TODAY + timedelta(days=1))
    assert service.profile_of(member).convention_role is None  # not in force yet
    assert designations.refresh_profile_roles() == 0
    monkeypatch.setattr(designations, "today", lambda: TODAY + timedelta(days=1))
    assert designations.refresh_profile_roles() == 1
    assert service.profile_of(member).convention_role == "ocp"
    assert designations.refresh_profile_roles() == 0  # nothing left to do: the drain stops


def test_ending_a_designation_asks_first_then_ends_it(admin, admin_client, member):
    found = designations.record(admin, member, "ocp", "BF", date(2020, 1, 1))
    page = admin_client.get(f"/members/designations/{found.id}/end").get_data(as_text=True)
    assert f"End the designation of {member.display_name}?" in page
    assert f'name="ends_on" value="{TODAY.isoformat()}"' in page  # the GET ends it today
    assert admin_client.post(f"/members/designations/{found.id}/end",
                             data={"ends_on": "2025-06-30"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Designation, found.id).ends_on is None
    response = admin_client.post(f"/members/designations/{found.id}/end",
                                 data={"ends_on": "2025-06-30", "confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Designation, found.id).ends_on == date(2025, 6, 30)


def test_a_member_cannot_end_a_designation_even_confirmed(admin, member, member_client):
    found = designations.record(admin, member, "ocp", "BF", date(2020, 1, 1))
    assert member_client.get(f"/members/designations/{found.id}/end").status_code == 403
    assert member_client.post(f"/members/designations/{found.id}/end", data={
        "ends_on": "2025-06-30", "confirmed": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Designation, found.id).ends_on is None
