"""Reactions: a toggle per kind on posts one sees, counts, names, one grouped notification."""

import re

from sqlalchemy import func, select

from pen.auth.system import SYSTEM as SYSTEM_ADMIN
from pen.extensions import db
from pen.forums import corrections, moderation, service
from pen.forums.models import Post, Reaction, Topic
from pen.notifications.models import Notification
from tests.conftest import statements_of_get as count_queries


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def reply_of(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 2))


def button(html: str, post: Post, kind: str) -> str:
    """The reaction button of ``kind`` on ``post``, as the member sees it."""
    article = html[html.index(f'id="p{post.id}"'):]
    return re.search(rf'<button[^>]*value="{kind}"[^>]*>.*?</button>', article, re.S).group(0)


def react(client, post, kind, **headers):
    return client.post(f"/forums/p/{post.id}/react", data={"kind": kind}, headers=headers)


def test_a_member_thanks_a_post_and_takes_it_back(topic, member, client_as):
    client = client_as(member)
    post = reply_of(topic) or service.reply(member, topic, "My answer")
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    assert react(client, first, "thanks").status_code == 302
    html = page(client.get(f"/forums/t/{topic.id}"))
    thanks = button(html, first, "thanks")
    assert 'aria-pressed="true"' in thanks and '>1</span>' in thanks
    assert 'title="Nguyen Thi Lan"' in thanks
    assert 'aria-pressed="false"' in button(html, post, "thanks")
    react(client, first, "thanks")  # the same again takes it back
    assert '>0</span>' in button(page(client.get(f"/forums/t/{topic.id}")), first, "thanks")
    assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0


