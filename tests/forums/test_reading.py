"""Reading: category list, topic lists and their filters, topic pages, unread, visibility."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pen.extensions import db
from pen.forums import moderation, permissions, reading, service
from pen.forums.models import Post, Topic, TopicRead
from tests.conftest import statements_of_get


def page(response) -> str:
    return response.get_data(as_text=True)


def topic_titles(html: str) -> list[str]:
    return re.findall(r'<a class="[^"]*" href="/forums/t/\d+">([^<]+)</a>', html)




def test_category_list_shows_counts_and_latest_activity(topic, other_category, member,
                                                        client_as, category):
    service.reply(member, topic, "A reply")
    html = page(client_as(member).get("/forums/"))
    row = html[html.index(category.name):html.index(other_category.name)]
    assert re.search(r">1</td>\s*<td class=\"text-end[^\"]*\">2</td>", row)
    assert topic.title in row


def test_topics_by_latest_activity_with_pinned_first(category, author, member, moderator,
                                                     client_as):
    first = service.create_topic(author, category, "Oil sampling", "Body one")
    second = service.create_topic(author, category, "Capacitor labels", "Body two")
    third = service.create_topic(author, category, "Decontamination of casings", "Body three")
    service.reply(member, first, "Bump with an answer")
    client = client_as(member)
    titles = topic_titles(page(client.get(f"/forums/c/{category.slug}")))
    assert titles == [first.title, third.title, second.title]
    moderation.set_pinned(moderator, second, True)
    titles = topic_titles(page(client.get(f"/forums/c/{category.slug}")))
    assert titles[0] == second.title


def test_solved_and_unsolved_filters(category, author, member, client_as):
    solved = service.create_topic(author, category, "Solved question", "Q")
    open_ = service.create_topic(author, category, "Open question", "Q")
    answer = service.reply(member, solved, "A")
    service.accept_answer(author, solved, answer)
    client = client_as(member)
    assert topic_titles(page(client.get(f"/forums/c/{category.slug}?show=solved"))) == [
        solved.title]
    assert topic_titles(page(client.get(f"/forums/c/{category.slug}?show=unsolved"))) == [
        open_.title]
    assert "Solved</span>" in page(client.get(f"/forums/c/{category.slug}"))


def test_unread_filter_and_marks(category, author, member, client_as):
    read = service.create_topic(author, category, "Already read", "Q")
    unread = service.create_topic(author, category, "Not read yet", "Q")
    client = client_as(member)
    client.get(f"/forums/t/{read.id}")
    assert topic_titles(page(client.get(f"/forums/c/{category.slug}?show=unread"))) == [
        unread.title]
    service.reply(author, read, "Something new")
    assert set(topic_titles(page(client.get(f"/forums/c/{category.slug}?show=unread")))) == {
        read.title, unread.title}


def _topic_with_posts(author, member, category, n):
    topic = service.create_topic(author, category, "A long discussion", "Opening post")
    for i in range(n - 1):
        service.reply(member if i % 2 else author, topic, f"Reply number {i + 2}")
    return topic


def test_topic_pages_and_jump_to_first_unread(author, member, category, client_as):
    topic = _topic_with_posts(author, member, category, 45)
    client = client_as(member)
    first = page(client.get(f"/forums/t/{topic.id}"))
    assert "Opening post" in first and "Reply number 20" in first
    assert "Reply number 21" not in first
    third = page(client.get(f"/forums/t/{topic.id}?page=3"))
    assert "Reply number 41" in third and "Reply number 45" in third
    # read the first page only: the first unread is post 21, on page 2
    other = client_as(author)
    other.get(f"/forums/t/{topic.id}")
    jump = other.get(f"/forums/t/{topic.id}/unread")
    assert jump.headers["Location"].endswith(f"/forums/t/{topic.id}?page=2#n21")


def test_jump_to_first_unread_skips_posts_one_cannot_see(author, member, category, client_as,
                                                        moderator):
    topic = _topic_with_posts(author, member, category, 25)
    reader = client_as(author)
    reader.get(f"/forums/t/{topic.id}")  # read posts 1-20
    post_21 = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 21))
    moderation.set_hidden(moderator, post_21, True, "spam")
    jump = reader.get(f"/forums/t/{topic.id}/unread")
    assert jump.headers["Location"].endswith(f"/forums/t/{topic.id}?page=2#n22")
    reader.get(f"/forums/t/{topic.id}?page=2")  # everything read: the last post
    jump = reader.get(f"/forums/t/{topic.id}/unread")
    assert jump.headers["Location"].endswith(f"/forums/t/{topic.id}?page=2#n25")


def test_a_view_writes_one_read_row_not_one_per_post(author, member, category, client_as):
    topic = _topic_with_posts(author, member, category, 25)
    client = client_as(member)
    client.get(f"/forums/t/{topic.id}")
    client.get(f"/forums/t/{topic.id}?page=2")
    client.get(f"/forums/t/{topic.id}")  # going back does not lower the mark
    rows = db.session.scalars(select(TopicRead).where(TopicRead.user_id == member.id)).all()
    assert len(rows) == 1 and rows[0].last_read_number == 25
    statements = statements_of_get(client, f"/forums/t/{topic.id}?page=2")
    assert not writes(statements)  # read already: nothing to write


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def forum_statements(statements: list[str]) -> list[str]:
    """The statements of the forum's own work (not the session, the member, the bell)."""
    return [s for s in statements if "forum_" in s.split("WHERE")[0]]


