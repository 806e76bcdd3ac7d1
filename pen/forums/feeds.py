"""Atom feeds of a category's latest posts, for a member's feed reader.

Built with the standard library's ElementTree (which escapes every text). The
entries are the posts the member may see, by the same rule as the pages.
"""

from xml.etree import ElementTree as ET

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..vocabulary import label as vocab
from . import permissions
from .models import Category, Post, Topic

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 30


def latest_posts(user, category: Category, limit: int = ENTRIES) -> list[Post]:
    """The newest public posts of the category in topics that ``user`` may see (by the
    registered topic rule, on the joined topic: a public post is seen with its topic)."""
    query = (select(Post).join(Topic, Post.topic_id == Topic.id)
             .where(Topic.category_id == category.id, permissions.visible_topic_clause(user),
                    permissions.public_post_clause())
             .order_by(Post.created_at.desc(), Post.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def atom(user, category: Category) -> bytes:
    """The feed document."""
    posts = latest_posts(user, category)
    feed = ET.Element("feed", xmlns=ATOM)
    name = vocab("forum_category", category.id, category.name)
    _text(feed, "title", _("PEN forums: %(name)s", name=name))
    _text(feed, "id", url_for("forums.category", slug=category.slug, _external=True))
    ET.SubElement(feed, "link", rel="alternate", type="text/html",
                  href=url_for("forums.category", slug=category.slug, _external=True))
    updated = posts[0].created_at if posts else category.created_at
    _text(feed, "updated", updated.isoformat())
    for post in posts:
        feed.append(_entry(post))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(post: Post) -> ET.Element:
    entry = ET.Element("entry")
    link = url_for("forums.post_link", post_id=post.id, _external=True)
    title = post.topic.title if post.number == 1 else _("Re: %(title)s", title=post.topic.title)
    _text(entry, "title", title)
    _text(entry, "id", link)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=link)
    _text(entry, "published", post.created_at.isoformat())
    _text(entry, "updated", (post.edited_at or post.created_at).isoformat())
    author = ET.SubElement(entry, "author")
    _text(author, "name", post.author.display_name if post.author else "—")
    content = _text(entry, "content", post.body_html)
    content.set("type", "html")
    return entry


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
