"""Close my account: password, grace period, then erasure; contributions stay as a former
member's."""

from datetime import timedelta

from sqlalchemy import select

from pen import audit
from pen.auth import service as accounts
from pen.auth.models import UserStatus
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.forums import service as forums
from pen.mail import MailMessage
from pen.members import service as members
from pen.privacy import closing
from pen.privacy.models import AccountClosure
from pen.types import utcnow
from tests.conftest import PASSWORD, login


def test_the_page_says_what_is_erased_and_what_is_kept_before_confirming(member_client):
    page = member_client.get("/privacy/close").get_data(as_text=True)
    assert "What is erased" in page and "What is kept" in page
    assert "Former member" in page and "14 days later" in page


def test_a_wrong_password_closes_nothing(member_client, member):
    response = member_client.post("/privacy/close", data={"password": "not mine at all"})
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert closing.pending(member) is None and member_client.get("/").status_code == 200


def test_closing_signs_out_everywhere_and_mails_the_date(app, member, member_client,
                                                         client_as):
    elsewhere = client_as(member)
    response = member_client.post("/privacy/close", data={"password": PASSWORD})
    assert response.headers["Location"] == "/auth/login"
    assert member_client.get("/").status_code == 302 and elsewhere.get("/").status_code == 302
    found = closing.pending(member)
    assert found.erase_after - found.requested_at == timedelta(days=14)
    message = db.session.scalar(select(MailMessage).where(MailMessage.to_addr == member.email))
    assert message.subject == "Your PEN account will be closed"


def test_signing_in_during_the_grace_period_keeps_the_account(app, member):
    closing.request_closure(member, PASSWORD)
    assert login(app.test_client(), member.email).status_code == 302
    db.session.expire_all()
    assert closing.pending(member) is None
    assert closing.erase_due(utcnow() + timedelta(days=30)) == 0


def test_after_the_grace_period_the_person_is_erased_and_posts_stay(app, member, client_as,
                                                                    make_user):
    profile = members.profile_of(member)
    profile.bio, profile.phone, profile.country = "Engineer at VEA.", "+84 24 3822", "VN"
    db.session.commit()
    category = forums.create_category(SYSTEM, "PCB inventories")
    topic = forums.create_topic(member, category, "Oil sampling", "How do you sample?")
    email, user_id = member.email, member.id
    closing.request_closure(member, PASSWORD)
    assert closing.erase_due(utcnow() + timedelta(days=13)) == 0  # still in its grace period
    assert closing.erase_due(utcnow() + timedelta(days=15)) == 1
    db.session.expire_all()
    erased = db.session.get(type(member), user_id)
    assert erased.display_name == "Former member" and erased.email != email
    assert erased.status == UserStatus.SUSPENDED and erased.password_hash is None
    assert accounts.find_by_email(email) is None
    assert (profile.bio, profile.phone, profile.country) == ("", "", None)
    assert login(app.test_client(), email).status_code == 200  # no such account any more
    page = client_as(make_user()).get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert "How do you sample?" in page and "Former member" in page
    assert db.session.scalar(audit.query("privacy.account_erased")).target_id == str(user_id)
    assert db.session.get(AccountClosure, user_id).erased_at is not None