def test_the_read_mark_is_written_only_when_it_moves(author, member, category, client_as):
    topic = _topic_with_posts(author, member, category, 25)
    client = client_as(member)
    assert len(writes(statements_of_get(client, f"/forums/t/{topic.id}"))) == 1  # 0 -> 20
    assert not writes(statements_of_get(client, f"/forums/t/{topic.id}"))  # the same page
    assert len(writes(statements_of_get(client, f"/forums/t/{topic.id}?page=2"))) == 1
    assert not writes(statements_of_get(client, f"/forums/t/{topic.id}"))  # back: no lower
    service.reply(author, topic, "One more")  # the mark moves again when there is more
    assert len(writes(statements_of_get(client, f"/forums/t/{topic.id}?page=2"))) == 1
    assert db.session.get(TopicRead, (member.id, topic.id)).last_read_number == 26


def test_topic_page_and_list_statements(author, member, category, client_as):
    """The forum's part of each page, every list batched: topic, posts, their files,
    reactions, tags, the member's marks (watch level, bookmarks, draft, read mark in
    one); the list's category, topics (with authors, not their roles), count, beside
    them (read marks, reaction totals, latest posters in one), tags, watch level, draft."""
    topic = _topic_with_posts(author, member, category, 5)
    client = client_as(member)
    client.get(f"/forums/t/{topic.id}")
    on_topic = forum_statements(statements_of_get(client, f"/forums/t/{topic.id}"))
    assert len(on_topic) == 6, "\n".join(s.splitlines()[0] for s in on_topic)
    listed = statements_of_get(client, f"/forums/c/{category.slug}")
    assert len([s for s in listed if "FROM user_roles" in s]) <= 1  # the reader's, no author's
    assert len(forum_statements(listed)) == 7, "\n".join(
        s.splitlines()[0] for s in forum_statements(listed))


def test_topic_page_costs_the_same_queries_for_more_posts(author, member, make_user, category,
                                                         client_as):
    topic = service.create_topic(author, category, "Query costs", "Opening")
    service.reply(member, topic, "One reply")
    service.reply(author, topic, "Thanks")  # the bell has news in both counts, as later
    client = client_as(member)
    client.get(f"/forums/t/{topic.id}")
    few = statements_of_get(client, f"/forums/t/{topic.id}")
    for i in range(15):
        service.reply(make_user(), topic, f"**Reply** {i}")
    client.get(f"/forums/t/{topic.id}")
    many = statements_of_get(client, f"/forums/t/{topic.id}")
    assert len(many) == len(few), "\n".join(s.splitlines()[0] for s in many)