def test_a_post_s_reactions_are_one_form_with_a_button_per_kind(topic, member, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    html = page(client_as(member).get(f"/forums/t/{topic.id}"))
    article = html[html.index(f'id="p{first.id}"'):html.index("</article>")]
    (form,) = re.findall(rf'<form[^>]*action="/forums/p/{first.id}/react".*?</form>', article, re.S)
    assert form.count('name="csrf_token"') == 1
    assert re.findall(r'<button[^>]*name="kind" value="(\w+)"', form) == ["thanks", "helpful",
                                                                            "agree"]


def test_the_reaction_names_are_in_each_reader_s_language(topic, member, make_user,
                                                           client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    english = page(client_as(member).get(f"/forums/t/{topic.id}"))
    assert '<span class="visually-hidden">Helpful</span>' in button(english, first, "helpful")
    french = client_as(make_user())
    french.post("/members/language", data={"locale": "fr"})
    html = page(french.get(f"/forums/t/{topic.id}"))
    assert '<span class="visually-hidden">Utile</span>' in button(html, first, "helpful")
    assert "Helpful" not in html


def test_alike_buttons_are_drawn_alike_and_each_post_keeps_its_own(topic, author, member,
                                                                      make_user, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    second, third = (service.reply(author, topic, words) for words in ("Two", "Three"))
    react(client_as(member), first, "thanks")
    react(client_as(make_user(name="Иван Петров")), second, "thanks")
    html = page(client_as(member).get(f"/forums/t/{topic.id}"))
    mine, theirs, none = (button(html, post, "thanks") for post in (first, second, third))
    assert 'aria-pressed="true"' in mine and 'title="Nguyen Thi Lan"' in mine
    assert 'aria-pressed="false"' in theirs and 'title="Иван Петров"' in theirs
    assert 'title="Thanks"' in none and ">0</span>" in none


def test_kinds_are_separate_and_repeats_toggle(topic, member, make_user, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    client = client_as(member)
    for kind in ("thanks", "helpful", "agree", "helpful"):
        react(client, first, kind)
    react(client_as(make_user(name="Иван Петров")), first, "agree")
    given = db.session.execute(select(Reaction.kind, func.count()).group_by(Reaction.kind))
    assert dict(given.all()) == {"thanks": 1, "agree": 2}
    html = page(client_as(member).get(f"/forums/p/{first.id}/reactions"))
    assert "Nguyen Thi Lan" in html and "Иван Петров" in html


def test_the_script_gets_the_new_state_without_a_page(topic, member, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    answer = react(client_as(member), first, "helpful", Accept="application/json")
    assert answer.json == {"kind": "helpful", "given": True, "count": 1,
                           "names": ["Nguyen Thi Lan"]}


def test_an_unknown_kind_is_refused(topic, member, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    client = client_as(member)
    refused = react(client, first, "love")
    assert refused.status_code == 400
    assert "Choose one of the reactions offered" in refused.get_data(as_text=True)
    assert react(client, first, "love", Accept="application/json").status_code == 400
    assert react(client, first, "").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0


def test_posts_one_cannot_see_answer_404(category, author, member, admin, client_as):
    secret = service.create_topic(admin, category, "Group work plan", "Internal", group_id=7)
    first = db.session.scalar(select(Post).where(Post.topic_id == secret.id))
    client = client_as(member)
    assert react(client, first, "thanks").status_code == 404
    assert client.get(f"/forums/p/{first.id}/reactions").status_code == 404
    assert react(client, Post(id=999_999), "thanks").status_code == 404


def test_hidden_and_deleted_posts_take_no_reactions_and_hide_theirs(
        topic, author, member, make_user, moderator, client_as):
    post = service.reply(author, topic, "A reply later hidden")
    react(client_as(make_user()), post, "thanks")
    moderation.set_hidden(moderator, post, True, "off topic")
    client = client_as(member)
    assert react(client, post, "thanks").status_code == 404  # hidden: not his to see
    html = page(client.get(f"/forums/t/{topic.id}"))
    assert f'id="p{post.id}"' not in html
    assert "reaction" not in page(client.get(f"/forums/c/{topic.category.slug}"))
    assert react(client_as(moderator), post, "thanks").status_code == 403  # seen, not public


def test_a_locked_topic_takes_no_reactions(topic, member, moderator, client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    moderation.set_locked(moderator, topic, True)
    client = client_as(member)
    assert react(client, first, "thanks").status_code == 403
    assert 'value="thanks"' not in page(client.get(f"/forums/t/{topic.id}"))


def test_the_author_gets_one_notification_per_post(topic, author, member, make_user,
                                                   client_as):
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    react(client_as(member), first, "thanks")
    react(client_as(member), first, "helpful")
    react(client_as(make_user(name="Иван Петров")), first, "agree")
    notes = db.session.scalars(select(Notification).where(
        Notification.user_id == author.id, Notification.kind == "forum.reaction")).all()
    assert len(notes) == 1
    html = page(client_as(author).get("/notifications/"))
    assert "Иван Петров and 1 more reacted to your post in How do we test" in html
    react(client_as(author), first, "thanks")  # one's own reaction notifies nobody
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "forum.reaction")) == 1


def test_topic_lists_show_totals_at_the_same_cost(category, author, member, make_user,
                                                  client_as):
    topic = service.create_topic(author, category, "Oil sampling", "Body")
    client = client_as(member)
    few = count_queries(client, f"/forums/c/{category.slug}")
    few_posts = count_queries(client, f"/forums/t/{topic.id}")
    for i in range(5):
        other = service.create_topic(make_user(), category, f"Topic {i}", "Body")
        first = db.session.scalar(select(Post).where(Post.topic_id == other.id))
        react(client_as(make_user()), first, "thanks")
        react(client, first, "agree")
        reply = service.reply(make_user(), topic, f"Reply {i}")
        react(client, reply, "helpful")
    html = page(client.get(f"/forums/c/{category.slug}"))
    assert "2 reactions" in html and "5 reactions" in html
    assert len(count_queries(client, f"/forums/c/{category.slug}")) == len(few)
    assert len(count_queries(client, f"/forums/t/{topic.id}")) == len(few_posts)


def test_a_topic_keeps_the_count_of_reactions_to_its_visible_posts(
        topic, author, member, moderator, admin, make_user, client_as):
    def listed() -> int:
        db.session.expire_all()
        return db.session.get(Topic, topic.id).reaction_count

    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    reply = service.reply(author, topic, "A reply that will move about")
    for who in (member, make_user()):
        react(client_as(who), first, "thanks")
        react(client_as(who), reply, "helpful")
    react(client_as(member), reply, "agree")
    assert listed() == 5
    react(client_as(member), reply, "agree")  # taken back
    assert listed() == 4
    moderation.set_hidden(moderator, reply, True, "off topic")
    assert listed() == 2
    moderation.set_hidden(moderator, reply, False)
    assert listed() == 4
    service.delete_post(author, reply)
    assert listed() == 2
    corrections.restore_post(author, reply)
    assert listed() == 4
    split_off = moderation.split(admin, reply, "Its own question")
    assert listed() == 2 and db.session.get(Topic, split_off.id).reaction_count == 2
    html = page(client_as(member).get(f"/forums/c/{topic.category.slug}"))
    assert "2 reactions" in html


def test_a_reaction_without_csrf_token_is_refused(app_factory):
    from pen.auth import service as accounts
    from tests.conftest import PASSWORD, csrf_token_from, login

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = accounts.create_user("csrf@example.org", "Csrf Tester", PASSWORD)
        db.session.commit()
        category = service.create_category(SYSTEM_ADMIN, "Inventories")
        topic = service.create_topic(user, category, "Inventory forms", "Which form?")
        first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
        client = app.test_client()
        login(client, "csrf@example.org",
              csrf_token=csrf_token_from(client.get("/auth/login").get_data(as_text=True)))
        assert react(client, first, "thanks").status_code == 400
        html = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
        done = client.post(f"/forums/p/{first.id}/react",
                           data={"kind": "thanks", "csrf_token": csrf_token_from(html)})
        assert done.status_code == 302
        assert db.session.scalar(select(func.count()).select_from(Reaction)) == 1
