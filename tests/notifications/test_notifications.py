"""Notifications: who gets them, the bell and page, immediate email and the daily digest.

Email goes to a real SMTP server on loopback (aiosmtpd), through the outbox.
"""

import pytest
from sqlalchemy import func, select

from pen import mail
from pen.extensions import db
from pen.forums import moderation, service, watching
from pen.forums.models import Post
from pen.notifications import delivery
from pen.notifications import service as notes
from pen.notifications.models import PENDING, SENT, Notification


def notified(user) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def test_the_author_hears_of_replies_but_not_of_their_own(topic, author, member):
    service.reply(member, topic, "Try a field kit first.")
    service.reply(author, topic, "Thanks!")
    assert notified(author) == ["forum.reply"]
    assert notified(member) == ["forum.reply"]  # repliers watch too


def test_category_watchers_hear_of_new_topics_and_mutes_win(category, author, member,
                                                           make_user):
    watcher = make_user()
    watching.set_category_level(watcher, category, "watching")
    topic = service.create_topic(author, category, "Inventory templates", "Which template?")
    assert notified(watcher) == ["forum.topic"]
    watching.set_topic_level(watcher, topic, "muted")
    service.reply(member, topic, "The UNEP template")
    assert notified(watcher) == ["forum.topic"]


def test_mentions_notify_once_and_link_the_profile(topic, member, author, make_user):
    moussa = make_user(name="Moussa Ouédraogo")
    post = service.reply(member, topic, "@moussa.ouedraogo and @AnaGonzalez, see `@nobody`")
    assert f'href="/members/{moussa.id}"' in post.body_html
    assert "@Moussa Ouédraogo" in post.body_html
    assert notified(moussa) == ["forum.mention"]
    assert notified(author) == ["forum.mention"]  # a watcher mentioned hears it once


def test_mentions_of_members_who_cannot_see_the_topic_are_silent(category, admin, member):
    service.create_topic(admin, category, "Group plan", "@NguyenThiLan look", group_id=5)
    assert notified(member) == []


def test_bell_page_open_and_mark_all_read(topic, member, author, client_as):
    service.reply(member, topic, "First answer")
    service.reply(member, topic, "Second answer")
    client = client_as(author)
    html = client.get("/forums/").get_data(as_text=True)
    assert 'text-bg-warning">2<span class="visually-hidden"> unread' in html
    page = client.get("/notifications/").get_data(as_text=True)
    assert "New reply" in page and topic.title in page
    first = db.session.scalar(select(Notification.id).where(Notification.user_id == author.id))
    response = client.post(f"/notifications/{first}/open")
    assert response.status_code == 302 and "/forums/p/" in response.headers["Location"]
    assert notes.unread_count(author) == 1
    client.post("/notifications/read")
    assert notes.unread_count(author) == 0


def test_others_notifications_cannot_be_opened(topic, member, author, client_as):
    service.reply(member, topic, "Answer")
    note = db.session.scalar(select(Notification.id).where(Notification.user_id == author.id))
    assert client_as(member).post(f"/notifications/{note}/open").status_code == 404


def test_notifications_about_topics_no_longer_visible_disappear(topic, member, author,
                                                                moderator, client_as):
    service.reply(member, topic, "Answer")
    service.delete_post(moderator, db.session.get(Post, topic.id and topic_first(topic)))
    client = client_as(author)
    page = client.get("/notifications/").get_data(as_text=True)
    assert topic.title not in page and "Nothing new." in page
    assert notes.unread_count(author) == 0
    bell = client.get("/forums/").get_data(as_text=True)
    assert "pen-bell" in bell and 'text-bg-warning">' not in bell


def test_reading_the_page_writes_nothing(topic, member, author, moderator, client_as):
    service.reply(member, topic, "Answer")
    service.delete_post(moderator, db.session.get(Post, topic_first(topic)))
    before = db.session.execute(select(Notification.id, Notification.read_at,
                                       Notification.email_state)).all()
    client = client_as(author)
    for _ in range(2):
        assert client.get("/notifications/").status_code == 200
    db.session.expire_all()
    after = db.session.execute(select(Notification.id, Notification.read_at,
                                      Notification.email_state)).all()
    assert after == before and before[0].read_at is None


