"""The privacy notice: administrators edit it; everyone reads it; every page links it."""

import pytest
from sqlalchemy import select

from pen import audit
from pen.errors import Forbidden
from pen.extensions import db
from pen.mail import MailMessage
from pen.privacy import service


def test_every_page_links_the_privacy_notice_even_signed_out(app, member_client):
    anonymous = app.test_client()
    assert 'href="/privacy/"' in anonymous.get("/auth/login").get_data(as_text=True)
    assert 'href="/privacy/"' in member_client.get("/").get_data(as_text=True)
    page = anonymous.get("/privacy/")
    assert page.status_code == 200 and "has not yet published" in page.get_data(as_text=True)


def test_an_administrator_edits_the_notice_sanitised_and_audited(app, admin_client, admin):
    response = admin_client.post("/privacy/edit", data={
        "body": "We keep **your profile**. <script>alert(1)</script>"})
    assert response.status_code == 302
    page = app.test_client().get("/privacy/").get_data(as_text=True)
    assert "<strong>your profile</strong>" in page and "<script>alert" not in page
    entry = db.session.scalar(audit.query("privacy.notice"))
    assert entry.actor_id == admin.id


def test_an_empty_notice_is_refused_and_members_may_not_edit(admin_client, member, client_as):
    response = admin_client.post("/privacy/edit", data={"body": "   "})
    assert response.status_code == 400 and service.notice() is None
    assert client_as(member).post("/privacy/edit", data={"body": "Mine"}).status_code == 403
    with pytest.raises(Forbidden):
        service.save_notice(member, "Mine")
    assert service.notice() is None


def test_the_invitation_links_the_privacy_notice(app, admin, make_user):
    from datetime import UTC, datetime

    from pen.auth.models import UserStatus
    from pen.onboarding import sending

    invited = make_user(email="new@example.org", status=UserStatus.INVITED, password=None)
    sending.issue(None, invited, admin, datetime.now(UTC))
    db.session.commit()
    message = db.session.scalar(select(MailMessage).where(MailMessage.to_addr == invited.email))
    assert "http://pen.test/privacy/" in message.body_text
