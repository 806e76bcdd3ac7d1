"""Decisions, the nominators' emails (through a real SMTP server), winners, CSV exports."""

import csv
import io

import pytest
from sqlalchemy import select

from pen import mail
from pen.audit import AuditEntry
from pen.awards import decisions, nominating, reviewing
from pen.errors import Forbidden
from pen.extensions import db
from tests.awards.conftest import entry, outside_entry, signed_in

pytest_plugins = ["tests.fixtures_mail"]


@pytest.fixture
def decided(cycle, nominator, nominee, make_user, admin, reviewer, clock):
    """Three nominations after review: a winner, a shortlisted one, one not selected."""
    other = make_user(email="kofi@ecg.example", name="Kofi Mensah")
    winner = nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)
    shortlisted = nominating.save(other, cycle, outside_entry(cycle), submit=True)
    rejected = nominating.save(other, cycle, outside_entry(cycle, "Acme Transformers"),
                               submit=True)
    clock.after_deadline()
    first, second = cycle.criteria
    reviewing.save_review(reviewer, winner, {first.id: 5, second.id: 4}, "Outstanding")
    for nomination, decision in ((winner, "winner"), (shortlisted, "shortlisted"),
                                 (rejected, "not_selected")):
        decisions.decide(admin, nomination, decision)
    return winner, shortlisted, rejected


def test_only_admins_decide(decided, reviewer):
    with pytest.raises(Forbidden):
        decisions.decide(reviewer, decided[0], "not_selected")


def test_nominators_are_emailed_their_decision_through_smtp(smtp_app, smtp_server, decided,
                                                            admin):
    assert decisions.notify_nominators(admin, decided[0].cycle) == 3
    assert decisions.notify_nominators(admin, decided[0].cycle) == 0  # never twice
    report = mail.deliver_due()
    assert report.sent == 3 + 3  # the three receipts, then the three decisions
    received = {m.message["Subject"]: m for m in smtp_server.envelopes}
    winner = received["Your nominee has won a PEN Awards 2011 award"]
    assert winner.rcpt_tos == ["carlos@etesa.example"]
    assert "Nguyen Thi Lan" in winner.message.get_content()
    assert "Outstanding" not in winner.message.get_content()  # comments never leave
    assert "Your nominee is shortlisted for PEN Awards 2011" in received
    rejected = received["The outcome of your nomination for PEN Awards 2011"]
    assert "was not selected this time" in rejected.message.get_content()


def test_winners_are_published_to_members_once_announced(app, decided, admin, member):
    cycle = decided[0].cycle
    client = signed_in(app, member)
    assert client.get(f"/awards/{cycle.id}/winners").status_code == 404
    decisions.announce(admin, cycle)
    page = client.get(f"/awards/{cycle.id}/winners").get_data(as_text=True)
    assert "Nguyen Thi Lan" in page and "Ana González" not in page
    assert "award.cycle.announce" in db.session.scalars(select(AuditEntry.action)).all()


def test_announcing_needs_a_winner(cycle, submitted, admin, clock):
    clock.after_deadline()
    with pytest.raises(decisions.ValidationError):
        decisions.announce(admin, cycle)


def test_the_nominator_sees_the_decision_once_told(app, decided, admin):
    winner = decided[0]
    client = signed_in(app, winner.nominator)
    assert "Decision: Winner" not in client.get(f"/awards/n/{winner.id}").get_data(as_text=True)
    decisions.notify_nominators(admin, winner.cycle)
    assert "Decision: Winner" in client.get(f"/awards/n/{winner.id}").get_data(as_text=True)


def rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_exports_for_admins(app, decided, admin, member, nominator):
    cycle = decided[0].cycle
    client = signed_in(app, admin)
    nominations = rows(client.get(f"/awards/{cycle.id}/export/nominations.csv"))
    assert [r["nominee"] for r in nominations] == ["Nguyen Thi Lan", "Ana González",
                                                   "Acme Transformers"]
    assert nominations[0]["Main achievements"] == "12,000 t identified"
    reviews = rows(client.get(f"/awards/{cycle.id}/export/reviews.csv"))
    assert reviews[0]["reviewer"] == "Ingrid Larsen" and reviews[0]["weighted_mean"] == "4.75"
    result = rows(client.get(f"/awards/{cycle.id}/export/decisions.csv"))
    assert {r["nominee"]: r["decision"] for r in result} == {
        "Nguyen Thi Lan": "winner", "Ana González": "shortlisted",
        "Acme Transformers": "not_selected"}
    assert signed_in(app, member).get(
        f"/awards/{cycle.id}/export/reviews.csv").status_code == 403


def test_exported_cells_cannot_run_formulas(app, cycle, nominator, admin, clock):
    nominating.save(nominator, cycle, outside_entry(cycle, "=HYPERLINK(\"x\")"), submit=True)
    export = signed_in(app, admin).get(f"/awards/{cycle.id}/export/nominations.csv")
    assert rows(export)[0]["nominee"] == "'=HYPERLINK(\"x\")"


def test_every_state_change_is_audited(decided, admin):
    decisions.notify_nominators(admin, decided[0].cycle)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"award.cycle.create", "award.category.create", "award.question.create",
            "award.criterion.create", "award.nomination.submit", "award.review.submit",
            "award.nomination.decide", "award.nomination.notify"} <= actions