def test_a_page_of_notifications_is_full_despite_hidden_ones(category, author, member,
                                                             moderator, client_as):
    kept = service.create_topic(author, category, "Kept topic", "Question")
    gone = service.create_topic(author, category, "Gone topic", "Question")
    for n in range(31):
        service.reply(member, gone, f"Gone answer {n}")
    for n in range(30):
        service.reply(member, kept, f"Kept answer {n}")
    service.delete_post(moderator, db.session.get(Post, topic_first(gone)))
    page = client_as(author).get("/notifications/").get_data(as_text=True)
    assert page.count("Kept topic") == 30 and "Gone topic" not in page
    assert notes.unread_count(author) == 30


def topic_first(topic) -> int:
    return db.session.scalar(select(Post.id).where(Post.topic_id == topic.id, Post.number == 1))


def test_settings_page_saves_the_choice(member, client_as):
    client = client_as(member)
    assert client.post("/notifications/settings", data={"email_mode": "digest"}).status_code == 302
    assert notes.email_mode(member) == "digest"
    response = client.post("/notifications/settings", data={"email_mode": "hourly"})
    assert response.status_code == 400 and 'id="email_mode-error"' in response.get_data(
        as_text=True)


def test_immediate_email_through_the_outbox(smtp_app, smtp_server, topic, member, author):
    service.reply(member, topic, "Sealed glass vials, labelled with the serial number.")
    report = delivery.deliver_immediate()
    assert report.emailed == 1
    assert mail.deliver_due().sent == 1
    [message] = smtp_server.messages
    assert message["To"] == author.email and message["Subject"] == topic.title
    body = message.get_content()
    assert "Sealed glass vials" in body and "http://pen.test/forums/p/" in body
    assert delivery.deliver_immediate().emailed == 0  # nothing twice


def test_digest_sends_once_and_leaves_out_what_is_hidden_now(smtp_app, smtp_server, category,
                                                             author, member, moderator):
    notes.set_email_mode(author, "digest")
    kept = service.create_topic(author, category, "Disposal in Senegal", "Options?")
    gone = service.create_topic(author, category, "Soon deleted", "Question")
    service.reply(member, kept, "Export to a licensed facility in Europe.")
    service.reply(member, gone, "An answer to a topic that will go")
    service.delete_post(moderator, db.session.get(Post, topic_first(gone)))
    assert delivery.deliver_immediate().emailed == 0  # digest members wait
    result = smtp_app.test_cli_runner().invoke(args=["mail", "digest"])
    assert result.exit_code == 0 and "1 message(s)" in result.output
    mail.deliver_due()
    [message] = smtp_server.messages
    body = message.get_content()
    assert message["To"] == author.email and "PEN digest: 1 new notification" in message["Subject"]
    assert "Disposal in Senegal" in body and "licensed facility" in body
    assert "Soon deleted" not in body and "will go" not in body
    again = smtp_app.test_cli_runner().invoke(args=["mail", "digest"])
    assert "0 message(s)" in again.output
    mail.deliver_due()
    assert len(smtp_server.messages) == 1
    states = dict(db.session.execute(select(Notification.title, Notification.email_state)).all())
    assert states == {"Disposal in Senegal": SENT, "Soon deleted": "dropped"}


def test_members_who_chose_none_get_no_email(smtp_app, smtp_server, topic, member, author):
    notes.set_email_mode(author, "none")
    service.reply(member, topic, "Answer")
    delivery.deliver_immediate()
    delivery.send_digests()
    mail.deliver_due()
    assert smtp_server.messages == []
    assert notified(author) == ["forum.reply"]  # still on the site