def test_topic_list_costs_the_same_queries_for_more_topics(author, member, make_user, category,
                                                          client_as):
    service.create_topic(author, category, "First topic", "Body")
    client = client_as(member)
    few = statements_of_get(client, f"/forums/c/{category.slug}")
    for i in range(12):
        service.create_topic(make_user(), category, f"Topic {i}", "Body")
    many = statements_of_get(client, f"/forums/c/{category.slug}")
    assert len(many) == len(few), "\n".join(s.splitlines()[0] for s in many)
    few = statements_of_get(client, "/forums/")
    assert len(few) == len(statements_of_get(client, "/forums/"))


def test_group_topics_are_hidden_from_members_outside_the_group(category, author, member,
                                                               admin, client_as):
    secret = service.create_topic(admin, category, "Group work plan", "Internal",
                                  group_id=7)
    client = client_as(member)
    assert client.get(f"/forums/t/{secret.id}").status_code == 404
    assert "Group work plan" not in page(client.get(f"/forums/c/{category.slug}"))
    assert client_as(admin).get(f"/forums/t/{secret.id}").status_code == 200
    db.session.refresh(category)
    assert category.topic_count == 0  # figures never count what some cannot see


def test_group_membership_decides_who_sees_group_topics(category, admin, member, make_user):
    secret = service.create_topic(admin, category, "Group topic", "Internal", group_id=7)
    outsider = make_user()
    from pen.groups.models import Group, GroupMembership

    db.session.add(Group(id=7, slug="group-7", name="Group 7"))
    db.session.flush()
    db.session.add(GroupMembership(group_id=7, user_id=member.id))
    db.session.commit()
    assert permissions.can_view_topic(member, secret)
    assert not permissions.can_view_topic(outsider, secret)
    ids = lambda u: set(db.session.scalars(  # noqa: E731
        select(Topic.id).where(permissions.visible_topic_clause(u))))
    assert secret.id in ids(member) and secret.id not in ids(outsider)


def test_hidden_posts_are_left_out_for_members(topic, member, moderator, client_as, make_user):
    reply = service.reply(member, topic, "Buy my decontamination service!")
    moderation.set_hidden(moderator, reply, True, "advertising")
    reader = client_as(make_user())
    assert "decontamination service" not in page(reader.get(f"/forums/t/{topic.id}"))
    assert "decontamination service" in page(client_as(member).get(f"/forums/t/{topic.id}"))
    assert "advertising" in page(client_as(moderator).get(f"/forums/t/{topic.id}"))


def test_anonymous_visitors_are_sent_to_login(client, topic):
    assert client.get(f"/forums/t/{topic.id}").status_code == 302
    assert client.get("/forums/").status_code == 302


@pytest.mark.parametrize("url", ["/forums/t/999", "/forums/p/999", "/forums/c/nope",
                                 "/forums/p/999/history"])
def test_missing_things_are_404(member, client_as, url):
    assert client_as(member).get(url).status_code == 404


def test_a_post_stays_on_its_page_when_earlier_ones_go(author, member, category, client_as,
                                                        make_user):
    topic = _topic_with_posts(author, member, category, 22)
    posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id)
                               .order_by(Post.number)).all()
    service.delete_post(author, posts[1])
    assert reading.page_of(21) == 2 and reading.page_of(20) == 1
    assert db.session.scalar(select(func.count()).select_from(Post)) == 22
    assert timedelta(0) <= topic.last_post_at - posts[0].created_at
    link = client_as(make_user()).get(f"/forums/p/{posts[20].id}")
    assert link.headers["Location"].endswith(f"/forums/t/{topic.id}?page=2#p{posts[20].id}")
    second = page(client_as(make_user()).get(f"/forums/t/{topic.id}?page=2"))
    assert f'id="p{posts[20].id}"' in second and f'id="p{posts[19].id}"' not in second
