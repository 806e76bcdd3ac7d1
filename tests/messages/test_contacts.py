"""Who may write to a member, blocks, reports to administrators, the daily limit."""

import re

import pytest
from sqlalchemy import select

from pen.auth.system import SYSTEM
from pen.errors import ValidationError
from pen.extensions import db
from pen.forums import service as forums
from pen.groups.models import GroupMembership
from pen.messages import contacts, reports, service
from pen.messages.models import Message
from pen.notifications.models import Notification
from tests.visibility_helpers import make_groups


def test_nobody_means_nobody_but_the_secretariat(ana, ben, admin, client_as):
    contacts.set_who_may_write(ben, "nobody")
    with pytest.raises(ValidationError, match="do not accept messages from you: Ben Okafor"):
        service.start(ana, [ben], "Hello", "Hi Ben")
    assert f"/messages/new?to={ben.id}" not in client_as(ana).get(
        f"/members/{ben.id}").get_data(as_text=True)
    assert service.start(admin, [ben], "Your profile", "Please complete it.").id


def test_groups_means_members_of_a_shared_group(ana, ben, cleo):
    contacts.set_who_may_write(ben, "groups")
    first, _second = make_groups()[:2]
    db.session.add_all([GroupMembership(group_id=first, user_id=ben.id),
                        GroupMembership(group_id=first, user_id=cleo.id)])
    db.session.commit()
    with pytest.raises(ValidationError):
        service.start(ana, [ben], "Hello", "Hi Ben")
    assert service.start(cleo, [ben], "Our group", "See you Tuesday").id


def test_the_form_keeps_what_was_typed_when_refused(ana, ben, client_as):
    contacts.set_who_may_write(ben, "nobody")
    response = client_as(ana).post(f"/messages/new?to={ben.id}", data={
        "subject": "A long careful question", "body": "Three paragraphs of careful text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "do not accept messages from you" in html
    assert "A long careful question" in html and "Three paragraphs of careful text" in html


def test_a_blocked_member_cannot_write_or_add_and_is_hidden(ana, ben, cleo, talk, client_as):
    client_as(ben).post(f"/messages/block/{ana.id}")
    with pytest.raises(ValidationError, match="do not accept messages from you"):
        service.start(ana, [ben], "Again", "Please answer")
    service.send(ana, talk, "A message Ben will not see")
    html = client_as(ben).get(f"/messages/{talk.id}").get_data(as_text=True)
    assert "A message Ben will not see" not in html and "member you blocked" in html
    assert not db.session.scalars(select(Notification).where(
        Notification.user_id == ben.id, Notification.kind == "message.new",
        Notification.excerpt.contains("will not see"))).all()
    other = service.start(cleo, [ana], "Triage", "Hello Ana")
    with pytest.raises(ValidationError, match="do not accept messages from you"):
        service.add_participant(ana, other, ben)


def test_mentions_by_a_blocked_member_are_silent(app, ana, ben):
    contacts.block(ben, ana)
    category = forums.create_category(SYSTEM, "Inventories")
    forums.create_topic(ana, category, "Who has numbers?", "@BenOkafor do you?")
    assert not db.session.scalars(select(Notification).where(
        Notification.user_id == ben.id)).all()
    contacts.unblock(ben, ana)
    forums.create_topic(ana, category, "Who else?", "@BenOkafor again?")
    assert db.session.scalars(select(Notification).where(
        Notification.user_id == ben.id, Notification.kind == "forum.mention")).all()


def test_reports_show_administrators_the_message_and_its_context_only(
        ana, ben, admin, talk, client_as, make_user):
    for n in range(6):
        service.send(ana if n % 2 else ben, talk, f"Message number {n}")
    reported = db.session.scalar(select(Message).where(Message.body == "Message number 5"))
    response = client_as(ben).post(f"/messages/m/{reported.id}/report",
                                   data={"reason": "Insulting"})
    assert response.status_code == 302
    admin_client = client_as(admin)
    queue = admin_client.get("/messages/reports").get_data(as_text=True)
    assert "Insulting" in queue
    [found] = db.session.scalars(select(reports.MessageReport)).all()
    html = admin_client.get(f"/messages/reports/{found.id}").get_data(as_text=True)
    assert "Message number 5" in html and "Message number 2" in html
    assert "lab results" not in html and "Message number 1" not in html  # beyond the context
    assert admin_client.get(f"/messages/{talk.id}").status_code == 404
    assert client_as(ben).get(f"/messages/reports/{found.id}").status_code == 404
    assert client_as(ben).get("/messages/reports").status_code == 404
    assert admin_client.post(f"/messages/reports/{found.id}/close").status_code == 302
    assert "Insulting" not in admin_client.get("/messages/reports").get_data(as_text=True)


def test_one_cannot_report_own_or_unseen_messages(ana, ben, cleo, talk, client_as):
    first = db.session.scalar(select(Message))
    assert client_as(cleo).get(f"/messages/m/{first.id}/report").status_code == 404
    response = client_as(ana).post(f"/messages/m/{first.id}/report", data={"reason": "mine"})
    assert response.status_code == 400


def test_new_conversations_per_day_are_limited(app, ana, ben, admin):
    app.config["MESSAGES_NEW_PER_DAY"] = 2
    service.start(ana, [ben], "One", "1")
    service.start(ana, [ben], "Two", "2")
    with pytest.raises(ValidationError, match="2 conversations in the last 24 hours"):
        service.start(ana, [ben], "Three", "3")
    for n in range(3):
        service.start(admin, [ben], f"Notice {n}", "From the Secretariat")


def test_settings_page_saves_the_choice_and_refuses_nonsense(ana, client_as):
    client = client_as(ana)
    assert client.post("/messages/settings", data={"who": "groups"}).status_code == 302
    html = client.get("/messages/settings").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="groups"', html)
    assert client.post("/messages/settings", data={"who": "martians"}).status_code == 400
