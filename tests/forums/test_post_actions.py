"""A topic page's actions per post, from the topic's facts asked once, are the one-post
predicates' answers and the documented policy, for every member and every state.

Every combination, not a sample: members (a member of one group, its author, a
moderator, an administrator, a suspended member), topics (locked or not, deleted or
not, outside groups, in the member's group, in another group) and posts (the opening
post or a reply; by the viewer, by another member, by a former member; not deleted,
deleted by the viewer lately, long ago, or by a moderator; hidden or not).
"""

import itertools
from datetime import timedelta

import pytest

from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums import permissions
from pen.forums.models import Post, Topic
from pen.types import utcnow
from tests.visibility_helpers import make_groups, make_users

VIEWERS = (("member", UserStatus.ACTIVE, {1}), ("member", UserStatus.ACTIVE, set()),
           ("moderator", UserStatus.ACTIVE, set()), ("admin", UserStatus.ACTIVE, set()),
           ("member", UserStatus.SUSPENDED, {1}))
DELETIONS = ("kept", "self lately", "self long ago", "by another")


@pytest.fixture
def viewers(app):
    """The viewers as rows (user, roles, status, group ids), and the groups' ids."""
    group_ids = make_groups()
    rows = make_users(VIEWERS, group_ids)
    db.session.commit()
    return rows, group_ids


def _topics(group_ids):
    """Every topic state, unsaved (the predicates read attributes only)."""
    for n, (locked, deleted, group) in enumerate(itertools.product(
            (False, True), (False, True), (None, group_ids[0], group_ids[1]))):
        yield Topic(id=n + 1, title="A topic", author_id=None, locked=locked,
                    deleted=deleted, group_id=group)


def _posts(topic, viewer, other_id):
    """Every post state in ``topic``, as seen by ``viewer``."""
    now, days = utcnow(), permissions.restore_days()
    for n, (number, author, deletion, hidden) in enumerate(itertools.product(
            (1, 2), ("viewer", "other", "former"), DELETIONS, (False, True))):
        author_id = {"viewer": viewer.id, "other": other_id, "former": None}[author]
        deleted_at = {"kept": None, "self lately": now - timedelta(days=1),
                      "self long ago": now - timedelta(days=days + 1),
                      "by another": now}[deletion]
        deleted_by = other_id if deletion == "by another" else author_id
        yield Post(id=n + 1, topic=topic, number=number, author_id=author_id,
                   deleted_at=deleted_at, deleted_by_id=deleted_by if deleted_at else None,
                   hidden_at=now if hidden else None, body="x", body_html="x")


def _policy(row, topic, post) -> set[str]:
    """The documented policy, written plainly."""
    user, roles, status, groups = row
    member = status == UserStatus.ACTIVE
    moderator = member and bool(roles & {"moderator", "admin"})
    sees_topic = (member and (topic.group_id is None or "admin" in roles
                              or topic.group_id in groups)
                  and (not topic.deleted or moderator))
    sees = (sees_topic and (post.deleted_at is None or moderator)
            and (post.hidden_at is None or moderator or post.author_id == user.id))
    own, kept = post.author_id == user.id, post.deleted_at is None
    public = kept and post.hidden_at is None
    may_reply = sees_topic and not topic.deleted and (not topic.locked or moderator)
    lately = (not kept and own and post.deleted_by_id == user.id
              and post.deleted_at >= utcnow() - timedelta(days=permissions.restore_days()))
    answers = {
        "edit": sees and kept and (moderator or (own and not topic.locked)),
        "delete": sees and kept and (moderator or own),
        "report": sees and not own,
        "restore": (not kept and sees_topic
                    and (moderator or (post.number != 1 and not topic.locked and lately))),
        "react": may_reply and public}
    return {name for name, yes in answers.items() if yes}


def _one_post(user, post) -> set[str]:
    """The one-post predicates' answers."""
    checks = {"edit": permissions.can_edit_post, "delete": permissions.can_delete_post,
              "report": permissions.can_report_post, "restore": permissions.can_restore_post,
              "react": permissions.can_react}
    return {name for name, check in checks.items() if check(user, post)}


def test_page_actions_are_the_predicates_and_the_policy(viewers):
    rows, group_ids = viewers
    other_id = rows[0][0].id  # the first viewer writes the others' posts
    compared = 0
    for row in rows:
        user = row[0]
        for topic in _topics(group_ids):
            posts = list(_posts(topic, user, other_id if user.id != other_id else rows[2][0].id))
            page = permissions.post_actions(user, topic, posts)
            for post in posts:
                expected = _policy(row, topic, post)
                state = (row[1:], vars(topic), {k: v for k, v in vars(post).items()
                                                if not k.startswith("_")})
                assert page[post.id] == expected, state
                assert _one_post(user, post) == expected, state
                compared += 1
    assert compared == len(VIEWERS) * 12 * 48