def test_read_notifications_are_not_in_the_digest(app, topic, member, author):
    notes.set_email_mode(author, "digest")
    service.reply(member, topic, "Answer")
    notes.mark_all_read(author)
    assert delivery.send_digests().messages == 0
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.email_state == PENDING)) == 0


@pytest.mark.parametrize("mode", ["immediate", "digest"])
def test_suspended_members_get_no_email(app, topic, member, author, mode):
    from pen.auth.models import UserStatus
    notes.set_email_mode(author, mode)
    service.reply(member, topic, "Answer")
    author.status = UserStatus.SUSPENDED
    db.session.commit()
    assert delivery.deliver_immediate().emailed == 0
    assert delivery.send_digests().emailed == 0


def test_hidden_reply_is_still_a_visible_topic(topic, member, author, moderator):
    reply = service.reply(member, topic, "Spam")
    moderation.set_hidden(moderator, reply, True, "spam")
    assert notified(author) == ["forum.reply"]


def test_mentions_added_by_an_edit_notify_only_the_newly_mentioned(topic, member, author,
                                                                   make_user):
    moussa = make_user(name="Moussa Ouédraogo")
    fatou = make_user(name="Fatou Sow")
    post = service.reply(member, topic, "Asking @MoussaOuedraogo")
    assert notified(moussa) == ["forum.mention"]
    service.edit_post(member, post, "Asking @MoussaOuedraogo and @FatouSow")
    assert notified(moussa) == ["forum.mention"]  # not twice
    assert notified(fatou) == ["forum.mention"]
    service.edit_post(member, post, "Asking @FatouSow")
    service.edit_post(member, post, "Asking @FatouSow and @MoussaOuedraogo again")
    assert notified(moussa) == ["forum.mention"] and notified(fatou) == ["forum.mention"]
    assert notified(author) == ["forum.reply"]  # watchers hear nothing of edits


def test_a_mention_added_to_a_hidden_post_is_silent(topic, member, author, moderator,
                                                    make_user):
    fatou = make_user(name="Fatou Sow")
    post = service.reply(member, topic, "Spam")
    moderation.set_hidden(moderator, post, True, "spam")
    service.edit_post(member, post, "Spam @FatouSow")
    assert notified(fatou) == []


def test_muting_a_category_from_its_page(category, author, member, client_as):
    client = client_as(member)
    page = client.get(f"/forums/c/{category.slug}").get_data(as_text=True)
    assert 'value="muted"' in page and "Mute this category" in page
    response = client.post(f"/forums/c/{category.slug}/watch", data={"level": "muted"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "This category is muted" in page and "Unmute" in page
    topic = service.create_topic(author, category, "Disposal costs", "How much per tonne?")
    service.reply(member, topic, "About 3,000 USD where I work.")  # no auto-watch when muted
    service.reply(author, topic, "Thanks; and transport?")
    assert notified(member) == []
    service.reply(author, topic, "@NguyenThiLan what about transport?")
    assert notified(member) == ["forum.mention"]  # mentions still reach them
    watching.set_topic_level(member, topic, "watching")
    service.reply(author, topic, "Any other view?")
    assert notified(member) == ["forum.mention", "forum.reply"]  # a chosen topic outranks
    client.post(f"/forums/c/{category.slug}/watch", data={"level": "none"})
    assert watching.category_level(member, category) == "none"


def test_watching_a_category_from_its_page_and_bad_levels(category, author, member,
                                                         client_as):
    client = client_as(member)
    client.post(f"/forums/c/{category.slug}/watch", data={"level": "watching"})
    service.create_topic(author, category, "Inventory templates", "Which template?")
    assert notified(member) == ["forum.topic"]
    response = client.post(f"/forums/c/{category.slug}/watch", data={"level": "loud"},
                           follow_redirects=True)
    assert "Choose watching, muted or neither." in response.get_data(as_text=True)
    assert watching.category_level(member, category) == "watching"
    assert client.post("/forums/c/no-such-category/watch",
                       data={"level": "muted"}).status_code == 404
