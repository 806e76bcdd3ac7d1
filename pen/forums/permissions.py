"""Who may see and do what in the forums: the named predicates, built on ``auth``'s.

The visibility of topics and posts is declared once, below, as two
``pen.visibility`` rules (``TOPIC_RULE``, ``POST_RULE``) registered on the app as
"forum_topic" and "forum_post". Pages, downloads, the Atom feed, notifications,
digests, the home feed and search all ask the registered rule, in the form they
need (``can``, ``clause``, ``acl``/``terms``). A topic in a thematic group is
visible to that group's members only (and to administrators, who oversee every
group): the groups area, a lower layer, states that condition once
(``groups.permissions.in_group``). Deleted topics and posts are for moderators; a hidden post
is for moderators and its author.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from .. import visibility
from ..auth import permissions as auth
from ..auth.permissions import can_moderate, is_member, register_predicate
from ..groups.permissions import can_post_in_group, in_group
from ..types import utcnow
from ..visibility import AllOf, AnyOf, In, Rule, UserIs, Via
from .models import KEPT, LIVE, OPEN, SHOWN, Post, Topic

TOPIC_KIND, POST_KIND = "forum_topic", "forum_post"


def can_moderate_forums(user, obj=None) -> bool:
    """Moderators and administrators moderate the forums."""
    return can_moderate(user, obj)


def _own_id(user) -> set[int]:
    """The user's own id, for "the author of a hidden post sees it"."""
    return {user.id} if is_member(user) else set()


MODERATOR = UserIs("mod", can_moderate_forums)

TOPIC_RULE = Rule(
    TOPIC_KIND, Topic,
    UserIs("member", is_member),
    # Outside any group, or in one of the member's groups; administrators see all.
    AnyOf(OPEN, in_group(Topic.group_id)),
    AnyOf(LIVE, MODERATOR),
)

# What a post adds to its topic's rule: deleted ones for moderators, hidden ones for
# moderators and their author.
WITHIN_TOPIC = AllOf(AnyOf(KEPT, MODERATOR),
                     AnyOf(SHOWN, MODERATOR, In("author", Post.author_id, _own_id)))

POST_RULE = Rule(
    POST_KIND, Post,
    Via(Post.topic, TOPIC_RULE),  # a post is seen with its topic
    WITHIN_TOPIC,
)


def live_topic_clause():
    """Topics not deleted, as SQL: news shows no deleted topic, even to moderators."""
    return LIVE.where(None)


def public_topic_clause():
    """Topics every member sees (outside groups, not deleted), as SQL: what the
    categories' counters count, so a number never reveals a hidden topic."""
    return OPEN.where(None) & LIVE.where(None)


def is_public_topic(topic) -> bool:
    """``public_topic_clause`` for one topic, from the same conditions."""
    return OPEN.holds(None, topic) and LIVE.holds(None, topic)


def public_post_clause():
    """Posts neither deleted nor hidden, as SQL: what news (the Atom feed, the home
    feed) shows of a topic one sees, whoever asks (``Post.is_public`` in Python)."""
    return KEPT.where(None) & SHOWN.where(None)


def register_rules(app) -> None:
    """Register the forums' two visibility rules on ``app``."""
    visibility.register_rule(app, TOPIC_KIND, TOPIC_RULE)
    visibility.register_rule(app, POST_KIND, POST_RULE)


def can_view_topic(user, topic) -> bool:
    """Whether ``user`` may see ``topic`` (and everything in it): the registered rule."""
    return visibility.rule_for(TOPIC_KIND).can(user, topic)


def visible_topic_clause(user):
    """The registered topic rule as a SQL condition on ``Topic``."""
    return visibility.rule_for(TOPIC_KIND).clause(user)


def can_view_post(user, post) -> bool:
    """Whether ``user`` may see ``post``: the registered rule."""
    return visibility.rule_for(POST_KIND).can(user, post)


def visible_post_clause(user):
    """The registered post rule as a SQL condition on ``Post``."""
    return visibility.rule_for(POST_KIND).clause(user)


def within_visible_topic_clause(user):
    """The post rule less its topic part, as SQL: for a topic's own page, whose topic
    was just checked with the rule (saves an EXISTS per post)."""
    return WITHIN_TOPIC.where(user)


def can_create_topic(user, category, group_id: int | None = None) -> bool:
    """Members start topics in any category; in a group's forum, only those who see it."""
    return can_post_in_group(user, group_id)


def can_reply(user, topic) -> bool:
    """Members reply to topics they see unless locked; moderators reply to locked ones."""
    if not can_view_topic(user, topic) or topic.deleted:
        return False
    return not topic.locked or can_moderate_forums(user)


