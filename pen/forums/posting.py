"""What writing a post involves: rendering, limits, attachments, counters, index rows.

Helpers of ``service`` and ``moderation``; they add to the session and never commit.
"""


from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import files, markup, search
from ..errors import ValidationError
from ..extensions import db
from ..types import utcnow
from . import mentions, permissions
from .models import Attachment, Category, Post, PostRevision, Reaction, Topic

KIND = "forum_post"
ATTACHMENT_AREA = "forums"
TITLE_MAX = 200
BODY_MAX = 50_000


Upload = files.Upload  # the name the area's callers use


def check_title(title: str) -> str:
    """The title trimmed, or a ValidationError saying what is wrong with it."""
    cleaned = " ".join((title or "").split())
    if len(cleaned) < 3:
        raise ValidationError(_("Give the topic a title of at least 3 characters."),
                              field="title")
    if len(cleaned) > TITLE_MAX:
        raise ValidationError(_("The title has %(n)d characters; the limit is %(max)d.",
                                n=len(cleaned), max=TITLE_MAX), field="title")
    return cleaned


def check_body(body: str) -> str:
    """The text of a post, or a ValidationError (empty, or too long: by how much)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), field="body")
    if len(body) > BODY_MAX:
        raise ValidationError(_("Your text has %(n)s characters; the limit is %(max)s. "
                                "Shorten it or attach a document instead.",
                                n=f"{len(body):,}", max=f"{BODY_MAX:,}"), field="body")
    return body


def render(body: str) -> tuple[str, dict]:
    """(sanitised HTML with mentions linked, the mentioned members by handle)."""
    mentioned = mentions.resolve(body)
    return markup.render(mentions.link(body, mentioned)), mentioned


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, files.FileType]]:
    """Every upload checked (type by content, size, count) before anything is stored."""
    limit = int(current_app.config["FORUM_ATTACHMENTS_PER_POST"])
    max_bytes = int(float(current_app.config["FORUM_ATTACHMENT_MAX_MB"]) * 2**20)
    return files.check_uploads(uploads, limit, max_bytes,
                               _("Attach at most %(n)d files to a post.", n=limit))


def store_attachments(post: Post, checked: list[tuple[Upload, files.FileType]]) -> list[str]:
    """Write the files and add their rows; the stored names (to delete if the commit fails)."""
    stored = []
    for upload, kind in checked:
        name = files.store_bytes(ATTACHMENT_AREA, upload.data, kind.extensions[0])
        stored.append(name)
        post.attachments.append(Attachment(
            stored_name=name, filename=files.safe_filename(upload.filename),
            content_type=kind.content_type, inline=kind.inline, size=len(upload.data)))
    return stored


def commit_or_remove(stored: list[str]) -> None:
    """Commit; if that fails, remove the files written for it and re-raise."""
    files.commit_or_remove(ATTACHMENT_AREA, stored)


def next_number(topic: Topic) -> int:
    """The number of the topic's next post, taken atomically (the row stays locked on
    PostgreSQL until the commit, so two replies never get the same number)."""
    if topic.id is None:
        topic.last_number = 1
        return 1
    table = Topic.__table__
    number = db.session.execute(
        update(table).where(table.c.id == topic.id)
        .values(last_number=table.c.last_number + 1).returning(table.c.last_number)).scalar_one()
    set_committed_value(topic, "last_number", number)
    return number


def new_post(topic: Topic, author, body: str, html: str, title: str | None = None) -> Post:
    """Add the topic's next post with its first revision."""
    now = utcnow()
    post = Post(topic=topic, group_id=topic.group_id, number=next_number(topic), author=author,
                body=body, body_html=html, created_at=now)
    db.session.add(post)
    db.session.add(PostRevision(post=post, version=1, title=title, body=body, body_html=html,
                                editor_id=author.id, created_at=now))
    return post


def counts_publicly(topic: Topic) -> bool:
    """Whether a topic counts in its category's figures (outside groups, not deleted)."""
    return permissions.is_public_topic(topic)


def touch(topic: Topic, post: Post) -> None:
    """A new visible post: move the topic (and its category) to the top, count it."""
    topic.post_count = Topic.post_count + 1
    topic.last_post_at, topic.last_post_id = post.created_at, post.id
    topic.last_poster_id, topic.last_post_number = post.author_id, post.number
    if counts_publicly(topic):
        db.session.execute(update(Category).where(Category.id == topic.category_id).values(
            post_count=Category.post_count + 1, last_post_at=post.created_at,
            last_topic_id=topic.id))


def recount_topic(topic: Topic) -> None:
    """Derive the topic's counters from its visible posts again."""
    db.session.flush()
    visible = (Post.topic_id == topic.id) & permissions.public_post_clause()
    count = db.session.scalar(select(func.count()).select_from(Post).where(visible))
    last = db.session.execute(select(Post.id, Post.created_at, Post.author_id, Post.number)
                              .where(visible).order_by(Post.number.desc()).limit(1)).first()
    topic.post_count = count or 0
    if last is not None:
        topic.last_post_id, topic.last_post_at, topic.last_poster_id, topic.last_post_number = last
    topic.last_number = db.session.scalar(
        select(func.coalesce(func.max(Post.number), 0)).where(Post.topic_id == topic.id))
    # counted in the database itself: reactions come and go in other sessions (toggles move
    # the count with an UPDATE), so the value loaded here may be stale
    reactions = (select(func.count()).select_from(Post)
                 .join(Reaction, Reaction.post_id == Post.id).where(visible).scalar_subquery())
    db.session.execute(update(Topic).where(Topic.id == topic.id)
                       .values(reaction_count=reactions))


def recount_category(category_id: int) -> None:
    """Derive a category's counters and latest topic from its public topics again."""
    db.session.flush()
    public = (Topic.category_id == category_id) & permissions.public_topic_clause()
    topics, posts = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Topic.post_count), 0)).where(public)).one()
    last = db.session.execute(select(Topic.id, Topic.last_post_at).where(public)
                              .order_by(Topic.last_post_at.desc()).limit(1)).first()
    db.session.execute(update(Category).where(Category.id == category_id).values(
        topic_count=topics, post_count=posts, last_topic_id=last[0] if last else None,
        last_post_at=last[1] if last else None))


def reindex_post(post: Post) -> None:
    """Queue the post for the search index (in this transaction)."""
    db.session.flush()
    search.enqueue(KIND, post.id)


def reindex_topic(topic: Topic) -> None:
    """Queue every post of a topic (its title, category or visibility changed)."""
    db.session.flush()
    for post_id in db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)):
        search.enqueue(KIND, post_id)
