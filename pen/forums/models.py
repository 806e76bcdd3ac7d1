"""Categories, topics, posts and what hangs off them.

Counters and "latest" columns (``post_count``, ``last_post_at``…) are derived
from the posts and kept up to date by the services; they count only what every
member may see (posts neither deleted nor hidden, topics outside groups), so a
number never reveals a hidden post. ``group_id`` names a thematic group; the
groups table does not exist yet, hence no foreign key.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow
from ..visibility import Is


class Category(db.Model):
    """A part of the forums; administrators create, order and describe them."""

    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)
    topic_count: Mapped[int] = mapped_column(Integer, default=0)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_topic_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

# The "my groups" indexes hold the rows of a group only: nine topics in ten are in no
# group, and an index holding them all made SQLite read "group_id IS NULL" (every
# member's visibility condition) through it, every public topic of the network.
GROUP_ROWS_ONLY = {"sqlite_where": text("group_id IS NOT NULL"),
                   "postgresql_where": text("group_id IS NOT NULL")}


class Topic(db.Model):
    """A question or a discussion: its first post and the replies after it."""

    __tablename__ = "forum_topics"
    __table_args__ = (
        # A list's pages in order; its count ("visible topics of the category") read from
        # the index alone, the group being its last column.
        Index("ix_forum_topics_listing", "category_id", "deleted", "pinned", "last_post_at", "id",
              "group_id"),
        Index("ix_forum_topics_solved_listing", "category_id", "deleted", "solved", "pinned",
              "last_post_at", "id", "group_id"),
        # "Latest" across categories, walked in order (its filter read from the index).
        Index("ix_forum_topics_latest", "pinned", "last_post_at", "id", "deleted", "group_id"),
        Index("ix_forum_topics_created", "created_at", "id"),  # the home activity feed
        Index("ix_forum_topics_group_created", "group_id", "created_at", "id",  # "my groups"
              **GROUP_ROWS_ONLY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"))
    group_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_id: Mapped[int | None] = mapped_column(Integer)
    last_poster_id: Mapped[int | None] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)  # highest number given
    last_post_number: Mapped[int] = mapped_column(Integer, default=0)  # latest visible post
    post_count: Mapped[int] = mapped_column(Integer, default=0)  # visible posts
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    solved: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_post_id: Mapped[int | None] = mapped_column(Integer)
    view_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # reactions to its visible posts: a topic list shows it; counting them per row read
    # every post of a long topic (20 ms for one of 46,000 posts)
    reaction_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")

    @property
    def reply_count(self) -> int:
        """Visible replies: the posts after the first."""
        return max(0, self.post_count - 1)


class Post(db.Model):
    """One message of a topic; number 1 is the question or opening post."""

    __tablename__ = "forum_posts"
    __table_args__ = (
        UniqueConstraint("topic_id", "number", name="uq_forum_posts_topic_number"),
        Index("ix_forum_posts_author_created", "author_id", "created_at"),
        Index("ix_forum_posts_group_created", "group_id", "created_at", "id",  # "my groups"
              **GROUP_ROWS_ONLY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id"))
    # The topic's group, copied when the post is written (topics never change group): the
    # home page's "latest in your groups" seeks each group's newest posts by index.
    group_id: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revision_count: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(Integer)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(lazy="joined")
    attachments: Mapped[list["Attachment"]] = relationship(
        lazy="selectin", order_by="Attachment.id", back_populates="post")

    @property
    def is_public(self) -> bool:
        """Neither deleted nor hidden: what every member who sees the topic sees."""
        return KEPT.holds(None, self) and SHOWN.holds(None, self)

    @property
    def edited(self) -> bool:
        """Whether the post has been changed since it was written."""
        return self.revision_count > 1


# The object-only conditions of the visibility rules (``permissions``), declared with
# their columns: the rules, the counters, the feeds and ``Post.is_public`` share them.
LIVE, OPEN = Is("live", Topic.deleted, False), Is("open", Topic.group_id, None)
KEPT, SHOWN = Is("kept", Post.deleted_at, None), Is("shown", Post.hidden_at, None)


class PostRevision(db.Model):
    """One version of a post, kept for its history (version 1 is what was first written)."""

    __tablename__ = "forum_post_revisions"
    __table_args__ = (UniqueConstraint("post_id", "version", name="uq_forum_post_revisions_v"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped["Post"] = relationship()
    editor: Mapped[User | None] = relationship(lazy="joined")


class Attachment(db.Model):
    """A file attached to a post, stored under a random name, served only after a check."""

    __tablename__ = "forum_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(100))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="attachments")


class Report(db.Model):
    """A member's report of a post, waiting in the moderators' queue."""

    __tablename__ = "forum_reports"
    __table_args__ = (Index("ix_forum_reports_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, resolved, dismissed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(Integer)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)
    reporter: Mapped[User | None] = relationship(lazy="joined")


class TopicRead(db.Model):
    """How far a member has read a topic: one row per member and topic."""

    __tablename__ = "forum_topic_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


WATCHING = "watching"
MUTED = "muted"


class TopicWatch(db.Model):
    """A member watching (or muting) a topic."""

    __tablename__ = "forum_topic_watches"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    level: Mapped[str] = mapped_column(String(10), default=WATCHING)


class CategoryWatch(db.Model):
    """A member watching (or muting) a whole category."""

    __tablename__ = "forum_category_watches"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("forum_categories.id", ondelete="CASCADE"), primary_key=True, index=True)
    level: Mapped[str] = mapped_column(String(10), default=WATCHING)


# The reactions a member may give a post, in the order shown: a small fixed set, so a
# reaction says one clear thing and is never a post.
REACTION_KINDS = ("thanks", "helpful", "agree")


class Reaction(db.Model):
    """A member's reaction of one kind to one post (at most one per kind: a toggle)."""

    __tablename__ = "forum_reactions"

    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         primary_key=True)  # the key leads with the post
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicBookmark(db.Model):
    """A topic a member keeps for later ("My bookmarks")."""

    __tablename__ = "forum_topic_bookmarks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # due date


class PostBookmark(db.Model):
    """A post a member keeps for later ("My bookmarks")."""

    __tablename__ = "forum_post_bookmarks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # due date


class Draft(db.Model):
    """A topic or reply being written, kept per member and place ("topic:12" for a reply,
    "category:3" for a new topic) until it is posted or discarded."""

    __tablename__ = "forum_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    place: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TopicViewBatch(db.Model):
    """Views counted in a web process's memory, written as one batch; the worker adds
    them to ``Topic.view_count`` and deletes the row (``topic_views``)."""

    __tablename__ = "forum_topic_view_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"))
    views: Mapped[int] = mapped_column(Integer)


class Tag(db.Model):
    """A label moderators create and authors put on their topics."""

    __tablename__ = "forum_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicTag(db.Model):
    """A tag on a topic."""

    __tablename__ = "forum_topic_tags"

    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"),
                                          primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("forum_tags.id", ondelete="CASCADE"),
                                        primary_key=True, index=True)


class PastedImage(db.Model):
    """An image pasted or dropped into the composer (``images.store``): who sent it, and
    from when, so that only they fetch it until a post shows it and the worker removes
    it if no post ever does."""

    __tablename__ = "forum_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PastedImageUse(db.Model):
    """A post whose text shows a pasted image of its writer: whoever sees one of these
    posts (the registered post rule) may fetch the image."""

    __tablename__ = "forum_image_uses"

    image_id: Mapped[int] = mapped_column(ForeignKey("forum_images.id", ondelete="CASCADE"),
                                          primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
