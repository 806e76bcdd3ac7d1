"""Moderation: pin, lock, move, hide, split, and the queue of reported posts.

Every action is checked here (not only hidden in templates) and audited.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..types import utcnow
from . import permissions, posting, watching
from .models import Category, Post, Report, Topic

REASON_MAX = 1000
REPORT_STATES = ("resolved", "dismissed")


def _require_moderator(actor, topic: Topic) -> None:
    if not permissions.can_view_topic(actor, topic):
        raise NotFound()
    if not permissions.can_moderate_forums(actor, topic):
        raise Forbidden(_("Only moderators do this."))


def set_pinned(actor, topic: Topic, pinned: bool) -> None:
    """Pin a topic to the top of its category, or unpin it."""
    _require_moderator(actor, topic)
    topic.pinned = bool(pinned)
    audit.record(actor, "forum.topic.pin" if pinned else "forum.topic.unpin", topic)
    db.session.commit()


def set_locked(actor, topic: Topic, locked: bool) -> None:
    """Lock a topic (no more replies from members) or unlock it."""
    _require_moderator(actor, topic)
    topic.locked = bool(locked)
    audit.record(actor, "forum.topic.lock" if locked else "forum.topic.unlock", topic)
    db.session.commit()


def move(actor, topic: Topic, category: Category) -> None:
    """Move a topic to another category; both categories' figures follow."""
    _require_moderator(actor, topic)
    old = topic.category_id
    if old == category.id:
        return
    topic.category = category
    posting.recount_category(old)
    posting.recount_category(category.id)
    posting.reindex_topic(topic)
    audit.record(actor, "forum.topic.move", topic, source=old, destination=category.id)
    db.session.commit()


def set_hidden(actor, post: Post, hidden: bool, reason: str = "") -> None:
    """Hide a post from members (its author and moderators still see it), or show it again."""
    _require_moderator(actor, post.topic)
    if hidden and post.number == 1:
        raise ValidationError(_("Lock or delete a topic instead of hiding its first post."),
                              field="reason")
    post.hidden_at = utcnow() if hidden else None
    post.hidden_reason = (reason or "").strip()[:500] if hidden else ""
    topic = post.topic
    if hidden and topic.accepted_post_id == post.id:
        topic.accepted_post_id, topic.solved = None, False
        posting.reindex_topic(topic)
    posting.recount_topic(topic)
    posting.recount_category(topic.category_id)
    posting.reindex_post(post)
    if hidden:
        watching.forget_excerpts(post)
    audit.record(actor, "forum.post.hide" if hidden else "forum.post.unhide", post,
                 reason=post.hidden_reason)
    db.session.commit()


def split(actor, post: Post, title: str, category: Category | None = None) -> Topic:
    """Move a reply into a new topic of its own (its first post), in ``category``."""
    old = post.topic
    _require_moderator(actor, old)
    if post.number == 1:
        raise ValidationError(_("The first post is the topic itself; move the topic instead."),
                              field="title")
    title = posting.check_title(title)
    category = category or old.category
    topic = Topic(category=category, title=title, author_id=post.author_id,
                  group_id=old.group_id, created_at=post.created_at,
                  last_post_at=post.created_at, last_number=1)
    db.session.add(topic)
    db.session.flush()
    if old.accepted_post_id == post.id:
        old.accepted_post_id, old.solved = None, False
    post.topic, post.number = topic, 1
    for topic_ in (old, topic):
        posting.recount_topic(topic_)
    for category_id in {old.category_id, topic.category_id}:
        posting.recount_category(category_id)
    posting.reindex_topic(old)
    posting.reindex_topic(topic)
    audit.record(actor, "forum.topic.split", topic, source=old.id, post=post.id)
    db.session.commit()
    return topic


def report(reporter, post: Post, reason: str) -> Report:
    """A member reports a post to the moderators, saying why."""
    if not permissions.can_view_post(reporter, post):
        raise NotFound()
    if not permissions.can_report_post(reporter, post):
        raise Forbidden(_("You cannot report this post."))
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= REASON_MAX:
        raise ValidationError(_("Say in 3 to %(max)d characters what is wrong.", max=REASON_MAX),
                              field="reason")
    entry = Report(post=post, reporter_id=reporter.id, reason=reason)
    db.session.add(entry)
    db.session.flush()
    audit.record(reporter, "forum.post.report", post, report=entry.id)
    db.session.commit()
    return entry


def open_reports(actor, page: int = 1, per_page: int = 30):
    """The moderators' queue: open reports, oldest first, paginated."""
    if not permissions.can_moderate_forums(actor):
        raise Forbidden(_("Only moderators see reports."))
    query = (select(Report).join(Post, Report.post_id == Post.id)
             .join(Topic, Post.topic_id == Topic.id)
             .where(Report.status == "open", permissions.visible_topic_clause(actor))
             .order_by(Report.created_at, Report.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def open_report_count() -> int:
    """How many reports wait (for the moderators' link)."""
    return db.session.scalar(select(func.count()).select_from(Report)
                             .where(Report.status == "open")) or 0


def handle_report(actor, entry: Report, outcome: str, hide: bool = False) -> None:
    """Close a report as resolved or dismissed; optionally hide the post at the same time."""
    if not permissions.can_view_post(actor, entry.post):
        raise NotFound()
    if not permissions.can_moderate_forums(actor):
        raise Forbidden(_("Only moderators handle reports."))
    if outcome not in REPORT_STATES or entry.status != "open":
        raise ValidationError(_("This report is already handled."), field="outcome")
    entry.status, entry.handled_by_id, entry.handled_at = outcome, actor.id, utcnow()
    audit.record(actor, f"forum.report.{outcome}", entry, post=entry.post_id)
    if hide and entry.post.hidden_at is None and entry.post.number != 1:
        set_hidden(actor, entry.post, True, entry.reason)
    db.session.commit()