@dataclass(frozen=True)
class TopicFacts:
    """What the post rules below ask of the member and of the post's topic: the same for
    every post of a topic, so a topic page asks once (``post_actions``) where the
    one-post predicates ask for their post. The rules are the ``_may_*`` functions,
    which both use: they are said once."""

    user_id: int | None
    moderator: bool
    sees_topic: bool
    may_reply: bool
    locked: bool


def topic_facts(user, topic) -> TopicFacts:
    """The facts of ``topic`` for ``user``."""
    return TopicFacts(getattr(user, "id", None), can_moderate_forums(user),
                      can_view_topic(user, topic), can_reply(user, topic), bool(topic.locked))


def _may_react(facts: TopicFacts, post, sees: bool) -> bool:
    """Members react where they may reply (a locked topic is closed to reactions too, as
    to replies: a lock calms a thread), and only to posts every reader sees."""
    return facts.may_reply and post.is_public


def _may_edit(facts: TopicFacts, post, sees: bool) -> bool:
    """Authors edit their posts (not in a locked topic); moderators edit any."""
    if not sees or post.deleted_at is not None:
        return False
    return facts.moderator or (post.author_id == facts.user_id and not facts.locked)


def _may_delete(facts: TopicFacts, post, sees: bool) -> bool:
    """Authors delete their own posts; moderators any."""
    if not sees or post.deleted_at is not None:
        return False
    return facts.moderator or post.author_id == facts.user_id


def _may_report(facts: TopicFacts, post, sees: bool) -> bool:
    """Members report posts they can see, except their own."""
    return sees and post.author_id != facts.user_id


def _may_restore(facts: TopicFacts, post, sees: bool) -> bool:
    """Moderators restore any deleted post or topic; an author restores a reply they
    deleted themselves lately, in a topic still open and not locked."""
    if post.deleted_at is None or not facts.sees_topic:
        return False
    if facts.moderator:
        return True
    return post.number != 1 and not facts.locked and _deleted_by_self_recently(
        facts.user_id, post)


def can_react(user, post) -> bool:
    """``_may_react`` for one post."""
    return _may_react(topic_facts(user, post.topic), post, True)


def can_edit_post(user, post) -> bool:
    """``_may_edit`` for one post."""
    return _may_edit(topic_facts(user, post.topic), post, can_view_post(user, post))


def can_delete_post(user, post) -> bool:
    """``_may_delete`` for one post."""
    return _may_delete(topic_facts(user, post.topic), post, can_view_post(user, post))


def can_report_post(user, post) -> bool:
    """``_may_report`` for one post."""
    return _may_report(topic_facts(user, post.topic), post, can_view_post(user, post))


def can_restore_post(user, post) -> bool:
    """``_may_restore`` for one post."""
    return _may_restore(topic_facts(user, post.topic), post, True)


# What a topic page offers on each post, by the name its template uses.
POST_ACTIONS = {"edit": _may_edit, "delete": _may_delete, "report": _may_report,
                "restore": _may_restore, "react": _may_react}


def post_actions(user, topic, posts) -> dict[int, set[str]]:
    """What ``user`` may do with each of ``posts`` (of ``topic``), by post id: the same
    answers as the one-post predicates, with the topic's facts asked once and each
    post's visibility as the post rule's own part (``WITHIN_TOPIC``) once its topic is
    seen (the post rule is its topic's rule and that part)."""
    facts, within = topic_facts(user, topic), WITHIN_TOPIC.holds
    actions = {}
    for post in posts:
        sees = facts.sees_topic and within(user, post)
        actions[post.id] = {name for name, may in POST_ACTIONS.items()
                            if may(facts, post, sees)}
    return actions


def can_accept_answer(user, topic) -> bool:
    """The topic's author or a moderator marks the accepted answer."""
    if not can_view_topic(user, topic) or topic.deleted:
        return False
    return can_moderate_forums(user) or (topic.author_id == user.id and not topic.locked)


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
    return _deleted_by_self_recently(getattr(user, "id", None), post)


def _deleted_by_self_recently(user_id: int | None, post) -> bool:
    """``deleted_by_self_recently`` by the member's id."""
    if post.deleted_at is None or post.author_id is None:
        return False
    recent = post.deleted_at >= utcnow() - timedelta(days=restore_days())
    return post.author_id == user_id == post.deleted_by_id and recent


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
    "report_post": can_report_post, "react": can_react, "moderate_forums": can_moderate_forums,
    "manage_categories": can_manage_categories, "restore_post": can_restore_post,
    "remove_attachment": can_remove_attachment, "redact_revision": can_redact_revision,
}


def register_predicates(app) -> None:
    """Expose the predicates to templates as ``can.view_topic(topic)`` and so on."""
    for name, predicate in PREDICATES.items():
        register_predicate(app, name, predicate)
