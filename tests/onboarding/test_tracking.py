"""The tracking page: each invitation's state, counts, the chart, the CSV, one query per page."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import event, update

from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.mail import MailMessage
from pen.onboarding import sending, service, tracking
from pen.onboarding.models import STATES, CohortMember, Invitation
from pen.types import utcnow
from tests.onboarding.conftest import invitation_of


@pytest.fixture
def one_of_each(app, invite_member):
    """Six invited members, one invitation in each state; the first three in the test group."""
    people = {state: invite_member(email=f"{state}@example.org", test_group=index < 3)
              for index, state in enumerate(STATES)}
    sending.send_invitations(SYSTEM, "all")
    now = utcnow()
    mails = {state: invitation_of(user).mail_id for state, user in people.items()}
    for state, status, error in (("sent", "sent", None), ("failed", "failed", "550 no such user"),
                                 ("expired", "sent", None), ("accepted", "sent", None),
                                 ("revoked", "sent", None)):
        db.session.execute(update(MailMessage).where(MailMessage.id == mails[state])
                           .values(status=status, last_error=error))
    for state, values in (("expired", {"expires_at": now - timedelta(days=1)}),
                          ("accepted", {"accepted_at": now}),
                          ("revoked", {"revoked_at": now})):
        db.session.execute(update(Invitation).where(Invitation.user_id == people[state].id)
                           .values(**values))
    db.session.commit()
    return people


def test_each_state_is_derived_from_the_invitation_and_its_mail(one_of_each):
    assert tracking.counts(utcnow()) == dict.fromkeys(STATES, 1)
    rows = db.session.scalars(tracking.invitations_query(utcnow()))
    assert {row.user.email: row.state for row in rows} == {
        f"{state}@example.org": state for state in STATES}


def test_counts_per_cohort_include_members_not_invited(one_of_each, make_user):
    lan = make_user(email="lan@example.org")
    db.session.add(CohortMember(cohort=service.ensure_test_group(), user_id=lan.id))
    db.session.commit()
    [row] = tracking.counts_by_cohort(utcnow())
    assert row.cohort.slug == "test-group" and row.size == 4 and row.not_invited == 1
    assert row.states == {"queued": 1, "sent": 1, "failed": 1, "accepted": 0, "expired": 0,
                          "revoked": 0}


def test_tracking_page_shows_counts_states_and_the_smtp_error(admin_client, one_of_each):
    page = admin_client.get("/admin/rollout/").get_data(as_text=True)
    for state in STATES:
        assert f'<strong class="pen-count-{state}">1</strong>' in page
        assert f"{state}@example.org" in page
    assert "550 no such user" in page
    assert "6 invitations" in page
    failed = admin_client.get("/admin/rollout/?state=failed").get_data(as_text=True)
    assert "failed@example.org" in failed and "sent@example.org" not in failed
    grouped = admin_client.get("/admin/rollout/?cohort=test-group").get_data(as_text=True)
    assert "3 invitations" in grouped and "expired@example.org" not in grouped
    found = admin_client.get("/admin/rollout/?q=REVOKED@").get_data(as_text=True)
    assert "1 invitation" in found


def test_retrying_mail_shows_as_queued_with_the_error(admin_client, invite_member):
    user = invite_member(email="ana@example.org")
    sending.send_invitations(SYSTEM, "all")
    db.session.execute(update(MailMessage).values(attempts=1, last_error="ConnectionRefused"))
    db.session.commit()
    page = admin_client.get("/admin/rollout/?state=queued").get_data(as_text=True)
    assert user.email in page and "Retrying: ConnectionRefused" in page


def statements_for(client, path: str) -> int:
    """How many SQL statements serving ``path`` took."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_list_costs_the_same_with_few_or_many_invitations(admin_client, invite_member):
    for number in range(3):
        invite_member(email=f"early{number}@example.org")
    sending.send_invitations(SYSTEM, "all")
    few = statements_for(admin_client, "/admin/rollout/")
    for number in range(55):
        invite_member(email=f"late{number}@example.org", test_group=number % 2 == 0)
    sending.send_invitations(SYSTEM, "all")
    assert statements_for(admin_client, "/admin/rollout/") == few
    second = admin_client.get("/admin/rollout/?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and "58 invitations" in second


def test_export_lists_every_invitation_with_its_state(admin_client, one_of_each):
    response = admin_client.get("/admin/rollout/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["email"]: row["state"] for row in rows} == {
        f"{state}@example.org": state for state in STATES}
    failed = next(row for row in rows if row["state"] == "failed")
    assert failed["mail_error"] == "550 no such user" and failed["cohorts"] == "Test group"


def test_export_defuses_spreadsheet_formulas(admin_client, invite_member):
    invite_member(email="x@example.org", name="=HYPERLINK(\"http://evil\")")
    sending.send_invitations(SYSTEM, "all")
    body = admin_client.get("/admin/rollout/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_activation_chart_draws_each_day_then_each_week():
    today = date(2026, 3, 31)
    daily = tracking.activation_chart({date(2026, 3, 29): 4, date(2026, 3, 31): 2}, today)
    assert not daily.by_week and [c.value for c in daily.columns] == [4, 0, 2]
    assert daily.columns[0].height > daily.columns[2].height > daily.columns[1].height == 0
    weekly = tracking.activation_chart({date(2026, 1, 5): 3, date(2026, 1, 7): 2,
                                        date(2026, 3, 30): 1}, today)
    assert weekly.by_week and weekly.columns[0].value == 5 and weekly.total == 6
    assert weekly.columns[-1].start == date(2026, 3, 30)
    assert tracking.activation_chart({}, today) is None


def test_tracking_page_draws_activations_as_svg(admin_client, one_of_each):
    page = admin_client.get("/admin/rollout/").get_data(as_text=True)
    assert "<svg" in page and "Members who joined, per day" in page
    assert "1 member has joined through an invitation." in page
    assert tracking.activations_per_day() == {utcnow().date(): 1}


def test_the_tracking_pages_are_for_admins(member_client, one_of_each):
    for path in ("/admin/rollout/", "/admin/rollout/export.csv", "/admin/rollout/cohorts"):
        assert member_client.get(path).status_code == 403
    invitation = invitation_of(one_of_each["sent"])
    for action in ("resend", "revoke"):
        response = member_client.post(f"/admin/rollout/invitations/{invitation.id}/{action}")
        assert response.status_code == 403
    assert member_client.post("/admin/rollout/send", data={"cohort": "all"}).status_code == 403


def test_command_line_status(app, one_of_each):
    output = app.test_cli_runner().invoke(args=["invitations", "status"]).output
    assert "all: 1 queued, 1 sent, 1 failed, 1 accepted, 1 expired, 1 revoked" in output
    assert "test-group (3 members, 0 not invited): 1 queued, 1 sent, 1 failed" in output
