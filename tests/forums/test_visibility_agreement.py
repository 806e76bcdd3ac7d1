"""The forums' visibility rules agree with themselves: ``can``, ``clause`` and the index.

Property tests over generated members (roles, group memberships, suspended or
invited accounts) and topics and posts (in a group or not, deleted, locked,
hidden, by one of those members or not): for every pair, the registered rule's
Python form, its SQL form (through the notification target check and the search
adapter's database check) and its index form (the search document's acl against
the member's terms) give the documented answer.
"""

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pen import notifications, search
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums import indexing
from pen.forums.models import Category, Post, Topic
from pen.types import utcnow
from pen.visibility import rule_for
from tests.visibility_helpers import (
    AGREEMENT,
    assert_agree,
    group_choice,
    make_groups,
    make_users,
    user_specs,
)

post_specs = st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(-1, 3)),
                      min_size=1, max_size=3)  # (deleted, hidden, author index or -1)
topic_specs = st.lists(st.tuples(group_choice, st.booleans(), st.booleans(), post_specs),
                       min_size=1, max_size=4)  # (group, deleted, locked, posts)


def _category() -> Category:
    """The one category every generated topic goes in."""
    found = db.session.scalar(select(Category).limit(1))
    if found is None:
        found = Category(name="Agreement", slug="agreement")
        db.session.add(found)
        db.session.flush()
    return found


def make_topics(specs, group_ids, user_rows) -> tuple[list[Topic], list[Post]]:
    """Topics and their posts as the specs say, written straight to the tables."""
    category, topics, posts = _category(), [], []
    for group, deleted, locked, post_list in specs:
        gid = group_ids[group - 1] if group else None
        topic = Topic(category_id=category.id, group_id=gid, title="A topic",
                      deleted=deleted, locked=locked)
        db.session.add(topic)
        db.session.flush()
        for number, (gone, hidden, who) in enumerate(post_list, start=1):
            author = user_rows[who % len(user_rows)][0] if who >= 0 else None
            post = Post(topic=topic, group_id=gid, number=number, body="x", body_html="x",
                        author_id=author.id if author else None,
                        deleted_at=utcnow() if gone else None,
                        hidden_at=utcnow() if hidden else None)
            db.session.add(post)
            posts.append(post)
        topics.append(topic)
    db.session.flush()
    return topics, posts


def _moderates(row) -> bool:
    """Moderators and administrators moderate the forums."""
    return bool(row[1] & {"moderator", "admin"})


def topic_oracle(row, topic) -> bool:
    """The documented policy: active members; a group's topics for its members and
    administrators; deleted topics for moderators and administrators."""
    _user, roles, status, groups = row
    if status != UserStatus.ACTIVE:
        return False
    if topic.group_id is not None and "admin" not in roles and topic.group_id not in groups:
        return False
    return not topic.deleted or _moderates(row)


def post_oracle(row, post) -> bool:
    """A post is seen with its topic; deleted ones by moderators; hidden ones by
    moderators and their author."""
    if not topic_oracle(row, post.topic):
        return False
    if post.deleted_at is not None:
        return _moderates(row)
    return post.hidden_at is None or _moderates(row) or post.author_id == row[0].id


@AGREEMENT
@given(users=user_specs, topics=topic_specs)
def test_topic_and_post_rules_agree(app, users, topics):
    """can == clause == index == policy, for every member and every topic and post."""
    group_ids = make_groups()
    user_rows = make_users(users, group_ids)
    made_topics, made_posts = make_topics(topics, group_ids, user_rows)
    db.session.commit()

    topic_rule = rule_for("forum_topic")
    assert_agree(topic_rule, user_rows, made_topics,
                 sql_ids=notifications.RuleTarget("forum_topic"),
                 index_visible=lambda u, t: topic_rule.visible_in_index(u, t),
                 oracle=topic_oracle)

    adapter = search.get_adapter("forum_post")

    def in_index(user, post) -> bool:
        """The adapter's document acl against the adapter's terms."""
        document = indexing.to_document(post, post.topic)
        return bool(set(document.acl) & set(adapter.visibility_terms(user)))

    assert_agree(rule_for("forum_post"), user_rows, made_posts,
                 sql_ids=adapter.is_visible, index_visible=in_index, oracle=post_oracle)


def test_the_real_index_filters_as_the_rule_says(app, indexed, monkeypatch):
    """Through Whoosh itself: with the database re-check switched off, what a search
    lists for each member is exactly the posts ``can`` lets them see."""
    group_ids = make_groups()
    specs = [("member", UserStatus.ACTIVE, {1}), ("member", UserStatus.ACTIVE, set()),
             ("moderator", UserStatus.ACTIVE, {2}), ("admin", UserStatus.ACTIVE, set()),
             ("member", UserStatus.SUSPENDED, {1})]
    user_rows = make_users(specs, group_ids)
    posts_of_each = [(False, False, 0), (False, True, 0), (True, False, 0), (False, True, 1)]
    topics = [(group, deleted, False, posts_of_each)
              for group in (None, 1, 2) for deleted in (False, True)]
    _, posts = make_topics(topics, group_ids, user_rows)
    for post in posts:
        search.enqueue("forum_post", post.id)
    db.session.commit()
    indexed()

    adapter = search.get_adapter("forum_post")
    monkeypatch.setattr(adapter, "is_visible", lambda user, ids: set(ids))
    rule = rule_for("forum_post")
    sizes = []
    for user, *_ in user_rows:
        found = {hit.id for hit in search.search("forum_post", user, "", per_page=100).hits}
        assert found == {p.id for p in posts if rule.can(user, p)}, user
        sizes.append(len(found))
    assert 0 < sizes[1] < sizes[0] < sizes[3] and sizes[4] == 0  # the world has contrasts
