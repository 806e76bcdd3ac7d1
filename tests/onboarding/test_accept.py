"""Accepting an invitation from the mail a real SMTP server received, and every bad link."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pen.audit import AuditEntry
from pen.auth.models import User, UserStatus
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.mail import MailMessage
from pen.members import service as members
from pen.onboarding import sending, service
from pen.tokens import new_token
from pen.types import utcnow
from tests.conftest import PASSWORD, csrf_token_from, login
from tests.onboarding.conftest import (
    deliver,
    invitation_of,
    links_by_recipient,
    path_of,
)

pytest_plugins = ["tests.fixtures_mail"]

NEW_PASSWORD = "a long and new passphrase"


def invite(target="all") -> sending.SendReport:
    return sending.send_invitations(SYSTEM, target)


def joining(**changes) -> dict:
    values = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "display_name": "Ana González",
              "organisation": "ETESA", "organisation_type": "utility", "country": "PA"}
    return {**values, **changes}


def mailed_link(app, smtp_server, user) -> str:
    """Send the invitations, deliver them by SMTP and return the member's link."""
    app.config["MAIL_URL"] = smtp_server.url
    invite()
    assert deliver().sent >= 1
    [link] = links_by_recipient(smtp_server)[user.email]
    return link


def test_member_accepts_from_the_delivered_mail_with_csrf_on(app_factory, smtp_server):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = service_member()
        link = mailed_link(app, smtp_server, user)
        [message] = smtp_server.messages
        # She works in Spanish (her profile), so her invitation is written in Spanish.
        assert message["Subject"] == "Su invitación a la Red de Eliminación de los PCB"
        assert "Estimado/a Ana Gonzalez" in message.get_body(("plain",)).get_content()
        assert link.startswith("http://pen.test/invite/")
        client = app.test_client()
        form = client.get(path_of(link))
        page = form.get_data(as_text=True)
        assert form.status_code == 200 and 'value="Empresa de Transmisión"' in page
        response = client.post(path_of(link),
                               data={**joining(), "csrf_token": csrf_token_from(page)})
        assert response.status_code == 302 and response.headers["Location"] == "/welcome"
        welcome = client.get("/welcome").get_data(as_text=True)
        assert "Welcome to the network, Ana González" in welcome
        assert "Complete your profile" in welcome
        db.session.expire_all()
        assert user.status == UserStatus.ACTIVE and invitation_of(user).accepted_at
        profile = members.profile_of(user)
        assert (profile.organisation, profile.country, profile.region) == (
            "ETESA", "PA", "Latin America and the Caribbean")
        assert profile.languages == ["es"]  # what the import knew is kept
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_id == str(user.id)))
        assert {"invitation.send", "invitation.accept", "auth.login"} <= set(actions)


def service_member():
    """An invited member with the profile an import would have given."""
    from pen.auth import service as accounts

    user = accounts.create_user("ana.gonzalez@etesa.example", "Ana Gonzalez", None,
                                status=UserStatus.INVITED)
    profile = members.profile_of(user)
    profile.organisation, profile.country = "Empresa de Transmisión", "PA"
    profile.languages = ["es"]
    db.session.commit()
    return user


def test_post_without_csrf_token_is_refused(app_factory, smtp_server):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = service_member()
        link = mailed_link(app, smtp_server, user)
        response = app.test_client().post(path_of(link), data=joining())
        assert response.status_code == 400
        db.session.expire_all()
        assert user.status == UserStatus.INVITED


