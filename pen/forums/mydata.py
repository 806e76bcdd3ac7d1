"""What the forums hold of a member, for "download my data": their posts and files."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Post, Topic
from .posting import ATTACHMENT_AREA


def posts(user) -> tuple[list, list]:
    """The member's posts (not deleted ones), with their topic, and their attachments."""
    rows = db.session.execute(
        select(Post, Topic.title).join(Topic, Post.topic_id == Topic.id)
        .where(Post.author_id == user.id, Post.deleted_at.is_(None))
        .options(selectinload(Post.attachments)).order_by(Post.created_at, Post.id)).all()
    records, found = [], []
    for post, title in rows:
        names = [f"{a.id}-{a.filename}" for a in post.attachments]
        records.append({"topic": title, "number": post.number, "body": post.body,
                        "created_at": post.created_at.isoformat(), "attachments": names})
        found += [(ATTACHMENT_AREA, a.stored_name, name)
                  for a, name in zip(post.attachments, names, strict=True)]
    return records, found
