"""The watch: an incident per unwell part, mailed once when it starts and once when it ends,
shown on System health."""

from datetime import timedelta

from sqlalchemy import update

from pen import mail, search
from pen.extensions import db
from pen.mail import MailMessage
from pen.monitoring import alerts
from pen.search.models import SearchReplica
from pen.types import utcnow
from tests.conftest import login
from tests.monitoring.conftest import fill

pytest_plugins = ["tests.fixtures_mail"]


def subjects(smtp_server) -> list[str]:
    return [message["Subject"] for message in smtp_server.messages]


def test_failing_mail_is_one_incident_mailed_when_it_starts_and_when_it_ends(
        app, make_user, smtp_server, closed_port_url):
    admin = make_user(email="amina@pen.example", roles=("admin",))
    search.drain()  # the indexes are built and the worker seen: only mail is unwell
    app.config.update(MAIL_URL=closed_port_url, ALERT_MAIL_DELAY_MINUTES=0,
                      ALERT_EMAILS=["it@pen.example"])
    mail.queue("member@pen.example", "Your digest", "…")
    db.session.commit()
    assert mail.deliver_due().retried == 1  # connection refused: to be retried

    report = alerts.watch()
    assert report.opened == ["mail"]
    assert alerts.watch().opened == []  # still unwell: no second alert
    [incident] = alerts.open_incidents()
    assert "last error" in incident.detail and "Connection" in incident.detail

    app.config["MAIL_URL"] = smtp_server.url  # the mail server is back
    db.session.execute(update(MailMessage).values(next_attempt_at=utcnow()))  # retry is due
    db.session.commit()
    mail.deliver_due()
    assert alerts.watch().cleared == ["mail"]
    mail.deliver_due()
    sent = subjects(smtp_server)
    assert sent.count("PEN: mail is unwell") == 2  # the administrator and the alert address
    assert sent.count("PEN: mail is well again") == 2
    assert {m["To"] for m in smtp_server.messages} >= {admin.email, "it@pen.example"}


def test_a_stopped_worker_is_an_incident_on_the_health_page(app, client, make_user):
    admin = make_user(email="amina@pen.example", roles=("admin",))
    search.drain()
    db.session.execute(update(SearchReplica).values(seen_at=utcnow() - timedelta(minutes=30)))
    db.session.commit()  # the worker was killed half an hour ago
    assert alerts.watch().opened == ["worker"]
    login(client, admin.email)
    page = client.get("/admin/health/").get_data(as_text=True)
    assert "1 part of PEN is unwell" in page and "not seen for" in page

    search.drain()  # the worker runs again
    assert alerts.watch().cleared == ["worker"]
    page = client.get("/admin/health/").get_data(as_text=True)
    assert "Every part of PEN is well." in page and "<polyline" in page  # the hour's sample


def test_a_filling_disk_is_an_incident_until_space_is_freed(app_factory, small_disk):
    app = app_factory(UPLOADS_DIR=str(small_disk), ALERT_DISK_FREE_MB=1)
    with app.app_context():
        search.drain()
        filler = fill(small_disk, leave_bytes=200_000)
        assert alerts.watch().opened == ["disk:uploads_dir"]
        filler.unlink()
        assert alerts.watch().cleared == ["disk:uploads_dir"]


def test_system_health_is_for_administrators_only(app, client, member):
    login(client, member.email)
    assert client.get("/admin/health/").status_code == 403
    client.post("/auth/logout")
    assert client.get("/admin/health/").status_code == 302  # to the sign-in page


def test_the_dashboard_names_what_is_unwell(app, client, make_user):
    admin = make_user(email="amina@pen.example", roles=("admin",))
    login(client, admin.email)
    alerts.watch()  # nothing built yet: the indexes and the worker are unwell
    page = client.get("/admin/dashboard").get_data(as_text=True)
    assert "parts of PEN are unwell" in page and "<code>worker</code>" in page