def test_the_member_can_sign_in_with_the_new_password(app, client, smtp_server):
    user = service_member()
    link = mailed_link(app, smtp_server, user)
    client.post(path_of(link), data=joining())
    client.post("/auth/logout")
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"password": "short", "confirm": "short"}, "password", "Use at least 10 characters."),
    ({"confirm": "something else entirely"}, "confirm", "The two passwords differ."),
    ({"password": "ana.gonzalez@etesa.example", "confirm": "ana.gonzalez@etesa.example"},
     "password", "Your password cannot be your email address."),
    ({"display_name": "  "}, "display_name", "This field is required."),
    ({"country": "XX"}, "country", "Not a valid choice."),
])
def test_a_form_error_keeps_the_input_and_says_why(app, client, smtp_server, changes, field,
                                                    message):
    user = service_member()
    link = mailed_link(app, smtp_server, user)
    response = client.post(path_of(link), data=joining(organisation="Kept As Typed", **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*{re.escape(message)}', page), page
    assert 'value="Kept As Typed"' in page
    db.session.expire_all()
    assert user.status == UserStatus.INVITED and user.password_hash is None
    assert client.get(path_of(link)).status_code == 200  # the link still works


def bad_links(app, smtp_server, invite_member) -> dict[str, str]:
    """One link of every kind that must not work, each with a real account behind it if any."""
    app.config["MAIL_URL"] = smtp_server.url
    people = {kind: invite_member(email=f"{kind}@example.org")
              for kind in ("reused", "expired", "revoked", "suspended", "replaced")}
    invite()
    deliver()
    links = {kind: links_by_recipient(smtp_server)[user.email][0]
             for kind, user in people.items()}
    app.test_client().post(path_of(links["reused"]), data=joining())
    invitation_of(people["expired"]).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    sending.revoke(SYSTEM, invitation_of(people["revoked"]))
    people["suspended"].status = UserStatus.SUSPENDED
    db.session.commit()
    sending.resend(SYSTEM, invitation_of(people["replaced"]))
    base = links["reused"].rsplit("/", 1)[0]
    links.update(guessed=f"{base}/{new_token()[0]}", malformed=f"{base}/not-a-token",
                 too_long=f"{base}/{'A' * 500}", empty_ish=f"{base}/%20")
    return links


def test_every_unusable_link_gets_the_same_clear_page(app, client, smtp_server, invite_member):
    links = bad_links(app, smtp_server, invite_member)
    pages = set()
    for kind, link in links.items():
        for response in (client.get(path_of(link)), client.post(path_of(link), data=joining())):
            assert response.status_code == 410, kind
            # The language switcher sends the visitor back to the address they opened, and
            # carries a CSRF token, which is timestamped: neither says anything of the link.
            pages.add(re.sub(r'name="(next|csrf_token)" value="[^"]*"', "",
                             response.get_data(as_text=True)))
    [page] = pages  # the very same page: no hint of why, or of whose link it was
    assert "This invitation link does not work" in page
    assert 'action="/invite/renew"' in page
    db.session.expire_all()
    active = db.session.scalars(select(User.email).where(User.status == UserStatus.ACTIVE))
    assert list(active) == ["reused@example.org"]  # only the one accepted before


def test_asking_for_a_new_invitation_answers_the_same_for_any_email(app, client, make_user,
                                                                     invite_member):
    waiting = invite_member(email="waiting@example.org")
    revoked = invite_member(email="revoked@example.org")
    make_user(email="active@example.org")
    invite()
    never = invite_member(email="never-invited@example.org")  # imported, not invited yet
    sending.revoke(SYSTEM, invitation_of(revoked))
    invitation_of(waiting).last_sent_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(MailMessage))
    old_digest = invitation_of(waiting).token_digest
    answers = set()
    for email in ("waiting@example.org", "never-invited@example.org", "revoked@example.org",
                  "active@example.org", "nobody@example.org"):
        response = client.post("/invite/renew", data={"email": email})
        assert response.status_code == 200
        # The language switcher's CSRF token is timestamped: it changes with the second.
        answers.add(re.sub(r'name="csrf_token" value="[^"]*"', "",
                           response.get_data(as_text=True).replace(email, "EMAIL")))
    assert len(answers) == 1 and "Check your inbox" in answers.pop()
    after = db.session.scalar(select(func.count()).select_from(MailMessage))
    assert after == before + 1  # only the invited member who asked got a new link
    assert invitation_of(waiting).token_digest != old_digest
    assert never.status == UserStatus.INVITED and invitation_of(never) is None
    client.post("/invite/renew", data={"email": "waiting@example.org"})  # again at once
    assert db.session.scalar(select(func.count()).select_from(MailMessage)) == after


def test_renew_form_without_email_says_so(client):
    response = client.post("/invite/renew", data={"email": ""})
    assert response.status_code == 400 and "This field is required." in response.get_data(
        as_text=True)


def test_joining_outside_the_test_group_in_pilot_shows_not_open(app, client, smtp_server):
    service.set_site_mode(SYSTEM, "pilot")
    user = service_member()
    link = mailed_link(app, smtp_server, user)
    response = client.post(path_of(link), data=joining(), follow_redirects=True)
    assert response.status_code == 403
    assert "The network is not open yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert user.status == UserStatus.ACTIVE  # ready for the day the site opens
    service.set_site_mode(SYSTEM, "open")
    assert client.get("/welcome").status_code == 200


def test_welcome_checklist_links_only_to_pages_that_exist(app, member_client):
    page = member_client.get("/welcome").get_data(as_text=True)
    assert 'href="/members/me/edit"' in page
    for endpoint, title in (("groups.index", "Join a thematic group"),
                            ("forums.index", "Introduce yourself in the forum")):
        linked = re.search(rf'<a href="[^"]+">{title}</a>', page)
        if endpoint.split(".")[0] in app.blueprints:
            assert linked, title
        else:
            assert not linked and title in page and "Coming soon" in page


def test_profile_step_is_done_once_the_profile_is_complete(app, member_client, member):
    assert "Done" not in member_client.get("/welcome").get_data(as_text=True)
    profile = members.profile_of(member)
    profile.organisation, profile.country = "ETESA", "PA"
    from pen.members.models import ExpertiseArea

    profile.expertise = [ExpertiseArea(name="PCB inventories")]
    db.session.commit()
    assert "Done" in member_client.get("/welcome").get_data(as_text=True)


def test_mail_is_written_in_a_language_of_the_member_that_the_interface_has(app, invite_member):
    french = invite_member(email="fr@example.org")
    members.profile_of(french).languages = ["en", "fr"]
    other = invite_member(email="ja@example.org")
    members.profile_of(other).languages = ["ja"]
    chose = invite_member(email="ru@example.org")
    members.profile_of(chose).languages = ["fr"]
    members.profile_of(chose).locale = "ru"
    db.session.commit()
    assert members.mail_locales([french.id, other.id, chose.id]) == {
        french.id: "fr", other.id: "en", chose.id: "ru"}


def test_invitations_sent_without_password_keep_login_closed(app, client, invite_member):
    user = invite_member()
    invite()
    assert login(client, user.email, PASSWORD).status_code == 200  # the wrong-password page
