"""Who may see and do what in the forums: the named predicates, built on ``auth``'s.

``can_view_topic`` is THE visibility rule of a topic, used by pages, downloads,
feeds, notifications and search; ``visible_topic_clause`` is the same rule as
SQL for lists. A topic in a thematic group is visible to that group's members
only: the groups area registers ``set_group_lookup`` (member -> group ids);
until it does, group topics are visible to administrators alone.
"""

from sqlalchemy import false, or_, true

from ..auth import permissions as auth
from ..auth.permissions import can_moderate, is_admin, is_member, register_predicate
from .models import Topic

_group_lookup = None


def set_group_lookup(lookup) -> None:
    """Let the groups area answer "which groups' topics may this member see?" (ids)."""
    global _group_lookup
    _group_lookup = lookup


def member_group_ids(user) -> set[int]:
    """The groups whose topics ``user`` may see (empty until groups exist)."""
    if _group_lookup is None or not is_member(user):
        return set()
    return set(_group_lookup(user))


def sees_all_groups(user) -> bool:
    """Administrators see group topics while no groups area decides (and moderate them)."""
    return _group_lookup is None and is_admin(user)


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


PREDICATES = {
    "view_topic": can_view_topic, "view_post": can_view_post,
    "create_topic": can_create_topic, "reply": can_reply, "edit_post": can_edit_post,
    "delete_post": can_delete_post, "accept_answer": can_accept_answer,
    "report_post": can_report_post, "moderate_forums": can_moderate_forums,
    "manage_categories": can_manage_categories,
}


def register_predicates() -> None:
    """Expose the predicates to templates as ``can.view_topic(topic)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(name, predicate)
