"""Pilot and open: who may use the site, switched from the settings page or the command line."""

from sqlalchemy import select

from pen.audit import AuditEntry
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.onboarding import access, service
from pen.onboarding.models import CohortMember, SiteSetting
from tests.conftest import login


def set_mode(mode: str) -> None:
    service.set_site_mode(SYSTEM, mode)


def join_test_group(user) -> None:
    db.session.add(CohortMember(cohort=service.ensure_test_group(), user_id=user.id))
    db.session.commit()


def audit_entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


def test_site_is_open_until_someone_says_otherwise(member_client):
    assert access.site_mode() == "open"
    assert member_client.get("/").status_code == 200


def test_config_gives_the_mode_of_a_fresh_database(app_factory):
    app = app_factory(SITE_MODE="pilot")
    with app.app_context():
        assert access.site_mode() == "pilot"
        set_mode("open")
        assert access.site_mode() == "open"  # the database wins once set


def test_an_unknown_stored_mode_fails_closed(app):
    db.session.add(SiteSetting(key=access.SITE_MODE_KEY, value="half-open"))
    db.session.commit()
    assert access.site_mode() == "pilot"


def test_command_line_shows_and_switches_the_mode_and_audits(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["site", "mode"]).output.strip() == "The site is in open mode."
    result = runner.invoke(args=["site", "mode", "pilot"])
    assert result.exit_code == 0 and "pilot mode" in result.output
    assert access.site_mode() == "pilot"
    [entry] = audit_entries("site.mode")
    assert entry.actor_id is None and entry.detail == {"old": "open", "new": "pilot"}
    assert runner.invoke(args=["site", "mode", "closed"]).exit_code != 0


def test_admin_switches_the_mode_on_the_settings_page(admin_client, admin):
    page = admin_client.get("/admin/rollout/site").get_data(as_text=True)
    assert "The site is now in open mode." in page
    response = admin_client.post("/admin/rollout/site", data={"mode": "pilot"})
    assert response.status_code == 302
    assert access.site_mode() == "pilot"
    [entry] = audit_entries("site.mode")
    assert entry.actor_id == admin.id and entry.detail["new"] == "pilot"
    assert admin_client.post("/admin/rollout/site", data={"mode": "closed"}).status_code == 400
    assert access.site_mode() == "pilot"


def test_members_cannot_switch_the_mode(member_client):
    assert member_client.get("/admin/rollout/site").status_code == 403
    assert member_client.post("/admin/rollout/site", data={"mode": "pilot"}).status_code == 403
    assert access.site_mode() == "open"


def test_in_pilot_a_member_outside_the_test_group_sees_not_open_yet(member_client, member):
    set_mode("pilot")
    for path in ("/", "/members/", "/welcome", f"/members/{member.id}"):
        response = member_client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 403, path
        assert "The network is not open yet" in page
        assert 'aria-label="Main"' in page and "Skip to content" in page  # the site's layout
    response = member_client.post("/auth/logout")  # logging out still works
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert member_client.get("/").status_code == 302  # signed out: to the login page


def test_in_pilot_the_test_group_and_admins_come_in(client, member, admin):
    set_mode("pilot")
    join_test_group(member)
    for user in (member, admin):
        assert login(client, user.email).status_code == 302
        assert client.get("/").status_code == 200
        assert client.get("/members/").status_code == 200
        client.post("/auth/logout")


def test_opening_the_site_lets_everyone_in_at_once(member_client):
    set_mode("pilot")
    assert member_client.get("/").status_code == 403
    set_mode("open")
    assert member_client.get("/").status_code == 200


def test_public_pages_stay_public_in_pilot(client, member):
    set_mode("pilot")
    assert client.get("/auth/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/invite/not-a-token").status_code == 410
    assert client.get("/").status_code == 302  # anonymous: still asked to log in first


def test_predicates_reach_templates(app, member, admin):
    set_mode("pilot")
    assert not access.can_enter_site(member) and access.can_enter_site(admin)
    assert not access.can_enter_site(None)
    assert access.can_manage_rollout(admin) and not access.can_manage_rollout(member)
