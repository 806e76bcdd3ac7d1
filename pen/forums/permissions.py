"""Who may see and do what in the forums: the named predicates, built on ``auth``'s.

``can_view_topic`` is THE visibility rule of a topic, used by pages, downloads,
feeds, notifications and search; ``visible_topic_clause`` is the same rule as
SQL for lists. A topic in a thematic group is visible to that group's members
only (and to administrators, who oversee every group): the groups area, a lower
layer, answers membership (``member_group_ids``, ``sees_all_groups``).
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import false, or_, true

from ..auth import permissions as auth
from ..auth.permissions import can_moderate, is_member, register_predicate
from ..groups.permissions import member_group_ids, sees_all_groups
from ..types import utcnow
from .models import Topic

__all__ = ["member_group_ids", "sees_all_groups"]  # re-exported for indexing and views


def can_moderate_forums(user, obj=None) -> bool:
    """Moderators and administrators moderate the forums."""
    return can_moderate(user, obj)


def _group_visible(user, group_id: int | None) -> bool:
    return group_id is None or sees_all_groups(user) or group_id in member_group_ids(user)


def can_view_topic(user, topic) -> bool:
    """The one visibility rule of a topic (and everything in it)."""
    if not is_member(user) or not _group_visible(user, topic.group_id):
        return False
    return not topic.deleted or can_moderate_forums(user)


def visible_topic_clause(user):
    """``can_view_topic`` as a SQL condition on ``Topic`` (for lists, counts, feeds, search)."""
    if not is_member(user):
        return false()
    groups = true() if sees_all_groups(user) else or_(
        Topic.group_id.is_(None), Topic.group_id.in_(sorted(member_group_ids(user))))
    if can_moderate_forums(user):
        return groups
    return groups & (Topic.deleted == false())


def can_view_post(user, post) -> bool:
    """A post is seen with its topic; deleted and hidden ones by moderators (and hidden
    ones by their author)."""
    if not can_view_topic(user, post.topic):
        return False
    if post.deleted_at is not None:
        return can_moderate_forums(user)
    if post.hidden_at is not None:
        return can_moderate_forums(user) or post.author_id == user.id
    return True


def can_create_topic(user, category, group_id: int | None = None) -> bool:
    """Members start topics in any category; in a group's forum, only those who see it."""
    return is_member(user) and _group_visible(user, group_id)


def can_reply(user, topic) -> bool:
    """Members reply to topics they see unless locked; moderators reply to locked ones."""
    if not can_view_topic(user, topic) or topic.deleted:
        return False
    return not topic.locked or can_moderate_forums(user)


def can_edit_post(user, post) -> bool:
    """Authors edit their posts (not in a locked topic); moderators edit any."""
    if not can_view_post(user, post) or post.deleted_at is not None:
        return False
    if can_moderate_forums(user):
        return True
    return post.author_id == user.id and not post.topic.locked


def can_delete_post(user, post) -> bool:
    """Authors delete their own posts; moderators any."""
    if not can_view_post(user, post) or post.deleted_at is not None:
        return False
    return can_moderate_forums(user) or post.author_id == user.id


def can_accept_answer(user, topic) -> bool:
    """The topic's author or a moderator marks the accepted answer."""
    if not can_view_topic(user, topic) or topic.deleted:
        return False
    return can_moderate_forums(user) or (topic.author_id == user.id and not topic.locked)


def can_report_post(user, post) -> bool:
    """Members report posts they can see, except their own."""
    return can_view_post(user, post) and post.author_id != user.id


def can_manage_categories(user) -> bool:
    """Administrators create, order and describe categories."""
    return auth.is_admin(user)


def can_watch(user, topic) -> bool:
    """Anyone who sees a topic may watch or mute it."""
    return can_view_topic(user, topic)


OWN_RESTORE_DAYS = 7  # default of FORUM_RESTORE_DAYS


def restore_days() -> int:
    """How long authors may bring back a post they deleted themselves."""
    return int(current_app.config.get("FORUM_RESTORE_DAYS", OWN_RESTORE_DAYS))


def deleted_by_self_recently(user, post) -> bool:
    """The post is the member's own, deleted by themselves within the restore window."""
    if post.deleted_at is None or post.author_id is None:
        return False
    recent = post.deleted_at >= utcnow() - timedelta(days=restore_days())
    return post.author_id == user.id == post.deleted_by_id and recent


def can_restore_post(user, post) -> bool:
    """Moderators restore any deleted post or topic; an author restores a reply they
    deleted themselves lately, in a topic still open and not locked."""
    if post.deleted_at is None or not can_view_topic(user, post.topic):
        return False
    if can_moderate_forums(user):
        return True
    return (post.number != 1 and not post.topic.locked
            and deleted_by_self_recently(user, post))


def can_remove_attachment(user, post) -> bool:
    """Whoever may edit the post (its author, moderators) may remove its files."""
    return can_edit_post(user, post)


def can_redact_revision(user, post) -> bool:
    """Moderators redact old versions of a post they can see."""
    return can_view_post(user, post) and can_moderate_forums(user)


PREDICATES = {
    "view_topic": can_view_topic, "view_post": can_view_post,
    "create_topic": can_create_topic, "reply": can_reply, "edit_post": can_edit_post,
    "delete_post": can_delete_post, "accept_answer": can_accept_answer,
    "report_post": can_report_post, "moderate_forums": can_moderate_forums,
    "manage_categories": can_manage_categories, "restore_post": can_restore_post,
    "remove_attachment": can_remove_attachment, "redact_revision": can_redact_revision,
}


def register_predicates() -> None:
    """Expose the predicates to templates as ``can.view_topic(topic)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(name, predicate)
